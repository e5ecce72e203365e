"""What every benchmark script shares: the machine line and writing its results."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any


def machine() -> str:
    """Architecture, usable cores and Python version, for the results' header."""
    return (
        f"{os.uname().machine}, {len(os.sched_getaffinity(0))} cores, Python "
        f"{sys.version.split()[0]}"
    )


def write_results(out_dir: str | Path, name: str, data: dict[str, Any], markdown: str) -> None:
    """``<name>.json`` and ``<name>.md`` in ``out_dir`` (created if missing)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(data, indent=2) + "\n")
    (out / f"{name}.md").write_text(markdown)
