"""Where an export goes: always a new subfolder of the folder the user chose, never the chosen folder itself.

A folder that already exists is replaced only if cityflex wrote it (its `.cityflex` marker, or a
results layout from before the marker: `simulator.results.output_dir`) and the user said so; anything
else gets a fresh name (`name-2`, `name-3`, …). The engine's writers check the same rule again.
"""

from __future__ import annotations

import re
from pathlib import Path

from simulator.results.output_dir import is_cityflex_result
from simulator.results.output_dir import safe_name as engine_safe_name

#: The kinds of export that may replace an earlier one of theirs (plots always go to a fresh folder).
REPLACEABLE = {"results", "comparison"}


def safe_name(text: str) -> str:
    """A folder name from a scenario or option name: the engine's `safe_name`, then letters, digits, '-', '_', '.' only.

    The engine's rule (one harmless path component, at most `MAX_NAME` characters) keeps spaces and a leading
    '_' of an ordinary name; a folder the GUI creates in a folder the user picked also loses spaces, other
    punctuation and leading or trailing dots and underscores, so it reads the same in every file manager.
    """
    name = re.sub(r"[^\w.-]+", "_", engine_safe_name(text)).strip("._")
    return name or engine_safe_name("")


def written_by_cityflex(folder: Path, kind: str) -> bool:
    """True when cityflex wrote `folder` (so an export of `kind` may replace it, if the user says so)."""
    return kind in REPLACEABLE and is_cityflex_result(folder)


def fresh_folder(parent: Path, name: str) -> Path:
    """`parent/name`, or the first of `name-2`, `name-3`, … that does not exist yet."""
    candidate, n = parent / name, 2
    while candidate.exists():
        candidate, n = parent / f"{name}-{n}", n + 1
    return candidate
