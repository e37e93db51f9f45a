"""Every household of a run in bulk: its routines, its response to prices, its base load and its meter each step.

The fleet owns the households' arrays (population, planned-load book, bills, running totals); the
model passes it the arrays it reads (standard load shapes, PV shapes, prices, the emergency limits).
A `Household` agent is a view onto one row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from agents.fleet import DayContext, GridLoads, QuietFleet
from agents.households.loads import LoadBook
from agents.households.measured import MeasuredHouseholds
from agents.households.population import Population
from agents.households.response import DemandResponse
from agents.households.routines import draw_cycles
from agents.households.spec import APPLIANCES
from market.tariff_power import trips

#: Limits applied to one step's power in place: (k, base, appliance, ev, pv) → None (the DSO's emergencies).
StepLimiter = Callable[[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray], None]


@dataclass(frozen=True)
class HouseholdProfiles:
    """The load and PV shapes the model reads from SimBench and pvlib, arranged for the fleet's rows."""

    series: np.ndarray  # steps (from the first day's start) × (profile type, shift) combinations, normalised
    combo: np.ndarray  # int per household: its column of `series`
    base_scale_kw: np.ndarray  # per household: × series = its standard base load [kW]
    pv_kw_per_kwp: np.ndarray  # PV shapes × steps [kW/kWp]
    heat_series: np.ndarray | None  # steps × electric-heating profiles (max-normalised), None without heating
    q_per_p: float  # reactive per active power of base load and appliances

    def standard_kw(self, rows: np.ndarray, n_steps: int) -> np.ndarray:
        """Noise-free standard base load of households `rows` over the horizon (steps × rows) [kW]."""
        return self.series[:n_steps, self.combo[rows]] * self.base_scale_kw[rows]


class HouseholdFleet(QuietFleet):
    """The households: their day (cycles, response, base load), their meters each step, their bills."""

    kind = "households"

    def __init__(
        self,
        scenario: Any,
        population: Population,
        profiles: HouseholdProfiles,
        tariff: np.ndarray,
        tariffs: dict[str, np.ndarray],
        streams: dict[str, np.random.Generator],
        record: tuple[dict[str, np.ndarray], np.ndarray],
        *,
        demand_response: bool,
    ) -> None:
        """`tariff`: each home's row in the price arrays; `tariffs`: "standing_eur_per_day" per row, "baseline_row".

        With `demand_response` off (the counterfactual baseline) no one responds and no HEMS acts.
        """
        self.scenario = scenario
        self.population = population
        self.profiles = profiles
        self.tariff = tariff
        self.managed = population.has_hems & demand_response  # a HEMS that acts (not in the baseline)
        self.baseline_row = int(tariffs["baseline_row"])
        self.standing_eur_per_day = tariffs["standing_eur_per_day"]
        self.routines, self.noise = streams["routines"], streams["noise"]
        n = population.n
        self.book = LoadBook(n, scenario.steps_per_day)
        self.bill_eur = np.zeros(n)
        self.bill_network_eur = np.zeros(n)
        self.power_trips = np.zeros(n)
        self.running, self.peak_kw = record  # the recorder's per-household running totals, written here
        self.contracted_kva = self._contracted_kva()
        self.standing_eur_per_day_kva = (
            scenario.households.contracted_power.standing_eur_per_kva_day * self.contracted_kva
        )
        self.response = DemandResponse(
            scenario, n, streams["engagement"], active=demand_response, daily_kwh=population.annual_kwh / 365
        )
        self.measured: MeasuredHouseholds | None = None
        self.limit: StepLimiter | None = None  # set when the DSO can impose emergency limits (the hub)
        self.engaged_share = 0.0
        self.engagement_mean = 0.0

    @property
    def n(self) -> int:
        """Number of households."""
        return self.population.n

    def _contracted_kva(self) -> np.ndarray:
        sc, pop = self.scenario, self.population
        apps = sc.households.appliances
        appliance_kw = np.array([apps[a].power_kw if a in apps else 0.0 for a in APPLIANCES])
        likely_peak_kw = self.profiles.base_scale_kw + (pop.owns_appliance * appliance_kw).max(axis=1) + pop.charger_kw
        likely_peak_kw += pop.heating_kw
        return sc.households.contracted_power.assign(likely_peak_kw / sc.households.power_factor)

    # --- the day ------------------------------------------------------------------------------
    def start_day(self, day: int, ctx: DayContext) -> None:
        """Roll the book, draw today's appliance cycles; opt-outs return to the baseline tariff; who responds today."""
        pop = self.population
        if day > 0:
            self.book.roll()
        ctx.shared["cycles"] = draw_cycles(
            self.scenario.households, pop.owns_appliance, self.routines, ctx.steps_per_day
        )
        self.tariff[self.response.take_opt_outs()] = self.baseline_row
        ctx.shared["response"] = self.response.decide(
            day, ctx.prices, self.tariff, self.managed, ctx.events, pop.profile_type, ctx.steps_per_day,
        )  # fmt: skip

    def settle_day(self, day: int, ctx: DayContext) -> None:
        """With the day planned: levers save on appliances, standing charges, today's base load, engagement."""
        sc, pop, spd = self.scenario, self.population, ctx.steps_per_day
        response, plan = ctx.shared["response"], ctx.shared["plan"]
        self.response.save_on_appliances(response, self.book.appliance_kw[:spd], ctx.step_h)
        self.bill_eur += self.standing_eur_per_day[self.tariff] + self.standing_eur_per_day_kva
        self.bill_network_eur += self.standing_eur_per_day_kva
        noise = rng_lognormal(self.noise, sc.households.profile_noise_sigma, (spd, pop.n))
        # time-major (steps × households): the row a step reads is contiguous
        prof = self.profiles
        today = prof.series[day * spd : (day + 1) * spd]
        base = np.take(today, prof.combo, axis=1)
        base *= prof.base_scale_kw
        base *= noise
        if prof.heat_series is not None:  # electric heating on top of the household's standard load
            base += prof.heat_series[day * spd : (day + 1) * spd][:, pop.heating_profile] * pop.heating_kw
        if self.measured is not None:
            self.measured.apply_day(day, ctx.shared["cycles"], ctx.shared["sessions"], self.book, base)
        varies = np.ptp(ctx.prices[self.tariff], axis=1) > 0  # a HEMS only acts (or is overridden) then
        appliance_kwh = self.book.appliance_kw[:spd].sum(axis=0) * ctx.step_h
        self.base_today_kw = self.response.settle(response, base, ctx.step_h, plan.overrides * varies, appliance_kwh)
        acting = response.responds | (self.managed & varies)
        self.engaged_share = acting.mean()
        self.engagement_mean = self.response.engagement.level.mean()

    # --- each step ----------------------------------------------------------------------------
    def power(self, k: int, in_day: int) -> GridLoads:
        """Every meter's power in step `k`: base + appliances + EV − PV, after emergency limits and trips."""
        pop = self.population
        base = self.base_today_kw[in_day]
        self.appliance_kw = self.book.appliance_kw[in_day]
        self.ev_kw = self.book.ev_kw[in_day]
        self.pv_kw = pop.pv_kwp * self.profiles.pv_kw_per_kwp[pop.pv_shape, k]
        if self.limit is not None:  # emergency limits: HEMS defer load, meters disconnect (arrays cut in place)
            self.limit(k, base, self.appliance_kw, self.ev_kw, self.pv_kw)
        if self.scenario.households.contracted_power.enforce:
            base = self._enforce_contracted_power(base)
        self.load_kw = base + self.appliance_kw + self.ev_kw
        self.p_kw = self.load_kw - self.pv_kw
        return GridLoads(self.p_kw, (base + self.appliance_kw) * self.profiles.q_per_p)

    def _enforce_contracted_power(self, base: np.ndarray) -> np.ndarray:
        """Homes drawing more than their contracted power trip their meter's switch: no load for the step."""
        drawn = base + self.appliance_kw + self.ev_kw - self.pv_kw
        tripped = trips(drawn, self.scenario.households.power_factor, self.contracted_kva)
        self.power_trips += tripped
        self.appliance_kw = np.where(tripped, 0.0, self.appliance_kw)
        self.ev_kw = np.where(tripped, 0.0, self.ev_kw)
        return np.where(tripped, 0.0, base)

    def meter(self, price: np.ndarray, network_price: np.ndarray, step_h: float) -> None:
        """Bill the step's import at each home's price and add the step to the running totals."""
        p_kw = self.p_kw
        imported = np.maximum(p_kw, 0.0)
        self.bill_eur += imported * step_h * price
        self.bill_network_eur += imported * step_h * network_price
        totals = self.running
        totals["energy_kwh"] += self.load_kw * step_h
        totals["pv_kwh"] += self.pv_kw * step_h
        totals["import_kwh"] += imported * step_h
        totals["export_kwh"] += np.maximum(-p_kw, 0.0) * step_h
        totals["ev_kwh"] += self.ev_kw * step_h
        totals["appliance_kwh"] += self.appliance_kw * step_h
        np.maximum(self.peak_kw, p_kw, out=self.peak_kw)

    def totals(self) -> dict[str, np.ndarray]:
        """Per-household results: running totals, peak, contracted power, trips, response and engagement."""
        return {
            **self.running,
            "peak_kw": self.peak_kw,
            "contracted_kva": self.contracted_kva,
            "power_trips": self.power_trips,
            **self.response.household_columns(),
        }


def rng_lognormal(rng: np.random.Generator, sigma: float, shape: tuple[int, int]) -> np.ndarray:
    """Multiplicative noise with mean 1 (drawn in single precision: it is noise, and twice as fast)."""
    if sigma == 0:
        return np.ones(shape, dtype=np.float32)
    noise = rng.standard_normal(shape, dtype=np.float32)
    noise *= np.float32(sigma)
    noise -= np.float32(sigma**2 / 2)
    return np.exp(noise, out=noise)
