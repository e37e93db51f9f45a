"""Your own network: pandapower JSON/Excel, MATPOWER and SimBench MV grids run end to end and agree with `runpp`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandapower as pp
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.errors import DataError, ScenarioError
from simulator.grid.importer import (
    SIMBENCH_LV_CODES,
    SIMBENCH_LV_HOUSEHOLDS,
    expand_loads,
    households_per_load,
    read_net_file,
    simbench_net,
)
from simulator.model import CityModel
from simulator.scenario import load_scenario, read_toml, scenario_from_dict

ROOT = Path(__file__).resolve().parents[2]
KERBER = ROOT / "scenarios" / "data" / "grids" / "kerber_landnetz_kabel_1"
OWN_GRID = ROOT / "scenarios" / "own_grid.toml"


def _scenario(grid: dict, tmp_path: Path, **top):
    data = read_toml(OWN_GRID) | {"horizon_days": 1} | top
    data["grid"] = grid
    path = tmp_path / "s.toml"
    path.write_text(tomli_w.dumps(data))
    return load_scenario(path)


def _first_step(scenario):
    """Run one step; return the households' power the grid got and the grid's report."""
    model = CityModel(scenario)
    seen = {}
    solve = model.grid.solve

    def spy(p_kw, q_kvar):
        seen.setdefault("pq", (p_kw.copy(), q_kvar.copy()))
        seen.setdefault("report", solve(p_kw, q_kvar))
        return seen["report"]

    model.grid.solve = spy
    model.step()
    return model, *seen["pq"], seen["report"]


def _reference(original: pp.pandapowerNet, model, p_kw, q_kvar) -> pp.pandapowerNet:
    """The file's own net, each load carrying the sum of its households' power, solved by pandapower's runpp."""
    net = original
    source = model.grid.net.load["source_load"].to_numpy()
    net.load["p_mw"] = 0.0
    net.load["q_mvar"] = 0.0
    p = np.bincount(net.load.index.get_indexer(source), p_kw / 1000, minlength=len(net.load))
    q = np.bincount(net.load.index.get_indexer(source), q_kvar / 1000, minlength=len(net.load))
    net.load["p_mw"], net.load["q_mvar"] = p, q
    net.load["in_service"] = True
    net.ext_grid["vm_pu"] = model.grid.net.ext_grid["vm_pu"].to_numpy()  # the scenario's slack set-point
    for element in ("sgen", "gen", "storage"):
        net[element] = net[element].iloc[0:0]
    pp.runpp(net, voltage_depend_loads=False, trafo_loading="current", numba=False)
    return net


def _agree(model, report, reference: pp.pandapowerNet) -> None:
    assert report.converged
    assert report.ext_grid_p_kw == pytest.approx(reference.res_ext_grid["p_mw"].sum() * 1000, rel=1e-6, abs=1e-6)
    vm = reference.res_bus["vm_pu"].reindex(model.grid.household_bus).to_numpy()
    np.testing.assert_allclose(report.household_vm_pu, vm, atol=1e-6)
    np.testing.assert_allclose(report.trafo_loading_pct, reference.res_trafo["loading_percent"], atol=1e-4)


def test_a_pandapower_json_grid_runs_and_its_first_step_agrees_with_runpp(tmp_path):
    scenario = load_scenario(OWN_GRID)
    model, p_kw, q_kvar, report = _first_step(scenario)
    original = pp.from_json(str(KERBER.with_suffix(".json")))
    assert model.grid.n_households == len(original.load)  # one household per load
    assert p_kw.sum() > 0
    _agree(model, report, _reference(original, model, p_kw, q_kvar))


def test_an_excel_net_is_the_same_grid(tmp_path):
    pp.to_excel(pp.from_json(str(KERBER.with_suffix(".json"))), str(tmp_path / "kerber.xlsx"))
    json_grid = _first_step(load_scenario(OWN_GRID))
    xlsx_grid = _first_step(_scenario({"kind": "file", "path": str(tmp_path / "kerber.xlsx")}, tmp_path))
    np.testing.assert_allclose(json_grid[3].household_vm_pu, xlsx_grid[3].household_vm_pu, atol=1e-9)


def test_a_matpower_case_agrees_with_runpp_on_the_converted_net(tmp_path):
    from pandapower.converter.matpower import from_mpc

    spec = {"kind": "file", "path": str(KERBER.with_suffix(".m")), "f_hz": 50}
    model, p_kw, q_kvar, report = _first_step(_scenario(spec, tmp_path))
    assert model.grid.n_households == 8 and len(model.grid.net.trafo) == 1
    _agree(model, report, _reference(from_mpc(str(KERBER.with_suffix(".m")), f_hz=50), model, p_kw, q_kvar))


@pytest.mark.slow
def test_a_simbench_mv_grid_runs_and_its_first_step_agrees_with_runpp(tmp_path):
    code = "1-MV-rural--0-sw"
    scenario = _scenario({"kind": "simbench", "code": code}, tmp_path)
    model, p_kw, q_kvar, report = _first_step(scenario)
    original = simbench_net(code)
    # H0 loads are one household; an aggregated LV grid is as many as that grid has H0 loads; others none
    expected = sum(
        1 if str(p).startswith("H0") else SIMBENCH_LV_HOUSEHOLDS.get(str(p), 0) for p in original.load["profile"]
    )
    assert model.grid.n_households == expected > 1000
    reference = _reference(original, model, p_kw, q_kvar)
    kept = original.load.index.isin(model.grid.net.load["source_load"])
    assert (reference.load.loc[~kept, "p_mw"] == 0).all()  # commercial and agricultural loads carry nothing
    _agree(model, report, reference)


@pytest.mark.slow
@pytest.mark.parametrize("profile", sorted(SIMBENCH_LV_HOUSEHOLDS))
def test_an_aggregated_simbench_lv_load_stands_for_that_lv_grids_households(profile):
    lv = simbench_net(SIMBENCH_LV_CODES[profile])
    assert SIMBENCH_LV_HOUSEHOLDS[profile] == lv.load["profile"].str.startswith("H0").sum()
    mv = simbench_net("1-MV-rural--0-sw" if "rural" in profile else "1-MV-semiurb--0-sw")
    aggregated = mv.load.loc[mv.load["profile"] == profile, "p_mw"]
    if len(aggregated):  # SimBench gives the aggregated load the LV grid's summed load
        assert aggregated.iloc[0] == pytest.approx(lv.load["p_mw"].sum())


@settings(max_examples=25, deadline=None)
@given(
    p_kw=st.lists(st.floats(0, 500, allow_nan=False), min_size=1, max_size=30),
    peak_kw=st.floats(0.5, 20),
)
def test_by_peak_gives_every_load_at_least_one_household_and_keeps_them_at_its_bus(p_kw, peak_kw):
    net = pp.create_empty_network()
    buses = pp.create_buses(net, len(p_kw), 0.4)
    pp.create_loads(net, buses, p_mw=np.array(p_kw) / 1000, name=[f"l{i}" for i in range(len(p_kw))])
    counts = households_per_load(net.load["p_mw"].to_numpy(), peak_kw)
    assert (counts >= 1).all()
    assert (np.abs(counts - np.array(p_kw) / peak_kw) <= 0.5 + 1e-9)[np.array(p_kw) / peak_kw >= 1].all()
    expanded = expand_loads(net, counts)
    assert len(expanded.load) == counts.sum()
    assert expanded.load["name"].is_unique
    assert (expanded.load.groupby("source_load")["bus"].nunique() == 1).all()
    assert (expanded.load["p_mw"] == 0).all()


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ({"kind": "file", "path": "nowhere.json"}, "nowhere.json: file not found"),
        ({"kind": "file", "path": "net.csv"}, "must end in one of .json, .xlsx, .m, .mat"),
        ({"kind": "file", "path": str(KERBER) + ".json", "households": "by_peak"}, "needs household_peak_kw"),
        ({"kind": "simbench", "code": "1-HV-mixed--0-sw"}, "unknown SimBench LV or MV code"),
    ],
)
def test_bad_grid_sections_name_the_key_and_what_is_allowed(grid, message, tmp_path):
    data = read_toml(OWN_GRID) | {"grid": grid}
    with pytest.raises(ScenarioError, match=message):
        scenario_from_dict(data, source="s.toml", base_dir=tmp_path)


def test_a_net_without_a_transformer_is_refused_with_the_reason(tmp_path):
    net = pp.create_empty_network()
    b = pp.create_buses(net, 2, 0.4)
    pp.create_ext_grid(net, b[0])
    pp.create_line(net, b[0], b[1], 0.1, "NAYY 4x150 SE")
    pp.create_load(net, b[1], 0.003)
    pp.to_json(net, str(tmp_path / "no_trafo.json"))
    with pytest.raises(DataError, match="no transformer"):
        CityModel(_scenario({"kind": "file", "path": str(tmp_path / "no_trafo.json")}, tmp_path))


def test_a_corrupt_file_is_a_data_error_naming_it(tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(DataError, match=r"bad\.json: cannot read as a \.json network"):
        CityModel(_scenario({"kind": "file", "path": str(tmp_path / "bad.json")}, tmp_path))


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=200), suffix=st.sampled_from([".json", ".m"]))
def test_any_text_as_a_network_file_is_a_net_or_one_data_error(text, suffix, tmp_path_factory):
    path = tmp_path_factory.mktemp("net") / f"any{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        net = read_net_file(path)
    except DataError as exc:
        assert str(path) in str(exc)
    else:
        assert isinstance(net, pp.pandapowerNet)
