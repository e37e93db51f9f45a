"""The district-planning (SEPS) report: the `plan` table as one self-contained HTML page, written with its CSV.

Sharing Cities' SEPS (seed 000) plans where renewables pay off in a district; `simulator.planning.seps.plan` ranks
the substations, and this page shows that ranking with a bar chart of each substation's PV hosting capacity
(inline SVG, no external assets) so it can be forwarded as it is.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from simulator.compare.page import CSS, GENERATOR
from simulator.results.output_dir import atomic_dir, check_output_file, write_text_atomic
from simulator.scenario import Scenario

COLUMNS = {
    "rank_pv": "PV rank", "substation": "substation", "homes": "homes", "peak_kw": "peak [kW]",
    "overload_hours": "overload [h]", "pv_hosting_kwp": "PV hosting [kWp]", "binding_limit": "binding limit",
    "pv_peak_cut_kw_per_kwp": "peak cut per kWp [kW]", "rank_battery": "battery rank",
    "battery_kwh": "battery [kWh]", "battery_peak_cut_kw_per_kwh": "peak cut per battery kWh [kW]",
}  # fmt: skip


def plan_html(scenario: Scenario, table: pd.DataFrame) -> str:
    """The page: what the table means, the hosting-capacity chart, and the table."""
    intro = (
        f"<h1>District planning (SEPS): {html.escape(scenario.name)}</h1><p>{html.escape(scenario.description)}</p>"
        "<p class=note>Per secondary substation: how much rooftop PV it hosts before a voltage or loading limit is "
        "hit on the midday light-load state of the baseline (bisection with the grid's solver), how much one more "
        "kWp of PV or one more kWh of battery cuts its peak, and the resulting ranks (1 = pays off most).</p>"
    )
    shown = table[[c for c in COLUMNS if c in table]].rename(columns=COLUMNS)
    body = intro + "<h2>PV hosting capacity</h2>" + _bars_svg(table) + "<h2>Ranking</h2>" + _table_html(shown)
    title = html.escape(f"cityflex plan: {scenario.name}")
    head = f"<meta charset='utf-8'>{GENERATOR}<title>{title}</title><style>{CSS}</style>"
    return f"<!DOCTYPE html><html><head>{head}</head>" \
        f"<body>{body}</body></html>"  # fmt: skip


def _table_html(table: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in row) + "</tr>"
        for row in table.itertuples(index=False)
    )
    return f"<table><tr>{head}</tr>{rows}</table>"


def _fmt(value: object) -> str:
    return f"{value:,.2f}" if isinstance(value, float) else str(value)


def _bars_svg(table: pd.DataFrame, width: int = 1000, bar_h: int = 14) -> str:
    """Horizontal bars of PV hosting capacity [kWp], one per substation in rank order."""
    top = 20
    values = table["pv_hosting_kwp"].clip(lower=0).to_numpy(dtype=float)
    scale = (width - 260) / max(float(values.max(initial=0.0)), 1e-9)
    bars = [
        f"<text x='150' y='{top + i * (bar_h + 4) + bar_h - 3}' text-anchor='end' font-size='11'>"
        f"{html.escape(str(name))}</text><rect x='160' y='{top + i * (bar_h + 4)}' width='{v * scale:.1f}' "
        f"height='{bar_h}' fill='#2e933c'/><text x='{165 + v * scale:.1f}' y='{top + i * (bar_h + 4) + bar_h - 3}' "
        f"font-size='11'>{v:,.0f} kWp</text>"
        for i, (name, v) in enumerate(zip(table["substation"], values, strict=True))
    ]
    height = top + len(values) * (bar_h + 4) + 10
    return f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}'>{''.join(bars)}</svg>"


def write_plan(scenario: Scenario, table: pd.DataFrame, out: Path) -> tuple[Path, Path]:
    """Write `plan.csv` and `plan.html` into directory `out` (or, for `out` ending in .csv, that file + .html).

    Atomically, and replacing only what cityflex wrote (`simulator.results.output_dir`).
    """
    text, page = table.to_csv(index=False), plan_html(scenario, table)
    if out.suffix != ".csv":
        with atomic_dir(out, "plan") as tmp:
            (tmp / "plan.csv").write_text(text, encoding="utf-8")
            (tmp / "plan.html").write_text(page, encoding="utf-8")
        return out / "plan.csv", out / "plan.html"
    csv, html_path = out, out.with_suffix(".html")
    header = text.splitlines()[0]
    for path, signature in ((csv, header), (html_path, GENERATOR)):
        check_output_file(path, signature)
    write_text_atomic(csv, text, signature=header)
    write_text_atomic(html_path, page, signature=GENERATOR)
    return csv, html_path
