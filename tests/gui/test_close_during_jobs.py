"""Closing the window while a long job runs stops the job and waits for its thread.

Closing during a comparison used to abort the process ("QThread: Destroyed while thread is still
running"): the window stopped its run but not the comparison's thread.
"""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt as QtNs
from PySide6.QtCore import QThread

from tests.conftest import ROOT

from .test_app_session import _app_env, _write_scenarios


def _threads_running(window):
    return [t for t in window.findChildren(QThread) if t.isRunning()]


def test_quit_during_a_comparison_stops_it(qtbot, main_window):
    main_window.panel.editor.set_value("horizon_days", "7")
    view = main_window.compare
    view.set_ticked(["flat", "tou", "cpp"])
    finished = []
    view.compared.connect(finished.append)
    with qtbot.waitSignal(view.progress.valueChanged, timeout=60_000):
        qtbot.mouseClick(view.run_button, QtNs.MouseButton.LeftButton)
    assert _threads_running(main_window)
    main_window.actions.quit.trigger()  # File → Quit
    assert not main_window.isVisible()
    assert _threads_running(main_window) == []
    assert finished == []  # cancelled, not run to its end


def test_cancel_a_comparison(qtbot, main_window):
    main_window.panel.editor.set_value("horizon_days", "7")
    view = main_window.compare
    with qtbot.waitSignal(view.progress.valueChanged, timeout=60_000):
        qtbot.mouseClick(view.run_button, QtNs.MouseButton.LeftButton)
    with qtbot.waitSignal(view.status, timeout=60_000) as said:
        qtbot.mouseClick(view.cancel_button, QtNs.MouseButton.LeftButton)
    assert said.args == ["comparison cancelled"]
    qtbot.waitUntil(lambda: not view.busy, timeout=10_000)
    assert view.run_button.isEnabled() and view.comparison is None


def test_quit_during_a_run_stops_it(qtbot, main_window):
    main_window.panel.editor.set_value("horizon_days", "7")
    main_window.controller.set_delay(0.01)
    with qtbot.waitSignal(main_window.controller.snapshot, timeout=60_000):
        main_window.actions.run.trigger()
    main_window.actions.quit.trigger()
    assert _threads_running(main_window) == []


DRIVER = """
import sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from gui import app
qapp = QApplication([sys.argv[0]])
def start():
    window = next(w for w in qapp.topLevelWidgets() if w.objectName() == "main_window")
    window.panel.editor.set_value("horizon_days", "7")
    if {job!r} == "compare":
        window.compare.run_button.click()
        window.compare.progress.valueChanged.connect(lambda *_: window.actions.quit.trigger())
    else:
        window.controller.snapshot.connect(lambda *_: window.actions.quit.trigger())
        window.actions.run.trigger()
QTimer.singleShot(300, start)
sys.exit(app.main([{scenario!r}]))
"""


def test_the_application_exits_0_when_quit_during_a_job(tmp_path, x_display):
    small, _ = _write_scenarios(tmp_path)
    for job in ("compare", "run"):
        code = DRIVER.format(root=str(ROOT), job=job, scenario=str(small))
        done = subprocess.run([sys.executable, "-c", code], env=_app_env(tmp_path, x_display), capture_output=True,
                              text=True, timeout=300, cwd=tmp_path)  # fmt: skip
        assert "QThread: Destroyed" not in done.stderr, (job, done.stderr[-2000:])
        assert "Fatal Python error" not in done.stderr, (job, done.stderr[-2000:])
        assert done.returncode == 0, (job, done.returncode, done.stderr[-2000:])
