"""The comparison report: one self-contained HTML page (inline SVG, no external assets) a policymaker can forward."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulator.kpi.registry import KPIS

if TYPE_CHECKING:
    from simulator.compare.engine import Comparison

COLOURS = ("#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c")
BASELINE_COLOUR = "#888888"
HEADLINE = (
    "peak_reduction_pct", "peak_kw", "baseline_peak_kw", "transformer_overload_hours", "energy_shifted_kwh",
    "household_energy_saved_kwh", "bills_total_eur", "bill_change_mean_eur", "households_worse_off_pct",
    "dso_revenue_eur", "retailer_revenue_eur", "participation_rate_pct", "active_response_rate_pct", "opt_outs",
    "tokens_issued", "tokens_redeemed", "engagement_mean_end",
)  # fmt: skip
CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.def{color:#666;font-size:85%;text-align:left;max-width:380px}
svg{background:#fafafa;border:1px solid #eee}.note{color:#555;font-size:90%}"""


def report_html(comparison: Comparison) -> str:
    """The whole report: options and their prices, headline KPIs, load curves, equity chart and table."""
    first = comparison.results[comparison.options[0]]
    sc = first.scenario
    name = sc.name.removesuffix(f"-{comparison.options[0]}")  # option runs are named <scenario>-<option>
    parts = [
        f"<h1>Tariff comparison: {html.escape(name)}</h1>",
        f"<p>{html.escape(sc.description)}</p>",
        f"<p class=note>{first.meta.get('engine', {}).get('households', '?')} households, {sc.horizon_days:g} days "
        f"from {sc.start:%Y-%m-%d}, seed {sc.seed}. Every option runs on the same households and seed and is measured "
        "against the same counterfactual baseline (the flat tariff, no demand response).</p>",
        _options_section(comparison),
        "<h2>Key figures</h2>",
        _kpi_table(comparison),
        "<h2>District load</h2><p class=note>Import at the primary substation; grey: baseline.</p>",
        _load_svg(comparison),
        "<h2>Average day</h2>",
        _load_svg(comparison, average_day=True),
        "<h2>Who pays: bill change by household group</h2>",
        "<p class=note>Mean bill change against the baseline; positive bars: households pay more.</p>",
        _equity_svg(comparison.equity, comparison.options),
        _equity_table(comparison.equity),
    ]
    body = "\n".join(parts)
    title = html.escape(f"cityflex comparison: {name}")
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title><style>{CSS}</style></head>" \
        f"<body>{body}</body></html>"  # fmt: skip


def _options_section(comparison: Comparison) -> str:
    rows = []
    for option in comparison.options:
        design = comparison.designs.get(option)
        tariff = comparison.results[option].scenario.retailers[0].tariff
        how = html.escape(design.summary()) if design else f"tariff <code>{html.escape(tariff)}</code> as defined"
        rows.append(f"<tr><td>{html.escape(option)}</td><td class=def>{how}</td></tr>")
    return "<h2>Options</h2><table><tr><th>option</th><th class=def>prices</th></tr>" + "".join(rows) + "</table>"


def _fmt(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.3g}"


def _kpi_table(comparison: Comparison) -> str:
    table = comparison.table
    cols = list(table.columns)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    rows = []
    for name in [k for k in HEADLINE if k in table.index]:
        unit = KPIS[name].unit if name in KPIS else ""
        cells = "".join(f"<td>{_fmt(table.at[name, c])}</td>" for c in cols)
        definition = html.escape(KPIS[name].definition if name in KPIS else "")
        rows.append(f"<tr><td>{name} [{html.escape(unit)}]</td>{cells}<td class=def>{definition}</td></tr>")
    return f"<table><tr><th>KPI</th>{head}<th class=def>definition</th></tr>{''.join(rows)}</table>"


def _load_svg(comparison: Comparison, average_day: bool = False, width: int = 1000, height: int = 300) -> str:
    first = comparison.results[comparison.options[0]]
    curves = [("baseline", first.case("district", "baseline"), BASELINE_COLOUR)]
    curves += [
        (o, comparison.results[o].case("district"), COLOURS[i % len(COLOURS)]) for i, o in enumerate(comparison.options)
    ]
    series = []
    for label, frame, colour in curves:
        y = frame["import_kw"].to_numpy(dtype=float)
        if average_day:
            spd = first.scenario.steps_per_day
            days = len(y) // spd
            y = np.nanmean(y[: days * spd].reshape(days, spd), axis=0) if days else y
        series.append((label, y, colour))
    return _lines_svg(series, width, height, "hour of day" if average_day else "step", "kW")


def _lines_svg(series: list[tuple[str, np.ndarray, str]], width: int, height: int, xlabel: str, ylabel: str) -> str:
    pad = 45
    top = max(float(np.nanmax(y)) for _, y, _ in series) * 1.05 or 1.0
    n = max(len(y) for _, y, _ in series)
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}'>"]
    for frac in (0, 0.25, 0.5, 0.75, 1):
        yy = height - pad - frac * (height - 2 * pad)
        out.append(f"<line x1='{pad}' x2='{width - 10}' y1='{yy:.1f}' y2='{yy:.1f}' stroke='#ddd'/>")
        out.append(f"<text x='2' y='{yy + 4:.1f}' font-size='11'>{top * frac:,.0f}</text>")
    for i, (label, y, colour) in enumerate(series):
        xs = pad + np.arange(len(y)) * (width - pad - 10) / max(n - 1, 1)
        ys = height - pad - np.nan_to_num(y) / top * (height - 2 * pad)
        points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(xs, ys, strict=True))
        out.append(f"<polyline fill='none' stroke='{colour}' stroke-width='1.3' points='{points}'/>")
        out.append(
            f"<text x='{pad + 10 + 130 * i}' y='16' font-size='12' fill='{colour}'>■ {html.escape(label)}</text>"
        )
    out.append(f"<text x='{width / 2:.0f}' y='{height - 8}' font-size='11'>{xlabel}</text>")
    out.append(f"<text x='2' y='{pad - 12}' font-size='11'>{ylabel}</text></svg>")
    return "".join(out)


def _equity_svg(equity: pd.DataFrame, options: list[str], width: int = 1000) -> str:
    if equity.empty:
        return "<p>No equity table.</p>"
    groups = equity[["grouping", "group"]].drop_duplicates().itertuples(index=False)
    groups = [tuple(g) for g in groups]
    bar, gap, left = 14, 10, 230
    height = len(groups) * (bar * len(options) + gap) + 40
    span = float(np.nanmax(np.abs(equity["bill_change_mean_eur"]))) or 1.0
    zero = left + (width - left - 20) / 2
    scale = (width - left - 20) / 2 / span
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}'>"]
    out.append(f"<line x1='{zero}' x2='{zero}' y1='20' y2='{height - 10}' stroke='#999'/>")
    for j, option in enumerate(options):
        out.append(f"<text x='{left + 120 * j}' y='14' font-size='12' fill='{COLOURS[j % len(COLOURS)]}'>■ "
                   f"{html.escape(option)}</text>")  # fmt: skip
    y = 26
    for grouping, group in groups:
        out.append(f"<text x='4' y='{y + bar * len(options) / 2 + 4}' font-size='12'>{html.escape(group)}</text>")
        for j, option in enumerate(options):
            row = equity[(equity.option == option) & (equity.grouping == grouping) & (equity.group == group)]
            value = float(row["bill_change_mean_eur"].iloc[0]) if len(row) else 0.0
            x0, w = (zero, value * scale) if value >= 0 else (zero + value * scale, -value * scale)
            colour = COLOURS[j % len(COLOURS)]
            tip = html.escape(f"{option} · {group}: {value:+.2f} €")
            out.append(f"<rect x='{x0:.1f}' y='{y}' width='{max(w, 0.5):.1f}' height='{bar - 2}' fill='{colour}'>"
                       f"<title>{tip}</title></rect>")  # fmt: skip
            y += bar
        y += gap
    out.append(f"<text x='{zero - 20}' y='{height - 2}' font-size='11'>0 € (±{span:.2f} € at the edges)</text></svg>")
    return "".join(out)


def _equity_table(equity: pd.DataFrame) -> str:
    if equity.empty:
        return ""
    cols = ["option", "grouping", "group", "households", "bill_change_mean_eur", "bill_change_mean_pct",
            "worse_off_pct", "largest_loss_eur"]  # fmt: skip
    head = "".join(f"<th>{c}</th>" for c in cols)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(v) if isinstance(v, str) else _fmt(v)}</td>" for v in r) + "</tr>"
        for r in equity[cols].itertuples(index=False)
    )
    return f"<table><tr>{head}</tr>{rows}</table>"
