"""What the application remembers between launches (window layout, recent files), in `QSettings`.

`CITYFLEX_SETTINGS=/path/file.ini` (or the `settings` argument of the window) keeps them in one INI
file, which is how tests isolate themselves from the user's settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

RECENT_KEY = "recent_files"
RECENT_MAX = 10


def app_settings(path: str | Path | None = None) -> QSettings:
    """The settings store: an INI file if one is given (argument or CITYFLEX_SETTINGS), else the user's."""
    path = path or os.environ.get("CITYFLEX_SETTINGS")
    if path:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings("cityflex", "cityflex")


def recent_files(settings: QSettings) -> list[str]:
    """Recently opened scenarios and results directories, newest first."""
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in value or []]


def add_recent(settings: QSettings, path: str | Path) -> list[str]:
    """Put `path` first in the recent list."""
    path = str(Path(path).resolve())
    files = [path, *(p for p in recent_files(settings) if p != path)][:RECENT_MAX]
    settings.setValue(RECENT_KEY, files)
    settings.sync()
    return files
