"""Comparing tariff options or finished runs through the CLI's engine (`simulator.compare`); no Qt here.

The options offered are the ones `main.py compare` takes: `flat` (the scenario's baseline tariff),
the presets `tou`, `tou3` and `cpp` (priced revenue-neutral against the baseline tariff before the
run), and the tariffs the scenario itself defines. The report is the engine's (`write_comparison`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from market.tariff_presets import PRESETS
from simulator.compare.engine import Comparison, compare, kpi_table, write_comparison
from simulator.errors import CityflexError
from simulator.kpi.equity import equity_table
from simulator.results.run_result import RunResult
from simulator.scenario import Scenario

Progress = Callable[[int, int], None]
#: KPIs where a higher number is better; for the others (except the neutral ones) lower is better.
HIGHER_IS_BETTER = {"peak_reduction_pct", "load_factor", "energy_shifted_kwh"}
NEUTRAL = {"energy_kwh", "baseline_energy_kwh", "baseline_peak_kw", "baseline_transformer_overload_hours",
           "retailer_revenue_eur"}  # fmt: skip
PRESET_LABELS = {
    "tou": "time of use, two periods (preset, revenue-neutral)",
    "tou3": "time of use, three periods (preset, revenue-neutral)",
    "cpp": "critical peak pricing (preset, revenue-neutral)",
}

__all__ = ["Cancelled", "Comparison", "compare_options", "compare_results", "offered_options", "write_report"]


class Cancelled(CityflexError):
    """The user cancelled a long job (or closed the window)."""


def offered_options(scenario: Scenario) -> dict[str, str]:
    """The options to offer, by name, with a label: flat, the presets, then the scenario's own tariffs."""
    base = scenario.baseline.tariff
    options = {"flat": f"flat: the baseline tariff ({base})"}
    options |= {name: f"{name}: {PRESET_LABELS.get(name, 'preset')}" for name in PRESETS}
    for name, tariff in scenario.tariffs.items():
        if name != base and name not in options:
            options[name] = f"{name}: {tariff.kind} tariff of this scenario"
    return options


def compare_options(
    scenario: Scenario, options: list[str], progress: Progress | None = None, cancelled: Callable[[], bool] = bool
) -> Comparison:
    """Run the scenario once per option (the engine of `main.py compare`); stop with `Cancelled` when asked."""

    def relay(done: int, total: int) -> None:
        if cancelled():
            raise Cancelled("comparison cancelled")
        if progress is not None:
            progress(done, total)

    return compare(scenario, options, relay)


def compare_results(results: dict[str, RunResult]) -> Comparison:
    """Finished runs (e.g. opened from results directories) side by side."""
    equity = pd.concat([equity_table(r.agents).assign(option=o) for o, r in results.items()], ignore_index=True)
    return Comparison(list(results), dict(results), kpi_table(results), {}, equity)


def write_report(comparison: Comparison, out_dir: str | Path) -> Path:
    """Write the engine's report folder (CSV, Parquet, each run, report.html) at `out_dir`; returns report.html."""
    return Path(write_comparison(comparison, out_dir)) / "report.html"
