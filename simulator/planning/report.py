"""The district-planning (SEPS) report: the `plan` table as one self-contained HTML page, written with its CSV.

Sharing Cities' SEPS (seed 000) plans where renewables pay off in a district; `simulator.planning.seps.plan` ranks
the substations, and this page shows that ranking in plain words: PV hosting capacity in kWp judged on the worst
case, what PV and batteries would cost and earn in € with every assumption named, and ranks that say when
substations cannot be told apart. Inline SVG, no scripts, no external assets: it can be forwarded as it is.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.compare.page import GENERATOR, fmt, page, table_html
from simulator.compare.svg import bar_chart
from simulator.planning.economics import PvYear, assumptions, pv_year
from simulator.results.output_dir import atomic_dir, check_output_file, write_text_atomic
from simulator.scenario import Scenario

PV_GREEN = "#2e933c"


def rank_label(rank: int, tied: int) -> str:
    """'3' for a rank of its own, '=3' when several substations share it (within the method's tolerance)."""
    return f"={rank}" if tied > 1 else str(rank)


def plan_html(scenario: Scenario, table: pd.DataFrame) -> str:
    """The page: summary, hosting-capacity chart, ranking with € figures, assumptions and method."""
    year = table.attrs.get("pv_year") or pv_year(scenario)
    parts = [
        f"<h1>Where rooftop PV and batteries fit: {html.escape(scenario.name)}</h1>",
        f"<p>{html.escape(scenario.description)}</p>",
        "<h2 id=summary>In short</h2>", _summary(table),
        "<h2 id=hosting>PV each substation can take</h2>", _hosting_chart(table),
        "<h2 id=ranking>Ranking, costs and payback</h2>", _ranking(table),
        "<h2 id=assumptions>Assumptions behind the € figures</h2>", _assumptions(scenario, year),
        "<h2 id=method>How it is worked out</h2>", _method(scenario, table, year),
    ]  # fmt: skip
    return page(f"cityflex plan: {scenario.name}", "\n".join(parts))


def _summary(table: pd.DataFrame) -> str:
    by_rank = table.sort_values("rank_pv")
    top = by_rank.iloc[0]
    same = by_rank[by_rank["rank_pv"] == top["rank_pv"]]
    first = (
        f"<b>{html.escape(str(top['substation']))}</b> takes the most rooftop PV: "
        f"<b>{fmt(top['pv_hosting_kwp'], 0)} kWp</b> before its {html.escape(str(top['binding_limit']))} limit"
        if len(same) == 1
        else f"{len(same)} substations share the first place (they differ by less than the calculation can tell): "
        + ", ".join(html.escape(str(n)) for n in same["substation"])
    )
    ties = int((table.groupby("rank_pv")["substation"].transform("size") > 1).sum())
    total_kwp, cost = table["pv_hosting_kwp"].sum(), table["pv_cost_eur"].sum()
    value = table["pv_value_eur_per_year"].sum()
    payback = cost / value if value > 0 else math.nan
    items = [
        first + ".",
        f"All {len(table)} substations together take {fmt(total_kwp, 0)} kWp: about {fmt(cost / 1e3, 0)} thousand € "
        f"to install, saving households about {fmt(value / 1e3, 1)} thousand € a year (simple payback "
        f"{fmt(payback, 1)} years).",
        f"{ties} of {len(table)} substations share a PV rank with another one (marked '='): their hosting "
        "capacities are equal within the calculation's tolerance, so their order would be arbitrary."
        if ties
        else "Every substation's PV rank is distinct (no two capacities within the calculation's tolerance).",
        _battery_sentence(table),
    ]
    return "<div class=summary><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul></div>"


def _battery_sentence(table: pd.DataFrame) -> str:
    tied = int(table["tied_battery"].max()) if "tied_battery" in table else 1
    payback = table["battery_cost_eur"].sum() / max(table["battery_value_eur_per_year"].sum(), 1e-9)
    text = (f"A {fmt(table['battery_kwh'].iloc[0] / max(table['homes'].iloc[0], 1), 0)} kWh battery per home "
            f"would pay back in about {fmt(payback, 0)} years from the peak it cuts alone")  # fmt: skip
    if tied > 1:
        text += f"; {tied} substations tie on battery rank (the battery's power, not its energy, limits the cut)"
    return text + "."


def _hosting_chart(table: pd.DataFrame) -> str:
    rows = [
        (f"{rank_label(r.rank_pv, r.tied_pv)}. {r.substation}", float(r.pv_hosting_kwp), PV_GREEN)
        for r in table.sort_values(["rank_pv", "substation"]).itertuples()
    ]
    return bar_chart(rows, "PV hosting capacity [kWp], worst case of the year", signed=False) + (
        "<p class=note>'=' marks substations whose capacities are equal within the calculation's tolerance.</p>"
    )


def _ranking(table: pd.DataFrame) -> str:
    pv = [
        [rank_label(r.rank_pv, r.tied_pv), html.escape(str(r.substation)), str(r.homes), fmt(r.peak_kw, 0),
         fmt(r.pv_hosting_kwp, 0), html.escape(str(r.binding_limit)), fmt(r.pv_cost_eur, 0),
         fmt(r.pv_value_eur_per_year, 0), fmt(r.pv_payback_years, 1)]
        for r in table.sort_values(["rank_pv", "substation"]).itertuples()
    ]  # fmt: skip
    battery = [
        [rank_label(r.rank_battery, r.tied_battery), html.escape(str(r.substation)), fmt(r.battery_kwh, 0),
         fmt(r.battery_peak_cut_kw_per_kwh * r.battery_kwh, 1), fmt(r.battery_cost_eur, 0),
         fmt(r.battery_value_eur_per_year, 0), fmt(r.battery_payback_years, 0)]
        for r in table.sort_values(["rank_battery", "substation"]).itertuples()
    ]  # fmt: skip
    return (
        "<h3>Rooftop PV</h3>"
        + table_html(["rank", "substation", "homes", "peak [kW]", "PV it can take [kWp]", "limit reached first",
                      "cost [€]", "saves households [€/year]", "payback [years]"], pv)
        + "<h3>A battery in every home</h3>"
        + table_html(["rank", "substation", "batteries [kWh]", "peak cut [kW]", "cost [€]",
                      "worth to the DSO [€/year]", "payback [years]"], battery)
    )  # fmt: skip


def _assumptions(scenario: Scenario, year: PvYear) -> str:
    rows = [[html.escape(w), html.escape(v), f"<span class=assume>{html.escape(s)}</span>"]
            for w, v, s in assumptions(scenario, year)]  # fmt: skip
    return table_html(["what", "value", "source"], rows, ["", "", "def"])


def _method(scenario: Scenario, table: pd.DataFrame, year: PvYear) -> str:
    t = table.attrs.get("state_time")
    when = ""
    if t is not None:
        when = (f" The grid state is the year's worst case for injection, whatever week the scenario runs: the same "
                f"homes on a clear Sunday near midsummer at its sunniest step, {t:%A %d %B %Y, %H:%M} "
                f"({fmt(table.attrs.get('state_load_kw', np.nan), 0)} kW of load in the district).")  # fmt: skip
    return (
        "<p>For each secondary substation, extra rooftop PV is spread evenly over its homes and raised by bisection "
        "with the grid's power-flow solver until a home's voltage leaves the ±"
        f"{scenario.dso.voltage_band_pct:g} % band, a cable or the transformer passes 100 %, or the power flow "
        f"fails.{when} The capacity found in kW becomes kWp at the year's highest PV output per kWp "
        f"({year.peak_kw_per_kwp:.3f} kW/kWp: {html.escape(year.how)}), the worst case for injection. The bisection "
        "stops within 0.1 % of the capacity; capacities within 0.2 % of each other share a rank. Battery: "
        "ideal peak shaving of the substation's own load with a battery per home (half its capacity as power); "
        "payback counts only the DSO's value of the peak it cuts.</p>"
    )


def write_plan(scenario: Scenario, table: pd.DataFrame, out: Path) -> tuple[Path, Path]:
    """Write `plan.csv` and `plan.html` into directory `out` (or, for `out` ending in .csv, that file + .html).

    Atomically, and replacing only what cityflex wrote (`simulator.results.output_dir`).
    """
    text, html_page = table.to_csv(index=False), plan_html(scenario, table)
    if out.suffix != ".csv":
        with atomic_dir(out, "plan") as tmp:
            (tmp / "plan.csv").write_text(text, encoding="utf-8")
            (tmp / "plan.html").write_text(html_page, encoding="utf-8")
        return out / "plan.csv", out / "plan.html"
    csv, html_path = out, out.with_suffix(".html")
    header = text.splitlines()[0]
    for path, signature in ((csv, header), (html_path, GENERATOR)):
        check_output_file(path, signature)
    write_text_atomic(csv, text, signature=header)
    write_text_atomic(html_path, html_page, signature=GENERATOR)
    return csv, html_path
