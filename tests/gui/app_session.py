"""A whole desktop session driven by clicks, run by `test_app_session.py` as its own process on a real X display.

`python tests/gui/app_session.py SCENARIO.toml INVALID.toml RUNS` starts the application through
`gui.app.main` (the code `python main.py` runs), clicks Run `RUNS` times and waits for each result,
opens the invalid scenario, then clicks File → Quit. It prints one line per run with the resident
memory, and exits with the application's own exit code, through normal interpreter finalisation
(no `os._exit`): a crash in PySide6's finalisers shows as exit 134 and "Fatal Python error".
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QToolButton  # noqa: E402

from gui import app as gui_app  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402

RUN_TIMEOUT_MS = 120_000


def rss_mb() -> float:
    """This process's resident memory [MB]."""
    return psutil.Process().memory_info().rss / 1e6


def say(line: str) -> None:
    """One line of the session's record on stdout."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def window() -> MainWindow:
    """The application's main window."""
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))


def click_toolbar(win: MainWindow, text: str) -> None:
    """Click the toolbar button of the action named `text` with the mouse."""
    action = next(a for a in win.findChildren(type(win.actions.run)) if a.text().replace("&", "") == text)
    button = next(b for b in win.findChildren(QToolButton) if b.defaultAction() is action)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_for(signal: object, timeout_ms: int) -> None:
    """Run the event loop until `signal` fires (or fail after `timeout_ms`)."""
    loop = QEventLoop()
    fired: list[bool] = []
    signal.connect(lambda *_: (fired.append(True), loop.quit()))
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    if not fired:
        sys.stderr.write("app_session: timed out waiting for the run\n")
        QApplication.exit(3)
        raise SystemExit(3)


def drive(invalid: Path, runs: int) -> None:
    """Click through the session (called from inside the application's event loop)."""
    win = window()
    QTest.qWaitForWindowExposed(win)
    for i in range(runs):
        click_toolbar(win, "Run")
        wait_for(win.controller.finished, RUN_TIMEOUT_MS)
        QTest.qWait(50)
        gc.collect()
        say(f"run {i + 1}: rss_mb={rss_mb():.1f}")
    win.open_path(invalid)
    QTest.qWait(50)
    say(f"invalid scenario: banner={win.error_banner.isVisible()}")
    win.menuBar().actions()[0].menu().actions()[-1].trigger()  # File → Quit


def main() -> int:
    """Start the application with the scenario, drive it, return its exit code."""
    scenario, invalid, runs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    app = QApplication([sys.argv[0]])
    QTimer.singleShot(0, lambda: drive(invalid, runs))
    code = gui_app.main([str(scenario)])
    del app
    return code


if __name__ == "__main__":
    sys.exit(main())
