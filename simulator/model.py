"""`CityModel`: the households, HEMS, EVs, retailers and DSO of a scenario on its grid, stepped in time.

`step()` reads as the schedule of one metering interval (DESIGN.md, "One step, as data"): a new
day's plans, the DSO's decisions, the households' power in bulk, the power flow, the record.
"""

from __future__ import annotations

import time

import mesa
import numpy as np
import pandas as pd

from agents.batteries.fleet import BatteryFleet
from agents.buildings.agent import Building
from agents.buildings.fleet import BuildingFleet
from agents.controllers import ControllerError
from agents.dso.agent import Dso
from agents.dso.cpp_events import pick_events
from agents.dso.fleet import DsoFleet
from agents.evs.agent import ElectricVehicle
from agents.evs.fleet import EvFleet
from agents.fleet import DayContext, Fleet
from agents.heat_pumps.agent import HeatPump
from agents.heat_pumps.fleet import HeatPumpFleet
from agents.hems.agent import Hems
from agents.hems.fleet import HemsFleet
from agents.households.agent import Household
from agents.households.fleet import HouseholdFleet
from agents.households.population import draw_population
from agents.households.response import SERIES
from agents.retailers.agent import Retailer
from agents.retailers.fleet import RetailerFleet
from market.tariffs import components
from simulator.after_horizon import settle_after_horizon
from simulator.cpp_season import HomeScales, season_forecast
from simulator.errors import ControllerFailed
from simulator.grid.grid import Grid, GridNotConverged
from simulator.household_inputs import heating_full_load_h, household_profiles, weather_for
from simulator.market_link import MarketLink
from simulator.measured import load_measured
from simulator.meter_data.data_catalogue import consent_flags
from simulator.results.household_series import HouseholdSeries, check_series_size
from simulator.results.recorder import Recorder
from simulator.scenario import Scenario
from simulator.tertiary import BUILDING_SERIES, build_city_grid, building_standard_kw, building_tariff, expanded

# append only: children are spawned in this order, so a new stream leaves the others' draws unchanged
STREAMS = (
    "population", "routines", "noise", "behaviour", "network", "engagement", "hems", "controllers", "weather",
    "batteries", "heat_pumps",
)


class CityModel(mesa.Model):
    """One run of a scenario; with `demand_response=False` it is the run's counterfactual baseline.

    The agents' behaviour lives in their fleets (`agents/<kind>/fleet.py`), in `self.fleets` in the order
    they start the day; the model builds the arrays they read (profiles, prices, the grid) and steps them.
    """

    def __init__(self, scenario: Scenario, *, demand_response: bool = True, grid: Grid | None = None) -> None:
        super().__init__(seed=scenario.seed)
        self.scenario = scenario
        self.demand_response = demand_response
        self.streams = dict(zip(STREAMS, self.rng.spawn(len(STREAMS)), strict=True))
        self.grid = grid if grid is not None else build_city_grid(scenario)
        self.times = scenario.times()
        n_homes = self.grid.n_households - len(expanded(scenario))  # buildings' loads come last
        homes = self.grid.household_substation[:n_homes]
        population = draw_population(scenario, homes, self.streams["population"], heating_full_load_h(scenario))
        self._setup_tariffs(population)
        self.weather = weather_for(scenario, self.times, self.streams["weather"])  # None unless PV from weather
        profiles = household_profiles(scenario, population, self.times, self.extended_times, self.weather)
        self.recorder = Recorder(scenario.n_steps, len(self.grid.substation_names), population.n)
        self.recorder.district.update({name: np.zeros(scenario.n_steps) for name in BUILDING_SERIES})
        self.recorder.district.update({name: np.full(scenario.n_steps, np.nan) for name in SERIES})
        tariffs = {"standing_eur_per_day": self.standing_eur_per_day, "baseline_row": self.baseline_row}
        record = (self.recorder.household, self.recorder.household_peak_kw)
        households = HouseholdFleet(
            scenario, population, profiles, self._initial_tariff(population), tariffs, self.streams, record,
            demand_response=demand_response,
        )  # fmt: skip
        households.measured = load_measured(
            scenario, self._meter_ids(population.n), lambda rows: profiles.standard_kw(rows, scenario.n_steps)
        )
        evs = EvFleet(scenario.ev, population.charger_kw, population.ev_from_day, self.streams["routines"])
        hems = HemsFleet(scenario, households, self.streams)
        retailers = RetailerFleet(scenario.retailers, population.retailer, scenario.retail.controller_class()())
        dso = DsoFleet(scenario.dso.transformer_loading_threshold_pct, scenario.dso.voltage_band_pct)
        self._setup_events(profiles, population)
        specs = [spec for _, spec in expanded(scenario)]
        buildings = BuildingFleet(
            scenario, specs, building_tariff(scenario, specs, {name: i for i, name in enumerate(self.tariff_names)}),
            building_standard_kw(scenario, specs, self.times), np.asarray(profiles.pv_kw_per_kwp[0]),
            demand_response=demand_response,
        )  # fmt: skip
        # the fleets, in the order they start the day (price signal → routines → responses → plans) and load the grid
        self.fleets: list[Fleet] = [
            retailers, households, evs, hems, buildings, dso,
            HeatPumpFleet(scenario.heat_pumps, households, self.weather, self.times, self.streams["heat_pumps"]),
            BatteryFleet(scenario.batteries, households, self.streams["batteries"]),
        ]  # fmt: skip
        self.fleet: dict[str, Fleet] = {f.kind: f for f in self.fleets}
        self._setup_agents()
        self.grid_events: list[GridNotConverged] = []
        self.phase_s: dict[str, float] = dict.fromkeys(
            ("plan", "market", "households", "power_flow", "dso", "record"), 0.0
        )
        self.market = None
        if scenario.hub is not None and demand_response:
            self.market = MarketLink(scenario, self.fleet, self.grid, self, self.streams["network"])
            households.limit = self.market.limit_in_place
        mode = scenario.output.household_series
        self.household_series = None
        if mode != "none" and demand_response:
            consent = consent_flags(scenario, population.n)
            check_series_size(scenario, int(consent.sum()))
            self.household_series = HouseholdSeries(
                mode, consent, scenario.n_steps, scenario.steps_per_day, scenario.step_h
            )

    # --- set-up -------------------------------------------------------------------------------
    def _setup_tariffs(self, population) -> None:
        sc = self.scenario
        self.tariff_names = list(sc.tariffs)
        self.baseline_row = self.tariff_names.index(sc.baseline.tariff)
        retailer_tariff = np.array([self.tariff_names.index(r.tariff) for r in sc.retailers])
        self.offered_tariff = retailer_tariff[population.retailer]  # what the retailers sell, even in the baseline
        self.offered_bill_eur = np.zeros(population.n)  # the same consumption at those tariffs (neutrality check)
        # prices over every started day plus one, so the last day's plans can look past midnight
        days = -(-sc.n_steps // sc.steps_per_day) + 1
        self.extended_times = pd.date_range(sc.start, periods=days * sc.steps_per_day, freq=f"{sc.step_minutes}min")
        self._set_prices({})
        self.standing_eur_per_day = np.array([t.standing_eur_per_day for t in sc.tariffs.values()])

    def _initial_tariff(self, population) -> np.ndarray:
        """Each home's tariff row: its retailer's (the baseline's flat tariff for everyone in the baseline)."""
        sc = self.scenario
        if not self.demand_response:
            return np.full(population.n, self.baseline_row)
        retailer_tariff = np.array([self.tariff_names.index(r.tariff) for r in sc.retailers])
        return retailer_tariff[population.retailer]

    def _set_prices(self, event_days: dict) -> None:
        """Price rows of every tariff over the extended horizon; the network part kept apart (DSO revenue)."""
        times, tariffs = self.extended_times, self.scenario.tariffs
        parts = [components(t, times, event_days.get(name, ())) for name, t in tariffs.items()]
        self.network_prices = np.vstack([network for _, network in parts])
        self.prices = np.vstack([energy for energy, _ in parts]) + self.network_prices
        rows = zip(tariffs.values(), self.prices, strict=True)
        self.export_prices = np.vstack([t.export_prices(row) for t, row in rows])  # feed-in or net metering
        self.pays_export = bool(self.export_prices.any())
        days = times[:: self.scenario.steps_per_day].date
        self.event_days = event_days
        self.events = np.array([[d in set(event_days.get(name, ())) for d in days] for name in tariffs])

    def _meter_ids(self, n: int) -> list[str]:
        """Each household's meter id: the name of its load in the grid (e.g. 'hh12')."""
        return self.grid.net.load["name"].astype(str).tolist()[:n]

    def _setup_agents(self) -> None:
        """The Mesa agents: views onto their rows of the fleets' arrays (`model.agents_by_type[Household]`)."""
        pop = self.population
        self.households = [Household(self, row) for row in range(pop.n)]
        self.hems = [cls(self, self.households[r]) for r, cls in zip(*self._hems_classes(), strict=True)]
        self.fleet["hems"].attach(self.hems)
        self.evs = [ElectricVehicle(self, self.households[r]) for r in np.flatnonzero(pop.has_ev)]
        self.retailers = [Retailer(self, row) for row in range(self.fleet["retailers"].n)]
        self.dso = Dso(self)
        self.buildings = [Building(self, row) for row in range(self.fleet["buildings"].n)]
        self.heat_pumps = [HeatPump(self, self.households[r], i) for i, r in enumerate(self.fleet["heat_pumps"].rows)]

    def _hems_classes(self) -> tuple[np.ndarray, list[type]]:
        """Rows with a HEMS and the agent class of each: the scenario's controller for its share, else `Hems`."""
        rows = np.flatnonzero(self.population.has_hems)
        spec = self.scenario.hems
        if not spec.controller or not self.demand_response:
            return rows, [Hems] * len(rows)
        custom = spec.controller_class()
        chosen = self.streams["controllers"].random(len(rows)) < spec.controller_share
        return rows, [custom if c else Hems for c in chosen]

    def _setup_events(self, profiles, pop) -> None:
        """The DSO picks CPP event days over the whole season from its forecast (announced the day before)."""
        self.home_scales = HomeScales(profiles.base_scale_kw, pop.profile_type, pop.heating_kw, pop.heating_profile)
        self.season_forecast_kw = season_forecast(self.scenario, self.home_scales)
        events = pick_events(self.scenario, self.season_forecast_kw)
        if events:
            self._set_prices(events)

    # --- the fleets' arrays, by the names the rest of the simulator reads ----------------------
    @property
    def tertiary(self):
        """The building fleet (its old name)."""
        return self.fleet["buildings"]

    @property
    def population(self):
        """The households' drawn attributes (`agents.households.population.Population`)."""
        return self.fleet["households"].population

    @property
    def book(self):
        """Planned appliance and EV power of every home (today and tomorrow)."""
        return self.fleet["households"].book

    @property
    def household_tariff(self) -> np.ndarray:
        """Each home's row in the price arrays (opt-outs move it to the baseline's)."""
        return self.fleet["households"].tariff

    @property
    def managed(self) -> np.ndarray:
        """Homes whose HEMS acts (none in the baseline)."""
        return self.fleet["households"].managed

    @property
    def response(self):
        """The households' demand response and engagement."""
        return self.fleet["households"].response

    @property
    def measured(self):
        """The measured households, or None."""
        return self.fleet["households"].measured

    @property
    def contracted_kva(self) -> np.ndarray:
        """Each home's contracted power [kVA]."""
        return self.fleet["households"].contracted_kva

    @property
    def bill_eur(self) -> np.ndarray:
        """What each home has paid so far [€]."""
        return self.fleet["households"].bill_eur

    @property
    def bill_network_eur(self) -> np.ndarray:
        """The network part of each home's bill so far [€]."""
        return self.fleet["households"].bill_network_eur

    @property
    def pv_kw_per_kwp(self) -> np.ndarray:
        """PV output per kWp of the 8 PV shapes over the horizon (shapes × steps) [kW/kWp]."""
        return self.fleet["households"].profiles.pv_kw_per_kwp

    @property
    def power_trips(self) -> np.ndarray:
        """Steps each home's meter tripped on its contracted power."""
        return self.fleet["households"].power_trips

    # --- the schedule -------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one metering interval: fleets start the day → DSO decides, hub runs → power → grid → DSO → record."""
        k = self.steps - 1  # Mesa counts the step before calling us
        day, in_day = divmod(k, self.scenario.steps_per_day)
        clock = _PhaseClock(self.phase_s)
        if in_day == 0:
            self._start_day(day)
            clock.lap("plan")
        if self.market is not None:  # the DSO decides; hub messages travel to the end of the step
            self.market.start_step(k)
            self.fleet["dso"].decide(k, self.market)
            self.market.deliver(k)
            clock.lap("market")
        p_kw, q_kvar = self.loads(k, in_day)
        clock.lap("households")
        report = self.grid.solve(p_kw, q_kvar)
        self._record_q(k, p_kw, q_kvar)
        if not report.converged:
            self.grid_events.append(GridNotConverged(step=k, cause=report.cause))
        clock.lap("power_flow")
        for fleet in self.fleets:
            fleet.observe(k, report)
        clock.lap("dso")
        self._record(k, report)
        clock.lap("record")
        if k + 1 >= self.scenario.n_steps:
            settle_after_horizon(self)
            self.running = False

    def _start_day(self, day: int) -> None:
        """Every fleet starts the day in turn (routines, responses, plans), then settles it."""
        sc, spd = self.scenario, self.scenario.steps_per_day
        ctx = DayContext(day, self.prices[:, day * spd : (day + 2) * spd], self.events[:, day], spd, sc.step_h)
        try:
            for fleet in self.fleets:
                fleet.start_day(day, ctx)
        except ControllerError as exc:
            raise ControllerFailed(f"day {day}: {exc}") from exc
        for fleet in self.fleets:
            fleet.settle_day(day, ctx)
        homes = self.fleet["households"]
        self.offered_bill_eur += homes.standing_eur_per_day[self.offered_tariff] + homes.standing_eur_per_day_kva
        today = slice(day * spd, min((day + 1) * spd, sc.n_steps))
        self.recorder.district["engaged_share"][today] = homes.engaged_share
        self.recorder.district["engagement_mean"][today] = homes.engagement_mean

    def loads(self, k: int, in_day: int) -> tuple[np.ndarray, np.ndarray]:
        """Every grid load's p and q in step `k` (fleets in order: households, then buildings) [kW, kvar]."""
        parts = [loads for fleet in self.fleets if (loads := fleet.power(k, in_day)) is not None]
        return np.concatenate([x.p_kw for x in parts]), np.concatenate([x.q_kvar for x in parts])

    def _record(self, k: int, report: object) -> None:
        homes, rec, h = self.fleet["households"], self.recorder, self.scenario.step_h
        price = self.prices[homes.tariff, k]
        homes.meter(price, self.network_prices[homes.tariff, k], h)
        imported, exported = np.maximum(homes.p_kw, 0.0), np.maximum(-homes.p_kw, 0.0)
        self.offered_bill_eur += imported * h * self.prices[self.offered_tariff, k]
        if self.pays_export:  # feed-in or net metering: the export is credited on the bill
            credit = exported * h * self.export_prices[homes.tariff, k]
            rec.household["export_credit_eur"] += credit
            homes.bill_eur -= credit
            self.offered_bill_eur -= exported * h * self.export_prices[self.offered_tariff, k]
        d = rec.district
        d["load_kw"][k] = homes.load_kw.sum()
        d["pv_kw"][k] = homes.pv_kw.sum()
        d["net_load_kw"][k] = homes.p_kw.sum()
        d["appliance_kw"][k] = homes.appliance_kw.sum()
        d["ev_kw"][k] = homes.ev_kw.sum()
        d["price_mean_eur_per_kwh"][k] = price.mean()
        rec.converged[k] = report.converged
        if report.converged:
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
        self._record_buildings(k)
        for fleet in self.fleets:
            fleet.record(k, d)

    def _record_q(self, k: int, p_kw: np.ndarray, q_kvar: np.ndarray) -> None:
        """Reactive power per substation (every load behind it) and, if asked, the households' own series."""
        n_sub = len(self.grid.substation_names)
        self.recorder.substation["q_kvar"][k] = np.bincount(self.grid.household_substation, q_kvar, minlength=n_sub)
        if self.household_series is not None:
            n = self.population.n
            self.household_series.record(k, p_kw[:n], q_kvar[:n], self.fleet["households"].load_kw)

    def _record_buildings(self, k: int) -> None:
        """Add the buildings to the district series (so the energy balance closes) and record their own."""
        b = self.fleet["buildings"]
        if b.n == 0:
            load_kw = pv_kw = np.zeros(0)
        else:
            load_kw, pv_kw = b.load_kw, b.pv_kw_now
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
