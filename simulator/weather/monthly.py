"""Long-term monthly mean daily global horizontal irradiation of the shipped locations [kWh/m²/day].

The offline weather model draws each day's clear-sky index around the month's mean, so these tables set
how sunny a month is on average. They are approximate long-term means of satellite-derived data of the
kind PVGIS (EU JRC, PVGIS-SARAH) publishes per location, entered by hand and NOT checked against the
tool's output here: treat them as labelled assumptions (the run prints a warning) and give measured or
typical-year weather (`[weather] source = "csv"` or `"epw"`) or `monthly_ghi_kwh_m2_day` for a study.
Ordering between places (Porto less sunny than Lisbon in every month; Grenoble below both) follows the
latitude and climate of each city.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class MonthlyIrradiation:
    """A place and its mean daily global horizontal irradiation per month (January first) [kWh/m²/day]."""

    name: str
    latitude: float
    longitude: float
    ghi_kwh_m2_day: tuple[float, ...]
    source: str


_SOURCE = "assumption: approximate PVGIS-SARAH long-term monthly means, entered by hand, not verified"

PLACES: dict[str, MonthlyIrradiation] = {
    "lisbon": MonthlyIrradiation(
        "Lisbon", 38.72, -9.14, (2.4, 3.3, 4.7, 5.8, 6.9, 7.6, 7.8, 7.0, 5.5, 3.9, 2.7, 2.2), _SOURCE
    ),
    "porto": MonthlyIrradiation(
        "Porto", 41.15, -8.61, (2.0, 2.8, 4.2, 5.3, 6.3, 7.0, 7.2, 6.4, 4.9, 3.3, 2.2, 1.8), _SOURCE
    ),
    "grenoble": MonthlyIrradiation(
        "Grenoble", 45.19, 5.72, (1.5, 2.4, 3.7, 4.8, 5.6, 6.4, 6.6, 5.7, 4.3, 2.8, 1.6, 1.2), _SOURCE
    ),
}
NEAREST_KM = 100.0  # a shipped table stands for places within this distance (assumption)


def nearest_place(latitude: float, longitude: float) -> tuple[MonthlyIrradiation | None, float]:
    """The shipped place closest to the location and its distance [km] (None when there are none)."""
    best = min(PLACES.values(), key=lambda p: _km(latitude, longitude, p.latitude, p.longitude))
    return best, _km(latitude, longitude, best.latitude, best.longitude)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, Earth radius 6,371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))
