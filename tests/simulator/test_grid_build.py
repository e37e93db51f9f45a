"""Building the networks: counts, household placement and connectivity, for synthetic and SimBench grids."""

from __future__ import annotations

import numpy as np
import pandapower.topology as top
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.grid.build import build_simbench, build_synthetic
from simulator.grid.grid import Grid, build_grid
from simulator.grid.spec import SimbenchGridSpec, SyntheticGridSpec

BASE_SPEC = SyntheticGridSpec()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    substations=st.integers(1, 4),
    mv_feeders=st.integers(1, 4),
    lv_feeders=st.integers(1, 4),
    households=st.integers(1, 30),
)
def test_synthetic_grid_builds_with_the_right_counts(
    substations: int, mv_feeders: int, lv_feeders: int, households: int
) -> None:
    # model_copy skips the validators: SyntheticGridSpec's std-type checks create three empty nets (~0.3 s)
    spec = BASE_SPEC.model_copy(
        update={
            "substations": substations,
            "mv_feeders": mv_feeders,
            "lv_feeders_per_substation": lv_feeders,
            "households_per_substation": households,
        }
    )
    grid = build_grid(spec)
    net = grid.net
    n_hh = substations * households
    assert grid.n_households == len(net.load) == n_hh
    assert len(net.trafo) == len(grid.substation_names) == substations
    assert len(net.ext_grid) == 1
    assert len(net.bus) == 1 + 2 * substations + n_hh  # primary, MV + LV busbar per substation, one per household
    assert len(net.line) == len(net.bus) - 1 - substations  # radial: a tree once the trafos are counted
    assert (net.load["name"] == [f"hh{r}" for r in range(n_hh)]).all()
    assert len(set(grid.household_bus)) == n_hh
    np.testing.assert_array_equal(grid.household_substation, np.arange(n_hh) // households)
    assert grid.household_feeder.min() >= 0 and grid.household_feeder.max() < lv_feeders
    per_feeder = np.bincount(grid.household_feeder[:households], minlength=min(lv_feeders, households))
    assert per_feeder.max() - per_feeder.min() <= 1  # round robin
    assert not set(grid.household_bus) & top.unsupplied_buses(net)
    assert net.bus.loc[grid.household_bus, "vn_kv"].eq(0.4).all()
    assert net.bus["geo"].notna().all()


def test_synthetic_mv_feeders_are_chained_round_robin() -> None:
    layout = build_synthetic(SyntheticGridSpec(substations=5, mv_feeders=2, households_per_substation=1))
    net = layout.net
    mv_lines = net.line[net.line["name"].str.endswith("MV in")]
    upstream_of = dict(zip(mv_lines["to_bus"], mv_lines["from_bus"], strict=True))
    hv = net.trafo["hv_bus"].to_numpy()
    primary = net.ext_grid["bus"].iat[0]
    assert [upstream_of[b] for b in hv] == [primary, primary, hv[0], hv[1], hv[2]]
    assert mv_lines["length_km"].eq(0.4).all()


def test_slack_voltage_is_the_spec() -> None:
    grid = build_grid(SyntheticGridSpec(substations=1, households_per_substation=3, slack_vm_pu=1.03))
    report = grid.solve(np.zeros(3), np.zeros(3))
    assert report.vm_max_pu == pytest.approx(1.03)


@pytest.mark.parametrize(
    ("code", "n_households", "n_feeders"),
    [("1-LV-semiurb4--0-sw", 32, 3), ("1-LV-urban6--0-sw", 102, 7), ("1-LV-rural1--0-sw", 3, 4)],
)
def test_simbench_households_are_its_h0_loads(code: str, n_households: int, n_feeders: int) -> None:
    spec = SimbenchGridSpec(kind="simbench", code=code, slack_vm_pu=1.0)
    layout = build_simbench(spec)
    net = layout.net
    assert len(net.load) == n_households
    assert net.load["profile"].str.startswith("H0").all()
    assert (net.load[["p_mw", "q_mvar"]] == 0).all().all()
    assert len(net.sgen) == len(net.storage) == 0 and not net.profiles
    assert (net.ext_grid["vm_pu"] == 1.0).all()
    assert layout.substation_names == list(net.trafo["name"])
    assert layout.household_feeder.max() < n_feeders
    grid = Grid.from_layout(layout)
    assert (grid.household_substation == 0).all()
    assert not set(grid.household_bus) & top.unsupplied_buses(net)


def test_simbench_builds_do_not_share_a_net() -> None:
    spec = SimbenchGridSpec(kind="simbench", code="1-LV-rural1--0-sw")
    first, second = build_simbench(spec), build_simbench(spec)
    first.net.load["p_mw"] = 1.0
    assert (second.net.load["p_mw"] == 0).all()
