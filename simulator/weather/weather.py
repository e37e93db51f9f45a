"""The weather of a run on its steps: PV output per kWp, and each day's temperature where a file gives it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulator.weather.files import read_weather_file
from simulator.weather.monthly import NEAREST_KM, nearest_place
from simulator.weather.sky import clear_sky, daily_clear_sky_index, plane_of_array, sample_times
from simulator.weather.spec import WeatherSpec


@dataclass
class Weather:
    """Per step: GHI and AC output per kWp; per day: clear-sky index (model) and mean temperature (files)."""

    ghi_w_per_m2: np.ndarray
    pv_kw_per_kwp: np.ndarray
    days: pd.DatetimeIndex
    clear_sky_index: np.ndarray | None = None
    temperature_c: np.ndarray | None = None  # daily means
    hdd_month_mean: np.ndarray | None = None  # the file's mean heating degree-days of each month (January first)
    source: str = ""
    warnings: list[str] = field(default_factory=list)


def weather_on_steps(
    spec: WeatherSpec, location, pv, times: pd.DatetimeIndex, step_minutes: int, rng: np.random.Generator
) -> Weather:
    """Irradiance and PV per kWp on `times` (sub-step averages) from the `[weather]` source."""
    points, sub = sample_times(times, step_minutes)
    sun = clear_sky(points, location.latitude, location.longitude, location.timezone)
    days = pd.DatetimeIndex(sorted(set(times.normalize())))
    day_of_point = days.get_indexer(points.normalize().where(points.normalize() <= days[-1], days[-1]))
    if spec.source == "stochastic":
        monthly, source, warnings = _monthly_table(spec, location)
        if monthly is None:  # no table for this place: clear sky, derated, every day (and the run says so)
            return _clear_sky_fallback(spec, location, pv, times, sun, sub, days)
        h = step_minutes / sub / 60.0
        cs_day = np.bincount(day_of_point, sun["ghi_cs"].to_numpy(), minlength=len(days)) * h / 1000.0
        kc = daily_clear_sky_index(spec, monthly, days, cs_day, rng)
        ghi = sun["ghi_cs"].to_numpy() * kc[day_of_point]
        temperature = None
    else:
        frame, file_days = read_weather_file(spec, points)
        ghi = np.minimum(frame["ghi_w_per_m2"].to_numpy(), 1400.0)
        kc, source, warnings = None, f"{spec.source} file {spec.file}", []
        temperature = pd.Series(frame["temperature_c"].to_numpy()).groupby(day_of_point).mean().to_numpy()
        hdd = pd.Series(heating_degree_days(file_days.to_numpy()), index=file_days.index)
        hdd_month = hdd.groupby(hdd.index.month).mean().reindex(range(1, 13)).to_numpy()
    poa = plane_of_array(ghi, sun, pv.tilt_deg, pv.azimuth_deg)
    per_kwp = (poa / 1000.0 * spec.performance_ratio).reshape(sub, len(times)).mean(axis=0)
    hdd_month = hdd_month if spec.source != "stochastic" else None
    return Weather(
        ghi.reshape(sub, len(times)).mean(axis=0), per_kwp, days, kc, temperature, hdd_month, source, warnings
    )


def _monthly_table(spec: WeatherSpec, location) -> tuple[tuple[float, ...] | None, str, list[str]]:
    if spec.monthly_ghi_kwh_m2_day is not None:
        return spec.monthly_ghi_kwh_m2_day, "stochastic clear-sky index on [weather] monthly_ghi_kwh_m2_day", []
    place, km = nearest_place(location.latitude, location.longitude)
    if place is None or km > NEAREST_KM:
        return None, "", []
    source = f"stochastic clear-sky index, {place.name} monthly table ({place.source})"
    if place.verified:
        return place.ghi_kwh_m2_day, source, []
    warning = (
        f"weather: PV from the stochastic clear-sky-index model on {place.name}'s monthly irradiation table "
        f"({place.source}); give a csv/epw weather file or monthly_ghi_kwh_m2_day for a study"
    )
    return place.ghi_kwh_m2_day, source, [warning]


def _clear_sky_fallback(spec, location, pv, times, sun, sub, days) -> Weather:
    ghi = sun["ghi_cs"].to_numpy() * pv.clear_sky_derate
    poa = plane_of_array(sun["ghi_cs"].to_numpy(), sun, pv.tilt_deg, pv.azimuth_deg) * pv.clear_sky_derate
    per_kwp = (poa / 1000.0).reshape(sub, len(times)).mean(axis=0)
    warning = (
        f"weather: no monthly irradiation table within {NEAREST_KM:g} km of {location.name} ({location.latitude}, "
        f"{location.longitude}): PV is clear sky × households.pv.clear_sky_derate ({pv.clear_sky_derate:g}) every "
        "day; give [weather] monthly_ghi_kwh_m2_day (12 values, e.g. from PVGIS) or a csv/epw weather file"
    )
    source = "clear sky × derate (no monthly table for the place)"
    return Weather(ghi.reshape(sub, len(times)).mean(axis=0), per_kwp, days, None, None, None, source, [warning])


HDD_BASE_C, HDD_THRESHOLD_C = 18.0, 15.0  # Eurostat heating degree-days: 18 °C − T on days with T ≤ 15 °C


def heating_degree_days(temperature_c: np.ndarray) -> np.ndarray:
    """Eurostat's heating degree-days of days with these mean temperatures."""
    return np.where(temperature_c <= HDD_THRESHOLD_C, HDD_BASE_C - temperature_c, 0.0)


def heating_day_factor(weather: Weather) -> np.ndarray:
    """Each run day's heating degree-days over the mean of its month in the weather file.

    The heating shapes carry a typical month's level; this moves it day by day with the file's temperature
    (a cold day heats more, a mild one less) while keeping the month's mean (a month the file leaves without
    heating degree-days keeps the shapes as they are).
    """
    hdd = heating_degree_days(weather.temperature_c)
    mean = np.nan_to_num(weather.hdd_month_mean[weather.days.month.to_numpy() - 1])
    return np.where(mean > 0, hdd / np.maximum(mean, 1e-9), 1.0)


def heating_steps_factor(weather: Weather, steps_per_day: int) -> np.ndarray:
    """`heating_day_factor` per step (steps × 1) over the run's days and one more (the planning day after)."""
    factor = heating_day_factor(weather)
    return np.repeat(np.append(factor, factor[-1]), steps_per_day)[:, None]
