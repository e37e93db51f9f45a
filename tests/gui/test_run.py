"""Running in the window: off the GUI thread, same numbers as headless, pause/step/stop, errors in the window."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from gui import worker as worker_module
from simulator.errors import CityflexError
from simulator.runner import run

from .conftest import run_to_end, same_numbers


def test_run_to_the_end_fills_the_kpi_table_like_the_headless_run(qtbot, main_window):
    result = run_to_end(qtbot, main_window)
    headless = run(main_window.panel.editor.scenario())
    shown = main_window.kpis.kpi_values()
    assert same_numbers(shown, headless.kpis)
    assert same_numbers(shown, result.kpis)
    assert main_window.progress.value() == main_window.progress.maximum()
    assert main_window.live.load.getData()[0].size == result.scenario.n_steps
    assert "nothing the DSO had to act on" in main_window.kpis.events_label.text() or len(result.events)
    assert "no market hub" in main_window.messages.status.text()
    assert main_window.messages.empty


def test_event_loop_keeps_running_during_the_run(qtbot, main_window):
    main_window.panel.editor.set_value("horizon_days", "1")
    ticks_while_running = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: main_window.controller.state == "running" and ticks_while_running.append(1))
    timer.start()
    main_window.controller.set_delay(0.005)  # the quickstart is fast; keep it busy long enough to watch
    run_to_end(qtbot, main_window)
    timer.stop()
    assert len(ticks_while_running) >= 10
    assert len(main_window.frame_times_s) >= 2  # the views redrew while the run went on


def test_pause_step_and_stop(qtbot, main_window):
    main_window.panel.editor.set_value("horizon_days", "1")
    with qtbot.waitSignal(main_window.controller.snapshot, timeout=30_000) as first:
        main_window.step()
    assert first.args[0].step == 0
    assert main_window.controller.state == "paused"
    with qtbot.waitSignal(main_window.controller.snapshot, timeout=10_000) as second:
        main_window.step()
    assert second.args[0].step == 1
    with qtbot.waitSignal(main_window.controller.stopped, timeout=10_000):
        main_window.controller.stop()
    assert main_window.controller.state == "idle"
    assert main_window.result is None


def test_a_failing_run_shows_its_message_in_the_window(qtbot, main_window, monkeypatch):
    class Broken:
        def __init__(self, scenario):
            raise CityflexError("profiles.csv line 3: not a number")

    monkeypatch.setattr(worker_module, "Simulation", Broken)
    with qtbot.waitSignal(main_window.controller.failed, timeout=10_000):
        main_window.run()
    assert main_window.error_banner.isVisible()
    assert main_window.error_banner.text() == "profiles.csv line 3: not a number"
    assert main_window.controller.state == "idle"
