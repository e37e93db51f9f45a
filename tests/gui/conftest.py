"""GUI test fixtures: a real X display (private Xvfb, Qt's xcb platform), settings in a temp INI file, the window.

Without `QT_QPA_PLATFORM` set, the tests start their own Xvfb and use Qt's xcb platform, as a user's
desktop does; `QT_QPA_PLATFORM=offscreen` still works for a quick run where Xvfb is missing (the
tests that need a real display then start their own Xvfb, or fail in CI).
"""

from __future__ import annotations

import math
import os

from tests.gui import xvfb

XVFB = None
if "QT_QPA_PLATFORM" not in os.environ and xvfb.available():
    XVFB, os.environ["DISPLAY"] = xvfb.start()
    os.environ["QT_QPA_PLATFORM"] = "xcb"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from tests.conftest import SCENARIOS  # noqa: E402

QUICKSTART = SCENARIOS / "quickstart.toml"


@pytest.fixture
def settings(tmp_path):
    """Settings isolated in a temporary INI file."""
    return QSettings(str(tmp_path / "cityflex.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def main_window(qtbot, settings):
    """The main window with the quickstart scenario loaded."""
    from gui.main_window import MainWindow

    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    assert window.open_path(QUICKSTART)
    yield window
    window.controller.shutdown()


def run_to_end(qtbot, window, timeout_ms: int = 60_000):
    """Start a run in the window and wait for its result."""
    with qtbot.waitSignal(window.controller.finished, timeout=timeout_ms) as blocker:
        assert window.run()
    return blocker.args[0]


def same_numbers(a: dict[str, float], b: dict[str, float]) -> bool:
    """Equal keys in the same order and identical values, NaN equal to NaN."""
    return list(a) == list(b) and all(a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a)


@pytest.fixture(scope="session", autouse=True)
def _qt_torn_down_while_the_app_lives(qapp):
    """Delete every window and collect garbage while QApplication still exists.

    Wrappers of Qt objects collected after the application is gone crash PySide6 at interpreter exit
    (seen here: `none_dealloc` during final garbage collection, about one suite run in four).
    Garbage is collected on the GUI thread only while the tests run, as in the application (gui.gc_guard).
    """
    from gui.gc_guard import collect_on_gui_thread, restore

    collect_on_gui_thread()
    yield
    restore()
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    for widget in qapp.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.processEvents()
    gc.collect()


@pytest.fixture(scope="session")
def x_display():
    """A DISPLAY served by Xvfb for tests that need Qt's xcb platform (their own process or this one)."""
    if XVFB is not None:
        yield os.environ["DISPLAY"]
        return
    if not xvfb.available():
        if os.environ.get("CI"):
            pytest.fail("Xvfb is missing: ./dev.sh setup installs it")
        pytest.skip("Xvfb is not installed (./dev.sh setup installs it)")
    proc, display = xvfb.start()
    yield display
    proc.terminate()
    proc.wait(10)
