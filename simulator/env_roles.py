"""What each `CityEnv` role sees and decides, read through the market hub's access rules.

- `RetailerRole`: the hub releases to a retailer the aggregate of its own *consenting* clients, and only
  when they are at least the hub's minimum group (`market.access`, `market.disclosure.MIN_GROUP_SIZE`);
  a household that declined consent never enters its observation. Its decision is the day's price signal
  (`agents.retailers.controller`).
- `HemsFleetRole`: each HEMS reads its own client's row (`market.access`: a HEMS reaches its own client's
  data only); the fleet controller sees the sum over the managed homes, released only when they are at
  least `MIN_GROUP_SIZE`. Its decision is the day's steering signal: a multiplier per hour on the prices
  the HEMS fleet plans on (`agents.hems.controller`); bills stay on the tariffs.
- `DsoRole`: the DSO owns the metering data and reads grid reports; it sees each substation's measured
  transformer loading, voltage band and congestion mode (aggregates per substation). Its decision, per
  substation and step, is the size of a flexibility request and whether the area is in emergency, taken
  through the DSO's controller protocol (`agents.dso.control.CongestionControl`) and sent through the hub.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from agents.dso.control import EMERGENCY, NORMAL, CongestionControl, Decisions
from agents.hems.controller import CheapestStart, HemsDay
from agents.hems.plan import DayPlan
from agents.retailers.controller import RetailerController
from market.access import AccessControl, Operation, household_consent, retailer
from market.disclosure import disclosable

HOURS = 24


class HourlySignal(RetailerController):
    """Today's prices × the action's multiplier of each step's hour (tomorrow's half left as the tariff)."""

    def __init__(self) -> None:
        self.multiplier = np.ones(HOURS)

    def price_signal(self, day: int, prices: np.ndarray) -> np.ndarray:
        """Scale today's steps by their hour's multiplier."""
        spd = prices.shape[1] // 2
        hour = np.arange(spd) * HOURS // spd
        out = prices.copy()
        out[:, :spd] *= self.multiplier[hour][None, :]
        return out


class SteeredStart(CheapestStart):
    """The shipped HEMS plan on today's prices × the action's multiplier of each step's hour."""

    def __init__(self) -> None:
        self.signal = HourlySignal()

    @property
    def multiplier(self) -> np.ndarray:
        """Per hour of today: the multiplier on the prices the fleet plans on."""
        return self.signal.multiplier

    @multiplier.setter
    def multiplier(self, value: np.ndarray) -> None:
        self.signal.multiplier = value

    def plan_day(self, day: HemsDay) -> DayPlan:
        """`CheapestStart` on the steered prices."""
        return super().plan_day(replace(day, prices=self.signal.price_signal(0, day.prices)))


class ActedControl(CongestionControl):
    """The DSO's decisions from an outside action instead of the shipped state machine.

    `action[0, s]`: flexibility to request in area `s`, as a share of its transformer's rating (a request
    below `[dso.flexibility] min_request_kw`, or while the last window runs, is not sent); `action[1, s] > 0.5`:
    the area is in emergency (declared when it was normal; restored once at or below 0.5 and the emergency has
    run `[dso.emergency] min_steps`).
    """

    action: np.ndarray | None = None

    def decide(
        self, now_s: float, measured_pct: np.ndarray, forecast_pct: np.ndarray, pct_per_kw: np.ndarray
    ) -> Decisions:
        """Decisions from `self.action` (nothing when no action was set)."""
        out = Decisions()
        if self.action is None:
            return out
        in_em = self.mode == EMERGENCY
        self.emergency_steps[in_em] += 1
        want_em = self.action[1] > 0.5
        for s in np.flatnonzero(in_em & ~want_em & (self.emergency_steps >= self.emergency.min_steps)):
            self._to(int(s), NORMAL)
            out.restores.append(int(s))
        for s in np.flatnonzero(~in_em & want_em):
            self._to(int(s), EMERGENCY)
            out.emergencies.append(int(s))
        rating_kw = np.divide(100.0, pct_per_kw, out=np.zeros_like(pct_per_kw, dtype=float), where=pct_per_kw > 0)
        p_kw = np.clip(self.action[0], 0.0, 1.0) * rating_kw
        ask = (self.mode == NORMAL) & (self.flex_free_at_s <= now_s) & (p_kw >= self.flex.min_request_kw)
        for s in np.flatnonzero(ask):
            out.flexibility_kw[int(s)] = float(p_kw[s])
        return out


class RetailerRole:
    """A retailer's view: its consenting clients' aggregate load, as the hub's access check releases it."""

    def __init__(self, model, retailer_id: str) -> None:
        sc, homes = model.scenario, model.fleet["households"]
        n = homes.n
        if model.market is not None:
            self.access = model.market.hub.access
        else:  # no hub in the scenario: the same rules over the same consent draw
            names = tuple(r.name for r in sc.retailers)
            consent = household_consent(sc.seed, n, sc.households.consent_share)
            self.access = AccessControl(names, model.population.retailer, consent)
        self.party = retailer(retailer_id)
        portfolio = self.access.portfolio(retailer_id)
        self.candidates = self.access.may_receive(retailer_id, portfolio[portfolio < n])  # its consenting homes
        self.ids = np.empty(0, dtype=np.int64)

    def release(self, time_s: float) -> np.ndarray:
        """Ask the hub for the aggregate; the rows it covers (none when the group is too small)."""
        self.ids = np.asarray(self.access.check(self.party, Operation.READ_AGGREGATE, self.candidates, time_s).allowed)
        return self.ids

    def aggregate_kw(self, p_kw: np.ndarray) -> float:
        """The released aggregate of one step's household power [kW] (0 when withheld)."""
        return float(p_kw[self.ids].sum()) if self.ids.size else 0.0


class HemsFleetRole:
    """The HEMS fleet's view: the managed homes' summed load (each HEMS reads its own row), if a group."""

    def __init__(self, model) -> None:
        self.candidates = managed = np.flatnonzero(model.fleet["hems"].managed)
        self.ids = managed if managed.size and disclosable(managed.size) else managed[:0]

    def release(self, time_s: float) -> np.ndarray:
        """The rows the fleet's aggregate covers (none when fewer than the minimum group)."""
        return self.ids

    def aggregate_kw(self, p_kw: np.ndarray) -> float:
        """The fleet's summed power in one step [kW] (0 when withheld)."""
        return float(p_kw[self.ids].sum()) if self.ids.size else 0.0


def dso_observation(model, k: int) -> np.ndarray:
    """Per substation: last loading [/100 %], voltage min and max − 1 [p.u.], emergency flag; the time of day."""
    sub, spd = model.recorder.substation, model.scenario.steps_per_day
    n = len(model.grid.substation_names)
    if k < 0:
        loading, vmin, vmax = np.zeros(n), np.zeros(n), np.zeros(n)
    else:
        loading = np.nan_to_num(sub["loading_pct"][k]) / 100
        vmin = np.nan_to_num(sub["vm_min_pu"][k], nan=1.0) - 1.0
        vmax = np.nan_to_num(sub["vm_max_pu"][k], nan=1.0) - 1.0
    c = model.fleet["dso"].congestion
    mode = (c.control.mode == EMERGENCY).astype(float)
    phase = 2 * np.pi * ((k + 1) % spd) / spd
    return np.concatenate([loading, vmin, vmax, mode, [np.sin(phase), np.cos(phase)]])
