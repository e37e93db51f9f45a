"""Physics and behaviour of a whole run: energy balance, agreement with pandapower, shifting, bills."""

from __future__ import annotations

import copy

import numpy as np
import pandapower as pp
import pytest

from simulator.model import CityModel
from tests.conftest import small_scenario


def test_energy_balance_closes_every_step(quickstart_result):
    for case in ("scenario", "baseline"):
        d = quickstart_result.case("district", case)
        assert d["converged"].all()
        # household consumption − PV + losses = import at the external grid
        lhs = d["load_kw"] - d["pv_kw"] + d["losses_kw"]
        np.testing.assert_allclose(lhs, d["import_kw"], rtol=1e-6)
        np.testing.assert_allclose(d["load_kw"] - d["pv_kw"], d["net_load_kw"], rtol=1e-9)


def test_grid_results_agree_with_direct_pandapower_runpp():
    model = CityModel(small_scenario(horizon_days=1))
    for _ in range(80):  # into the evening, with PV earlier in the day
        model.step()
    p_kw, q_kvar = model.loads(model.steps, model.steps % model.scenario.steps_per_day)
    report = model.grid.solve(p_kw, q_kvar)
    net = copy.deepcopy(model.grid.net)
    rows = net.load.index[: model.population.n]
    net.load.loc[rows, "p_mw"] = p_kw / 1000
    net.load.loc[rows, "q_mvar"] = q_kvar / 1000
    pp.runpp(net)
    assert report.ext_grid_p_kw == pytest.approx(net.res_ext_grid.p_mw.sum() * 1000, rel=1e-6)
    np.testing.assert_allclose(report.household_vm_pu, net.res_bus.vm_pu.loc[model.grid.household_bus], atol=1e-6)
    np.testing.assert_allclose(np.sort(report.trafo_loading_pct), np.sort(net.res_trafo.loading_percent), atol=1e-4)


def test_same_households_in_run_and_baseline(quickstart_result):
    agents = quickstart_result.agents
    # the baseline pays the flat tariff for the same consumption profile apart from shifting
    assert len(agents) == 150
    assert (agents["bill_eur"] > 0).all() and (agents["baseline_bill_eur"] > 0).all()


def test_hems_and_tou_lower_the_peak(quickstart_result):
    k = quickstart_result.kpis
    assert k["energy_shifted_kwh"] > 0
    assert k["peak_kw"] < k["baseline_peak_kw"]
    assert k["peak_reduction_pct"] > 0


def test_energy_is_conserved_up_to_what_moved_past_the_horizon_or_was_saved(quickstart_result):
    meta = quickstart_result.meta
    after = meta["energy_after_horizon_kwh"]
    d = quickstart_result.district
    h = quickstart_result.scenario.step_h
    saved = quickstart_result.agents["saved_kwh"].sum()  # cut by people and HEMS in dear hours (behaviour)
    run_load = d.loc[d.case == "scenario", "load_kw"].sum() * h + after["scenario"] + saved
    base_load = d.loc[d.case == "baseline", "load_kw"].sum() * h + after["baseline"]
    assert run_load == pytest.approx(base_load, rel=1e-9)


def test_no_demand_response_without_hems_or_price_difference():
    flat_everywhere = small_scenario()
    flat_everywhere = flat_everywhere.model_copy(
        update={"retailers": (flat_everywhere.retailers[0].model_copy(update={"tariff": "simples"}),)}
    )
    from simulator.runner import run

    result = run(flat_everywhere)
    assert result.kpis["energy_shifted_kwh"] == 0
    assert result.kpis["peak_reduction_pct"] == pytest.approx(0, abs=1e-9)
    run_d, base_d = result.case("district"), result.case("district", "baseline")
    np.testing.assert_allclose(run_d["import_kw"], base_d["import_kw"], rtol=1e-12)


def test_bills_are_energy_times_price():
    model = CityModel(small_scenario(horizon_days=1))
    while model.running:
        model.step()
    # standing charges are zero in the quickstart; the bill is imported kWh × its step's price, plus the energy
    # planned past the last step at its planned slot's price
    assert model.bill_eur.sum() > 0
    cheapest, dearest = model.prices.min(), model.prices.max()
    imported = model.recorder.household["import_kwh"] + model.recorder.household["deferred_kwh"]
    assert (model.bill_eur >= imported * cheapest - 1e-9).all()
    assert (model.bill_eur <= imported * dearest + 1e-9).all()


def test_a_simbench_grid_scenario_runs_end_to_end():
    from simulator.runner import run

    scenario = small_scenario(horizon_days=0.5, grid={"kind": "simbench", "code": "1-LV-semiurb4--0-sw"})
    result = run(scenario)
    d = result.case("district")
    assert len(result.agents) == 32  # the grid's H0 (household) loads
    assert d["converged"].all()
    np.testing.assert_allclose(d["net_load_kw"] + d["losses_kw"], d["import_kw"], rtol=1e-6)
