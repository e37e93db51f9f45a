"""Time-of-use calendars: which tariff period applies at each time, and Portugal's shipped presets.

A calendar is an ordered list of windows; the first window that matches a time gives its period,
and times no window matches fall in the calendar's default period. Seasons follow the legal
time change (summer from the last Sunday of March to the last Sunday of October), as ERSE's
cycles do.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from market.spec import Spec

DayGroup = Literal["all", "weekdays", "saturday", "sunday", "weekend"]
Season = Literal["all", "winter", "summer"]

_DAYS: dict[str, tuple[int, ...]] = {
    "all": (0, 1, 2, 3, 4, 5, 6),
    "weekdays": (0, 1, 2, 3, 4),
    "saturday": (5,),
    "sunday": (6,),
    "weekend": (5, 6),
}


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


class TouWindow(Spec):
    """One window of a calendar: a period on some days of some season between two clock times."""

    period: str = Field(description="Name of the tariff period this window belongs to")
    start: str = Field(description="Start clock time, HH:MM (local time)")
    end: str = Field(description="End clock time, HH:MM; an end before the start wraps past midnight")
    days: DayGroup = Field("all", description="Days the window applies to")
    season: Season = Field("all", description="Season the window applies to (legal-time seasons)")

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, v: str) -> str:
        try:
            hours, minutes = (int(x) for x in v.split(":"))
        except ValueError:
            raise ValueError(f"must be a clock time HH:MM (got {v!r})") from None
        if not (0 <= hours <= 24 and 0 <= minutes < 60 and hours * 60 + minutes <= 1440):
            raise ValueError(f"must be a clock time between 00:00 and 24:00 (got {v!r})")
        return v


class TouCalendar(Spec):
    """An ordered list of windows plus the default period for every time no window covers."""

    default_period: str = Field(description="Period of every time that no window covers")
    windows: tuple[TouWindow, ...] = Field(description="Windows, first match wins")
    source: str = Field("", description="Where this calendar comes from")

    @property
    def periods(self) -> list[str]:
        """Every period name the calendar can produce, default last."""
        names = list(dict.fromkeys(w.period for w in self.windows))
        return [n for n in names if n != self.default_period] + [self.default_period]

    def period_index(self, times: pd.DatetimeIndex) -> np.ndarray:
        """Index into `self.periods` of the period in force at each time (local, naive)."""
        periods = self.periods
        out = np.full(len(times), periods.index(self.default_period), dtype=np.int16)
        assigned = np.zeros(len(times), dtype=bool)
        minute = (times.hour * 60 + times.minute).to_numpy()
        weekday = times.weekday.to_numpy()
        summer = summer_time(times)
        for window in self.windows:
            start, end = _minutes(window.start), _minutes(window.end)
            in_time = (minute >= start) & (minute < end) if start < end else (minute >= start) | (minute < end)
            in_days = np.isin(weekday, _DAYS[window.days])
            in_season = {"all": True, "summer": summer, "winter": ~summer}[window.season]
            hit = in_time & in_days & in_season & ~assigned
            out[hit] = periods.index(window.period)
            assigned |= hit
        return out


def summer_time(times: pd.DatetimeIndex) -> np.ndarray:
    """True where legal summer time applies (EU rule: last Sunday of March to last Sunday of October)."""
    years = times.year.to_numpy()
    out = np.zeros(len(times), dtype=bool)
    for year in np.unique(years):
        begin = _last_sunday(int(year), 3)
        end = _last_sunday(int(year), 10)
        mask = years == year
        out[mask] = (times[mask] >= begin) & (times[mask] < end)
    return out


def _last_sunday(year: int, month: int) -> pd.Timestamp:
    last = pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)
    return (last - pd.Timedelta(days=(last.weekday() + 1) % 7)).normalize()


_PT_DAILY = "ERSE daily cycle, as published on poupaenergia.pt ('que ciclos horários existem')"
_PT_WEEKLY = "ERSE weekly cycle, as published on poupaenergia.pt ('que ciclos horários existem')"
_UNVERIFIED = "summer windows are an assumption, not verified against ERSE"

PRESETS: dict[str, TouCalendar] = {
    # Portugal, bi-horário, daily cycle: vazio 22:00–08:00 every day, fora de vazio the rest.
    "pt_bi_horario_daily": TouCalendar(
        default_period="fora_de_vazio",
        windows=(TouWindow(period="vazio", start="22:00", end="08:00"),),
        source=_PT_DAILY,
    ),
    # Portugal, tri-horário, daily cycle: vazio 22:00–08:00; winter ponta 09:00–10:30 and
    # 18:00–20:30; the rest cheias. Summer ponta 10:30–13:00 and 19:30–21:00: assumption.
    "pt_tri_horario_daily": TouCalendar(
        default_period="cheias",
        windows=(
            TouWindow(period="vazio", start="22:00", end="08:00"),
            TouWindow(period="ponta", start="09:00", end="10:30", season="winter"),
            TouWindow(period="ponta", start="18:00", end="20:30", season="winter"),
            TouWindow(period="ponta", start="10:30", end="13:00", season="summer"),
            TouWindow(period="ponta", start="19:30", end="21:00", season="summer"),
        ),
        source=f"{_PT_DAILY}; {_UNVERIFIED}",
    ),
    # Portugal, bi-horário, weekly cycle: vazio 00:00–07:00 Mon–Fri and all Sunday; Saturday
    # (winter) vazio 13:00–18:30 and 22:00–09:30. Saturday summer windows: assumption.
    "pt_bi_horario_weekly": TouCalendar(
        default_period="fora_de_vazio",
        windows=(
            TouWindow(period="vazio", start="00:00", end="07:00", days="weekdays"),
            TouWindow(period="vazio", start="00:00", end="24:00", days="sunday"),
            TouWindow(period="vazio", start="13:00", end="18:30", days="saturday", season="winter"),
            TouWindow(period="vazio", start="22:00", end="09:30", days="saturday", season="winter"),
            TouWindow(period="vazio", start="14:00", end="20:00", days="saturday", season="summer"),
            TouWindow(period="vazio", start="22:00", end="09:00", days="saturday", season="summer"),
        ),
        source=f"{_PT_WEEKLY}; {_UNVERIFIED}",
    ),
}
