"""The event season of a CPP tariff as a calendar: every candidate day of the seasons a run touches.

A CPP programme calls its events over a whole season (Tempo: at most 22 red days, 1 Nov–31 Mar,
weekdays; EDF via seloger / 1001infos, ../shared/DOMAIN.md). Picking them among the simulated days
only would make every weekday of a one-week run an event; so the DSO ranks its forecast over the
whole season and a run gets only the events that fall on its days. Revenue-neutral prices are
designed over the same season (`simulator.cpp_season`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from market.tariff_cpp import CppTariff


def season_bounds(tariff: CppTariff, season: int) -> tuple[dt.date, dt.date]:
    """First day and the day after the last day of the event season starting in year `season`."""
    start = dt.date(season, tariff.season_start_month, 1)
    end = (pd.Timestamp(start) + pd.DateOffset(months=tariff.season_months)).date()
    return start, end


def seasons_touched(tariff: CppTariff, days: Iterable[dt.date]) -> list[int]:
    """The event seasons (by starting year) that contain at least one of `days`."""
    return sorted({tariff.season_of(d) for d in days if _in_season(tariff, d)})


def season_days(tariff: CppTariff, days: Iterable[dt.date]) -> list[dt.date]:
    """Every day (candidate or not) of the event seasons containing any of `days`, in order."""
    out: list[dt.date] = []
    for season in seasons_touched(tariff, days):
        start, end = season_bounds(tariff, season)
        out.extend(pd.date_range(start, end - dt.timedelta(days=1), freq="D").date)
    return out


def _in_season(tariff: CppTariff, day: dt.date) -> bool:
    return (day.month - tariff.season_start_month) % 12 < tariff.season_months
