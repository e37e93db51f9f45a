"""The functions `import cityflex` offers: run, load_scenario, compare and sweep, with scenario overrides.

Thin on purpose: each calls the engine in `simulator/` (runner, compare engine, sweep runner); outputs go
through its one atomic writer, which replaces only directories cityflex wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from simulator.compare.engine import Comparison, write_comparison
from simulator.compare.engine import compare as _compare
from simulator.results.output_dir import check_output_dir
from simulator.results.run_result import RunResult
from simulator.runner import run as _run
from simulator.scenario import Scenario
from simulator.scenario import load_scenario as _load_scenario
from simulator.scenario_overrides import apply_overrides
from simulator.sweep.runner import SweepProgress, SweepResult, run_sweep

ScenarioLike = Scenario | str | Path
Overrides = Mapping[str, Any] | None


def load_scenario(path: str | Path, overrides: Overrides = None) -> Scenario:
    """Read and validate a scenario file; `overrides` sets values by dotted key (`{"households.hems_share": 0.3}`)."""
    return _load_scenario(path, dict(overrides or {}))


def _scenario(scenario: ScenarioLike, overrides: Overrides) -> Scenario:
    if isinstance(scenario, Scenario):
        return apply_overrides(scenario, overrides or {})
    return load_scenario(scenario, overrides)


def run(
    scenario: ScenarioLike,
    out: str | Path | None = None,
    *,
    seed: int | None = None,
    overrides: Overrides = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Run a scenario (file or `Scenario`) with its baseline; write its results directory to `out` if given."""
    return _run(_scenario(scenario, overrides), out, seed=seed, progress=progress)


def compare(
    scenario: ScenarioLike,
    options: list[str],
    out: str | Path | None = None,
    *,
    overrides: Overrides = None,
    replicates: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Comparison:
    """Run tariff options (`flat`, presets `tou`/`tou3`/`cpp`, the scenario's tariffs, .toml overlays) side by side."""
    if out is not None:
        check_output_dir(out)  # before the runs: a directory cityflex may not replace is refused at once
    comparison = _compare(_scenario(scenario, overrides), list(options), progress=progress, replicates=replicates)
    if out is not None:
        write_comparison(comparison, out)
    return comparison


def sweep(
    sweep_file: str | Path,
    out: str | Path | None = None,
    *,
    engine: str = "local",
    workers: int | None = None,
    address: str | None = None,
    progress: SweepProgress | None = None,
) -> SweepResult:
    """Run a sweep file's runs not already finished in `out` (default results/sweeps/<name>); return its table."""
    return run_sweep(sweep_file, out, engine=engine, workers=workers, address=address, progress=progress)
