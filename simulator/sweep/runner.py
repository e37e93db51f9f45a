"""Sweeps: many runs of one base scenario, one results directory each and one table with a row per run.

`run_sweep("scenarios/sweeps/hems_share.toml", "results/sweeps/hems_share")` expands the sweep file
(`simulator.sweep.spec`, `simulator.sweep.design`), skips runs whose results directory is already
complete (an interrupted sweep resumes), executes the rest on an engine (`simulator.sweep.engines`:
serial, a local process pool, or Dask) and writes::

    OUT/runs/<run_id>/        each run's results directory (`simulator.results.run_result.write_results`)
    OUT/runs/<run_id>.error.txt   the traceback of a run that failed
    OUT/sweep.parquet         one row per run, in design order: design_index, run_id, one column per
                              varied key path (e.g. "households.hems_share", "seed"), one per KPI,
                              status ("ok", "failed", or "pending" while the sweep runs), error, wall_time_s

`sweep.parquet` is rewritten atomically after every finished run, so a killed sweep loses nothing
that finished. Query it with DuckDB (key paths contain dots: quote them)::

    SELECT "households.hems_share" AS hems_share, avg(peak_reduction_pct), count(*)
    FROM 'results/sweeps/hems_share/sweep.parquet'
    WHERE status = 'ok'
    GROUP BY 1 ORDER BY 1
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from simulator.errors import CityflexError, ResultsError
from simulator.results.output_dir import atomic_file, claimed_dir, clean_stale, safe_name, write_text_atomic
from simulator.results.run_result import TABLES
from simulator.scenario import read_toml, scenario_from_dict
from simulator.sweep.design import PlannedRun, SweepPlan, load_sweep
from simulator.sweep.engines import RunOutcome, RunTask, Startup, check_engine, run_tasks

TABLE_NAME = "sweep.parquet"
RUN_FILES = ("scenario.toml", "meta.json", "kpis.json", *(f"{t}.parquet" for t in TABLES))

SweepProgress = Callable[[int, int, RunOutcome | None], None]
"""Called as `progress(done, total, outcome)`: once with (0, total, None) before the first run, then per run."""


@dataclass
class SweepResult:
    """A finished (or resumed) sweep: its plan, output directory, table, and which runs this call executed."""

    plan: SweepPlan
    out: Path
    table: pd.DataFrame
    executed: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        """Ids of the runs that failed."""
        return list(self.table.loc[self.table["status"] == "failed", "run_id"])

    @property
    def table_path(self) -> Path:
        """Where `sweep.parquet` is."""
        return self.out / TABLE_NAME


def default_out(plan: SweepPlan) -> Path:
    """`results/sweeps/<sweep name>`."""
    return Path("results") / "sweeps" / safe_name(plan.name)


def run_sweep(
    sweep: SweepPlan | str | Path,
    out: str | Path | None = None,
    *,
    engine: str = "local",
    workers: int | None = None,
    address: str | None = None,
    progress: SweepProgress | None = None,
    startup: Startup | None = None,
) -> SweepResult:
    """Run every run of a sweep (a plan or a sweep file) not already finished in `out`; return its table."""
    check_engine(engine, address)
    plan = sweep if isinstance(sweep, SweepPlan) else load_sweep(sweep)
    with claimed_dir(Path(out or default_out(plan)), "sweep") as claimed:
        return _run_claimed(plan, claimed.resolve(), engine, workers, address, progress, startup)


def _run_claimed(
    plan: SweepPlan, root: Path, engine: str, workers: int | None, address: str | None, progress: SweepProgress | None,
    startup: Startup | None = None,
) -> SweepResult:  # fmt: skip
    runs_dir = root / "runs"
    try:
        runs_dir.mkdir(exist_ok=True)
    except OSError as exc:
        raise ResultsError(f"{root}: cannot create the sweep directory: {exc}") from exc
    clean_stale(runs_dir)
    _remove_old_temporaries(runs_dir)
    outcomes = {run.run_id: done for run in plan.runs if (done := read_finished(runs_dir / run.run_id, run))}
    result = SweepResult(plan, root, pd.DataFrame(), resumed=list(outcomes))
    todo = [RunTask(r.run_id, r.scenario, str(runs_dir / r.run_id)) for r in plan.runs if r.run_id not in outcomes]
    result.table = write_table(plan, outcomes, root / TABLE_NAME)
    if progress is not None:
        progress(0, len(todo), None)
    for outcome in run_tasks(todo, engine, workers=workers, address=address, startup=startup):
        outcomes[outcome.run_id] = outcome
        result.executed.append(outcome.run_id)
        _record_error(runs_dir, outcome)
        result.table = write_table(plan, outcomes, root / TABLE_NAME)
        if progress is not None:
            progress(len(result.executed), len(todo), outcome)
    return result


def read_finished(path: Path, run: PlannedRun) -> RunOutcome | None:
    """The outcome of a run whose results directory is complete and holds this run's scenario, else None."""
    if not all((path / name).is_file() for name in RUN_FILES):
        return None
    try:
        stored = scenario_from_dict(read_toml(path / "scenario.toml"), source=str(path))
        kpis = json.loads((path / "kpis.json").read_text(encoding="utf-8"))["kpis"]
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (CityflexError, OSError, ValueError, KeyError, TypeError):
        return None  # unreadable: run it again
    as_given = meta.get("scenario_sha256") == run.scenario.fingerprint()  # revenue-neutral design changes prices
    if not as_given and stored != run.scenario:
        return None  # written by another version of the sweep or its base scenario: run it again
    return RunOutcome(run.run_id, "ok", kpis, wall_time_s=float(meta.get("wall_time_s", math.nan)))


def sweep_table(plan: SweepPlan, outcomes: dict[str, RunOutcome]) -> pd.DataFrame:
    """One row per run in design order; runs without an outcome yet are "pending"."""
    rows = []
    for run in plan.runs:
        outcome = outcomes.get(run.run_id)
        row = {"design_index": run.index, "run_id": run.run_id}
        row.update({key: run.params.get(key) for key in plan.parameter_keys})
        kpis = outcome.kpis if outcome is not None else {}
        row.update({name: float(kpis.get(name, math.nan)) for name in plan.spec.kpis})
        row["status"] = outcome.status if outcome is not None else "pending"
        row["error"] = outcome.error if outcome is not None else ""
        row["wall_time_s"] = outcome.wall_time_s if outcome is not None else math.nan
        rows.append(row)
    columns = ["design_index", "run_id", *plan.parameter_keys, *plan.spec.kpis, "status", "error", "wall_time_s"]
    return pd.DataFrame(rows, columns=columns)


def write_table(plan: SweepPlan, outcomes: dict[str, RunOutcome], path: Path) -> pd.DataFrame:
    """Write `sweep.parquet` atomically (a temporary file, then renamed over the old one); return the table."""
    table = sweep_table(plan, outcomes)
    try:
        with atomic_file(path, signature="PAR1") as tmp:  # every Parquet file starts with PAR1
            pq.write_table(pa.Table.from_pandas(table, preserve_index=False), tmp)
    except (OSError, pa.ArrowException) as exc:
        raise ResultsError(f"{path}: cannot write the sweep table: {exc}") from exc
    return table


def read_table(out: str | Path) -> pd.DataFrame:
    """Read a sweep's `sweep.parquet` (from its output directory)."""
    path = Path(out) / TABLE_NAME
    try:
        return pq.read_table(path).to_pandas()
    except (OSError, pa.ArrowException) as exc:
        raise ResultsError(f"{path}: cannot read the sweep table: {exc}") from exc


def _record_error(runs_dir: Path, outcome: RunOutcome) -> None:
    """Keep a failed run's traceback beside the runs; forget it once the run succeeds."""
    path = runs_dir / f"{outcome.run_id}.error.txt"
    if outcome.status == "ok":
        path.unlink(missing_ok=True)
        return
    write_text_atomic(path, outcome.traceback or outcome.error, signature="")  # the sweep's own directory


def _remove_old_temporaries(runs_dir: Path) -> None:
    """Remove what runs killed under cityflex 0.1's writer left: `.<run_id>.*.tmp`, `.<run_id>.old-*` (our own)."""
    for path in runs_dir.glob(".*"):
        if path.name.endswith(".tmp") or ".old-" in path.name:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
