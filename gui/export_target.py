"""Where an export goes: always a new subfolder of the folder the user chose, never the chosen folder itself.

A folder that already exists is replaced only if cityflex wrote it (it holds the files of that kind
of export) and the user said so; anything else gets a fresh name (`name-2`, `name-3`, …).
"""

from __future__ import annotations

import re
from pathlib import Path

#: The files that show cityflex wrote a folder, by kind of export.
SIGNATURES = {
    "results": ("scenario.toml", "meta.json", "kpis.json"),
    "comparison": ("comparison.csv", "report.html"),
    "plots": (),
}


def safe_name(text: str) -> str:
    """A folder name from a scenario or option name (letters, digits, '-', '_', '.')."""
    name = re.sub(r"[^\w.-]+", "_", text).strip("._")
    return name or "cityflex"


def written_by_cityflex(folder: Path, kind: str) -> bool:
    """True when `folder` holds the files an export of `kind` writes (and so may be replaced, if asked)."""
    files = SIGNATURES[kind]
    return bool(files) and folder.is_dir() and all((folder / f).is_file() for f in files)


def fresh_folder(parent: Path, name: str) -> Path:
    """`parent/name`, or the first of `name-2`, `name-3`, … that does not exist yet."""
    candidate, n = parent / name, 2
    while candidate.exists():
        candidate, n = parent / f"{name}-{n}", n + 1
    return candidate
