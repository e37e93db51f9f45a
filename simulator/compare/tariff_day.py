"""A tariff as a reader sees it: its price over one day, hour by hour, with plain period names and their hours.

Portugal's tariff periods keep their ERSE names in the scenario files (vazio, fora de vazio, cheias, ponta:
poupaenergia.pt, ../shared/DOMAIN.md); reports show them in plain English with the Portuguese name after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from market.tariffs import CppTariff, DynamicTariff, FlatTariff, TouTariff

#: Plain names of tariff periods (ERSE's Portuguese names, the CPP critical window, a flat single rate).
PERIOD_NAMES: dict[str, str] = {
    "vazio": "off-peak (vazio)",
    "fora_de_vazio": "peak, outside off-peak (fora de vazio)",
    "cheias": "shoulder / mid-peak (cheias)",
    "ponta": "peak (ponta)",
    "critical": "critical peak (event days only)",
    "single": "single rate",
    "hourly": "hourly market price",
}


def period_name(period: str) -> str:
    """Plain name of a tariff period; unknown names are shown as written, with underscores as spaces."""
    return PERIOD_NAMES.get(period, period.replace("_", " "))


@dataclass(frozen=True)
class TariffDay:
    """One day of a tariff: the price and period at each step, and each period's price and clock hours."""

    day: dt.date
    hours: np.ndarray  # clock hour at the start of each step (0, 0.25, …)
    price_eur_per_kwh: np.ndarray
    period: list[str]  # period code at each step
    event_day: bool = False

    def periods(self) -> list[tuple[str, float, str]]:
        """(plain name, price €/kWh, hours like '22:00–08:00') for each period, cheapest first."""
        out = []
        for code in dict.fromkeys(self.period):
            mask = np.array([p == code for p in self.period])
            price = float(np.mean(self.price_eur_per_kwh[mask]))
            out.append((period_name(code), price, clock_ranges(mask, self.hours)))
        return sorted(out, key=lambda row: row[1])


def clock_ranges(mask: np.ndarray, hours: np.ndarray) -> str:
    """The clock ranges where `mask` holds over one day, joined across midnight: '22:00–08:00, 10:30–13:00'."""
    step = float(hours[1] - hours[0]) if len(hours) > 1 else 24.0
    runs, start = [], None
    for i, on in enumerate(mask):
        if on and start is None:
            start = i
        if not on and start is not None:
            runs.append([start, i])
            start = None
    if start is not None:
        runs.append([start, len(mask)])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == len(mask):  # wraps past midnight
        runs[0][0] = runs.pop()[0] - len(mask)
    if runs == [[0, len(mask)]]:
        return "all day"
    return ", ".join(f"{_clock(a * step)}–{_clock(b * step)}" for a, b in runs)


def _clock(hour: float) -> str:
    minutes = round((hour % 24) * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def tariff_day(tariff: object, day: dt.date, step_minutes: int, event_days: tuple[dt.date, ...] = ()) -> TariffDay:
    """The tariff's prices and periods over `day` (for CPP, the critical window applies if `day` is an event day)."""
    times = pd.date_range(pd.Timestamp(day), periods=24 * 60 // step_minutes, freq=f"{step_minutes}min")
    hours = (times.hour + times.minute / 60).to_numpy(dtype=float)
    if isinstance(tariff, CppTariff):
        prices = tariff.prices_eur_per_kwh(times, event_days)
        base = _periods(tariff.base, times)
        critical = tariff.critical_mask(times, event_days)
        period = ["critical" if c else p for c, p in zip(critical, base, strict=True)]
        return TariffDay(day, hours, prices, period, event_day=day in set(event_days))
    prices = tariff.prices_eur_per_kwh(times)
    return TariffDay(day, hours, np.asarray(prices, dtype=float), _periods(tariff, times))


def _periods(tariff: object, times: pd.DatetimeIndex) -> list[str]:
    if isinstance(tariff, TouTariff):
        calendar = tariff.resolved_calendar
        return [calendar.periods[i] for i in calendar.period_index(times)]
    if isinstance(tariff, DynamicTariff):
        return ["hourly"] * len(times)
    if isinstance(tariff, FlatTariff):
        return ["single"] * len(times)
    return ["single"] * len(times)
