"""A run as a Gymnasium environment: one controller role decides, the rest of the city is simulated.

Role "retailer" (`retailer_id`: the scenario's first retailer unless named): each env step is one day. The
action is the day's price signal: per hour, the base-2 log of a multiplier on every tariff's prices
(`Box(-1, 1, (24,))`: ½× … 2×); customers and their HEMS plan the day on it (`agents.retailers.controller`),
bills stay on the tariffs. The observation is what the hub releases to that retailer (`simulator.env_roles`):
the aggregate metered load per hour of the last day of its own consenting clients (zeros when they are fewer
than the hub's minimum group; normalised by their share of the DSO's day-ahead forecast mean) and its
clients' tariff price per hour of the coming day (normalised by its mean).

Role "hems": like the retailer, a day per env step and `Box(-1, 1, (24,))`, but the multiplier steers only
what the HEMS fleet plans on (the fleet controller protocol, `agents.hems.controller`; bills stay on the
tariffs); it observes the managed homes' summed load per hour of the last day (zeros below the minimum
group) and their tariff per hour of the coming day.

Role "dso": each env step is one model step. The action (`Box(0, 1, (2, substations))`) is, per substation,
the flexibility to request as a share of the transformer's rating and an emergency flag (> 0.5), taken
through the DSO's controller protocol and sent through the hub (needs a `[hub]` section). The observation is
each substation's last measured loading, voltage band and emergency flag, and the time of day.

The reward is a weighted KPI mix over the env step: − (peak · peak/forecast mean + cost · bills/forecast
energy cost + deferral · shifted/forecast energy + overloads · share of overloaded substation-steps);
weights default to the peak only.

`reset(seed=s)` rebuilds the model with seed `s` (the scenario's seed when None): the same seed and
actions give bit-identical observations and rewards. Needs the optional extra `rl` (gymnasium).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import gymnasium as gym
import numpy as np

from simulator.cpp_season import forecast_kw
from simulator.env_roles import (
    HOURS,
    ActedControl,
    HemsFleetRole,
    HourlySignal,
    RetailerRole,
    SteeredStart,
    dso_observation,
)
from simulator.model import CityModel
from simulator.model_registry import release_model
from simulator.scenario import Scenario, load_scenario
from simulator.tertiary import build_city_grid

ROLES = ("retailer", "dso", "hems")
DEFAULT_WEIGHTS = {"peak": 1.0, "cost": 0.0, "deferral": 0.0, "overloads": 0.0}


class CityEnv(gym.Env):
    """A controller role of a city scenario as a Gymnasium environment (see the module doc)."""

    metadata: ClassVar[dict[str, list]] = {"render_modes": []}

    def __init__(
        self,
        scenario: Scenario | str | Path,
        role: str = "retailer",
        reward_weights: dict[str, float] | None = None,
        retailer_id: str | None = None,
    ) -> None:
        if role not in ROLES:
            raise ValueError(f"role: {role!r} is not a role this environment offers; allowed: {list(ROLES)}")
        self.scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        unknown = set(reward_weights or {}) - set(DEFAULT_WEIGHTS)
        if unknown:
            raise ValueError(f"reward_weights: unknown {sorted(unknown)}; allowed: {sorted(DEFAULT_WEIGHTS)}")
        self.role = role
        self.weights = {**DEFAULT_WEIGHTS, **(reward_weights or {})}
        names = [r.name for r in self.scenario.retailers]
        if retailer_id is not None and retailer_id not in names:
            raise ValueError(f"retailer_id: {retailer_id!r} is not a retailer of the scenario; allowed: {names}")
        self.retailer_id = retailer_id or (names[0] if names else "")
        if role in ("retailer", "hems"):
            self.action_space = gym.spaces.Box(-1.0, 1.0, shape=(HOURS,), dtype=np.float32)  # log2 of the multiplier
            self.observation_space = gym.spaces.Box(-10.0, 10.0, shape=(2 * HOURS,), dtype=np.float32)
        else:
            if self.scenario.hub is None:
                raise ValueError("role: 'dso' acts through the market hub; the scenario has no [hub] section")
            n = len(build_city_grid(self.scenario).substation_names)
            self.action_space = gym.spaces.Box(0.0, 1.0, shape=(2, n), dtype=np.float32)
            self.observation_space = gym.spaces.Box(-10.0, 10.0, shape=(4 * n + 2,), dtype=np.float32)
        self.model: CityModel | None = None

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        """A fresh run of the scenario (seeded), before its first step."""
        super().reset(seed=seed)
        sc = self.scenario if seed is None else self.scenario.model_copy(update={"seed": int(seed)})
        release_model(self.model)  # the previous episode's model (mesa's registry would keep it)
        self.model = m = CityModel(sc)
        forecast = forecast_kw(sc, m.home_scales, m.times)  # the DSO's base-load forecast [kW]
        self._ref_kw = max(float(forecast.mean()), 1e-9)
        tariff = m.fleet["households"].tariff
        self._ref_eur = max(self._ref_kw * sc.step_h * float(m.prices[tariff].mean()), 1e-9)
        self.day = 0
        if self.role == "dso":
            congestion = m.fleet["dso"].congestion
            old = congestion.control
            self.control = ActedControl(old.threshold_pct, old.flex, old.emergency, old.mode.size)
            congestion.control = self.control
            return self._dso_observation(), {}
        if self.role == "hems":
            self.signal = m.fleet["hems"].controller = SteeredStart()
            self.view = HemsFleetRole(m)
        else:
            self.signal = m.fleet["retailers"].controller = HourlySignal()
            self.view = RetailerRole(m, self.retailer_id)
        spd = sc.steps_per_day
        share = self.view.release(0.0).size / max(m.fleet["households"].n, 1)
        self._ref_group_kw = max(self._ref_kw * share, 1e-9)
        self._last_load = forecast[:spd] * share / self._ref_group_kw
        return self._retailer_observation(), {}

    def step(self, action: np.ndarray):
        """Run the env step (a day for the retailer, a model step for the DSO); its reward from the KPI mix."""
        if self.role == "dso":
            self.control.action = np.asarray(action, dtype=float)
            n_steps = 1
        else:
            self.signal.multiplier = 2.0 ** np.clip(np.asarray(action, dtype=float), -1.0, 1.0)
            n_steps = self.scenario.steps_per_day
            self.view.release(self.model.steps * self.scenario.step_h * 3600.0)  # the hub's check, once a day
        m, sc = self.model, self.scenario
        homes, rec = m.fleet["households"], m.recorder
        bill0, shifted0 = homes.bill_eur.sum(), rec.household["shifted_kwh"].sum()
        first = m.steps
        group = []
        while m.running and m.steps < first + n_steps:
            m.step()
            if self.role != "dso":
                group.append(self.view.aggregate_kw(homes.p_kw))
        k = slice(first, m.steps)
        load = rec.district["net_load_kw"][k]
        over = rec.substation["loading_pct"][k] > sc.dso.transformer_loading_threshold_pct
        terms = {
            "peak": float(load.max()) / self._ref_kw,
            "cost": float(homes.bill_eur.sum() - bill0) / (self._ref_eur * n_steps),
            "deferral": float(rec.household["shifted_kwh"].sum() - shifted0) / (self._ref_kw * sc.step_h * n_steps),
            "overloads": float(np.nan_to_num(over).mean()),
        }
        reward = -sum(self.weights[name] * value for name, value in terms.items())
        info = {"kpis": terms, "step": m.steps - 1}
        if self.role == "dso":
            return self._dso_observation(), reward, not m.running, False, info
        self._last_load = np.asarray(group) / self._ref_group_kw
        self.day += 1
        return self._retailer_observation(), reward, not m.running, False, {**info, "day": self.day}

    def _dso_observation(self) -> np.ndarray:
        return np.clip(dso_observation(self.model, self.model.steps - 1), -10.0, 10.0).astype(np.float32)

    def _retailer_observation(self) -> np.ndarray:
        m, spd = self.model, self.scenario.steps_per_day
        start = min(self.day, m.prices.shape[1] // spd - 1) * spd
        rows = m.fleet["households"].tariff[self.view.candidates] if self.view.candidates.size else [0]
        price = m.prices[np.unique(rows), start : start + spd].mean(axis=0)
        per_hour = [_hourly(self._last_load, spd), _hourly(price / max(price.mean(), 1e-9), spd)]
        return np.clip(np.concatenate(per_hour), -10.0, 10.0).astype(np.float32)


def _hourly(series: np.ndarray, spd: int) -> np.ndarray:
    """Mean of each hour of a day's steps (a short last day padded with its mean)."""
    full = np.full(spd, float(series.mean()) if series.size else 0.0)
    full[: series.size] = series[:spd]
    hour = np.arange(spd) * HOURS // spd
    return np.bincount(hour, full, minlength=HOURS) / np.bincount(hour, minlength=HOURS)
