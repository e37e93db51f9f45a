"""The grid's power flow: the Z-bus fast path agrees with pandapower's runpp, energy balances, failures are reports."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandapower as pp
import pandapower.topology as top
import pytest

from simulator.grid.build import build_synthetic
from simulator.grid.grid import Grid, GridNotConverged, GridReport, build_grid
from simulator.grid.powerflow import PandapowerFlow
from simulator.grid.powerflow_zbus import ZbusFlow
from simulator.grid.spec import SimbenchGridSpec, SyntheticGridSpec

SIMBENCH_CODES = ["1-LV-semiurb4--0-sw", "1-LV-urban6--0-sw", "1-LV-rural1--0-sw"]


def _injections(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Household power [kW, kvar]: mostly consumption, about a quarter exporting PV."""
    p_kw = rng.uniform(-4.0, 9.0, n)
    q_kvar = 0.3 * p_kw.clip(min=0) + rng.normal(0.0, 0.2, n)
    return p_kw, q_kvar


def _meshed_grid() -> Grid:
    """Two substations on two MV feeders; an LV line joins two feeder ends and an MV line closes a ring."""
    spec = SyntheticGridSpec(substations=4, mv_feeders=2, households_per_substation=12, lv_feeders_per_substation=3)
    layout = build_synthetic(spec)
    net = layout.net
    hh = net.load["bus"].to_numpy()
    ss0_feeder = layout.household_feeder[:12]
    end_a, end_b = hh[:12][ss0_feeder == 0][-1], hh[:12][ss0_feeder == 1][-1]
    pp.create_line(net, end_a, end_b, 0.05, spec.lv_line_type, name="LV loop")
    mv_ends = net.trafo["hv_bus"].to_numpy()[[2, 3]]  # the last substation on each MV feeder
    pp.create_line(net, mv_ends[0], mv_ends[1], 0.6, spec.mv_line_type, name="MV ring")
    return Grid.from_layout(layout, power_flow="zbus")


GRID_CASES = {
    "synthetic small": lambda: build_grid(SyntheticGridSpec(substations=3, mv_feeders=2, households_per_substation=20)),
    "synthetic 200x70": lambda: build_grid(
        SyntheticGridSpec(substations=200, mv_feeders=10, households_per_substation=70)
    ),
    "synthetic meshed": _meshed_grid,
    **{code: (lambda code=code: build_grid(SimbenchGridSpec(kind="simbench", code=code))) for code in SIMBENCH_CODES},
}


@pytest.fixture(scope="module", params=list(GRID_CASES))
def grid(request: pytest.FixtureRequest) -> Grid:
    return GRID_CASES[request.param]()


def test_auto_backend_is_zbus(grid: Grid) -> None:
    assert grid.backend == "zbus"


def test_zbus_agrees_with_runpp_on_every_element(grid: Grid) -> None:
    rng = np.random.default_rng(20240611)
    fast, reference = ZbusFlow(grid.net), PandapowerFlow(grid.net)
    for _ in range(3):  # consecutive steps exercise both warm starts
        p_kw, q_kvar = _injections(rng, grid.n_households)
        a = fast.run(p_kw, q_kvar)
        b = reference.run(p_kw, q_kvar)
        assert a is not None
        np.testing.assert_allclose(a.vm_pu, b.vm_pu, rtol=0, atol=1e-6)
        np.testing.assert_allclose(a.line_loading_pct, b.line_loading_pct, rtol=0, atol=1e-4)
        np.testing.assert_allclose(a.trafo_loading_pct, b.trafo_loading_pct, rtol=0, atol=1e-4)
        np.testing.assert_allclose(a.trafo_p_hv_mw, b.trafo_p_hv_mw, rtol=1e-6, atol=1e-9)
        assert a.ext_grid_p_mw == pytest.approx(b.ext_grid_p_mw, rel=1e-6)
        assert a.ext_grid_q_mvar == pytest.approx(b.ext_grid_q_mvar, rel=1e-5, abs=1e-8)
        assert a.losses_mw == pytest.approx(b.losses_mw, rel=1e-5)


def test_grid_reports_agree_between_backends(grid: Grid) -> None:
    rng = np.random.default_rng(7)
    fallbacks = grid.zbus_fallbacks
    for _ in range(2):
        p_kw, q_kvar = _injections(rng, grid.n_households)
        a, b = grid.solve(p_kw, q_kvar), grid.solve_reference(p_kw, q_kvar)
        assert a.converged and b.converged and a.cause == b.cause == ""
        np.testing.assert_allclose(a.household_vm_pu, b.household_vm_pu, rtol=0, atol=1e-6)
        for name in ("vm_min_pu", "vm_max_pu", "substation_vm_min_pu", "substation_vm_max_pu"):
            np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=0, atol=1e-6)
        for name in ("trafo_loading_pct", "line_loading_pct_max", "substation_line_loading_pct_max"):
            np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=0, atol=1e-4)
        np.testing.assert_allclose(a.trafo_p_kw, b.trafo_p_kw, rtol=1e-6, atol=1e-6)
        assert a.ext_grid_p_kw == pytest.approx(b.ext_grid_p_kw, rel=1e-6)
    assert grid.zbus_fallbacks == fallbacks


@pytest.mark.parametrize("backend", ["zbus", "pandapower"])
def test_energy_balance(grid: Grid, backend: str) -> None:
    p_kw, q_kvar = _injections(np.random.default_rng(3), grid.n_households)
    solve = grid.solve if backend == "zbus" else grid.solve_reference
    report = solve(p_kw, q_kvar)
    assert report.converged
    assert report.losses_kw > 0
    assert p_kw.sum() + report.losses_kw == pytest.approx(report.ext_grid_p_kw, rel=1e-6)
    assert report.trafo_p_kw.sum() == pytest.approx(
        p_kw.sum() + report.losses_kw, rel=0.05
    )  # the MV cables lose little


def test_report_shapes(grid: Grid) -> None:
    report = grid.solve(*_injections(np.random.default_rng(1), grid.n_households))
    n_ss = len(grid.substation_names)
    for name in ("trafo_p_kw", "trafo_loading_pct", "substation_line_loading_pct_max", "substation_vm_min_pu"):
        assert getattr(report, name).shape == (n_ss,)
    assert report.household_vm_pu.shape == (grid.n_households,)
    assert np.isfinite(report.substation_vm_min_pu).all()
    assert report.vm_min_pu <= report.substation_vm_min_pu.min() <= report.household_vm_pu.min()
    assert report.line_loading_pct_max == pytest.approx(report.substation_line_loading_pct_max.max())


def test_meshed_case_is_meshed() -> None:
    grid = _meshed_grid()
    assert len(nx.cycle_basis(nx.Graph(top.create_nxgraph(grid.net, include_trafos=True)))) == 2


@pytest.fixture(scope="module")
def small() -> dict[str, Grid]:
    spec = SyntheticGridSpec(substations=2, households_per_substation=10)
    return {b: build_grid(spec.model_copy(update={"power_flow": b})) for b in ("zbus", "pandapower")}


@pytest.mark.parametrize("backend", ["zbus", "pandapower"])
def test_non_convergence_is_a_report_not_an_exception(small: dict[str, Grid], backend: str) -> None:
    grid = small[backend]
    assert grid.backend == backend
    absurd_kw = np.full(grid.n_households, 5000.0)  # 5 MW per household
    report = grid.solve(absurd_kw, np.zeros(grid.n_households))
    assert isinstance(report, GridReport)
    assert not report.converged
    assert "did not converge" in report.cause
    assert np.isnan(report.ext_grid_p_kw) and np.isnan(report.household_vm_pu).all()
    assert report.trafo_loading_pct.shape == (2,)
    if backend == "zbus":
        assert grid.zbus_fallbacks >= 1
    recovered = grid.solve(np.full(grid.n_households, 2.0), np.zeros(grid.n_households))
    assert recovered.converged


def test_non_finite_power_is_a_report(small: dict[str, Grid]) -> None:
    p_kw = np.ones(small["zbus"].n_households)
    p_kw[3] = np.nan
    report = small["zbus"].solve(p_kw, np.zeros_like(p_kw))
    assert not report.converged and "not finite" in report.cause


def test_wrong_shape_is_a_programming_error(small: dict[str, Grid]) -> None:
    with pytest.raises(ValueError, match="shape"):
        small["zbus"].solve(np.zeros(3), np.zeros(3))


def test_unknown_backend_is_named() -> None:
    layout = build_synthetic(SyntheticGridSpec(substations=1, households_per_substation=2))
    with pytest.raises(ValueError, match="'newton' is not a valid power-flow backend"):
        Grid.from_layout(layout, power_flow="newton")


def test_not_converged_event_records_step_and_cause() -> None:
    event = GridNotConverged(step=96, cause="power flow did not converge")
    assert (event.step, event.cause) == (96, "power flow did not converge")
