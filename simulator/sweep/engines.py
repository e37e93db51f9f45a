"""Where a sweep's runs execute: in this process, in a local process pool, or on a Dask cluster.

Every engine takes the same `RunTask`s and yields one `RunOutcome` per task as the runs finish (in
any order); a run that raises is an outcome with status "failed", never an exception of the sweep.
Runs are independent and seeded, so the KPIs do not depend on the engine or the number of workers.
"""

from __future__ import annotations

import math
import multiprocessing
import multiprocessing.context
import os
import time
import traceback
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

from simulator import runner
from simulator.errors import CityflexError
from simulator.scenario import Scenario

ENGINES = ("serial", "local", "dask")
WORKER_WAIT_S = 180.0  # how long to wait for a local Dask cluster's workers before submitting anyway
Startup = Callable[[str, int, int], None]
"""Called as `startup(phase, done, total)` while an engine's workers start (Dask: 20–40 s on a busy 2-core
machine): phase "workers" counts worker processes up, "imports" workers that have loaded the simulator."""


class SweepEngineError(CityflexError):
    """A sweep engine cannot start: dask is not installed, or its scheduler cannot be reached."""


@dataclass(frozen=True)
class RunTask:
    """What a worker needs for one run: its id, its resolved scenario and the directory to write."""

    run_id: str
    scenario: Scenario
    out_dir: str


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended: its KPIs (status "ok") or its error (status "failed"), and its wall time."""

    run_id: str
    status: str
    kpis: dict[str, float] = field(default_factory=dict)
    error: str = ""
    wall_time_s: float = math.nan
    traceback: str = ""


def execute_run(task: RunTask) -> RunOutcome:
    """Run one scenario with its baseline and write its results directory; any exception becomes a failed outcome."""
    started = time.perf_counter()
    try:
        result = runner.run(task.scenario, task.out_dir)
    except Exception as exc:  # noqa: BLE001  a failing run is recorded with its error and the sweep goes on
        return failed(task.run_id, exc, time.perf_counter() - started, traceback.format_exc())
    return RunOutcome(task.run_id, "ok", result.kpis, wall_time_s=float(result.meta.get("wall_time_s", math.nan)))


def failed(run_id: str, exc: BaseException, wall_time_s: float = math.nan, trace: str = "") -> RunOutcome:
    """The outcome of a run that raised `exc` (in the run, or in the engine around it)."""
    return RunOutcome(run_id, "failed", error=f"{type(exc).__name__}: {exc}", wall_time_s=wall_time_s, traceback=trace)


def run_tasks(
    tasks: Sequence[RunTask], engine: str = "local", *, workers: int | None = None, address: str | None = None,
    startup: Startup | None = None,
) -> Iterator[RunOutcome]:  # fmt: skip
    """Execute `tasks` on the named engine, yielding outcomes as runs finish; `startup` hears of workers starting."""
    engines: dict[str, Callable[..., Iterator[RunOutcome]]] = {
        "serial": _serial,
        "local": _local_pool,
        "dask": _dask,
    }
    check_engine(engine, address)
    if not tasks:
        return iter(())
    if engine == "dask":
        return _dask(tasks, workers or os.cpu_count() or 1, address, startup)
    return engines[engine](tasks, workers or os.cpu_count() or 1, address)


def check_engine(engine: str, address: str | None = None) -> None:
    """Raise `SweepEngineError` unless `engine` is known, `address` goes with dask, and dask is installed for it."""
    if engine not in ENGINES:
        raise SweepEngineError(f"{engine!r} is not a sweep engine; choose one of {', '.join(ENGINES)}")
    if address is not None and engine != "dask":
        raise SweepEngineError("--address is for --engine dask")
    if engine == "dask":
        try:
            import dask.distributed  # noqa: F401
        except ImportError as exc:
            raise SweepEngineError(
                f"--engine dask needs dask.distributed ({exc}); install the extra: pip install 'cityflex[sweep]'"
            ) from None


def _serial(tasks: Sequence[RunTask], workers: int, address: str | None) -> Iterator[RunOutcome]:
    for task in tasks:
        yield execute_run(task)


def _local_pool(tasks: Sequence[RunTask], workers: int, address: str | None) -> Iterator[RunOutcome]:
    pool = ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=_worker_context())
    try:
        futures = {pool.submit(execute_run, task): task.run_id for task in tasks}
        for future in as_completed(futures):
            yield _outcome(future, futures[future])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_context() -> multiprocessing.context.BaseContext:
    """A fork server with the simulator preloaded, where there is one: workers start without re-importing it.

    Never a plain fork of this (threaded) process, and not the global default either: importing mesa
    forces "spawn", which makes every worker import the simulator anew.
    """
    method = os.environ.get("CITYFLEX_SWEEP_START_METHOD", "forkserver")
    if method not in multiprocessing.get_all_start_methods():
        method = "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["simulator.sweep.engines"])
    return context


def _outcome(future: Future[RunOutcome] | Any, run_id: str) -> RunOutcome:
    """The future's outcome, or a failed one when the worker itself died (a crash, a killed process)."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001  a dead worker fails its run, not the sweep
        return failed(run_id, exc)


def _dask(
    tasks: Sequence[RunTask], workers: int, address: str | None, startup: Startup | None = None
) -> Iterator[RunOutcome]:
    from dask.distributed import Client, LocalCluster  # imported here: dask is an optional extra
    from dask.distributed import as_completed as dask_completed

    cluster, wanted = None, min(workers, len(tasks))
    try:
        if address is None:  # start empty, then scale: the workers' start-up can be watched one by one
            cluster = LocalCluster(n_workers=0, threads_per_worker=1, processes=True, dashboard_address=None)
            cluster.scale(wanted)
        client = Client(address or cluster, timeout="30s")
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise SweepEngineError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        if cluster is not None:
            _wait_for_workers(client, wanted, startup)
        _warm_up(client, startup)
        token = uuid.uuid4().hex[:8]  # keys unique to this sweep on a shared scheduler
        futures = [client.submit(execute_run, t, key=f"cityflex-{t.run_id}-{token}", pure=False) for t in tasks]
        ids = {f.key: t.run_id for f, t in zip(futures, tasks, strict=True)}
        for future in dask_completed(futures):
            yield _outcome(future, ids[future.key])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _wait_for_workers(client: Any, wanted: int, startup: Startup | None) -> None:
    """Poll the scheduler until `wanted` workers are up (or `WORKER_WAIT_S` passed), reporting at every poll."""
    deadline = time.monotonic() + WORKER_WAIT_S
    while time.monotonic() < deadline:
        ready = len(client.scheduler_info().get("workers", {}))
        if startup is not None:
            startup("workers", ready, wanted)
        if ready >= wanted:
            return
        time.sleep(0.25)


def _warm_up(client: Any, startup: Startup | None) -> None:
    """Import the simulator on every worker once, reporting each (the imports are most of a worker's start-up)."""
    workers = list(client.scheduler_info().get("workers", {}))
    futures = [
        client.submit(_import_simulator, key=f"cityflex-warm-up-{uuid.uuid4().hex[:8]}", workers=[w], pure=False)
        for w in workers
    ]
    deadline = time.monotonic() + WORKER_WAIT_S
    while time.monotonic() < deadline:  # polled, so the elapsed time shows while the first import runs
        done = sum(f.done() for f in futures)
        if startup is not None:
            startup("imports", done, len(workers))
        if done == len(futures):
            return
        time.sleep(0.25)


def _import_simulator() -> bool:
    import simulator.runner  # noqa: F401  (what every run needs: pandapower, numba kernels, the model)

    return True
