"""Countries the network may contain: ISO 3166-1 alpha-2 code -> English short name.

The data validator rejects any other code, which catches typos such as ``KZ`` vs ``KA``.
"""

from __future__ import annotations

COUNTRY_NAMES: dict[str, str] = {
    "AE": "United Arab Emirates",
    "AF": "Afghanistan",
    "AM": "Armenia",
    "AT": "Austria",
    "AZ": "Azerbaijan",
    "BG": "Bulgaria",
    "BY": "Belarus",
    "CN": "China",
    "CZ": "Czechia",
    "DE": "Germany",
    "GE": "Georgia",
    "GR": "Greece",
    "HU": "Hungary",
    "IN": "India",
    "IQ": "Iraq",
    "IR": "Iran",
    "KG": "Kyrgyzstan",
    "KZ": "Kazakhstan",
    "MN": "Mongolia",
    "NL": "Netherlands",
    "OM": "Oman",
    "PK": "Pakistan",
    "PL": "Poland",
    "RO": "Romania",
    "RS": "Serbia",
    "RU": "Russia",
    "SK": "Slovakia",
    "TJ": "Tajikistan",
    "TM": "Turkmenistan",
    "TR": "Turkey",
    "UA": "Ukraine",
    "UZ": "Uzbekistan",
}
