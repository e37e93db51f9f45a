"""Long jobs report progress (and so an ETA): the hub stress replay, `plan`, and a Dask cluster's start-up.
Reporting changes no result."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from simulator.hub_stress.replay import run_hub_stress
from simulator.hub_stress.spec import load_hub_stress
from simulator.planning.seps import plan
from tests.conftest import small_scenario

SCENARIO = Path(__file__).parents[2] / "scenarios" / "upgrid_mhp_stress.toml"


def test_hub_stress_reports_simulated_time_and_gives_the_same_results():
    spec = load_hub_stress(SCENARIO)
    spec = spec.model_copy(
        update={
            **{k: t.model_copy(update={"rate_per_min": 3.0}) for k, t in spec.request_types().items()},
            "experiments": (),
        }
    )
    calls: list[tuple[float, float]] = []
    watched = run_hub_stress(spec, progress=lambda done, total: calls.append((done, total)))
    plain = run_hub_stress(spec)
    assert watched.kpis == plain.kpis  # running SimPy minute by minute changes nothing
    done = np.array([c[0] for c in calls])
    assert (np.diff(done) > 0).all() and done[-1] == calls[-1][1] and len(calls) >= spec.duration_s // 60


def test_plan_reports_the_baseline_then_each_substation():
    scenario = small_scenario(horizon_days=1)
    calls: list[tuple[int, int, str]] = []
    plan(scenario, progress=lambda done, total, what: calls.append((done, total, what)))
    phases = list(dict.fromkeys(what for _, _, what in calls))
    assert phases == ["baseline", "substations"]
    assert calls[-1] == (2, 2, "substations")
    assert (scenario.n_steps, scenario.n_steps, "baseline") in calls
