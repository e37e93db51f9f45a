"""The application on a real X display (Xvfb, Qt's xcb platform), in its own process, as a user runs it.

PySide6 6.12.0 dropped a reference to `None`/`True` on every void call and every signal emission
until Python aborted ("Fatal Python error: bool_dealloc", exit 134): after a few runs, or on quitting
after opening an invalid scenario. The pinned 6.11.3 does not (requirements.lock).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from tests.conftest import ROOT, quickstart_dict

SESSION = ROOT / "tests" / "gui" / "app_session.py"
RUNS = 10


def _write_scenarios(tmp_path):
    import tomli_w

    small = tmp_path / "small.toml"
    small.write_bytes(tomli_w.dumps(quickstart_dict(horizon_days=1)).encode())
    invalid = tmp_path / "invalid.toml"
    invalid.write_text('name = "broken"\nhorizon_days = -3\n', encoding="utf-8")
    return small, invalid


def _app_env(tmp_path, display):
    env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", CITYFLEX_SETTINGS=str(tmp_path / "cityflex.ini"))
    return env


@pytest.mark.slow
def test_ten_runs_then_an_invalid_scenario_then_quit_exits_0_with_bounded_memory(tmp_path, x_display):
    small, invalid = _write_scenarios(tmp_path)
    done = subprocess.run(
        [sys.executable, str(SESSION), str(small), str(invalid), str(RUNS)],
        env=_app_env(tmp_path, x_display), capture_output=True, text=True, timeout=900, cwd=tmp_path,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert "Fatal Python error" not in output, output[-3000:]
    assert done.returncode == 0, output[-3000:]
    rss = [float(m) for m in re.findall(r"run \d+: rss_mb=([\d.]+)", done.stdout)]
    assert len(rss) == RUNS, output[-3000:]
    assert "invalid scenario: banner=True" in done.stdout
    assert rss[-1] <= 1.2 * rss[0], f"memory after 1 run {rss[0]:.0f} MB, after {RUNS} runs {rss[-1]:.0f} MB"


def test_starting_on_an_invalid_scenario_and_quitting_exits_0(tmp_path, x_display):
    _, invalid = _write_scenarios(tmp_path)
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from gui import app\n"
        "qapp = QApplication([sys.argv[0]])\n"
        "def quit_():\n"
        "    window = next(w for w in qapp.topLevelWidgets() if w.objectName() == 'main_window')\n"
        "    assert window.error_banner.isVisible()\n"
        "    window.actions.quit.trigger()\n"
        "QTimer.singleShot(500, quit_)\n"
        f"sys.exit(app.main([{str(invalid)!r}]))\n"
    )
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", code], env=_app_env(tmp_path, x_display), capture_output=True,
                              text=True, timeout=120, cwd=tmp_path)  # fmt: skip
        assert "Fatal Python error" not in done.stderr, done.stderr[-3000:]
        assert done.returncode == 0, done.stderr[-3000:]


class _Emitter(QObject):
    value = Signal(object)


def test_qt_calls_keep_the_references_to_none_and_true(qapp):
    label, emitter = QLabel(), _Emitter()
    emitter.value.connect(lambda _: None)
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(1000):
        label.setText("x")  # a void call
        emitter.value.emit(None)
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert after[0] >= before[0] - 10 and after[1] >= before[1] - 10, (before, after)
