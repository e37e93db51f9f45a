"""Every tertiary building of a run in bulk: its daily BEM plan (HVAC shift, car charging) and its power each step.

Each building is a grid load after the households (the model appends them to the grid). The model passes
the arrays the fleet reads: each building's standard load (SimBench commercial profiles) and PV per kWp.
Per step the work is array indexing; the BEM plans once a day for all buildings (`agents.buildings.bem`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from agents.buildings.bem import BuildingParams, ChargingSessions, charge_cars, hvac_shift_kw
from agents.buildings.spec import BuildingSpec
from agents.fleet import DayContext, GridLoads, QuietFleet


class BuildingFleet(QuietFleet):
    """The buildings' arrays: standard load, PV, today's BEM shift and charging, and the per-step power."""

    kind = "buildings"

    def __init__(
        self,
        scenario: Any,
        specs: list[BuildingSpec],
        tariff: np.ndarray,
        standard_kw: np.ndarray,
        pv_kw_per_kwp: np.ndarray,
        *,
        demand_response: bool,
    ) -> None:
        """`tariff`: each building's price row; `standard_kw`: steps × buildings; `pv_kw_per_kwp`: per step."""
        self.n = len(specs)
        self.specs = specs
        self.scenario = scenario
        s = specs
        self.tariff = tariff
        self.params = BuildingParams(
            hvac_share=np.array([b.hvac_share for b in s]),
            setback_share=np.array([b.setback_share for b in s]),
            preheat_steps=np.array([round(b.preheat_h * 60 / scenario.step_minutes) for b in s], dtype=np.int64),
            preheat_loss=np.array([b.preheat_loss for b in s]),
            feed_in_eur_per_kwh=np.array([b.feed_in_eur_per_kwh for b in s]),
            managed=np.array([b.bem for b in s], dtype=bool) & demand_response,
        )
        self.q_per_p = np.tan(np.arccos(np.array([b.power_factor for b in s])))
        self.pv_kwp = np.array([b.pv_kwp for b in s])
        self._standard_kw = standard_kw
        self._pv_per_kwp = pv_kw_per_kwp
        self.today_kw = np.zeros((scenario.steps_per_day, self.n))
        self.load_kw = self.pv_kw_now = np.zeros(self.n)

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
