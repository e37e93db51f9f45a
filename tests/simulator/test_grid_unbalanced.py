"""Unbalanced three-phase LV (`[grid.unbalanced]`): single-phase households, pandapower's runpp_3ph."""

from __future__ import annotations

import copy

import numpy as np
import pandapower as pp
import pytest
import tomli_w

from simulator.grid.build import build_synthetic
from simulator.grid.grid import Grid
from simulator.grid.spec import SyntheticGridSpec, UnbalancedSpec
from simulator.model import CityModel
from simulator.scenario import load_scenario, read_toml
from tests.simulator.test_grid_import import OWN_GRID

SPEC = SyntheticGridSpec(substations=1, households_per_substation=12, lv_feeders_per_substation=3)


def _power(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    p = np.random.default_rng(seed).uniform(0.2, 6.0, n)
    return p, p * 0.33


def _grid(**kw) -> Grid:
    return Grid.from_layout(build_synthetic(SPEC), **kw)


def test_load_spread_evenly_over_the_phases_gives_runpp_s_answer():
    with pytest.warns(UserWarning, match="assumed zero-sequence data"):
        unbalanced = Grid(build_synthetic(SPEC).net, unbalanced=UnbalancedSpec(), three_phase_rows=np.arange(12))
    p, q = _power(12)
    three, balanced = unbalanced.solve(p, q), unbalanced.solve_reference(p, q)
    assert unbalanced.backend == "pandapower_3ph" and three.converged
    np.testing.assert_allclose(three.household_vm_pu, balanced.household_vm_pu, atol=1e-6)
    assert three.ext_grid_p_kw == pytest.approx(balanced.ext_grid_p_kw, rel=1e-6)
    assert three.losses_kw == pytest.approx(balanced.losses_kw, rel=1e-5)
    np.testing.assert_allclose(three.trafo_loading_pct, balanced.trafo_loading_pct, atol=1e-4)


def test_single_phase_households_agree_with_runpp_3ph_on_the_same_connections():
    with pytest.warns(UserWarning):
        grid = _grid(unbalanced=UnbalancedSpec())
    p, q = _power(12, seed=1)
    report = grid.solve(p, q)
    # the same net and connections built by hand: household i on phase a, b, c in turn
    net = copy.deepcopy(grid._three_phase.net)
    net.asymmetric_load = net.asymmetric_load.iloc[0:0]
    for i, bus in enumerate(grid.household_bus):
        phase = "abc"[i % 3]
        pp.create_asymmetric_load(net, int(bus), **{f"p_{phase}_mw": p[i] / 1000, f"q_{phase}_mvar": q[i] / 1000})
    pp.runpp_3ph(net)
    own = net.res_bus_3ph.loc[grid.household_bus, [f"vm_{'abc'[i % 3]}_pu" for i in range(3)]].to_numpy()
    np.testing.assert_allclose(report.household_vm_pu, own[np.arange(12), np.arange(12) % 3], atol=1e-9)
    imported = sum(net.res_ext_grid_3ph[f"p_{ph}_mw"].sum() for ph in "abc") * 1000
    assert report.ext_grid_p_kw == pytest.approx(imported, rel=1e-9)


def test_single_phase_connections_drop_the_voltage_more_than_a_balanced_flow():
    with pytest.warns(UserWarning):
        grid = _grid(unbalanced=UnbalancedSpec())
    p, q = np.full(12, 5.0), np.full(12, 1.5)
    three, balanced = grid.solve(p, q), grid.solve_reference(p, q)
    assert three.vm_min_pu < balanced.vm_min_pu - 1e-3  # each phase carries its households' whole load
    assert three.losses_kw > balanced.losses_kw
    assert three.vm_max_pu > three.vm_min_pu


def test_a_scenario_with_unbalanced_lv_runs(tmp_path):
    data = read_toml(OWN_GRID)
    data["grid"]["unbalanced"] = {"line_r0_over_r1": 3.0, "source": "assumption: test"}
    data["grid"]["path"] = str(OWN_GRID.parent / data["grid"]["path"])
    (tmp_path / "s.toml").write_text(tomli_w.dumps(data))
    with pytest.warns(UserWarning, match="assumption: test"):
        model = CityModel(load_scenario(tmp_path / "s.toml"))
    for _ in range(4):
        model.step()
    assert model.grid.backend == "pandapower_3ph"
    assert not model.grid_events
    assert set(model.grid.household_phase) == {0, 1, 2}
