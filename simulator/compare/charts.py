"""The comparison report's charts: district load over time and over an average day, and each option's prices.

Load charts carry a time axis (days, or clock hours) and an HTML legend in which the baseline (today's flat
tariff, nobody reacting) is a dashed dark line. Each option's tariff is drawn as its price over 24 hours with
its periods shaded and named in plain words, with their hours (`simulator.tariff_day`).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulator.compare.page import fmt, table_html
from simulator.compare.svg import BASELINE_COLOUR, COLOURS, PERIOD_FILLS, Line, legend_html, line_chart, step_points
from simulator.compare.tariff_day import period_name, tariff_day
from simulator.compare.who_pays import event_days

if TYPE_CHECKING:
    from simulator.compare.engine import Comparison
    from simulator.results.run_result import RunResult

MAX_POINTS = 1500  # points per curve in a chart; longer series keep each bucket's highest value (peaks stay)


def colour(i: int) -> str:
    """The colour of the i-th option."""
    return COLOURS[i % len(COLOURS)]


def _curves(comparison: Comparison) -> tuple[pd.Series, list[Line]]:
    first = comparison.results[comparison.options[0]]
    base = first.case("district", "baseline")
    lines = [Line(o, comparison.results[o].case("district")["import_kw"].to_numpy(float), colour(i))
             for i, o in enumerate(comparison.options)]  # fmt: skip
    lines.append(Line("today: flat tariff, no one reacting (baseline)", base["import_kw"].to_numpy(float),
                      BASELINE_COLOUR, dashed=True))  # drawn last: on top of an option that equals it # fmt: skip
    return pd.to_datetime(base["time"]), lines


def _bucket_max(y: np.ndarray, k: int) -> np.ndarray:
    n = len(y) // k * k
    return np.nanmax(y[:n].reshape(-1, k), axis=1) if k > 1 else y


def load_over_time(comparison: Comparison) -> str:
    """District import over the whole run, days on the x axis, critical-peak days shaded."""
    times, lines = _curves(comparison)
    start = times.iloc[0]
    hours = ((times - start).dt.total_seconds() / 3600).to_numpy()
    k = max(1, -(-len(hours) // MAX_POINTS))
    x = hours[: len(hours) // k * k : k]
    lines = [Line(li.label, _bucket_max(li.y, k), li.colour, li.dashed) for li in lines]
    days = int(np.ceil(hours[-1] / 24)) if len(hours) else 0
    every = 1 if days <= 10 else 7 if days <= 70 else 30
    ticks = [(24.0 * d, (start + pd.Timedelta(days=d)).strftime("%a %d %b")) for d in range(0, days, every)]
    bands = []
    for o in comparison.options:
        for day in event_days(comparison.results[o]):
            a = (pd.Timestamp(day) - start).total_seconds() / 3600
            bands.append((a, a + 24, "#fdecee", f"critical-peak day ({o}): {day}"))
    chart = line_chart(lines, x, ticks, f"date (from {start:%d %b %Y}, local time)", "district demand [kW]",
                       bands=bands)  # fmt: skip
    shaded = "; shaded: critical-peak event days" if bands else ""
    return (
        legend_html([(li.label, li.colour, li.dashed) for li in lines])
        + chart
        + (
            f"<p class=note>Power drawn from the grid at the district's primary substation, every 15 minutes{shaded}."
            + (f" Long runs show each {k * 15} minutes' highest value." if k > 1 else "")
            + "</p>"
        )
    )


def load_average_day(comparison: Comparison) -> str:
    """District import averaged by clock time over the run's days (00:00 to 24:00)."""
    times, lines = _curves(comparison)
    spd = comparison.results[comparison.options[0]].scenario.steps_per_day
    days = len(times) // spd
    x = np.arange(spd) * 24.0 / spd
    avg = [Line(li.label, np.nanmean(li.y[: days * spd].reshape(days, spd), axis=0) if days else li.y[:spd],
                li.colour, li.dashed) for li in lines]  # fmt: skip
    ticks = [(float(h), f"{h:02d}:00") for h in range(0, 24, 3)]
    return legend_html([(li.label, li.colour, li.dashed) for li in avg]) + line_chart(
        avg, x, ticks, "time of day (local time)", "average demand [kW]"
    )


def _display_day(result: RunResult) -> dt.date:
    """The first weekday of the run (the day the price charts show)."""
    day = result.scenario.start if isinstance(result.scenario.start, dt.date) else pd.Timestamp(result.scenario.start)
    day = pd.Timestamp(day).date()
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def tariffs_section(comparison: Comparison) -> str:
    """One card per option: its price over 24 hours, periods shaded and named, and a table of periods."""
    cards = []
    for i, option in enumerate(comparison.options):
        result = comparison.results[option]
        sc = result.scenario
        tariff = sc.tariffs[sc.retailers[0].tariff]
        events = tuple(dt.date.fromisoformat(d) for d in event_days(result))
        day = _display_day(result)
        ordinary = tariff_day(tariff, day, sc.step_minutes)
        lines = [Line("ordinary day", ordinary.price_eur_per_kwh * 100, colour(i))]
        days = [ordinary]
        if events:
            crit = tariff_day(tariff, events[0], sc.step_minutes, events)
            lines.append(Line(f"critical-peak day ({len(events)} in the run)", crit.price_eur_per_kwh * 100,
                              "#b00020", dashed=True))  # fmt: skip
            days.append(crit)
        step_h = sc.step_minutes / 60
        xs, stepped = None, []
        for li in lines:
            xs, y = step_points(ordinary.hours, li.y, step_h)
            stepped.append(Line(li.label, y, li.colour, li.dashed))
        bands = _period_bands(ordinary, step_h)
        ticks = [(float(h), f"{h:02d}:00") for h in range(0, 25, 6)]
        chart = line_chart(stepped, xs, ticks, "time of day (local time)", "price [c€/kWh]", height=260, bands=bands,
                           width=560)  # fmt: skip
        rows = []
        for d in days:
            for name, price, hours in d.periods():
                if d is not ordinary and name != period_name("critical"):
                    continue
                rows.append([html.escape(name), _nowrap(hours), fmt(price * 100, 2)])
        how = _how_priced(comparison, option)
        cards.append(
            f"<div class=card><h3>{html.escape(option)}</h3>"
            + legend_html([(li.label, li.colour, li.dashed) for li in lines])
            + chart
            + table_html(["period", "hours", "price [c€/kWh]"], rows)
            + f"<p class=note>Shown for {day:%A %d %B %Y}. {how}</p></div>"
        )
    return "<div class=grid2>" + "".join(cards) + "</div>"


def _nowrap(ranges: str) -> str:
    return ", ".join(f"<span class=nw>{html.escape(r)}</span>" for r in ranges.split(", "))


def _period_bands(day: object, step_h: float) -> list[tuple[float, float, str, str]]:
    bands, codes = [], list(dict.fromkeys(day.period))
    start = 0
    for k in range(1, len(day.period) + 1):
        if k == len(day.period) or day.period[k] != day.period[start]:
            fill = PERIOD_FILLS[codes.index(day.period[start]) % len(PERIOD_FILLS)]
            bands.append((day.hours[start], day.hours[start] + (k - start) * step_h, fill,
                          period_name(day.period[start])))  # fmt: skip
            start = k
    return bands


def _how_priced(comparison: Comparison, option: str) -> str:
    design = comparison.designs.get(option)
    tariff = comparison.results[option].scenario.retailers[0].tariff
    source = comparison.results[option].scenario.tariffs[tariff].source if hasattr(
        comparison.results[option].scenario.tariffs[tariff], "source") else ""  # fmt: skip
    if design is not None:
        text = (f"Priced so that, had nobody changed their habits, it would earn the same as today's tariff "
                f"({fmt(design.current_revenue_eur, 2)} € over the run; prices × {design.factor:.3f}).")  # fmt: skip
    else:
        text = f"Tariff {tariff!r} as the scenario defines it."
    return html.escape(text + (f" Source: {source}" if source else ""))
