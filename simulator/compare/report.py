"""The comparison report a city councillor can read: one self-contained HTML page.

Inline SVG, no scripts, no external assets. It leads with a plain-language summary, then the figures
with plain names and units, the tariffs as 24-hour price charts, bills per household per year, who pays,
and the grid's load.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

from simulator.compare import who_pays_html as who
from simulator.compare.charts import load_average_day, load_over_time, tariffs_section
from simulator.compare.page import CSS, fmt, page, table_html
from simulator.compare.who_pays import bills_per_year, event_days, groups_per_year, revenues
from simulator.kpi.equity import MIN_GROUP_HOUSEHOLDS
from simulator.kpi.plain import plain

if TYPE_CHECKING:
    from simulator.compare.engine import Comparison

__all__ = ["CSS", "HEADLINE", "report_html"]

HEADLINE = (
    "peak_reduction_pct", "peak_kw", "baseline_peak_kw", "transformer_overload_hours",
    "baseline_transformer_overload_hours", "voltage_violation_hours", "energy_shifted_kwh", "household_base_moved_kwh",
    "household_energy_saved_kwh", "losses_kwh", "bill_change_mean_eur", "households_worse_off_pct",
    "dso_revenue_eur", "retailer_revenue_eur", "participation_rate_pct", "active_response_rate_pct", "opt_outs",
    "tokens_issued", "engagement_mean_end",
)  # fmt: skip


ALWAYS = ("peak_reduction_pct", "peak_kw", "baseline_peak_kw", "transformer_overload_hours",
          "baseline_transformer_overload_hours", "voltage_violation_hours", "bill_change_mean_eur",
          "households_worse_off_pct")  # fmt: skip


def report_html(comparison: Comparison) -> str:
    """The whole report."""
    first = comparison.results[comparison.options[0]]
    sc = first.scenario
    name = sc.name.removesuffix(f"-{comparison.options[0]}")  # option runs are named <scenario>-<option>
    n_homes = first.meta.get("engine", {}).get("households", len(first.agents))
    seeds = comparison.seeds
    runs = f"{len(seeds)} random draws of the households (seeds {seeds[0]}–{seeds[-1]})" if len(seeds) > 1 else (
        f"seed {sc.seed}")  # fmt: skip
    parts = [
        f"<h1>Tariff options for {html.escape(name)}</h1>",
        f"<p>{html.escape(sc.description)}</p>",
        f"<p class=note>{n_homes:,} households, {sc.horizon_days:g} simulated days from {sc.start:%d %B %Y}, "
        f"{runs}. Every option runs on the same households and is compared with today: the flat tariff with "
        "nobody reacting to prices (the baseline), computed by the same model.</p>",
        "<h2 id=summary>In short</h2>",
        summary_html(comparison),
        "<h2 id=figures>Key figures</h2>",
        figures_html(comparison),
        "<h2 id=tariffs>The options' prices over a day</h2>",
        tariffs_section(comparison),
        "<h2 id=bills>Bills per household per year</h2>",
        who.bills_section(comparison),
        "<h2 id=who-pays>Who pays</h2>",
        f"<p class=note>Shown for the first draw of households (seed {seeds[0]}); the key figures above give the "
        f"spread over all {len(seeds)} draws.</p>"
        if len(seeds) > 1
        else "",
        "<h3>How bill changes spread over households</h3>",
        who.distribution_section(comparison),
        "<h3>Who the households that pay more are</h3>",
        who.payers_section(comparison),
        "<h3>By household group</h3>",
        who.groups_section(comparison),
        f"<p class=note>Groups of fewer than {MIN_GROUP_HOUSEHOLDS} households are never shown on their own, so "
        "that no household's bill can be recognised. Economic vulnerability: households on Portugal's social "
        f"electricity tariff, {sc.households.social_tariff_share:.1%} of homes here (default from DGEG's social "
        "tariff bulletin, Q4 2025; drawn at random, independently of consumption: an assumption).</p>",
        "<h3>Retailers and the grid operator</h3>",
        who.revenue_section(comparison),
        "<h2 id=load>The district's demand</h2>",
        load_over_time(comparison),
        "<h3>An average day</h3>",
        load_average_day(comparison),
        "<p class=note>Made with cityflex; every number's source is in the scenario's provenance notes and the "
        "runs' folders (runs/&lt;option&gt;/). Figures marked as assumptions are not from a verified source.</p>",
    ]
    return page(f"cityflex comparison: {name}", "\n".join(parts))


def _value(comparison: Comparison, option: str, kpi: str) -> float:
    table = comparison.table
    return float(table.at[kpi, option]) if kpi in table.index else float("nan")


def _interval(comparison: Comparison, option: str, kpi: str, digits: int = 1) -> str:
    iv = comparison.intervals.get(option)
    if iv is None or kpi not in iv.index or math.isnan(iv.at[kpi, "low"]) or iv.at[kpi, "low"] == iv.at[kpi, "high"]:
        return ""  # one seed, or the same value in every seed
    return f" (95 % interval {fmt(iv.at[kpi, 'low'], digits)} to {fmt(iv.at[kpi, 'high'], digits)})"


def summary_html(comparison: Comparison) -> str:
    """Plain-language bullets: which option cuts the peak most, what it costs whom, what the grid gains."""
    options = comparison.options
    peak = {o: _value(comparison, o, "peak_reduction_pct") for o in options}
    best = max(options, key=lambda o: -math.inf if math.isnan(peak[o]) else peak[o])
    base_kw, best_kw = _value(comparison, best, "baseline_peak_kw"), _value(comparison, best, "peak_kw")
    others = ", ".join(f"{html.escape(o)} {fmt(peak[o])} %" for o in options if o != best)
    items = [
        f"<b>{html.escape(best)}</b> cuts the district's peak demand most: by <b>{fmt(peak[best])} %</b>"
        f"{_interval(comparison, best, 'peak_reduction_pct')}, from {fmt(base_kw, 0)} kW to {fmt(best_kw, 0)} kW"
        + (f" (other options: {others})." if others else ".")
    ]
    items += [_costs(comparison, best), _revenue(comparison, best), _grid(comparison, best)]
    items += [
        f"{html.escape(o)} had <b>{len(d)} critical-peak day{'s' if len(d) != 1 else ''}</b> in the simulated period"
        f" ({', '.join(d)}), each announced the day before."
        for o in options if (d := event_days(comparison.results[o]))
    ]  # fmt: skip
    return "<div class=summary><ul>" + "".join(f"<li>{i}</li>" for i in items if i) + "</ul></div>"


def _costs(comparison: Comparison, option: str) -> str:
    b = bills_per_year(comparison.results[option])
    mean = b["change_mean_eur_per_year"]
    verb = "saves" if mean < 0 else "pays"
    text = (f"With {html.escape(option)} the average household {verb} <b>{fmt(abs(mean), 0)} € a year</b>, but "
            f"<b>{fmt(b['pay_more_pct'], 0)} %</b> of households pay more; the 5 % hit hardest pay at least "
            f"{fmt(b['change_p95_eur_per_year'], 0)} € a year more.")  # fmt: skip
    eq = comparison.equity[(comparison.equity["option"] == option) & (comparison.equity["grouping"] == "vulnerability")]
    groups = groups_per_year(eq, comparison.results[option])
    vulnerable = groups[groups["group"] == "social tariff"]
    if len(vulnerable) and vulnerable["households"].iloc[0] >= MIN_GROUP_HOUSEHOLDS:
        v = vulnerable.iloc[0]
        verb = "save" if v.mean_eur_per_year < 0 else "pay"
        text += (f" Economically vulnerable households (social tariff) {verb} {fmt(abs(v.mean_eur_per_year), 0)} € "
                 f"a year on average; {fmt(v.pay_more_pct, 0)} % of them pay more.")  # fmt: skip
    return text


def _revenue(comparison: Comparison, option: str) -> str:
    table = revenues(comparison.results[option])
    dso = table[table["who"] == "grid operator (DSO)"]
    retail = table[table["who"] != "grid operator (DSO)"]
    parts = [f"{html.escape(str(r.who))} {fmt(r.change_pct, 1, True)} %" for r in retail.itertuples()]
    text = f"Retailers' revenue changes by {', '.join(parts)}" if parts else "Retailers' revenue: not shown"
    if len(dso) and dso["baseline_eur_per_year"].iloc[0] > 0:
        text += f"; the grid operator's by {fmt(dso['change_pct'].iloc[0], 1, True)} %"
    elif len(dso):
        text += "; the tariffs here carry no separate network charge, so the grid operator's revenue is not modelled"
    return text + " (a year, against today)."


def _grid(comparison: Comparison, option: str) -> str:
    over, base_over = (_value(comparison, option, k) for k in ("transformer_overload_hours",
                                                               "baseline_transformer_overload_hours"))  # fmt: skip
    volts = _value(comparison, option, "voltage_violation_hours")
    base_kw, kw = _value(comparison, option, "baseline_peak_kw"), _value(comparison, option, "peak_kw")
    text = f"For the grid, {html.escape(option)} frees {fmt(base_kw - kw, 0)} kW of capacity at the peak; "
    text += (f"transformer overload hours go from {fmt(base_over)} to {fmt(over)}" if base_over or over else
             "no transformer is overloaded, with or without the new tariff")  # fmt: skip
    if not math.isnan(volts):
        text += f", hours with voltage out of limits: {fmt(volts)}"
    return text + "."


def figures_html(comparison: Comparison) -> str:
    """The headline KPIs with plain names, units and explanations; intervals under the values with replicates."""
    options, table = comparison.options, comparison.table
    sc = comparison.results[options[0]].scenario
    rows = []
    shown = [k for k in HEADLINE if k in table.index and table.loc[k, options].notna().any()]
    shown = [k for k in shown if k in ALWAYS or table.loc[k, options].abs().max() > 0]  # drop levers not in use
    for kpi in shown:
        p = plain(kpi)
        label = html.escape(p.label) + (f" <span class=note>(over {sc.horizon_days:g} days)</span>" if p.per_run
                                        else "")  # fmt: skip
        digits = 0 if abs(float(table.loc[kpi, options].abs().max())) >= 100 else 1
        cells = [
            fmt(table.at[kpi, o], digits) + (f"<br><span class=iv>{_interval(comparison, o, kpi, digits)[2:-1]}"
                                              "</span>" if _interval(comparison, o, kpi) else "")
            for o in options
        ]  # fmt: skip
        rows.append([label, html.escape(p.unit), *cells, html.escape(p.explanation)])
    head = ["figure", "unit", *[html.escape(o) for o in options], "what it means"]
    note = (f"<p class=note>Values are means over {len(comparison.seeds)} seeds; under each, the 95 % interval of "
            "that mean (Student's t).</p>" if comparison.intervals else "")  # fmt: skip
    return table_html(head, rows, ["", "", *[""] * len(options), "def"]) + note
