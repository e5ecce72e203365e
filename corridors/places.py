"""Resolve a place the user typed (id, name, alias, UN/LOCODE or IATA code) to a location id.

Matching is case-, accent- and punctuation-insensitive in any script ("Bandar-e Abbas",
"bandar abbas" and "BANDAR_ABBAS" are the same key; "Ташкент" and "ТАШКЕНТ" too; Persian
letters are kept, their optional marks dropped).  Precedence: id, then name, then alias, then
code; two locations matching at the same level are ambiguous and both are offered as
suggestions.  An empty or blank name is refused.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping

from corridors.errors import UnknownLocationError
from corridors.model import Location

_SEPARATORS = re.compile(r"[\W_]+")
# Arabic-script letters that Persian and Arabic spellings of one name use interchangeably
_ARABIC_VARIANTS = str.maketrans(
    {"ي": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "آ": "ا"}
)


def normalise(text: str) -> str:
    """A matching key in any script: case folded, accents and other combining marks dropped
    (letters of every script kept), punctuation, underscores and spaces collapsed to one space.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_ARABIC_VARIANTS))
    letters = "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    return _SEPARATORS.sub(" ", letters).strip()


class PlaceIndex:
    """Lookup tables from normalised keys to location ids, built once per network."""

    def __init__(self, locations: Mapping[str, Location]) -> None:
        self._locations = locations
        self._levels: list[dict[str, set[str]]] = [{}, {}, {}, {}]
        for loc in locations.values():
            keys_by_level = (
                [loc.id],
                [loc.name],
                list(loc.aliases),
                [c for c in (loc.unlocode, loc.iata) if c],
            )
            for level, keys in zip(self._levels, keys_by_level, strict=True):
                for key in keys:
                    level.setdefault(normalise(key), set()).add(loc.id)
        self._all_keys = sorted({k for level in self._levels for k in level})

    def resolve(self, query: str) -> str:
        """The location id for ``query``; raise :class:`UnknownLocationError` with suggestions."""
        key = normalise(query)
        if not key:  # blank, or only punctuation or marks: nothing to match
            raise UnknownLocationError(query, [])
        for level in self._levels:
            ids = level.get(key)
            if ids and len(ids) == 1:
                return next(iter(ids))
            if ids:
                raise UnknownLocationError(query, self._describe(sorted(ids)), ambiguous=True)
        raise UnknownLocationError(query, self.suggest(query))

    def suggest(self, query: str, n: int = 5) -> list[str]:
        """Up to ``n`` location ids whose names or aliases are closest to ``query``."""
        key = normalise(query)
        close = difflib.get_close_matches(key, self._all_keys, n=3 * n, cutoff=0.6)
        close += [k for k in self._all_keys if key and key in k and k not in close]
        out: list[str] = []
        for k in close:
            for level in self._levels:
                for loc_id in sorted(level.get(k, ())):
                    if loc_id not in out:
                        out.append(loc_id)
        return self._describe(out[:n])

    def _describe(self, ids: list[str]) -> list[str]:
        return [f"{i} ({self._locations[i].name}, {self._locations[i].country})" for i in ids]
