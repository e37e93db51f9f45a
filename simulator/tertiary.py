"""Tertiary buildings inside a `CityModel`: their loads on the grid, their daily BEM plans, their power each step.

Each building is an extra pandapower load on the LV busbar of its substation, appended after the
households, so `Grid.solve` takes households then buildings in one vector. Per step the work is
array indexing; the BEM plans once a day for all buildings (`agents.bem`).
"""

from __future__ import annotations

import numpy as np
import pandapower as pp
import pandas as pd

from agents.bem import BuildingParams, ChargingSessions, charge_cars, hvac_shift_kw
from agents.building import Building, BuildingSpec
from agents.fleet import DayContext, GridLoads, QuietFleet
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
        net, power_flow=scenario.grid.power_flow, household_feeder=feeder, substation_names=layout.substation_names
    )


class Tertiary(QuietFleet):
    """The buildings' arrays: standard load, PV, today's BEM shift and charging, and the per-step power."""

    def __init__(self, model, scenario: Scenario, prices_row: dict[str, int], pv_kw_per_kwp: np.ndarray) -> None:
        rows = expanded(scenario)
        self.n = len(rows)
        self.specs = [spec for _, spec in rows]
        self.agents = [Building(model, r, spec) for r, spec in enumerate(self.specs)]
        self.scenario = scenario
        s = self.specs
        default = scenario.retailers[0].tariff
        self.tariff = np.array([prices_row[b.tariff or default] for b in s], dtype=np.int64)
        self.params = BuildingParams(
            hvac_share=np.array([b.hvac_share for b in s]),
            setback_share=np.array([b.setback_share for b in s]),
            preheat_steps=np.array([round(b.preheat_h * 60 / scenario.step_minutes) for b in s], dtype=np.int64),
            preheat_loss=np.array([b.preheat_loss for b in s]),
            feed_in_eur_per_kwh=np.array([b.feed_in_eur_per_kwh for b in s]),
            managed=np.array([b.bem for b in s], dtype=bool) & model.demand_response,
        )
        self.q_per_p = np.tan(np.arccos(np.array([b.power_factor for b in s])))
        self.pv_kwp = np.array([b.pv_kwp for b in s])
        self._standard_kw = self._standard(scenario, model.times) if self.n else np.zeros((scenario.n_steps, 0))
        self._pv_per_kwp = pv_kw_per_kwp
        self.today_kw = np.zeros((scenario.steps_per_day, self.n))

    def _standard(self, scenario: Scenario, times: pd.DatetimeIndex) -> np.ndarray:
        names = tuple(sorted({b.profile_name for b in self.specs}))
        shapes = simbench_load_shapes(names)
        on = on_steps(shapes, times, scenario.step_minutes)
        idx = np.array([names.index(b.profile_name) for b in self.specs])
        scale = np.array([b.annual_kwh for b in self.specs]) / annual_full_load_hours(shapes)[idx]
        return (on[idx] * scale[:, None]).T  # steps × buildings

    kind = "buildings"

    def start_day(self, day: int, ctx: DayContext) -> None:
        """Plan today for every building: HVAC shift in the dear period and car charging (vectorised)."""
        prices, step_h = ctx.prices, ctx.step_h
        if self.n == 0:
            return
        spd = self.scenario.steps_per_day
        today = slice(day * spd, min((day + 1) * spd, self.scenario.n_steps))
        base = np.zeros((spd, self.n))
        base[: today.stop - today.start] = self._standard_kw[today]
        pv = np.zeros((spd, self.n))
        pv[: today.stop - today.start] = self._pv_per_kwp[today, None] * self.pv_kwp[None, :]
        price = prices[self.tariff, :spd].T
        shift = hvac_shift_kw(base, price, self.params)
        ev = np.zeros((spd, self.n))
        charge_cars(ev, self._sessions(day), price, pv - base - shift, self.params, step_h)
        self.base_kw, self.shift_kw, self.ev_kw, self.pv_kw = base, shift, ev, pv

    def _sessions(self, day: int) -> ChargingSessions:
        """One session per charger on working days (Mon–Fri), between the building's arrival and departure."""
        sc = self.scenario
        weekday = (pd.Timestamp(sc.start) + pd.Timedelta(days=day)).weekday() < 5
        per = np.array([b.ev_chargers for b in self.specs]) * weekday
        building = np.repeat(np.arange(self.n), per)
        spec = [self.specs[b] for b in building]
        per_h = 60 / sc.step_minutes
        arrival = np.array([round(b.ev_arrival_h * per_h) for b in spec], dtype=np.int64)
        departure = np.array([min(round(b.ev_departure_h * per_h), sc.steps_per_day) for b in spec], dtype=np.int64)
        power = np.array([b.charger_kw for b in spec])
        energy = np.minimum([b.ev_session_kwh for b in spec], power * (departure - arrival) * sc.step_h)
        return ChargingSessions(building, arrival, departure, np.asarray(energy, dtype=float), power)

    def power(self, k: int, in_day: int) -> GridLoads:
        """Every building's net p and q in step `k`; its load and PV kept for the record [kW, kvar]."""
        self.load_kw, self.pv_kw_now, p_kw, q_kvar = self.parts(in_day)
        return GridLoads(p_kw, q_kvar)

    def parts(self, in_day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Load, PV, net p and q of every building in step `in_day` of today [kW, kvar]."""
        if self.n == 0:
            z = np.zeros(0)
            return z, z, z, z
        load = np.maximum(self.base_kw[in_day] + self.shift_kw[in_day], 0.0) + self.ev_kw[in_day]
        pv = self.pv_kw[in_day]
        return load, pv, load - pv, (load - self.ev_kw[in_day]) * self.q_per_p
