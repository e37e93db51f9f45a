"""CPP events and CPP prices over the whole event season, not over the simulated days.

The DSO forecasts every day of each CPP tariff's season (`market.cpp_season`) from the standard
load shapes and each home's scale (plus electric heating), ranks the season's candidate days by
forecast peak and calls at most the season's cap: a one-week run gets the events that fall in its
week, as the programme would call them. Revenue-neutral CPP prices are designed over the same
season, on the forecast consumption scaled to the level the baseline run measured.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from agents.households.spec import SIMBENCH_HOUSEHOLD_PROFILES
from market.cpp_season import season_days
from market.tariffs import CppTariff
from simulator.profiles import on_steps, simbench_load_shapes
from simulator.scenario import Scenario


@dataclass(frozen=True)
class HomeScales:
    """What the DSO's standard-profile forecast needs per household: base-load scale, profile, heating."""

    base_scale_kw: np.ndarray
    profile_type: np.ndarray
    heating_kw: np.ndarray
    heating_profile: np.ndarray


def forecast_kw(scenario: Scenario, homes: HomeScales, times: pd.DatetimeIndex) -> np.ndarray:
    """The DSO's forecast of the households' summed load at `times`: standard shapes × each home's scale [kW]."""
    shapes = on_steps(simbench_load_shapes(SIMBENCH_HOUSEHOLD_PROFILES), times, scenario.step_minutes)
    weight = np.bincount(homes.profile_type, homes.base_scale_kw, minlength=shapes.shape[0])
    total = weight @ shapes
    heating = scenario.households.electric_heating
    if heating.share > 0 and homes.heating_kw.any():
        heat = on_steps(simbench_load_shapes(heating.profiles), times, scenario.step_minutes)
        total = total + np.bincount(homes.heating_profile, homes.heating_kw, minlength=heat.shape[0]) @ heat
    return total


def season_times(scenario: Scenario) -> pd.DatetimeIndex:
    """The scenario's steps over every day of the CPP seasons its days (and the planning day after) touch."""
    days = pd.date_range(scenario.start, periods=-(-scenario.n_steps // scenario.steps_per_day) + 1, freq="D").date
    season = sorted({d for t in scenario.tariffs.values() if isinstance(t, CppTariff) for d in season_days(t, days)})
    if not season:
        return pd.DatetimeIndex([])
    return _day_steps(season, scenario)


def season_forecast(scenario: Scenario, homes: HomeScales) -> pd.Series:
    """The forecast over `season_times` (empty without a CPP tariff or outside every season)."""
    times = season_times(scenario)
    values = forecast_kw(scenario, homes, times) if len(times) else np.zeros(0)
    return pd.Series(values, index=times, dtype=float)


def season_consumption_kwh(
    scenario: Scenario, homes: HomeScales, tariff: CppTariff, run_consumption_kwh: np.ndarray
) -> tuple[pd.DatetimeIndex, np.ndarray, int]:
    """Steps, consumption per step and days of `tariff`'s season(s) touched by the run, for its price design.

    The forecast's shape over the season, scaled so that over the run's own days it matches what the
    baseline run metered (the forecast knows the standard profiles, not appliances or EVs).
    """
    run_days = pd.date_range(scenario.start, periods=-(-scenario.n_steps // scenario.steps_per_day), freq="D").date
    days = season_days(tariff, run_days)
    if not days:
        times = pd.date_range(scenario.start, periods=len(run_consumption_kwh), freq=f"{scenario.step_minutes}min")
        return times, run_consumption_kwh, len(run_days)
    times = _day_steps(days, scenario)
    expected_run = forecast_kw(scenario, homes, scenario.times()).sum() * scenario.step_h
    level = float(run_consumption_kwh[: scenario.n_steps].sum() / expected_run) if expected_run > 0 else 1.0
    return times, forecast_kw(scenario, homes, times) * scenario.step_h * level, len(days)


def _day_steps(days: list[dt.date], scenario: Scenario) -> pd.DatetimeIndex:
    offsets = pd.to_timedelta(np.arange(scenario.steps_per_day) * scenario.step_minutes, unit="min")
    starts = pd.DatetimeIndex(pd.to_datetime(days))
    return pd.DatetimeIndex((starts.values[:, None] + offsets.values[None, :]).ravel())
