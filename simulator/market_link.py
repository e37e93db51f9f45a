"""The market hub inside a city run: its SimPy clock, the HEMS and meters it reaches, the DSO acting through it.

`CityModel` makes one when the scenario has a `[hub]` section and demand response is on (the baseline has
no hub). Each step `start_step(k)` moves its clock, the DSO fleet decides (asking areas to
`declare_flexibility` and sending through the hub), and `deliver(k)` runs SimPy to the end of the step: a
message that needs 230 ms arrives 230 ms into the step and its receiver acts from then on, pro-rated
(DESIGN.md, "Time"). `limit_in_place` applies emergency limits to the step's household power in bulk.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd
import scipy.sparse as sp
import simpy

from agents.buildings.gateway import BemGateway
from agents.dso.acting import Congestion
from agents.dso.fleet import DsoFleet
from agents.dso.limits import ContractedLimits
from agents.hems.gateway import BookClock, HemsGateway
from market.access import DSO, household_consent
from market.hub import MarketHub
from market.interfaces import Delivery
from market.messages import (
    ContractedPowerReduction,
    HemsActivation,
    RestoreOrder,
    TariffCalendar,
    client_ids,
    frozen_floats,
)
from simulator.grid.grid import Grid
from simulator.hub_record import HubRecord
from simulator.scenario import Scenario


class Prices(Protocol):
    """The model's price rows the link reads (network part: the DSO's tariff calendars)."""

    tariff_names: list[str]
    network_prices: np.ndarray  # tariffs × steps of the extended horizon [€/kWh]


DRAIN_S = 3600.0  # after the last step, requests still in flight get this long to end


class MarketLink:
    """The hub, the HEMS fleet, the meters' limits and the DSO's acting half, wired to one model's arrays."""

    def __init__(self, scenario: Scenario, fleet: dict, grid: Grid, prices: Prices, rng: np.random.Generator) -> None:
        """Wire the hub to the fleets' arrays: `fleet` by kind, `prices` the model's price rows (read each day)."""
        sc = scenario
        homes, buildings = fleet["households"], fleet["buildings"]
        pop = homes.population
        self.homes, self.prices, self.grid = homes, prices, grid
        self.env = simpy.Environment()
        self.step_s = sc.step_s
        self.steps_per_day = sc.steps_per_day
        b_substation, b_retailer = _building_clients(sc, grid, buildings, pop.n)
        retailer_of = np.concatenate([pop.retailer, b_retailer])
        consent = np.r_[household_consent(sc.seed, pop.n, sc.households.consent_share), np.ones(b_retailer.size, bool)]
        self.hub = MarketHub(
            self.env, sc.hub, rng, [r.name for r in sc.retailers], retailer_of, consent
        )  # buildings are not households: no personal data, always "consenting"
        self.clock = BookClock(sc.step_s)
        self.bems = BemGateway(buildings, self.clock, pop.n)
        self.limits = ContractedLimits(homes.contracted_kva * sc.households.power_factor, homes.managed)
        self.hems = HemsGateway(homes.book, self.clock, homes.managed, self.limits)
        self.hems.on_book_change = self._refresh_flexible
        self.hub.register_hems(self._receive)
        self.hub.register_meters(self._meters)
        n_sub = len(grid.substation_names)
        self._by_substation = sp.csr_matrix((np.ones(pop.n), (pop.substation, np.arange(pop.n))), shape=(n_sub, pop.n))
        self.flexible_kw = np.zeros((2 * self.steps_per_day, n_sub))
        areas = [client_ids(np.flatnonzero(pop.substation == s)) for s in range(n_sub)]
        flex_areas = [client_ids(np.r_[a, pop.n + np.flatnonzero(b_substation == s)]) for s, a in enumerate(areas)]
        specs = (sc.dso.forecast, sc.dso.flexibility, sc.dso.emergency)
        self.dso = Congestion(
            self.hub, sc.dso.transformer_loading_threshold_pct, specs, areas, grid.substation_names,
            (self.steps_per_day, self.step_s), self._planned, flex_areas, sc.dso.controller_class(),
        )  # fmt: skip
        dso: DsoFleet = fleet["dso"]
        dso.congestion = self.dso
        self._calendars: dict[int, tuple] = {}
        self._record: HubRecord | None = None

    # --- each step ----------------------------------------------------------------------------
    def start_step(self, k: int) -> None:
        """Move the hub's clock to step `k`; on a new day, refresh the plans it sees and send tariff calendars."""
        day, in_day = divmod(k, self.steps_per_day)
        if in_day == 0:
            self.clock.day_start_s = day * self.steps_per_day * self.step_s
            self._refresh_flexible(0, 2 * self.steps_per_day)
            self._send_tariff_calendars(day)
        self.clock.row = in_day

    def declare_flexibility(self, substation: int, start_s: float, end_s: float) -> None:
        """The area's HEMS and BEMs declare their planned flexible load in the window to their retailer platforms."""
        for r, ids in self.hub.access.split_by_retailer(self.dso.flex_areas[substation]).items():
            building = self.bems.is_building(ids)
            self.hems.declare(self.hub.platform(r).declare, ids[~building], start_s, end_s)
            self.bems.declare(self.hub.platform(r).declare, ids[building], start_s, end_s)

    def deliver(self, k: int) -> None:
        """Messages travel until the end of step `k` and change plans and limits on arrival."""
        self.env.run(until=(k + 1) * self.step_s)

    def limit_in_place(
        self, k: int, base_kw: np.ndarray, appliance_kw: np.ndarray, ev_kw: np.ndarray, pv_kw: np.ndarray
    ) -> None:
        """Apply emergency limits to step `k`'s household power (arrays changed in place; deferred load to k + 1)."""
        if self.limits.active.size == 0:
            return
        nxt = k % self.steps_per_day + 1
        book = self.homes.book
        self.limits.apply(
            k * self.step_s, self.step_s, base_kw, appliance_kw, ev_kw, pv_kw, book.appliance_kw[nxt], book.ev_kw[nxt]
        )
        self._refresh_flexible(nxt, nxt + 1)

    # --- receivers and helpers ------------------------------------------------------------------
    def _receive(self, delivery: Delivery) -> np.ndarray | None:
        """Hub → HEMS gateways and BEMs: an activation is split between homes and buildings, the rest is homes'."""
        msg, ids = delivery.message, delivery.client_ids
        building = self.bems.is_building(ids)
        if not isinstance(msg, HemsActivation) or not building.any():
            return self.hems.receive(delivery)
        delivered = np.zeros(ids.size)
        at, rid = delivery.arrival_s, delivery.request_id
        delivered[building] = self.bems.activate(_part(msg, building), ids[building], at[building], rid)
        if (~building).any():
            homes = Delivery(_part(msg, ~building), ids[~building], at[~building], rid)
            delivered[~building] = self.hems.receive(homes)
        return delivered

    def _meters(self, delivery: Delivery) -> None:
        msg, ids, at = delivery.message, delivery.client_ids, delivery.arrival_s
        if isinstance(msg, ContractedPowerReduction):
            self.limits.order(ids, msg.reduction_pct, np.maximum(at, msg.start_s), delivery.request_id)
        elif isinstance(msg, RestoreOrder):
            self.limits.lift(ids, at, meters=True)

    def _planned(self, step: int, n_steps: int) -> np.ndarray:
        rows = step % self.steps_per_day + np.arange(n_steps)
        inside = rows < self.flexible_kw.shape[0]
        out = np.zeros((n_steps, self.flexible_kw.shape[1]))
        out[inside] = self.flexible_kw[rows[inside]]
        return out

    def _refresh_flexible(self, r0: int, r1: int) -> None:
        """Per-substation sum of planned flexible load in book rows [r0, r1)."""
        book = self.homes.book
        rows = book.appliance_kw[r0:r1] + book.ev_kw[r0:r1]
        self.flexible_kw[r0:r1] = (self._by_substation @ rows.T).T

    def _send_tariff_calendars(self, day: int) -> None:
        """DSO → hub → platforms → HEMS: each tariff's network-price calendar, whenever it differs from the last."""
        tariff, spd = self.homes.tariff, self.steps_per_day
        window = self.prices.network_prices[:, day * spd : (day + 2) * spd]
        for t in np.unique(tariff):
            row = window[t]
            change = np.flatnonzero(np.r_[True, np.diff(row) != 0])
            key = (tuple(change), tuple(row[change]))  # relative: a daily ToU calendar is sent once
            if self._calendars.get(int(t)) == key:
                continue
            self._calendars[int(t)] = key
            ids = client_ids(np.flatnonzero(tariff == t))
            starts = tuple(float((day * spd + c) * self.step_s) for c in change)
            msg = TariffCalendar(self.prices.tariff_names[t], ids, starts, tuple(float(p) for p in row[change]))
            self.hub.request(DSO, msg)

    # --- the record ---------------------------------------------------------------------------
    def record(self) -> HubRecord:
        """Let requests in flight end, then the hub's tables and the counters the KPIs read (built once)."""
        if self._record is not None:
            return self._record
        self.env.run(until=self.env.now + DRAIN_S)
        self.hub.close_open()
        requests = self.hub.request_log()
        sent = pd.DataFrame([s.__dict__ for s in self.dso.sent])
        names = np.asarray(self.grid.substation_names, dtype=object)
        if len(sent):
            sent["area"] = names[sent["substation"].to_numpy()]
            effective: dict[int, float] = {}
            for acted in (self.bems.effective_s, self.hems.effective_s, self.limits.effective_s):
                for rid, t_s in acted.items():
                    effective[rid] = max(effective.get(rid, t_s), t_s)
            sent["effective_s"] = sent["request_id"].map(effective).astype(float)
            requests = requests.merge(sent.drop(columns="kind"), on="request_id", how="left")
        self._record = HubRecord.build(self.hub, self.limits, self.hems, self.bems, requests)
        return self._record


def _part(msg: HemsActivation, keep: np.ndarray) -> HemsActivation:
    """The activation for the clients in `keep` only."""
    return HemsActivation(
        msg.request_id, client_ids(msg.client_ids[keep]), frozen_floats(msg.p_kw[keep]), msg.start_s, msg.end_s
    )


def _building_clients(scenario: Scenario, grid: Grid, buildings, n_homes: int) -> tuple[np.ndarray, np.ndarray]:
    """Each building's substation, and its retailer: the first selling the tariff it pays (else the first)."""
    substation = np.asarray(grid.household_substation[n_homes:], dtype=np.int64)
    tariffs = [r.tariff for r in scenario.retailers]
    retailer = np.array([tariffs.index(b.tariff) if b.tariff in tariffs else 0 for b in buildings.specs])
    return substation, retailer.astype(np.int64).reshape(-1)
