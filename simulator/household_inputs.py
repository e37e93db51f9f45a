"""The arrays the household fleet reads, built from SimBench and pvlib: standard load shapes, PV, heating.

The model builds them (agents do not read data files or call pvlib) and passes them into the fleet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from agents.households.fleet import HouseholdProfiles
from agents.households.population import Population, appliance_kwh_per_year
from agents.households.spec import SIMBENCH_HOUSEHOLD_PROFILES
from simulator.profiles import (
    annual_full_load_hours,
    clear_sky_pv_kw_per_kwp,
    on_steps,
    simbench_load_shapes,
    simbench_pv_shapes,
)
from simulator.scenario import Scenario
from simulator.weather.weather import Weather, heating_steps_factor, weather_on_steps


def heating_full_load_h(scenario: Scenario) -> np.ndarray | None:
    """Annual full-load hours of each electric-heating profile (None where no home heats electrically)."""
    spec = scenario.households.electric_heating
    return annual_full_load_hours(simbench_load_shapes(spec.profiles)) if spec.share > 0 else None


def weather_for(scenario: Scenario, times: pd.DatetimeIndex, rng: np.random.Generator) -> Weather | None:
    """The run's weather on its steps where PV follows `[weather]` (None for the clear-sky and SimBench models)."""
    sc = scenario
    if sc.households.pv.model != "weather":
        return None
    return weather_on_steps(sc.weather, sc.location, sc.households.pv, times, sc.step_minutes, rng)


def household_profiles(
    scenario: Scenario,
    population: Population,
    times: pd.DatetimeIndex,
    extended_times: pd.DatetimeIndex,
    weather: Weather | None = None,
) -> HouseholdProfiles:
    """Standard load series per (profile type, shift), each home's scale, PV shapes and heating shapes."""
    sc, pop = scenario, population
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
    series = typed[(combos // n_shift)[None, :], cols]
    combo = pop.profile_type * n_shift + pop.profile_shift_steps + pad
    base_kwh = np.maximum(pop.annual_kwh - appliance_kwh_per_year(sc, pop), 0.3 * pop.annual_kwh)
    base_scale_kw = base_kwh / annual_full_load_hours(shapes)[pop.profile_type]
    heating = sc.households.electric_heating
    heat_series = (
        on_steps(simbench_load_shapes(heating.profiles), extended_times, sc.step_minutes).T
        if heating.share > 0
        else None
    )  # steps × heating profiles, max-normalised; × each heated home's peak kW
    if heat_series is not None and weather is not None and weather.temperature_c is not None:
        heat_series = heat_series * heating_steps_factor(weather, sc.steps_per_day)  # colder days heat more
    return HouseholdProfiles(
        series=series,
        combo=combo,
        base_scale_kw=base_scale_kw,
        pv_kw_per_kwp=pv_kw_per_kwp(sc, times, weather),
        heat_series=heat_series,
        q_per_p=np.tan(np.arccos(sc.households.power_factor)),
    )


def pv_kw_per_kwp(scenario: Scenario, times: pd.DatetimeIndex, weather: Weather | None = None) -> np.ndarray:
    """PV output per kWp over the horizon: 8 shapes × steps (weather, clear sky: one shape, broadcast) [kW/kWp]."""
    sc, pv = scenario, scenario.households.pv
    if weather is not None:
        return np.broadcast_to(weather.pv_kw_per_kwp, (8, sc.n_steps))
    if pv.model == "clearsky":
        loc = sc.location
        per_kwp = clear_sky_pv_kw_per_kwp(
            times, sc.step_minutes, latitude=loc.latitude, longitude=loc.longitude,
            timezone=loc.timezone, tilt_deg=pv.tilt_deg, azimuth_deg=pv.azimuth_deg,
        ) * pv.clear_sky_derate  # fmt: skip
        return np.broadcast_to(per_kwp, (8, sc.n_steps))
    return on_steps(simbench_pv_shapes(), times, sc.step_minutes)


def centred_shapes(scenario: Scenario, profiles: HouseholdProfiles) -> np.ndarray:
    """The standard shape of each profile type without shift over the horizon (types × steps)."""
    n_shift = 2 * scenario.households.profile_shift_max_steps + 1
    centred = np.arange(len(SIMBENCH_HOUSEHOLD_PROFILES)) * n_shift + n_shift // 2
    return profiles.series[: scenario.n_steps, centred].T
