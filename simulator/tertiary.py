"""Tertiary buildings on the city's grid, and the arrays their fleet reads (`agents.buildings.fleet`).

Each building is an extra pandapower load on the LV busbar of its substation, appended after the
households, so `Grid.solve` takes households then buildings in one vector.
"""

from __future__ import annotations

import numpy as np
import pandapower as pp
import pandas as pd

from agents.buildings.spec import BuildingSpec
from simulator.errors import ScenarioError
from simulator.grid.build import build_layout
from simulator.grid.grid import Grid
from simulator.grid.spec import GridSpec, SyntheticGridSpec
from simulator.profiles import annual_full_load_hours, on_steps, simbench_load_shapes
from simulator.scenario import Scenario

BUILDING_SERIES = ("buildings_kw", "buildings_pv_kw", "buildings_pv_self_kw")  # district series the buildings add


def expanded(scenario: Scenario) -> list[tuple[int, BuildingSpec]]:
    """One (section index, spec) per building, `count` × the scenario's `scale` (at least one) expanded."""
    return [(i, b) for i, b in enumerate(scenario.buildings) for _ in range(max(1, round(b.count * scenario.scale)))]


def scaled_grid(scenario: Scenario) -> GridSpec:
    """The `[grid]` section shrunk by `scale`: fewer substations and MV feeders, the same per-substation design."""
    spec = scenario.grid
    if scenario.scale == 1 or not isinstance(spec, SyntheticGridSpec):
        return spec
    substations = max(1, round(spec.substations * scenario.scale))
    feeders = max(1, min(substations, round(spec.mv_feeders * scenario.scale)))
    return spec.model_copy(update={"substations": substations, "mv_feeders": feeders})


def build_city_grid(scenario: Scenario) -> Grid:
    """The scenario's grid with one extra load per building on its substation's LV busbar."""
    layout = build_layout(scaled_grid(scenario))
    net, rows = layout.net, expanded(scenario)
    n_ss = len(net.trafo)
    spread = 0
    buses, names = [], []
    for i, spec in rows:
        ss = spec.substation if spec.substation is not None else spread % n_ss
        spread += spec.substation is None
        if ss >= n_ss:
            raise ScenarioError("<scenario>", [f"buildings.{i}.substation: {ss} is not a substation (0 … {n_ss - 1})"])
        buses.append(int(net.trafo["lv_bus"].iloc[ss]))
        names.append(f"{spec.name} {len(names)}")
    if rows:
        pp.create_loads(net, buses, p_mw=0.0, q_mvar=0.0, name=names)
    feeder = np.concatenate([layout.household_feeder, np.zeros(len(rows), dtype=np.int64)])
    return Grid(
        net, power_flow=scenario.grid.power_flow, household_feeder=feeder, substation_names=layout.substation_names,
        unbalanced=scenario.grid.unbalanced, three_phase_rows=np.arange(len(net.load) - len(rows), len(net.load)),
    )  # fmt: skip


def building_standard_kw(scenario: Scenario, specs: list[BuildingSpec], times: pd.DatetimeIndex) -> np.ndarray:
    """Each building's standard load over the horizon: its SimBench commercial profile × its annual energy."""
    if not specs:
        return np.zeros((scenario.n_steps, 0))
    names = tuple(sorted({b.profile_name for b in specs}))
    shapes = simbench_load_shapes(names)
    on = on_steps(shapes, times, scenario.step_minutes)
    idx = np.array([names.index(b.profile_name) for b in specs])
    scale = np.array([b.annual_kwh for b in specs]) / annual_full_load_hours(shapes)[idx]
    return (on[idx] * scale[:, None]).T  # steps × buildings


def building_tariff(scenario: Scenario, specs: list[BuildingSpec], rows: dict[str, int]) -> np.ndarray:
    """Each building's price row: the tariff it names, else the first retailer's."""
    default = scenario.retailers[0].tariff
    return np.array([rows[b.tariff or default] for b in specs], dtype=np.int64)
