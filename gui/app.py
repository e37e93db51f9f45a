"""Start the desktop application: `python main.py [gui [SCENARIO.toml | RESULTS_DIR]]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The GUI's arguments: an optional scenario file or results directory to open."""
    parser = argparse.ArgumentParser(prog="main.py gui", description="cityflex desktop application")
    parser.add_argument("path", nargs="?", help="a scenario TOML file or a results directory to open")
    parser.add_argument("--settings", help="keep window layout and recent files in this INI file")
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    """Open the main window (with a scenario or finished run loaded if given); returns the exit code."""
    args = parse_args(sys.argv[2:] if argv is None else argv)
    if not _has_screen():
        sys.stderr.write(
            "cityflex: the desktop application needs a screen (no DISPLAY or WAYLAND_DISPLAY is set).\n"
            "Run it in a desktop session, or use the headless commands: python main.py --help\n"
        )
        return 2
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("cityflex")
    app.setApplicationName("cityflex")
    from gui.gc_guard import collect_on_gui_thread, restore
    from gui.settings import app_settings

    collect_on_gui_thread()

    window = MainWindow(app_settings(args.settings))
    if args.path:
        window.open_path(args.path)
    else:
        window.open_path(_default_scenario())
    window.show()
    try:
        return app.exec()
    finally:
        restore()


def _has_screen() -> bool:
    """False on Linux without a display server, where Qt would abort instead of opening a window."""
    import os

    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _default_scenario() -> str:
    from gui.scenario_panel import SCENARIOS_DIR

    return str(SCENARIOS_DIR / "quickstart.toml")
