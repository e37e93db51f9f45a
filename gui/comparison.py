"""Comparing tariff options or finished runs, through `simulator.compare.engine` where it exists (no Qt here).

Until it does, a stand-in with the same contract (`options`, `results`, `table`) runs each option with `Simulation`.

A tariff option is the scenario with every retailer selling that tariff; its baseline is unchanged.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simulator.kpi.registry import KPIS
from simulator.results.run_result import RunResult
from simulator.runner import Simulation
from simulator.scenario import Scenario

Progress = Callable[[int, int], None]
#: KPIs where a higher number is better; for the others (except the neutral ones) lower is better.
HIGHER_IS_BETTER = {"peak_reduction_pct", "load_factor", "energy_shifted_kwh"}
NEUTRAL = {"energy_kwh", "baseline_energy_kwh", "baseline_peak_kw", "baseline_transformer_overload_hours",
           "retailer_revenue_eur"}  # fmt: skip


def _engine_compare() -> Any | None:
    try:
        return importlib.import_module("simulator.compare.engine")
    except ImportError:
        return None


@dataclass
class Comparison:
    """Several runs side by side: `table` has one row per KPI, one column per option, then deltas."""

    options: list[str]
    results: dict[str, RunResult]
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    engine: Any = None  # the `simulator.compare.engine.Comparison` this came from, if any


def tariff_options(scenario: Scenario) -> list[str]:
    """The tariffs a scenario defines: each can be compared as an option."""
    return list(scenario.tariffs)


def with_tariff(scenario: Scenario, tariff: str) -> Scenario:
    """The scenario with every retailer selling `tariff`."""
    retailers = tuple(r.model_copy(update={"tariff": tariff}) for r in scenario.retailers)
    return scenario.model_copy(update={"retailers": retailers, "name": f"{scenario.name}-{tariff}"})


def kpi_table(results: dict[str, RunResult]) -> pd.DataFrame:
    """One row per KPI, one column per run, then `Δ <run>` columns against the first."""
    names = list(results)
    kpis = [k for k in KPIS if all(k in r.kpis for r in results.values())]
    table = pd.DataFrame({name: [results[name].kpis[k] for k in kpis] for name in names}, index=kpis)
    for name in names[1:]:
        table[f"Δ {name}"] = table[name] - table[names[0]]
    table.index.name = "kpi"
    return table


def compare_options(scenario: Scenario, options: list[str], progress: Progress | None = None) -> Comparison:
    """Run the scenario once per tariff option (through `simulator.compare.engine.compare` once it exists)."""
    engine = _engine_compare()
    if engine is not None:
        found = engine.compare(scenario, options, progress=progress)
        return Comparison(list(found.options), dict(found.results), found.table, engine=found)
    results: dict[str, RunResult] = {}
    total = len(options) * scenario.n_steps
    for i, option in enumerate(options):
        sim = Simulation(with_tariff(scenario, option))
        results[option] = sim.run(
            None if progress is None else (lambda k, _n, i=i: progress(i * scenario.n_steps + k, total))
        )
    return Comparison(options, results, kpi_table(results))


def compare_results(results: dict[str, RunResult]) -> Comparison:
    """Finished runs (e.g. opened from results directories) side by side."""
    return Comparison(list(results), dict(results), kpi_table(results))


def write_report(comparison: Comparison, out_dir: str | Path) -> Path:
    """Write `comparison.csv` and a self-contained `report.html` (the engine's writer when it exists)."""
    out = Path(out_dir)
    if comparison.engine is not None:
        written = Path(_engine_compare().write_comparison(comparison.engine, out))
        return written / "report.html" if written.is_dir() else written
    out.mkdir(parents=True, exist_ok=True)
    comparison.table.to_csv(out / "comparison.csv")
    (out / "report.html").write_text(report_html(comparison), encoding="utf-8")
    return out / "report.html"


def report_html(comparison: Comparison) -> str:
    """A self-contained HTML page: the KPI table with units and explanations."""
    first = next(iter(comparison.results.values()))
    rows = []
    for kpi, values in comparison.table.iterrows():
        k = KPIS.get(str(kpi))
        cells = "".join(f"<td>{v:,.4g}</td>" for v in values)
        unit, definition = (k.unit, k.definition) if k else ("", "")
        rows.append(f"<tr><th>{kpi}</th><td>{unit}</td>{cells}<td class=d>{html.escape(definition)}</td></tr>")
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in comparison.table.columns)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>cityflex comparison</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{padding:4px 8px;border-bottom:1px solid #ddd}}
td{{text-align:right}}td.d{{text-align:left;color:#555;font-size:90%}}</style></head><body>
<h1>Comparison: {html.escape(first.scenario.name)}</h1>
<p>{html.escape(first.scenario.description)}</p>
<p>Options: {html.escape(", ".join(comparison.options))}. Each is compared with the same households and seed;
Δ columns are differences against the first option.</p>
<table><tr><th>KPI</th><th>unit</th>{head}<th>what it means</th></tr>{"".join(rows)}</table>
</body></html>"""
