"""Every heat pump in bulk: a 1R1C house per heated home, heated behind the household meter over arrays.

Control, per home and step, is a target temperature the heat pump reaches if its size allows
(`house.heat_to_reach`). The thermostat holds the middle of the comfort band. Under `hems_preheat`, each
home with an acting HEMS and a tariff that varies today gets a plan once a day: the top of the band in
the `preheat_h` before each of its dear steps (the dearest third of its day), the bottom of the band in
those dear steps (the house coasts on the stored heat), the middle otherwise.

The fleet runs after the households in the model's list and adds its electric power to each home's load
and meter power in place, so the bill, the grid and the record see it (at unity power factor; emergency
limits and contracted-power trips act before it and do not cut it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from agents.fleet import DayContext, GridLoads, QuietFleet
from agents.heat_pumps import house
from agents.heat_pumps.spec import ASSUMED, DEFAULT_MONTHLY_C, HeatPumpSpec
from agents.households.fleet import HouseholdFleet


class HeatPumpFleet(QuietFleet):
    """Heat pumps and their houses: indoor temperature, heat and electric power per heated home."""

    kind = "heat_pumps"

    def __init__(
        self, spec: HeatPumpSpec, homes: HouseholdFleet, weather, times: pd.DatetimeIndex, rng: np.random.Generator
    ) -> None:
        """Heat pumps go to each home with probability `share`; R and C spread lognormally (draws from `rng`)."""
        self.spec, self.homes, self.warnings = spec, homes, []
        n = homes.population.n
        self.rows = np.flatnonzero(rng.random(n) < spec.share) if spec.share > 0 else np.zeros(0, dtype=int)
        m = self.rows.size
        spread = np.exp(rng.normal(0.0, spec.spread, (2, m)) - spec.spread**2 / 2) if m else np.ones((2, 0))
        self.r = spec.resistance_k_per_kw * spread[0]
        self.c = spec.capacitance_kwh_per_k * spread[1]
        self.h = homes.scenario.step_h
        self.q_max = (spec.comfort_max_c - spec.design_outdoor_c) / self.r  # heat output [kW], sized per house
        self.a = np.exp(-self.h / (self.r * self.c))
        self.middle_c = (spec.comfort_min_c + spec.comfort_max_c) / 2
        self.indoor_c = np.full(m, self.middle_c)
        self.target_c = np.full((m, 1), self.middle_c)
        self.heat_kw, self.electric_kw = np.zeros(m), np.zeros(m)
        self.heat_kwh, self.electric_kwh, self.lost_kwh = np.zeros(m), np.zeros(m), np.zeros(m)
        self.violation_h = np.zeros(m)
        self.outdoor_c = self._outdoor(weather, times) if m else np.zeros(len(times))
        assumed = [name for name in ASSUMED if name not in spec.model_fields_set]
        if m and assumed:
            self.warnings.append(
                f"heat_pumps: {', '.join(assumed)} are assumptions (no source); set them from the building stock"
            )
        self.cop = house.cop(spec.supply_c, self.outdoor_c)

    def _outdoor(self, weather, times: pd.DatetimeIndex) -> np.ndarray:
        """Outdoor temperature per step: the weather file's daily mean, else the monthly table."""
        if weather is not None and weather.temperature_c is not None:
            day = weather.days.get_indexer(times.normalize())
            return np.asarray(weather.temperature_c, dtype=float)[day]
        spec = self.spec
        monthly = spec.outdoor_monthly_c if spec.outdoor_monthly_c is not None else DEFAULT_MONTHLY_C
        if spec.outdoor_monthly_c is None:
            self.warnings.append(
                "heat_pumps: outdoor temperature from an assumed monthly table (no weather file with temperature); "
                "give [heat_pumps] outdoor_monthly_c or a csv/epw weather file for a study"
            )
        return np.asarray(monthly, dtype=float)[times.month.to_numpy() - 1]

    def start_day(self, day: int, ctx: DayContext) -> None:
        """Plan the day's target temperatures: the thermostat's middle, or a HEMS pre-heating plan."""
        if self.rows.size == 0:
            return
        spec, spd = self.spec, ctx.steps_per_day
        self.target_c = np.full((self.rows.size, spd), self.middle_c)
        if spec.control != "hems_preheat":
            return
        price = ctx.prices[self.homes.tariff[self.rows]]  # heated homes × steps of today and tomorrow
        plan = self.homes.managed[self.rows] & (np.ptp(price[:, :spd], axis=1) > 0)
        if not plan.any():
            return
        price = price[plan]
        low, high = np.quantile(price[:, :spd], [1 / 3, 2 / 3], axis=1)
        dear = (price >= high[:, None]) & (high > low)[:, None]
        before = np.zeros_like(dear)
        for ahead in range(1, round(spec.preheat_h / ctx.step_h) + 1):  # a loop over offsets, not homes
            before[:, :-ahead] |= dear[:, ahead:]
        target = np.where(before & ~dear, spec.comfort_max_c, self.middle_c)
        self.target_c[plan] = np.where(dear, spec.comfort_min_c, target)[:, :spd]

    def power(self, k: int, in_day: int) -> GridLoads | None:
        """Heat each house toward its target for the step; the heat pump's power joins its home's meter."""
        if self.rows.size == 0:
            return None
        out = self.outdoor_c[k]
        q = house.heat_to_reach(self.target_c[:, in_day], self.indoor_c, out, self.r, self.a, self.q_max)
        self.indoor_c, lost = house.advance(self.indoor_c, out, q, self.r, self.c, self.a, self.h)
        self.heat_kw, self.electric_kw = q, q / self.cop[k]
        self.heat_kwh += q * self.h
        self.electric_kwh += self.electric_kw * self.h
        self.lost_kwh += lost
        self.violation_h += self.h * self._outside()
        homes = self.homes
        homes.load_kw[self.rows] += self.electric_kw
        homes.p_kw[self.rows] += self.electric_kw
        return None

    def _outside(self) -> np.ndarray:
        """Homes whose indoor temperature is outside the comfort band now (to a µK of rounding)."""
        spec, t = self.spec, self.indoor_c
        return (t < spec.comfort_min_c - 1e-6) | (t > spec.comfort_max_c + 1e-6)

    def record(self, k: int, district: dict[str, np.ndarray]) -> None:
        """District series: heat pumps' electric power, indoor mean and minimum, homes outside the band."""
        if self.rows.size == 0:
            return
        n = len(district["load_kw"])
        t, outside = self.indoor_c, self._outside()
        for name, value in (
            ("heat_pump_kw", self.electric_kw.sum()),
            ("heat_pump_heat_kw", self.heat_kw.sum()),
            ("indoor_mean_c", t.mean()),
            ("indoor_min_c", t.min()),
            ("outdoor_c", self.outdoor_c[k]),
            ("homes_outside_comfort", float(outside.sum())),
        ):
            district.setdefault(name, np.full(n, np.nan))[k] = value

    def totals(self) -> dict[str, np.ndarray]:
        """Per-household heat-pump results for the agents table (none without heat pumps)."""
        if self.rows.size == 0:
            return {}
        n = self.homes.population.n
        columns = {}
        for name, values in (
            ("heat_pump_kwh", self.electric_kwh),
            ("heat_pump_heat_kwh", self.heat_kwh),
            ("heat_pump_thermal_kw", self.q_max),
            ("comfort_violation_h", self.violation_h),
        ):
            full = np.zeros(n)
            full[self.rows] = values
            columns[name] = full
        return columns
