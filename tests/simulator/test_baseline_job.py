"""The baseline in a second process gives the very same result as the lockstep run."""

from __future__ import annotations

import pandas as pd

from simulator.runner import run
from tests.conftest import small_scenario


def test_parallel_baseline_is_bit_identical_to_lockstep():
    scenario = small_scenario(horizon_days=0.5)
    lockstep = run(scenario, parallel_baseline=False)
    parallel = run(scenario, parallel_baseline=True)
    pd.testing.assert_series_equal(pd.Series(parallel.kpis), pd.Series(lockstep.kpis))  # NaN-aware, exact
    for table in ("district", "substations", "agents", "events"):
        pd.testing.assert_frame_equal(getattr(parallel, table), getattr(lockstep, table))
    assert parallel.meta["phase_s"]["baseline"]["power_flow"] > 0
