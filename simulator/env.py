"""A run as a Gymnasium environment: one controller role decides, the rest of the city is simulated.

Role "retailer" (the first role): each env step is one day. The action is the day's price signal:
per hour, the base-2 log of a multiplier on every tariff's prices (`Box(-1, 1, (24,))`: ½× … 2×);
customers and their HEMS plan the day on it (`agents.retailers.controller`), bills stay on the tariffs.
The observation is what a retailer may see of its customers: their aggregate metered load per hour of
the last day (normalised by the DSO's day-ahead forecast mean; not routed through the hub's access
checks) and the tariff's price per hour of the coming day (normalised by its mean). The reward is a
weighted KPI mix of the day: − (peak · peak/forecast mean + cost · bills/forecast energy cost +
deferral · shifted/forecast energy + overloads · share of overloaded substation-steps); weights
default to the peak only.

`reset(seed=s)` rebuilds the model with seed `s` (the scenario's seed when None): the same seed and
actions give bit-identical observations and rewards. Needs the optional extra `rl` (gymnasium).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import gymnasium as gym
import numpy as np

from agents.retailers.controller import RetailerController
from simulator.cpp_season import forecast_kw
from simulator.model import CityModel
from simulator.model_registry import release_model
from simulator.scenario import Scenario, load_scenario

HOURS = 24
DEFAULT_WEIGHTS = {"peak": 1.0, "cost": 0.0, "deferral": 0.0, "overloads": 0.0}


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


class CityEnv(gym.Env):
    """The retailer's daily price signal as a Gymnasium environment over a city scenario (see the module doc)."""

    metadata: ClassVar[dict[str, list]] = {"render_modes": []}

    def __init__(
        self, scenario: Scenario | str | Path, role: str = "retailer", reward_weights: dict[str, float] | None = None
    ) -> None:
        if role != "retailer":
            raise ValueError(f"role: {role!r} is not a role this environment offers; allowed: 'retailer'")
        self.scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        unknown = set(reward_weights or {}) - set(DEFAULT_WEIGHTS)
        if unknown:
            raise ValueError(f"reward_weights: unknown {sorted(unknown)}; allowed: {sorted(DEFAULT_WEIGHTS)}")
        self.weights = {**DEFAULT_WEIGHTS, **(reward_weights or {})}
        self.action_space = gym.spaces.Box(-1.0, 1.0, shape=(HOURS,), dtype=np.float32)  # log2 of the multiplier
        self.observation_space = gym.spaces.Box(-10.0, 10.0, shape=(2 * HOURS,), dtype=np.float32)
        self.model: CityModel | None = None

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        """A fresh run of the scenario (seeded), before its first day."""
        super().reset(seed=seed)
        sc = self.scenario if seed is None else self.scenario.model_copy(update={"seed": int(seed)})
        release_model(self.model)  # the previous episode's model (mesa's registry would keep it)
        self.model = CityModel(sc)
        self.signal = HourlySignal()
        self.model.fleet["retailers"].controller = self.signal
        spd = sc.steps_per_day
        forecast = forecast_kw(sc, self.model.home_scales, self.model.times)  # the DSO's base-load forecast [kW]
        self._ref_kw = max(float(forecast.mean()), 1e-9)
        tariff = self.model.fleet["households"].tariff
        self._ref_eur = max(self._ref_kw * sc.step_h * float(self.model.prices[tariff].mean()), 1e-9)
        self._last_load = forecast[:spd] / self._ref_kw
        self.day = 0
        return self._observation(), {}

    def step(self, action: np.ndarray):
        """Run one day on the action's price signal; the day's reward from the KPI mix."""
        m, sc = self.model, self.scenario
        self.signal.multiplier = 2.0 ** np.clip(np.asarray(action, dtype=float), -1.0, 1.0)
        spd, h = sc.steps_per_day, sc.step_h
        homes, rec = m.fleet["households"], m.recorder
        bill0, shifted0 = homes.bill_eur.sum(), rec.household["shifted_kwh"].sum()
        first = m.steps
        while m.running and m.steps < first + spd:
            m.step()
        k = slice(first, m.steps)
        load = rec.district["net_load_kw"][k]
        over = rec.substation["loading_pct"][k] > sc.dso.transformer_loading_threshold_pct
        terms = {
            "peak": float(load.max()) / self._ref_kw,
            "cost": float(homes.bill_eur.sum() - bill0) / (self._ref_eur * spd),
            "deferral": float(rec.household["shifted_kwh"].sum() - shifted0) / (self._ref_kw * h * spd),
            "overloads": float(np.nan_to_num(over).mean()),
        }
        reward = -sum(self.weights[name] * value for name, value in terms.items())
        self._last_load = load / self._ref_kw
        self.day += 1
        return self._observation(), reward, not m.running, False, {"kpis": terms, "day": self.day}

    def _observation(self) -> np.ndarray:
        m, spd = self.model, self.scenario.steps_per_day
        start = min(self.day, m.prices.shape[1] // spd - 1) * spd
        tariff = m.fleet["households"].tariff
        price = m.prices[tariff, start : start + spd].mean(axis=0)
        per_hour = [_hourly(self._last_load, spd), _hourly(price / max(price.mean(), 1e-9), spd)]
        return np.clip(np.concatenate(per_hour), -10.0, 10.0).astype(np.float32)


def _hourly(series: np.ndarray, spd: int) -> np.ndarray:
    """Mean of each hour of a day's steps (a short last day padded with its mean)."""
    full = np.full(spd, float(series.mean()) if series.size else 0.0)
    full[: series.size] = series[:spd]
    hour = np.arange(spd) * HOURS // spd
    return np.bincount(hour, full, minlength=HOURS) / np.bincount(hour, minlength=HOURS)
