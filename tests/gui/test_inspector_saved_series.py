"""The inspector shows a finished run's per-household series when its results directory has them.

Before, a run opened from a results directory showed no household power at all, even when the run
wrote `households.parquet` (`[output] household_series`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.results.run_result import write_results
from simulator.runner import run
from simulator.scenario import scenario_from_dict
from tests.conftest import quickstart_dict


def _run_with_series(mode: str, out):
    data = quickstart_dict(horizon_days=1)
    data.setdefault("output", {})["household_series"] = mode
    return write_results(run(scenario_from_dict(data)), out)


def test_a_results_directory_with_step_series_shows_the_households_power(main_window, tmp_path):
    out = _run_with_series("step", tmp_path / "step")
    assert main_window.open_path(out)
    inspector = main_window.inspector
    row = int(inspector.listed[3])
    assert inspector.select(row)
    saved = pd.read_parquet(out / "households.parquet")
    mine = saved[saved["row"] == row]
    _, shown = inspector.meter_curve.getData()
    assert len(mine) == 96 and np.allclose(shown, mine["p_kw"].to_numpy(dtype=float))
    assert "net power at its meter" in inspector.power.plotItem.titleLabel.text


def test_a_results_directory_with_daily_series_shows_each_days_peak(main_window, tmp_path):
    out = _run_with_series("daily", tmp_path / "daily")
    assert main_window.open_path(out)
    inspector = main_window.inspector
    row = int(inspector.listed[0])
    assert inspector.select(row)
    saved = pd.read_parquet(out / "households.parquet")
    _, shown = inspector.meter_curve.getData()
    assert np.allclose(shown, saved.loc[saved["row"] == row, "peak_kw"].to_numpy(dtype=float))
    assert "highest net power of each day" in inspector.power.plotItem.titleLabel.text


def test_without_series_the_inspector_says_how_to_get_them(main_window, quickstart_result, tmp_path):
    out = write_results(quickstart_result, tmp_path / "plain")
    assert main_window.open_path(out)
    main_window.inspector.select(int(main_window.inspector.listed[0]))
    title = main_window.inspector.power.plotItem.titleLabel.text
    assert "[output] household_series" in title and "run again" in title
    _, shown = main_window.inspector.meter_curve.getData()
    assert shown is None or len(shown) == 0
