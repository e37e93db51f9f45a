"""Tertiary buildings in a run: loads on the grid, energy balance, agreement with pandapower, BEM effect."""

from __future__ import annotations

import copy

import numpy as np
import pandapower as pp
import pytest

from simulator.model import CityModel
from simulator.runner import run
from tests.conftest import small_scenario

BUILDINGS = [
    {"name": "City Hall", "kind": "municipal", "annual_kwh": 400000, "substation": 0, "pv_kwp": 60, "ev_chargers": 6},
    {"name": "School", "kind": "school", "count": 2, "annual_kwh": 80000, "pv_kwp": 20},
]


@pytest.fixture(scope="module")
def result():
    return run(small_scenario(horizon_days=1, start="2016-01-12", buildings=BUILDINGS))


def test_buildings_close_the_energy_balance(result):
    for case in ("scenario", "baseline"):
        d = result.case("district", case)
        np.testing.assert_allclose(d["load_kw"] - d["pv_kw"] + d["losses_kw"], d["import_kw"], rtol=1e-6)
        assert (d["buildings_kw"] > 0).all()
    assert result.kpis["buildings_energy_kwh"] > 400000 / 365 * 0.5


def test_bem_lowers_the_buildings_peak_on_a_tou_tariff(result):
    assert result.kpis["buildings_peak_reduction_pct"] > 0
    assert 0 < result.kpis["buildings_pv_self_consumption_pct"] <= 100


def test_building_loads_agree_with_direct_runpp():
    model = CityModel(small_scenario(horizon_days=1, buildings=BUILDINGS))
    for _ in range(50):
        model.step()
    k, in_day = model.steps, model.steps % model.scenario.steps_per_day
    p_kw, q_kvar = model.loads(k, in_day)  # households, then buildings
    report = model.grid.solve(p_kw, q_kvar)
    net = copy.deepcopy(model.grid.net)
    net.load["p_mw"] = p_kw / 1000
    net.load["q_mvar"] = q_kvar / 1000
    pp.runpp(net)
    assert len(net.load) == model.population.n + 3
    assert report.ext_grid_p_kw == pytest.approx(net.res_ext_grid.p_mw.sum() * 1000, rel=1e-6)
