"""District planning: hosting capacity agrees with a direct pandapower check at the limit it reports."""

from __future__ import annotations

import copy

import numpy as np
import pandapower as pp
import pandas as pd
import pytest

from simulator.cli.commands import main
from simulator.grid.build import substation_of_buses
from simulator.model import CityModel
from simulator.planning.seps import baseline_with_midday_state, hosting_capacity_kw, shaved_kw, with_injection
from simulator.scenario import scenario_from_dict
from tests.conftest import SCENARIOS, quickstart_dict, small_scenario


def _violated_in_pandapower(grid, state, substation, band):
    net = copy.deepcopy(grid.net)
    net.load["p_mw"] = state.p_kw / 1000
    net.load["q_mvar"] = state.q_kvar / 1000
    pp.runpp(net)
    own = substation_of_buses(net) == substation
    lines = own[net.bus.index.get_indexer(net.line["from_bus"])]
    return bool(
        net.res_bus["vm_pu"].max() > 1 + band
        or net.res_bus["vm_pu"][own].max() > 1 + band
        or net.res_trafo["loading_percent"].iloc[substation] > 100
        or net.res_line["loading_percent"][lines].max() > 100
    )


@pytest.mark.parametrize("long_feeders", [False, True])
def test_hosting_capacity_agrees_with_direct_runpp_at_its_limit(long_feeders):
    grid_spec = {"kind": "synthetic", "substations": 2, "households_per_substation": 40, "lv_feeders_per_substation": 2,
                 "transformer_type": "0.63 MVA 20/0.4 kV", "lv_line_type": "NAYY 4x50 SE",
                 "lv_section_m": 60 if long_feeders else 20}  # fmt: skip
    scenario = small_scenario(horizon_days=1, grid=grid_spec)
    model, state, _ = baseline_with_midday_state(scenario)
    band = scenario.dso.voltage_band_pct / 100
    for s in range(2):
        cap_kw, limit = hosting_capacity_kw(model.grid, state, s, band)
        assert 0 < cap_kw < 1e5 and limit
        assert not _violated_in_pandapower(model.grid, with_injection(model.grid, state, s, cap_kw * 0.995), s, band)
        assert _violated_in_pandapower(model.grid, with_injection(model.grid, state, s, cap_kw * 1.005), s, band)


def test_battery_shaving_respects_energy_and_power():
    p = np.tile(np.r_[np.full(80, 10.0), np.full(16, 30.0)], 2)  # 4 h evening peak of 20 kW over the base
    assert shaved_kw(p, 96, 0.25, energy_kwh=40.0, power_kw=100.0) == pytest.approx(10.0, rel=1e-6)
    assert shaved_kw(p, 96, 0.25, energy_kwh=1000.0, power_kw=5.0) == pytest.approx(5.0, rel=1e-6)


def test_plan_cli_prints_and_writes_the_table(tmp_path, capsys):
    text = (SCENARIOS / "quickstart.toml").read_text().replace("horizon_days = 2", "horizon_days = 1")
    (tmp_path / "q.toml").write_text(text)
    code = main(["plan", str(tmp_path / "q.toml"), "--out", str(tmp_path / "plan.csv")])
    out = capsys.readouterr().out
    assert code == 0 and "pv_hosting_kwp" in out and (tmp_path / "plan.csv").is_file()


def test_plan_cli_writes_the_table_and_a_self_contained_html_report(tmp_path, capsys):
    text = (SCENARIOS / "quickstart.toml").read_text().replace("horizon_days = 2", "horizon_days = 1")
    (tmp_path / "q.toml").write_text(text)
    assert main(["plan", str(tmp_path / "q.toml"), "--out", str(tmp_path / "plan")]) == 0
    capsys.readouterr()
    table = pd.read_csv(tmp_path / "plan" / "plan.csv")
    page = (tmp_path / "plan" / "plan.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "PV hosting capacity [kWp]" in page
    assert all(str(name) in page for name in table["substation"])
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")  # no external assets


def test_plan_judges_hosting_capacity_on_the_years_worst_case_not_on_the_first_day():
    from simulator.planning.seps import plan

    winter = scenario_from_dict(quickstart_dict(start="2016-01-12", horizon_days=1))
    summer = scenario_from_dict(quickstart_dict(start="2016-06-14", horizon_days=1))
    a, b = plan(winter).set_index("substation"), plan(summer).set_index("substation")
    # the same households, judged on the same midsummer Sunday, whichever week the scenario runs
    pd.testing.assert_series_equal(a["pv_hosting_kwp"], b["pv_hosting_kwp"])
    # and less PV fits than the winter week's first midday would have said
    _, state, step = baseline_with_midday_state(winter)
    model = CityModel(winter, demand_response=False)
    per_kwp = float(model.pv_kw_per_kwp[0, step])
    first_day_kwp = hosting_capacity_kw(model.grid, state, 0, winter.dso.voltage_band_pct / 100)[0] / per_kwp
    assert a.loc[model.grid.substation_names[0], "pv_hosting_kwp"] < first_day_kwp
