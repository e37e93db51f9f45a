"""Runs a `Simulation` off the GUI thread: a worker in a `QThread` that steps and sends snapshots.

`RunController` is what the window talks to: start, pause, resume, step, stop, speed. The worker
never touches a widget; the window only reads the model's recorder arrays between frames.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from gui.comparison import Cancelled
from gui.grid_map import prepare_map
from gui.household_trace import HouseholdTrace
from simulator.errors import CityflexError
from simulator.grid.drawing import grid_drawing
from simulator.meter_data.data_catalogue import consent_flags
from simulator.runner import Simulation
from simulator.scenario import Scenario


class SimulationWorker(QObject):
    """Builds the simulation, then steps it while not paused; emits a snapshot after each step."""

    phase = Signal(str)  # what the build is doing, for the status bar
    ready = Signal(object, object, object)  # Simulation, its map (gui.grid_map.MapModel), HouseholdTrace
    snapshot = Signal(object)  # simulator.runner.Snapshot
    finished = Signal(object)  # RunResult
    stopped = Signal()
    failed = Signal(str)

    def __init__(self, scenario: Scenario, *, paused: bool = False) -> None:
        super().__init__()
        self.scenario = scenario
        self._cond = threading.Condition()
        self._paused = paused
        self._stop = False
        self._step_budget = 0
        self.delay_s = 0.0

    # --- called from the GUI thread -----------------------------------------------------------
    def set_paused(self, paused: bool) -> None:
        """Pause or resume stepping."""
        with self._cond:
            self._paused = paused
            self._cond.notify_all()

    def step_once(self) -> None:
        """While paused, do one more step."""
        with self._cond:
            self._step_budget += 1
            self._cond.notify_all()

    def stop(self) -> None:
        """Stop after the current step; no result is produced."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()

    # --- runs in the worker thread ------------------------------------------------------------
    @Slot()
    def run(self) -> None:
        """Build and step the simulation to its end (or until stopped); report a failure as a message."""
        try:
            self._run()
        except CityflexError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 — any engine failure must reach the window as a message
            self.failed.emit(f"the run failed: {type(exc).__name__}: {exc}")

    def _run(self) -> None:
        self.phase.emit("building the grid and the households…")
        sim = Simulation(self.scenario)
        try:
            self._step_to_end(sim)
        finally:
            sim.release()  # finished, stopped or failed: mesa's registry lets go of the run's models

    def _step_to_end(self, sim: Simulation) -> None:
        if self._stop:
            self.stopped.emit()
            return
        self.phase.emit("laying out the grid map…")
        drawing = prepare_map(grid_drawing(sim.model.grid), consent_flags(sim.scenario, sim.model.population.n))
        trace = HouseholdTrace(sim)
        self.ready.emit(sim, drawing, trace)
        self.phase.emit("running")
        while not sim.done:
            if not self._wait_for_turn():
                self.stopped.emit()
                return
            snapshot = sim.step()
            trace.record(snapshot.step)
            self.snapshot.emit(snapshot)
            if self.delay_s > 0:
                with self._cond:
                    self._cond.wait_for(lambda: self._stop, timeout=self.delay_s)
        self.finished.emit(sim.result())

    def _wait_for_turn(self) -> bool:
        with self._cond:
            self._cond.wait_for(lambda: self._stop or not self._paused or self._step_budget > 0)
            if self._stop:
                return False
            if self._paused:
                self._step_budget -= 1
            return True


class RunController(QObject):
    """The window's handle on one run at a time."""

    phase = Signal(str)
    ready = Signal(object, object, object)
    snapshot = Signal(object)
    finished = Signal(object)
    stopped = Signal()
    failed = Signal(str)
    state_changed = Signal(str)  # idle, running, paused

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: SimulationWorker | None = None
        self.state = "idle"
        self.delay_s = 0.0

    def start(self, scenario: Scenario, *, paused: bool = False) -> None:
        """Start a run of `scenario` (stopping any run in progress)."""
        self.shutdown()
        worker = SimulationWorker(scenario, paused=paused)
        worker.delay_s = self.delay_s
        thread = QThread()
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.phase.connect(self.phase)
        worker.ready.connect(self.ready)
        worker.snapshot.connect(self.snapshot)
        worker.finished.connect(self._on_finished)
        worker.stopped.connect(self._on_stopped)
        worker.failed.connect(self._on_failed)
        for signal in (worker.finished, worker.stopped, worker.failed):
            signal.connect(thread.quit)
        self._thread, self._worker = thread, worker
        thread.start()
        self._set_state("paused" if paused else "running")

    def pause(self) -> None:
        """Pause the run after the current step."""
        if self._worker is not None and self.state == "running":
            self._worker.set_paused(True)
            self._set_state("paused")

    def resume(self) -> None:
        """Resume a paused run."""
        if self._worker is not None and self.state == "paused":
            self._worker.set_paused(False)
            self._set_state("running")

    def step_once(self) -> None:
        """Do one step of a paused run."""
        if self._worker is not None and self.state == "paused":
            self._worker.step_once()

    def stop(self) -> None:
        """Stop the run; the views keep what was simulated."""
        if self._worker is not None:
            self._worker.stop()

    def set_delay(self, delay_s: float) -> None:
        """Pause `delay_s` between steps (0 = as fast as possible)."""
        self.delay_s = delay_s
        if self._worker is not None:
            self._worker.delay_s = delay_s

    def shutdown(self, timeout_ms: int = 300_000) -> None:
        """Stop any run and wait for its thread to end (a run still building its model ends after the build)."""
        if self._thread is not None:
            self.stop()
            self._thread.quit()
            self._thread.wait(timeout_ms)
        self._thread, self._worker = None, None
        self._set_state("idle")

    def _on_finished(self, result: object) -> None:
        self._set_state("idle")
        self.finished.emit(result)

    def _on_stopped(self) -> None:
        self._set_state("idle")
        self.stopped.emit()

    def _on_failed(self, message: str) -> None:
        self._set_state("idle")
        self.failed.emit(message)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)


class TaskWorker(QObject):
    """Runs one long call (a comparison, a grid build) off the GUI thread, cancellable.

    `fn(progress, cancelled)` gets a `(done, total)` callback and a `cancelled()` predicate it checks
    between units of work (raising `Cancelled` when it is true).
    """

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, fn: Callable[[Callable[[int, int], None], Callable[[], bool]], object]) -> None:
        super().__init__()
        self.fn = fn
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the call to stop at its next check (called from the GUI thread)."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        """True once `cancel()` was called."""
        return self._cancel.is_set()

    @Slot()
    def run(self) -> None:
        """Call the function; report its result, its cancellation or its error as a message."""
        try:
            result = self.fn(self.progress.emit, self._cancel.is_set)
        except Cancelled:
            self.cancelled.emit()
        except CityflexError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 — any engine failure must reach the window as a message
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.finished.emit(result)


class Task(QObject):
    """A long call in its own thread: `Task(fn, parent)` starts it; `cancel()`; `shutdown()` waits for its end.

    Its signals are re-emitted by this object, which lives in the GUI thread, so a slot connected to
    them (a lambda too) runs in the GUI thread: a lambda connected to the worker's own signals would
    run in the worker's thread and touch widgets from there.
    """

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, fn: Callable[[Callable[[int, int], None], Callable[[], bool]], object],
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.worker = TaskWorker(fn)
        self.thread = QThread(self)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        for mine, theirs in ((self.progress, self.worker.progress), (self.finished, self.worker.finished),
                             (self.failed, self.worker.failed), (self.cancelled, self.worker.cancelled)):  # fmt: skip
            theirs.connect(mine)
        for signal in (self.worker.finished, self.worker.failed, self.worker.cancelled):
            signal.connect(self.thread.quit)
        self.thread.start()

    @property
    def running(self) -> bool:
        """True until the worker's thread has ended."""
        return self.thread.isRunning()

    def cancel(self) -> None:
        """Ask the worker to stop at its next check."""
        self.worker.cancel()

    def shutdown(self, timeout_ms: int = 60_000) -> bool:
        """Cancel and wait for the thread to end; True if it did."""
        self.worker.cancel()
        self.thread.quit()
        return self.thread.wait(timeout_ms)
