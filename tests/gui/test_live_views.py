"""What the window shows before and during a run: dates, the hub's messages live, progress and ETA."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt

from gui.inspector import NO_HUB as INSPECTOR_NO_HUB
from gui.messages_view import NO_HUB

from .conftest import SCENARIOS, run_to_end


def _x_dates(plot):
    left, right = plot.getViewBox().viewRange()[0]
    return pd.Timestamp(left, unit="s"), pd.Timestamp(right, unit="s")


def test_before_any_run_the_time_axes_show_the_scenarios_dates(main_window):
    scenario = main_window.panel.editor.scenario()
    left, right = _x_dates(main_window.live.load_plot)
    assert left.year == scenario.start.year and left <= pd.Timestamp(scenario.start) <= right
    low, high = main_window.live.volt_plot.getViewBox().viewRange()[1]
    assert 0.8 < low < 1 < high < 1.2  # around the voltage band, not ±400


def test_the_messages_tab_and_the_inspector_show_the_hub_during_a_live_run(qtbot, main_window):
    assert main_window.open_path(SCENARIOS / "lisbon_district.toml")
    main_window.panel.editor.set_value("horizon_days", "2")
    main_window.controller.set_delay(0.002)
    main_window.tabs.setCurrentWidget(main_window.messages)
    with qtbot.waitSignal(main_window.controller.ready, timeout=120_000):
        qtbot.mouseClick(_toolbar_button(main_window, "Run"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main_window.latest is not None and main_window.latest.step > 100, timeout=120_000)
    main_window.controller.pause()
    main_window.frame(force=True)
    main_window._messages_shown_at = 0
    main_window.frame(force=True)
    assert NO_HUB not in main_window.messages.status.text()
    assert main_window.messages.status.text().startswith("live")
    main_window.inspector.set_source(sim=main_window.sim)
    assert INSPECTOR_NO_HUB not in main_window.inspector.text.toPlainText()
    main_window.controller.stop()


def test_progress_says_building_then_steps_and_the_eta_stops_while_paused(qtbot, main_window):
    main_window.panel.editor.set_value("horizon_days", "2")
    main_window.controller.set_delay(0.01)
    phases = []
    main_window.controller.phase.connect(phases.append)
    with qtbot.waitSignal(main_window.controller.snapshot, timeout=60_000):
        main_window.run()
    assert phases[0].startswith("building") and phases[-1] == "running"
    qtbot.waitUntil(lambda: main_window.latest.step > 5, timeout=30_000)
    main_window.toggle_pause()
    qtbot.wait(100)
    main_window.frame(force=True)
    paused_clock = main_window._run_clock()
    label = main_window.progress_label.text()
    assert label.startswith("step ") and label.endswith("paused") and "ETA" not in label
    qtbot.wait(300)
    assert main_window._run_clock() == paused_clock  # the clock behind the ETA does not run while paused
    main_window.toggle_pause()
    qtbot.wait(100)
    main_window.frame(force=True)
    assert "ETA" in main_window.progress_label.text() and main_window._run_clock() > paused_clock
    main_window.controller.stop()
    assert np.isfinite(paused_clock)


def _toolbar_button(window, text):
    from PySide6.QtWidgets import QToolButton

    action = getattr(window.actions, text.lower())
    return next(b for b in window.findChildren(QToolButton) if b.defaultAction() is action)


def test_the_inspector_plots_any_consenting_household_also_after_the_run_and_never_one_that_declined(
    qtbot, main_window
):
    main_window.panel.editor.set_value("households.consent_share", "0.5")
    result = run_to_end(qtbot, main_window)
    inspector = main_window.inspector
    consent = result.agents["consent"].to_numpy(dtype=bool)
    assert 0 < consent.sum() < len(consent)
    assert list(inspector.listed) == list(np.flatnonzero(consent))
    declined, agreed = int(np.flatnonzero(~consent)[0]), int(np.flatnonzero(consent)[-1])
    main_window.tabs.setCurrentWidget(inspector)
    assert not inspector.select(declined)
    assert f"Household {declined}" not in inspector.text.toPlainText()
    inspector.row.setValue(declined)  # stepping onto it with the spin box skips it
    assert inspector.row.value() != declined and consent[inspector.row.value()]
    assert inspector.select(agreed)
    times, load = inspector.power_curves["load_kw"].getData()
    assert len(load) == result.scenario.n_steps and np.isfinite(load).all() and load.max() > 0
    assert pd.Timestamp(times[0], unit="s") == pd.Timestamp(result.scenario.start)
    assert main_window.sim is None  # the run's models are released; the trace stays


def test_the_previous_runs_load_stays_to_compare_after_changing_a_parameter(qtbot, main_window):
    main_window.panel.editor.set_value("horizon_days", "1")
    first = run_to_end(qtbot, main_window)
    main_window.panel.editor.set_value("households.hems_share", "0")
    run_to_end(qtbot, main_window)
    _, previous = main_window.live.load_prev.getData()
    np.testing.assert_allclose(previous, first.case("district")["import_kw"].to_numpy() * 1000)
