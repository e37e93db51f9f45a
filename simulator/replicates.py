"""Replicates: the same scenario run with several seeds, and the KPIs' mean with a 95 % interval across them.

A seed draws the households (consumption, PV, EVs, HEMS, behaviour); replicates show how much a KPI owes to
that draw. Seeds are the scenario's seed, +1, +2, …; the interval is Student's t on the mean over seeds
(mean ± t(0.975, n − 1) · s / √n), so it says where the mean over many draws lies, not where a single run does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from simulator.errors import CityflexError
from simulator.results.output_dir import atomic_dir, check_output_dir, write_text_atomic
from simulator.results.run_result import RunResult, write_results
from simulator.scenario import Scenario

MAX_REPLICATES = 100


def replicate_seeds(seed: int, n: int) -> list[int]:
    """The seeds of `n` replicates: the scenario's own seed first, then the next ones."""
    if not 1 <= n <= MAX_REPLICATES:
        raise CityflexError(f"--replicates must be between 1 and {MAX_REPLICATES} (got {n})")
    return [seed + i for i in range(n)]


def with_seed(scenario: Scenario, seed: int) -> Scenario:
    """The scenario with another seed (everything else unchanged)."""
    return scenario.model_copy(update={"seed": seed})


def interval(values: np.ndarray) -> tuple[float, float, float]:
    """(mean, low, high): the 95 % Student-t interval of the mean; NaN bounds for fewer than two finite values."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(v.mean())
    if v.size < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(0.975, v.size - 1) * v.std(ddof=1) / math.sqrt(v.size))
    return mean, mean - half, mean + half


def kpi_summary(kpis: dict[int, dict[str, float]]) -> pd.DataFrame:
    """One row per KPI: mean, low, high (95 % interval of the mean) and one column per seed."""
    per_seed = pd.DataFrame({f"seed {s}": pd.Series(k, dtype=float) for s, k in kpis.items()})
    rows = [interval(per_seed.loc[name].to_numpy()) for name in per_seed.index]
    summary = pd.DataFrame(rows, index=per_seed.index, columns=["mean", "low", "high"])
    summary.index.name = "kpi"
    return pd.concat([summary, per_seed], axis=1)


def run_replicates(
    scenario: Scenario, n: int, out: Path | None, progress: Callable[[int, int], None] | None = None
) -> tuple[pd.DataFrame, dict[int, RunResult]]:
    """Run the scenario with `n` seeds; return the KPI summary and the runs.

    With `out`, one directory written atomically (`simulator.results.output_dir`): `out/seed-<seed>/` per run
    and the summary as `out/replicates.csv`.
    """
    from simulator.runner import run

    if out is not None:
        check_output_dir(out)  # before the runs: a directory cityflex may not replace is refused at once
    seeds = replicate_seeds(scenario.seed, n)
    results: dict[int, RunResult] = {}
    steps = scenario.n_steps
    for i, seed in enumerate(seeds):
        relay = None if progress is None else (lambda done, _, i=i: progress(i * steps + done, n * steps))
        results[seed] = run(with_seed(scenario, seed), progress=relay)
    summary = kpi_summary({s: r.kpis for s, r in results.items()})
    if out is not None:
        with atomic_dir(out, "replicates") as tmp:
            for seed, result in results.items():
                write_results(result, tmp / f"seed-{seed}")
            summary.to_csv(tmp / "replicates.csv")
        for seed, result in results.items():
            result.path = out / f"seed-{seed}"
    return summary, results


def write_summary(summary: pd.DataFrame, out: Path) -> Path:
    """Write the summary as `out/replicates.csv` (atomically; replacing only a summary cityflex wrote)."""
    text = summary.to_csv()
    return write_text_atomic(out / "replicates.csv", text, signature=text.splitlines()[0])


def format_summary(summary: pd.DataFrame, units: dict[str, str]) -> str:
    """The summary as text: KPI, mean, 95 % interval, unit; KPIs that are NaN in every seed are counted."""
    shown = summary[summary["mean"].notna()]
    width = max((len(n) for n in shown.index), default=3)
    n = len([c for c in summary.columns if c.startswith("seed ")])
    lines = [f"{'KPI':<{width}}  {'mean':>12}  {'95 % interval of the mean':>27}  unit", "-" * (width + 50)]
    for name, row in shown.iterrows():
        span = "–" if math.isnan(row["low"]) else f"{row['low']:.3f} … {row['high']:.3f}"
        lines.append(f"{name:<{width}}  {row['mean']:>12.3f}  {span:>27}  {units.get(name, '')}")
    if len(shown) < len(summary):
        lines.append(f"({len(summary) - len(shown)} KPIs do not apply to this scenario)")
    return f"mean over {n} seeds (Student-t 95 % interval of the mean)\n" + "\n".join(lines)
