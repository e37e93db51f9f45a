"""`CityModel`: the households, HEMS, EVs, retailers and DSO of a scenario on its grid, stepped in time.

`step()` reads as the schedule of one metering interval (DESIGN.md, "One step, as data"): a new
day's plans, the DSO's decisions, the households' power in bulk, the power flow, the record.
"""

from __future__ import annotations

import time

import mesa
import numpy as np
import pandas as pd

from agents.dso import Dso
from agents.ev import ElectricVehicle
from agents.hems import Hems, plan_day
from agents.hems_spec import HemsControl
from agents.household import Household
from agents.household_spec import APPLIANCES, SIMBENCH_HOUSEHOLD_PROFILES
from agents.loads import LoadBook
from agents.retailer import Retailer
from agents.routines import draw_cycles, draw_sessions
from market.tariff_power import trips
from market.tariffs import components
from simulator.after_horizon import settle_after_horizon
from simulator.cpp_season import HomeScales, pick_events, season_forecast
from simulator.demand_response import SERIES, DemandResponse
from simulator.grid.grid import Grid, GridNotConverged
from simulator.market_link import MarketLink
from simulator.measured import load_measured
from simulator.meter_data.data_catalogue import consent_flags
from simulator.population import appliance_kwh_per_year, draw_population
from simulator.profiles import (
    annual_full_load_hours,
    clear_sky_pv_kw_per_kwp,
    on_steps,
    simbench_load_shapes,
    simbench_pv_shapes,
)
from simulator.results.household_series import HouseholdSeries
from simulator.results.recorder import Recorder
from simulator.scenario import Scenario
from simulator.tertiary import BUILDING_SERIES, Tertiary, build_city_grid, expanded
from simulator.weather.weather import heating_steps_factor, weather_on_steps

# append only: the spawn order keeps every earlier stream's draws when one is added
STREAMS = ("population", "routines", "noise", "behaviour", "network", "engagement", "hems", "weather")


class CityModel(mesa.Model):
    """One run of a scenario; with `demand_response=False` it is the run's counterfactual baseline."""

    def __init__(self, scenario: Scenario, *, demand_response: bool = True, grid: Grid | None = None) -> None:
        super().__init__(seed=scenario.seed)
        self.scenario = scenario
        self.demand_response = demand_response
        self.streams = dict(zip(STREAMS, self.rng.spawn(len(STREAMS)), strict=True))
        self.grid = grid if grid is not None else build_city_grid(scenario)
        self.times = scenario.times()
        n_homes = self.grid.n_households - len(expanded(scenario))  # buildings' loads come last
        homes = self.grid.household_substation[:n_homes]
        self.population = draw_population(scenario, homes, self.streams["population"])
        self._setup_tariffs()
        self._setup_profiles()
        self.measured = load_measured(scenario, self._meter_ids(), self._standard_kw)
        self._setup_agents()
        self._setup_events()
        rows = {name: i for i, name in enumerate(self.tariff_names)}
        self.tertiary = Tertiary(self, scenario, rows, np.asarray(self._pv_kw_per_kwp[0]))
        n = self.population.n
        self.bill_eur = np.zeros(n)
        self.bill_network_eur = np.zeros(n)
        self.offered_bill_eur = np.zeros(n)  # the same consumption at the retailers' tariffs (revenue-neutrality check)
        self.book = LoadBook(n, scenario.steps_per_day)
        self.recorder = Recorder(scenario.n_steps, len(self.grid.substation_names), n)
        self.recorder.district.update({name: np.zeros(scenario.n_steps) for name in BUILDING_SERIES})
        self.recorder.district.update({name: np.full(scenario.n_steps, np.nan) for name in SERIES})
        self.response = DemandResponse(scenario, n, self.streams["engagement"], active=demand_response)
        self.power_trips = np.zeros(n)
        self.grid_events: list[GridNotConverged] = []
        self.cycle_starts: dict[int, np.ndarray] = {}
        self.phase_s: dict[str, float] = dict.fromkeys(
            ("plan", "market", "households", "power_flow", "dso", "record"), 0.0
        )
        self.market = MarketLink(self) if scenario.hub is not None and demand_response else None
        mode = scenario.output.household_series
        self.household_series = (
            None if mode == "none" or not demand_response
            else HouseholdSeries(mode, consent_flags(scenario, n), scenario.n_steps, scenario.steps_per_day,
                                 scenario.step_h)
        )  # fmt: skip

    # --- set-up -------------------------------------------------------------------------------
    def _setup_tariffs(self) -> None:
        sc = self.scenario
        self.tariff_names = list(sc.tariffs)
        retailer_tariff = np.array([self.tariff_names.index(r.tariff) for r in sc.retailers])
        baseline = self.tariff_names.index(sc.baseline.tariff)
        self.household_tariff = (
            retailer_tariff[self.population.retailer] if self.demand_response else np.full(self.population.n, baseline)
        )
        self.baseline_row = baseline
        self.offered_tariff = retailer_tariff[self.population.retailer]
        # prices over every started day plus one, so the last day's plans can look past midnight
        days = -(-sc.n_steps // sc.steps_per_day) + 1
        self.extended_times = pd.date_range(sc.start, periods=days * sc.steps_per_day, freq=f"{sc.step_minutes}min")
        self._set_prices({})
        self.standing_eur_per_day = np.array([t.standing_eur_per_day for t in sc.tariffs.values()])

    def _set_prices(self, event_days: dict) -> None:
        """Price rows of every tariff over the extended horizon; the network part kept apart (DSO revenue)."""
        times, tariffs = self.extended_times, self.scenario.tariffs
        parts = [components(t, times, event_days.get(name, ())) for name, t in tariffs.items()]
        self.network_prices = np.vstack([network for _, network in parts])
        self.prices = np.vstack([energy for energy, _ in parts]) + self.network_prices
        rows = zip(tariffs.values(), self.prices, strict=True)
        self.export_prices = np.vstack([t.export_prices(row) for t, row in rows])
        self.pays_export = bool(self.export_prices.any())
        days = times[:: self.scenario.steps_per_day].date
        self.event_days = event_days
        self.events = np.array([[d in set(event_days.get(name, ())) for d in days] for name in tariffs])

    def _setup_profiles(self) -> None:
        sc, pop = self.scenario, self.population
        shapes = simbench_load_shapes(SIMBENCH_HOUSEHOLD_PROFILES)
        pad = sc.households.profile_shift_max_steps
        days = -(-sc.n_steps // sc.steps_per_day)
        n_ext = days * sc.steps_per_day + 2 * pad
        padded = pd.date_range(
            sc.start - pd.Timedelta(minutes=pad * sc.step_minutes), periods=n_ext, freq=f"{sc.step_minutes}min"
        )
        typed = on_steps(shapes, padded, sc.step_minutes)
        # one series per (profile type, shift) pair, time-major; households index into its columns
        n_shift = 2 * pad + 1
        combos = np.arange(len(SIMBENCH_HOUSEHOLD_PROFILES) * n_shift)
        n_days_steps = n_ext - 2 * pad
        cols = (combos % n_shift)[None, :] + np.arange(n_days_steps)[:, None]
        self._series = typed[(combos // n_shift)[None, :], cols]
        self._combo = pop.profile_type * n_shift + pop.profile_shift_steps + pad
        base_kwh = np.maximum(pop.annual_kwh - appliance_kwh_per_year(sc, pop), 0.3 * pop.annual_kwh)
        self._base_scale_kw = base_kwh / annual_full_load_hours(shapes)[pop.profile_type]
        pv = sc.households.pv
        self.weather = None
        if pv.model == "weather":
            self.weather = weather_on_steps(
                sc.weather, sc.location, pv, self.times, sc.step_minutes, self.streams["weather"]
            )
            self._pv_kw_per_kwp = np.broadcast_to(self.weather.pv_kw_per_kwp, (8, sc.n_steps))
        elif pv.model == "clearsky":
            loc = sc.location
            per_kwp = clear_sky_pv_kw_per_kwp(
                self.times, sc.step_minutes, latitude=loc.latitude, longitude=loc.longitude,
                timezone=loc.timezone, tilt_deg=pv.tilt_deg, azimuth_deg=pv.azimuth_deg,
            ) * pv.clear_sky_derate  # fmt: skip
            self._pv_kw_per_kwp = np.broadcast_to(per_kwp, (8, sc.n_steps))
        else:
            self._pv_kw_per_kwp = on_steps(simbench_pv_shapes(), self.times, sc.step_minutes)
        self._q_per_p = np.tan(np.arccos(sc.households.power_factor))
        heating = sc.households.electric_heating
        self._heat_series = (
            on_steps(simbench_load_shapes(heating.profiles), self.extended_times, sc.step_minutes).T
            if heating.share > 0
            else None
        )  # steps × heating profiles, max-normalised; × each heated home's peak kW
        if self._heat_series is not None and self.weather is not None and self.weather.temperature_c is not None:
            self._heat_series = self._heat_series * heating_steps_factor(self.weather, sc.steps_per_day)

    def _meter_ids(self) -> list[str]:
        """Each household's meter id: the name of its load in the grid (e.g. 'hh12')."""
        return self.grid.net.load["name"].astype(str).tolist()[: self.population.n]

    def _standard_kw(self, rows: np.ndarray) -> np.ndarray:
        """Noise-free standard base load of households `rows` over the horizon (steps × rows) [kW]."""
        return self._series[: self.scenario.n_steps, self._combo[rows]] * self._base_scale_kw[rows]

    def _setup_agents(self) -> None:
        sc, pop = self.scenario, self.population
        self.households = [Household(self, row) for row in range(pop.n)]
        self.hems = [Hems(self, self.households[r]) for r in np.flatnonzero(pop.has_hems)]
        self.evs = [
            ElectricVehicle(self, self.households[r], float(pop.charger_kw[r])) for r in np.flatnonzero(pop.has_ev)
        ]
        self.retailers = [
            Retailer(self, r.name, r.tariff, np.flatnonzero(pop.retailer == i)) for i, r in enumerate(sc.retailers)
        ]
        self.dso = Dso(self, sc.dso.transformer_loading_threshold_pct, sc.dso.voltage_band_pct)
        self.managed = pop.has_hems & self.demand_response
        self.hems_control = HemsControl.draw(sc.behaviour.hems, pop.has_hems, self.streams["hems"], sc.step_h)
        power = sc.households.contracted_power
        apps = sc.households.appliances
        appliance_kw = np.array([apps[a].power_kw if a in apps else 0.0 for a in APPLIANCES])
        likely_peak_kw = self._base_scale_kw + (pop.owns_appliance * appliance_kw).max(axis=1) + pop.charger_kw
        likely_peak_kw += pop.heating_kw
        self.contracted_kva = power.assign(likely_peak_kw / sc.households.power_factor)
        self.standing_eur_per_day_kva = power.standing_eur_per_kva_day * self.contracted_kva

    def _setup_events(self) -> None:
        """The DSO picks CPP event days over the whole season from its forecast (announced the day before)."""
        pop = self.population
        self.home_scales = HomeScales(self._base_scale_kw, pop.profile_type, pop.heating_kw, pop.heating_profile)
        self.season_forecast_kw = season_forecast(self.scenario, self.home_scales)
        events = pick_events(self.scenario, self.season_forecast_kw)
        if events:
            self._set_prices(events)

    # --- the schedule -------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one metering interval."""
        k = self.steps - 1  # Mesa counts the step before calling us
        day, in_day = divmod(k, self.scenario.steps_per_day)
        clock = _PhaseClock(self.phase_s)
        if in_day == 0:
            self._start_day(day)
            clock.lap("plan")
        if self.market is not None:  # the DSO decides; hub messages travel to the end of the step
            self.market.before_power(k)
            clock.lap("market")
        p_kw, q_kvar = self._household_power(k, in_day)
        clock.lap("households")
        b_load_kw, b_pv_kw, b_p_kw, b_q_kvar = self.tertiary.power(in_day)
        q_all = np.concatenate([q_kvar, b_q_kvar])
        report = self.grid.solve(np.concatenate([p_kw, b_p_kw]), q_all)
        if not report.converged:
            self.grid_events.append(GridNotConverged(step=k, cause=report.cause))
        clock.lap("power_flow")
        self.dso.observe(k, report)
        clock.lap("dso")
        self._record(k, in_day, p_kw, report)
        self.recorder.substation["q_kvar"][k] = np.bincount(
            self.grid.household_substation, q_all, minlength=len(self.grid.substation_names)
        )
        if self.household_series is not None:
            self.household_series.record(k, p_kw, q_kvar, self._load_kw)
        self._record_buildings(k, b_load_kw, b_pv_kw)
        clock.lap("record")
        if k + 1 >= self.scenario.n_steps:
            settle_after_horizon(self)
            self.running = False

    def _start_day(self, day: int) -> None:
        sc, pop = self.scenario, self.population
        if day > 0:
            self.book.roll()
        spd = sc.steps_per_day
        rng = self.streams["routines"]
        cycles = draw_cycles(sc.households, pop.owns_appliance, rng, spd)
        sessions = draw_sessions(sc.ev, np.where(pop.ev_from_day <= day, pop.charger_kw, 0.0), rng, spd)
        self.household_tariff[self.response.take_opt_outs()] = self.baseline_row
        window = self.prices[:, day * spd : (day + 2) * spd]
        self.tertiary.start_day(day, window, sc.step_h)
        response = self.response.decide(
            day, window, self.household_tariff, self.managed, self.events[:, day],
            pop.annual_kwh / 365, pop.profile_type, spd,
        )  # fmt: skip
        plan = plan_day(
            self.book, cycles, sessions, self.managed, window, self.household_tariff, sc.step_h,
            self.streams["behaviour"], manual=response.responds, request=response.request,
            control=self.hems_control if sc.behaviour.enabled else HemsControl.everything(pop.n),
        )  # fmt: skip
        self.recorder.household["shifted_kwh"] += plan.shifted_kwh
        self.response.save_on_appliances(response, self.book.appliance_kw[:spd], sc.step_h)
        self.cycle_starts[day] = plan.cycle_start
        self.bill_eur += self.standing_eur_per_day[self.household_tariff] + self.standing_eur_per_day_kva
        self.bill_network_eur += self.standing_eur_per_day_kva
        self.offered_bill_eur += self.standing_eur_per_day[self.offered_tariff] + self.standing_eur_per_day_kva
        sigma = sc.households.profile_noise_sigma
        noise = rng_lognormal(self.streams["noise"], sigma, (spd, pop.n))
        # time-major (steps × households): the row a step reads is contiguous
        today = self._series[day * spd : (day + 1) * spd]
        base = np.take(today, self._combo, axis=1)
        base *= self._base_scale_kw
        base *= noise
        if self._heat_series is not None:  # electric heating on top of the household's standard load
            base += self._heat_series[day * spd : (day + 1) * spd][:, pop.heating_profile] * pop.heating_kw
        if self.measured is not None:
            self.measured.apply_day(day, cycles, sessions, self.book, base)
        varies = np.ptp(window[self.household_tariff], axis=1) > 0  # a HEMS only acts (or is overridden) then
        self.response.settle(response, base, sc.step_h, plan.overrides * varies)
        base *= response.keep
        self._base_today_kw = base
        today = slice(day * spd, min((day + 1) * spd, sc.n_steps))
        acting = response.responds | (self.managed & varies)
        self.recorder.district["engaged_share"][today] = acting.mean()
        self.recorder.district["engagement_mean"][today] = self.response.engagement.level.mean()

    def _household_power(self, k: int, in_day: int) -> tuple[np.ndarray, np.ndarray]:
        base = self._base_today_kw[in_day]
        self._appliance_kw = self.book.appliance_kw[in_day]
        self._ev_kw = self.book.ev_kw[in_day]
        self._pv_kw = self.population.pv_kwp * self._pv_kw_per_kwp[self.population.pv_shape, k]
        if self.market is not None:  # emergency limits: HEMS defer load, meters disconnect (arrays cut in place)
            self.market.limit_in_place(k, base, self._appliance_kw, self._ev_kw, self._pv_kw)
        if self.scenario.households.contracted_power.enforce:
            base = self._enforce_contracted_power(base)
        self._load_kw = base + self._appliance_kw + self._ev_kw
        p_kw = self._load_kw - self._pv_kw
        return p_kw, (base + self._appliance_kw) * self._q_per_p

    def _enforce_contracted_power(self, base: np.ndarray) -> np.ndarray:
        """Homes drawing more than their contracted power trip their meter's switch: no load for the step."""
        drawn = base + self._appliance_kw + self._ev_kw - self._pv_kw
        tripped = trips(drawn, self.scenario.households.power_factor, self.contracted_kva)
        self.power_trips += tripped
        self._appliance_kw = np.where(tripped, 0.0, self._appliance_kw)
        self._ev_kw = np.where(tripped, 0.0, self._ev_kw)
        return np.where(tripped, 0.0, base)

    def _record(self, k: int, in_day: int, p_kw: np.ndarray, report: object) -> None:
        rec, h = self.recorder, self.scenario.step_h
        price = self.prices[self.household_tariff, k]
        imported = np.maximum(p_kw, 0.0)
        self.bill_eur += imported * h * price
        self.bill_network_eur += imported * h * self.network_prices[self.household_tariff, k]
        self.offered_bill_eur += imported * h * self.prices[self.offered_tariff, k]
        totals = rec.household
        totals["energy_kwh"] += self._load_kw * h
        totals["pv_kwh"] += self._pv_kw * h
        totals["import_kwh"] += imported * h
        exported = np.maximum(-p_kw, 0.0)
        totals["export_kwh"] += exported * h
        if self.pays_export:  # feed-in or net metering: the export is credited on the bill
            credit = exported * h * self.export_prices[self.household_tariff, k]
            totals["export_credit_eur"] += credit
            self.bill_eur -= credit
            self.offered_bill_eur -= exported * h * self.export_prices[self.offered_tariff, k]
        totals["ev_kwh"] += self._ev_kw * h
        totals["appliance_kwh"] += self._appliance_kw * h
        np.maximum(rec.household_peak_kw, p_kw, out=rec.household_peak_kw)
        d = rec.district
        d["load_kw"][k] = self._load_kw.sum()
        d["pv_kw"][k] = self._pv_kw.sum()
        d["net_load_kw"][k] = p_kw.sum()
        d["appliance_kw"][k] = self._appliance_kw.sum()
        d["ev_kw"][k] = self._ev_kw.sum()
        d["price_mean_eur_per_kwh"][k] = price.mean()
        rec.converged[k] = report.converged
        if not report.converged:
            return
        d["import_kw"][k] = report.ext_grid_p_kw
        d["losses_kw"][k] = report.losses_kw
        d["vm_min_pu"][k] = report.vm_min_pu
        d["vm_max_pu"][k] = report.vm_max_pu
        d["line_loading_max_pct"][k] = report.line_loading_pct_max
        s = rec.substation
        s["p_kw"][k] = report.trafo_p_kw
        s["loading_pct"][k] = report.trafo_loading_pct
        s["vm_min_pu"][k] = report.substation_vm_min_pu
        s["vm_max_pu"][k] = report.substation_vm_max_pu
        s["line_loading_max_pct"][k] = report.substation_line_loading_pct_max

    def _record_buildings(self, k: int, load_kw: np.ndarray, pv_kw: np.ndarray) -> None:
        """Add the buildings to the district series (so the energy balance closes) and record their own."""
        d = self.recorder.district
        load, pv = float(load_kw.sum()), float(pv_kw.sum())
        d["load_kw"][k] += load
        d["pv_kw"][k] += pv
        d["net_load_kw"][k] += load - pv
        d["buildings_kw"][k] = load
        d["buildings_pv_kw"][k] = pv
        d["buildings_pv_self_kw"][k] = float(np.minimum(load_kw, pv_kw).sum())


class _PhaseClock:
    """Adds the wall time of each phase of a step to a dict (what the benchmark and meta report)."""

    def __init__(self, totals: dict[str, float]) -> None:
        self.totals = totals
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.totals[phase] += now - self.last
        self.last = now


def rng_lognormal(rng: np.random.Generator, sigma: float, shape: tuple[int, int]) -> np.ndarray:
    """Multiplicative noise with mean 1 (drawn in single precision: it is noise, and twice as fast)."""
    if sigma == 0:
        return np.ones(shape, dtype=np.float32)
    noise = rng.standard_normal(shape, dtype=np.float32)
    noise *= np.float32(sigma)
    noise -= np.float32(sigma**2 / 2)
    return np.exp(noise, out=noise)
