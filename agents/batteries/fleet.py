"""Every home battery in bulk: charged and discharged behind the household meter, step by step over arrays.

The fleet runs after the households in the model's list: it reads each home's net power for the step
(load − PV) and changes it in place (charging adds load, discharging covers it), so the bill, the grid
and the record all see the meter after the battery. No export from the battery: it discharges at most
the home's own load.
"""

from __future__ import annotations

import numpy as np

from agents.batteries.spec import BatterySpec
from agents.fleet import DayContext, GridLoads, QuietFleet
from agents.households.fleet import HouseholdFleet


class BatteryFleet(QuietFleet):
    """Home batteries: state of charge per home (0 kWh capacity where none), their control, their energy."""

    kind = "batteries"

    def __init__(self, spec: BatterySpec, homes: HouseholdFleet, rng: np.random.Generator) -> None:
        """Batteries go to homes with PV, each with probability `share` (one draw per home from `rng`)."""
        self.spec, self.homes = spec, homes
        pop = homes.population
        has = (pop.pv_kwp > 0) & (rng.random(pop.n) < spec.share) if spec.share > 0 else np.zeros(pop.n, dtype=bool)
        self.capacity_kwh = np.where(has, spec.capacity_kwh, 0.0)
        self.soc_kwh = self.capacity_kwh * spec.initial_soc
        self.eta = np.sqrt(spec.round_trip_efficiency)  # each way
        self.rows = np.flatnonzero(has)
        self.battery_kw = np.zeros(pop.n)  # + charging, − discharging, at the meter
        self.charged_kwh = np.zeros(pop.n)
        self.discharged_kwh = np.zeros(pop.n)

    def start_day(self, day: int, ctx: DayContext) -> None:
        """Under tariff arbitrage: each home's cheap and dear steps of the day (thirds of its price row)."""
        if self.rows.size == 0 or self.spec.control != "tariff_arbitrage":
            return
        price = ctx.prices[self.homes.tariff[self.rows], : ctx.steps_per_day]  # batteries × steps
        low, high = np.quantile(price, [1 / 3, 2 / 3], axis=1)
        self.cheap = price <= low[:, None]
        self.dear = (price >= high[:, None]) & (high > low)[:, None]
        self.step_h = ctx.step_h

    def power(self, k: int, in_day: int) -> GridLoads | None:
        """Charge or discharge each battery for the step; the homes' meter power changes in place."""
        if self.rows.size == 0:
            return None
        homes, r, spec = self.homes, self.rows, self.spec
        h = homes.scenario.step_h
        net = homes.p_kw[r]  # load − PV at the meter, before the battery
        room_kw = (self.capacity_kwh[r] - self.soc_kwh[r]) / (self.eta * h)
        avail_kw = self.soc_kwh[r] * self.eta / h
        if spec.control == "self_consumption":
            charge = np.minimum(np.maximum(-net, 0.0), np.minimum(spec.power_kw, room_kw))
            discharge = np.minimum(np.maximum(net, 0.0), np.minimum(spec.power_kw, avail_kw))
        else:
            charge = np.where(self.cheap[:, in_day], np.minimum(spec.power_kw, room_kw), 0.0)
            cover = np.minimum(np.maximum(net, 0.0), np.minimum(spec.power_kw, avail_kw))  # no export
            discharge = np.where(self.dear[:, in_day], cover, 0.0)
        self.soc_kwh[r] += charge * self.eta * h - discharge / self.eta * h
        self.battery_kw[r] = charge - discharge
        homes.p_kw[r] = net + charge - discharge
        self.charged_kwh[r] += charge * h
        self.discharged_kwh[r] += discharge * h
        return None

    def record(self, k: int, district: dict[str, np.ndarray]) -> None:
        """The batteries' power at the meters (+ charging), so that load − PV + battery = net load."""
        if self.rows.size:
            series = district.setdefault("battery_kw", np.zeros(len(district["load_kw"])))
            series[k] = self.battery_kw.sum()

    def totals(self) -> dict[str, np.ndarray]:
        """Per-household battery results for the agents table (none without batteries)."""
        if self.rows.size == 0:
            return {}
        return {
            "battery_kwh": self.capacity_kwh,
            "battery_charged_kwh": self.charged_kwh,
            "battery_discharged_kwh": self.discharged_kwh,
        }
