"""Sharing Cities reference (seed 002): households reached by Lisbon's ambassadors use 30 % less in 6 months.

Seed 002 says only that the ambassadors "aimed to reduce energy consumption by 25%, but achieved 30%
within 6 months". We read it as: the households the ambassadors reached, over the sixth month, use 30 %
less electricity than the same households would have without the programme (the run's counterfactual
baseline: same seed, no levers, flat tariff). The shipped scenario runs here at 40 homes, 60-minute steps.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.runner import Simulation
from simulator.scenario import read_toml, scenario_from_dict
from tests.conftest import SCENARIOS

DAYS = 183  # six months from the scenario's start
MONTH_DAYS = 30


def _reached_and_others_cut_pct(days: int = DAYS) -> tuple[float, float, float]:
    """Month-6 consumption cut of reached and of other homes against their baseline [%], and the share reached."""
    data = read_toml(SCENARIOS / "lisbon_sharing_cities.toml")
    data.update(horizon_days=days, step_minutes=60)
    data["grid"].update(substations=2, households_per_substation=20)
    data.pop("buildings", None)  # the City Hall does not change the homes; faster without it
    sim = Simulation(scenario_from_dict(data))
    month_start = (days - MONTH_DAYS) * sim.scenario.steps_per_day
    while not sim.done:
        if sim.model.steps == month_start:
            run0 = sim.model.recorder.household["energy_kwh"].copy()
            base0 = sim.baseline.recorder.household["energy_kwh"].copy()
        sim.step()
    run = sim.model.recorder.household["energy_kwh"] - run0
    base = sim.baseline.recorder.household["energy_kwh"] - base0
    reached = sim.model.response.engagement.visited
    cut = [100 * (1 - run[m].sum() / base[m].sum()) for m in (reached, ~reached)]
    return cut[0], cut[1], float(np.mean(reached))


def test_homes_reached_by_ambassadors_use_30_pct_less_after_six_months():
    reached_pct, others_pct, share = _reached_and_others_cut_pct()
    assert reached_pct == pytest.approx(30.0, abs=3.0)  # seed 002: 30 % (target 25 %)
    assert reached_pct > 25.0
    assert abs(others_pct) < 3.0  # the homes not reached barely change
    assert 0.3 < share < 0.7  # 10 % of the rest a month: about half reached in six months
