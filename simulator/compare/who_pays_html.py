"""The "who pays" part of the comparison report.

Bills per household per year, the spread of bill changes, the profile of those who pay more, household
groups (incl. the economically vulnerable), and revenues.

Every figure is an aggregate of at least `MIN_GROUP_HOUSEHOLDS` households (`simulator.who_pays`).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from simulator.compare.charts import colour
from simulator.compare.page import fmt, table_html
from simulator.compare.svg import bar_chart, range_chart
from simulator.compare.who_pays import (
    bill_change_eur_per_year,
    bills_per_year,
    groups_per_year,
    payer_profile,
    revenues,
    spread,
)
from simulator.kpi.equity import MIN_GROUP_HOUSEHOLDS

if TYPE_CHECKING:
    from simulator.compare.engine import Comparison

GROUPINGS = {"all": "everyone", "vulnerability": "economic vulnerability", "consumption": "yearly use",
             "ev": "electric car", "pv": "rooftop PV", "hems": "smart home controller"}  # fmt: skip


def method_note(comparison: Comparison) -> str:
    """How bills become yearly figures."""
    sc = comparison.results[comparison.options[0]].scenario
    return (
        f"<p class=note>Method: each household's bill over the {sc.horizon_days:g} simulated days (energy at each "
        f"quarter-hour's price, network charges and standing charges) × 365 / {sc.horizon_days:g}. The simulated "
        f"days start {sc.start:%d %B %Y}; a year has other seasons, so this scales the simulated season up to a "
        "year rather than simulating one. Today's bill: the same households on the flat tariff, nobody reacting.</p>"
    )


def bills_section(comparison: Comparison) -> str:
    """Mean bills per household per year and the share paying more, one row per option."""
    rows = []
    for option in comparison.options:
        b = bills_per_year(comparison.results[option])
        rows.append([html.escape(option), fmt(b["baseline_bill_eur_per_year"], 0), fmt(b["bill_eur_per_year"], 0),
                     fmt(b["change_mean_eur_per_year"], 1, sign=True), fmt(b["change_p50_eur_per_year"], 1, sign=True),
                     fmt(b["pay_more_pct"], 0), fmt(b["change_p95_eur_per_year"], 1, sign=True)])  # fmt: skip
    head = ["option", "today's bill [€/year]", "bill with the option [€/year]", "average change [€/year]",
            "typical (median) change [€/year]", "households paying more [%]",
            "the 5 % hit hardest pay at least [€/year more]"]  # fmt: skip
    return table_html(head, rows) + method_note(comparison)


def distribution_section(comparison: Comparison) -> str:
    """The spread of bill changes per option: 90 % of households between the whiskers, half inside the box."""
    rows = [(o, spread(bill_change_eur_per_year(comparison.results[o])), colour(i))
            for i, o in enumerate(comparison.options)]  # fmt: skip
    return range_chart(rows, "bill change against today [€ per household per year]; below 0: households save") + (
        "<p class=note>Line: 90 % of households (5th to 95th percentile); box: the middle half; thick mark: the "
        "median household; circle: the average. Right of the black line: households pay more.</p>"
    )


def payers_section(comparison: Comparison) -> str:
    """Who the households that pay more are: each trait's share among them (per option) and among all households."""
    profiles = {o: payer_profile(comparison.results[o]) for o in comparison.options}
    shown = [o for o, p in profiles.items() if not p.empty]
    hidden = [o for o in comparison.options if o not in shown]
    note = (f"<p class=note>{', '.join(html.escape(o) for o in hidden)}: fewer than {MIN_GROUP_HOUSEHOLDS} households "
            "pay more, so they are not profiled (no household could be recognised).</p>" if hidden else "")  # fmt: skip
    if not shown:
        return note
    base = profiles[shown[0]]
    rows = [
        [html.escape(trait), fmt(all_pct, 0), *[fmt(profiles[o]["pay_more_pct"].iloc[i], 0) for o in shown]]
        for i, (trait, all_pct) in enumerate(zip(base["trait"], base["all_pct"], strict=True))
    ]
    head = ["share of households who …", "all households [%]",
            *[f"paying more with {html.escape(o)} [%]" for o in shown]]  # fmt: skip
    return (
        table_html(head, rows)
        + note
        + (
            "<p class=note>Read across: a trait more common among those paying more than among all households marks "
            "who tends to lose.</p>"
        )
    )


def groups_section(comparison: Comparison) -> str:
    """Per household group: average bill change per year and share paying more, one column pair per option.

    Groups under the minimum size are not shown.
    """
    per_option = {
        o: groups_per_year(comparison.equity[comparison.equity["option"] == o], comparison.results[o]).set_index(
            ["grouping", "group"]
        )
        for o in comparison.options
    }
    first = per_option[comparison.options[0]]
    rows = []
    for (grouping, group), r in first.iterrows():
        name = "all households" if grouping == "all" else f"{GROUPINGS.get(grouping, grouping)}: {group}"
        cells = [html.escape(name), str(int(r.households))]
        if r.households < MIN_GROUP_HOUSEHOLDS:
            rows.append([*cells, f"fewer than {MIN_GROUP_HOUSEHOLDS} households: not shown"])
            continue
        for o in comparison.options:
            g = per_option[o].loc[(grouping, group)]
            cells += [fmt(g.mean_eur_per_year, 1, True), fmt(g.pay_more_pct, 0)]
        rows.append(cells)
    head = ["group", "households"] + [
        h for o in comparison.options for h in (f"{html.escape(o)}: average change [€/year]", f"{html.escape(o)}: "
                                                 "paying more [%]")
    ]  # fmt: skip
    span = 2 * len(comparison.options)
    return table_html(head, rows).replace("<td>fewer than", f"<td class=hidden colspan={span}>fewer than")


def revenue_section(comparison: Comparison) -> str:
    """Revenue change of each retailer and of the DSO per option (per year), as bars and a table."""
    rows, bars = [], []
    for i, option in enumerate(comparison.options):
        for r in revenues(comparison.results[option]).itertuples():
            if r.baseline_eur_per_year == 0 and r.option_eur_per_year == 0:
                continue  # e.g. tariffs without a separate network charge: no DSO revenue to compare
            rows.append([html.escape(option), html.escape(str(r.who)), str(r.customers),
                         fmt(r.baseline_eur_per_year, 0), fmt(r.option_eur_per_year, 0),
                         fmt(r.change_eur_per_year, 0, True), fmt(r.change_pct, 1, True)])  # fmt: skip
            bars.append((f"{option} · {r.who}", float(r.change_pct), colour(i)))
    head = ["option", "who", "customers", "today [€/year]", "with the option [€/year]", "change [€/year]",
            "change [%]"]  # fmt: skip
    return (
        bar_chart(bars, "revenue change against today [%]")
        + table_html(head, rows, ["left", "left", *[""] * 5])
        + (
            "<p class=note>Retailers keep the energy part of each bill and the standing charge; the grid "
            "operator (DSO) the network charges. Designed tariffs are revenue-neutral only if nobody "
            "changes their habits: when households move use to cheaper hours, revenue falls.</p>"
        )
    )
