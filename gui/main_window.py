"""The main window: the scenario panel, run controls and the views, wired to a `RunController`.

Views only read: snapshots mark the window dirty and a frame timer redraws at most every
`FRAME_MS`, so a fast run never floods the event loop.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QProgressBar,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from gui.actions import SPEEDS, build_actions
from gui.compare_view import CompareView
from gui.export_dialogs import ask_existing
from gui.grid_map import MapModel, results_map
from gui.grid_view import GridView
from gui.help import fill_help_menu
from gui.household_trace import HouseholdTrace
from gui.inspector import AgentInspector
from gui.kpi_panel import KpiPanel
from gui.live_views import LiveViews
from gui.messages_view import MessageMonitor, live_messages
from gui.scenario_panel import ScenarioPanel
from gui.series import LiveSeries, ResultSeries
from gui.settings import add_recent, app_settings, recent_files
from gui.window_files import WindowFiles
from gui.worker import RunController, Task
from simulator.errors import CityflexError
from simulator.results.run_result import RunResult, read_results
from simulator.runner import Simulation, Snapshot
from simulator.scenario import Scenario, load_scenario

FRAME_MS = 50


class MainWindow(WindowFiles, QMainWindow):
    """cityflex: run, watch, inspect and compare scenarios."""

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else app_settings()
        self.setObjectName("main_window")
        self.setWindowTitle("cityflex")
        self.resize(1280, 720)
        self.controller = RunController(self)
        self.sim: Simulation | None = None
        self.trace: HouseholdTrace | None = None  # every household's power per step, of the last run made here
        self.result: RunResult | None = None
        self.latest: Snapshot | None = None
        self.frame_times_s: list[float] = []
        self._run_time_s, self._running_since, self._messages_shown_at = 0.0, None, 0.0
        self.jobs: list[Task] = []  # long jobs of the window besides runs and comparisons (grid layouts)
        self._dirty = False
        #: asked when an export folder exists: returns "replace", "new" or "cancel" (tests replace it)
        self.ask_existing = lambda folder, replaceable: ask_existing(self, folder, replaceable)
        self._build_views()
        self.actions = build_actions(self, self._handlers())
        self.actions.speed.currentTextChanged.connect(lambda t: self.controller.set_delay(SPEEDS[t]))
        self._fill_view_menu()
        fill_help_menu(self.actions.help_menu, self)
        self._wire()
        self._restore()
        self.frame_timer = QTimer(self)
        self.frame_timer.setInterval(FRAME_MS)
        self.frame_timer.timeout.connect(self.frame)
        self.frame_timer.start()
        self._update_actions()

    # --- layout -------------------------------------------------------------------------------
    def _build_views(self) -> None:
        self.error_banner = QLabel()
        self.error_banner.setWordWrap(True)
        self.error_banner.setStyleSheet("background: #fde2e2; color: #900; padding: 6px;")
        self.error_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_banner.setVisible(False)
        self.tabs = QTabWidget()
        self.live = LiveViews()
        self.grid_view = GridView()
        self.inspector = AgentInspector()
        self.kpis = KpiPanel()
        self.messages = MessageMonitor()
        self.compare = CompareView()
        for widget, title in (
            (self.live, "Live views"),
            (self.grid_view, "Grid"),
            (self.inspector, "Agents"),
            (self.kpis, "KPIs && what happened"),
            (self.messages, "Messages"),
            (self.compare, "Compare"),
        ):
            self.tabs.addTab(widget, title)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.error_banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.panel = ScenarioPanel()
        dock = self.scenario_dock = QDockWidget("Scenario", self)
        dock.setObjectName("scenario_dock")
        dock.setWidget(self.panel)
        self.panel.setMinimumWidth(280)  # usable at 1280×720 beside the views
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.resizeDocks([dock], [400], Qt.Orientation.Horizontal)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.progress_label = QLabel("no run")
        self.statusBar().addPermanentWidget(self.progress_label)
        self.statusBar().addPermanentWidget(self.progress)

    def _fill_view_menu(self) -> None:
        """Panels and toolbars to bring back after closing them, and the views by name (Ctrl+1 …)."""
        menu = self.actions.view_menu
        menu.addAction(self.scenario_dock.toggleViewAction())
        for bar in self.findChildren(QToolBar):
            menu.addAction(bar.toggleViewAction())
        menu.addSeparator()
        for i in range(self.tabs.count()):
            title = self.tabs.tabText(i).replace("&&", "&")
            action = menu.addAction(title, lambda i=i: self.tabs.setCurrentIndex(i))
            action.setShortcut(f"Ctrl+{i + 1}")
        menu.addSeparator()
        menu.addAction("Reset the layout", self.reset_layout)

    def reset_layout(self) -> None:
        """Show the scenario panel and the toolbar again, docked on the left."""
        self.scenario_dock.setFloating(False)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.scenario_dock)
        self.scenario_dock.show()
        for bar in self.findChildren(QToolBar):
            bar.show()

    def _handlers(self) -> dict:
        return {
            "open_scenario": self._ask_open_scenario,
            "open_results": self._ask_open_results,
            "save_as": self._ask_save_as,
            "export_results": self._ask_export_results,
            "export_plots": self._ask_export_plots,
            "quit": self.close,
            "undo": self.panel.editor.undo,
            "revert": self.panel.editor.revert,
            "run": self.run,
            "pause": self.toggle_pause,
            "step": self.step,
            "stop": self.controller.stop,
        }

    def _wire(self) -> None:
        c = self.controller
        c.ready.connect(self._on_ready)
        c.snapshot.connect(self._on_snapshot)
        c.finished.connect(self._on_finished)
        c.stopped.connect(lambda: self._status("stopped; the views keep what was simulated"))
        c.failed.connect(self.show_error)
        c.state_changed.connect(self._on_state)
        c.phase.connect(self._on_phase)
        self.panel.open_requested.connect(self.open_path)
        self.panel.editor.changed.connect(self._on_scenario_edited)
        self.panel.editor.modified_changed.connect(self.setWindowModified)
        self.grid_view.household_selected.connect(self._inspect_household)
        self.kpis.event_selected.connect(self._show_event)
        self.compare.failed.connect(self.show_error)
        self.compare.status.connect(self._status)
        self.tabs.currentChanged.connect(lambda _: self.frame(force=True))

    # --- opening and saving -------------------------------------------------------------------
    def open_path(self, path: str | Path) -> bool:
        """Open a scenario TOML file or a results directory; show any problem in the window."""
        path = Path(path)
        try:
            if path.is_dir():
                self.open_results(read_results(path))
            else:
                self.open_scenario(load_scenario(path), path)
        except CityflexError as exc:
            self.show_error(str(exc))
            return False
        self._remember(path)
        return True

    def open_scenario(self, scenario: Scenario, path: Path | None = None) -> None:
        """Load a scenario into the editor, ready to run."""
        self.controller.shutdown()
        self.clear_error()
        self.panel.editor.set_scenario(scenario, path)
        self.panel.title.setText(f"<b>{scenario.name}</b> — {scenario.description}")
        self.compare.set_scenario(scenario)
        self.live.show_horizon(scenario)
        self.setWindowTitle(f"cityflex — {scenario.name}[*]")  # [*]: Qt shows '*' while modified
        self._status(f"{scenario.name}: {scenario.n_steps} steps; press Run (F5)")

    def open_results(self, result: RunResult) -> None:
        """Show a finished run without recomputing it (its grid map is laid out off the GUI thread)."""
        self.open_scenario(result.scenario, result.path)
        self._drop_sim()
        self.result, self.trace = result, None
        series = ResultSeries(result)
        self.live.set_series(series)
        self.grid_view.set_grid(None, None)
        self._show_result(result)
        self.progress.setMaximum(100)
        self.progress.setValue(100)
        self.progress_label.setText(f"finished run · {result.scenario.n_steps} steps")
        self._status(f"opened results of {result.scenario.name} from {result.path}; laying out the grid map…")
        task = Task(lambda _progress, _cancelled: results_map(result), self)
        task.finished.connect(lambda drawing: self._show_drawing(drawing, result))
        task.failed.connect(self.show_error)
        self.jobs = [job for job in self.jobs if job.running] + [task]

    def _show_drawing(self, drawing: MapModel, result: RunResult) -> None:
        if self.result is result and self.controller.state == "idle":
            self.grid_view.set_grid(drawing, self.live.series)
            self._status(f"opened results of {result.scenario.name} from {result.path}")

    def _remember(self, path: Path) -> None:
        files = add_recent(self.settings, path)
        self.panel.set_files(files)
        self._fill_recent_menu(files)

    def _fill_recent_menu(self, files: list[str]) -> None:
        menu = self.actions.recent_menu
        menu.clear()
        for f in files:
            menu.addAction(f, lambda f=f: self.open_path(f))
        menu.setEnabled(bool(files))

    # --- running ------------------------------------------------------------------------------
    def run(self, *, paused: bool = False) -> bool:
        """Run the edited scenario (off the GUI thread)."""
        scenario = self.panel.editor.scenario()
        if scenario is None:
            self.show_error("The scenario is not valid; fix the fields marked in red before running.")
            return False
        self.clear_error()
        self.result, self.latest = None, None
        self.kpis.clear()
        self._run_time_s, self._running_since = 0.0, None
        self.progress.setValue(0)
        self.progress_label.setText("building…")
        self.controller.start(scenario, paused=paused)
        return True

    def toggle_pause(self) -> None:
        """Pause a running run, resume a paused one."""
        if self.controller.state == "running":
            self.controller.pause()
        else:
            self.controller.resume()

    def step(self) -> None:
        """One step: of a paused run, or start a new run paused after its first step."""
        if self.controller.state == "idle":
            if self.run(paused=True):
                self.controller.step_once()
        else:
            self.controller.pause()
            self.controller.step_once()

    def _on_ready(self, sim: Simulation, drawing: MapModel, trace: HouseholdTrace) -> None:
        self._drop_sim()
        self.sim, self.trace = sim, trace
        series = LiveSeries(sim)
        self.live.set_series(series, new_run=True)
        self.grid_view.set_grid(drawing, series)
        self.inspector.set_source(sim=sim, trace=trace)
        self.messages.set_messages(live_messages(sim), live=True)
        self._messages_shown_at = time.perf_counter()

    def _drop_sim(self) -> None:
        """Forget the live simulation (its models are freed once nothing reads them: the worker let mesa drop them)."""
        self.sim = None

    def _on_phase(self, phase: str) -> None:
        if phase == "running":  # the ETA counts stepping time only, not the build
            self._run_time_s = 0.0
            self._running_since = time.perf_counter() if self.controller.state == "running" else None
        self._status(phase if phase != "running" else "running; F6 pauses, F10 steps, Shift+F5 stops")
        if phase != "running":
            self.progress_label.setText(phase)

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        self.latest = snapshot
        self._dirty = True

    def _on_finished(self, result: RunResult) -> None:
        """Show the result from its tables and release the run's models (memory stays flat run after run)."""
        self.result = result
        self.frame(force=True)
        series = ResultSeries(result)
        self.live.set_series(series)
        self.grid_view.set_series(series)
        self._drop_sim()
        if self.trace is not None:
            self.trace.release()
        self._show_result(result)
        self._status(f"done: {result.scenario.n_steps} steps in {result.meta.get('wall_time_s', 0):.1f} s")

    def _show_result(self, result: RunResult) -> None:
        self.kpis.show_kpis(result.kpis)
        self.kpis.show_events(result.events)
        self.messages.set_messages(result.messages if result.scenario.hub is not None else None)
        self.inspector.set_source(sim=None, result=result, trace=self.trace)

    def frame(self, force: bool = False) -> None:
        """Redraw the visible views from the latest step (called by the frame timer)."""
        if not (self._dirty or force):
            return
        started = time.perf_counter()
        self._dirty = False
        self.live.refresh(force=force)
        current = self.tabs.currentWidget()
        if current is self.grid_view:
            self.grid_view.refresh()
        elif current is self.inspector and self.result is None:
            self.inspector.refresh()
        elif current is self.messages and self.sim is not None and time.perf_counter() - self._messages_shown_at > 1:
            self.messages.set_messages(live_messages(self.sim), live=True)
            self._messages_shown_at = time.perf_counter()
        self._show_progress()
        self.frame_times_s.append(time.perf_counter() - started)

    def _show_progress(self) -> None:
        snap = self.latest
        if snap is None:
            return
        done = snap.step + 1
        self.progress.setMaximum(snap.n_steps)
        self.progress.setValue(done)
        elapsed = self._run_clock()
        eta = elapsed / done * (snap.n_steps - done)
        state = {"paused": " · paused"}.get(self.controller.state, "")
        eta_text = "" if state else f" · ETA {eta:.0f} s"
        self.progress_label.setText(f"step {done}/{snap.n_steps} · {snap.time:%a %d %b %Y %H:%M}{eta_text}{state}")

    def _run_clock(self) -> float:
        """Seconds the run has been stepping (the clock stops while paused), for the ETA."""
        running = self._running_since
        return self._run_time_s + (time.perf_counter() - running if running is not None else 0.0)

    def _on_state(self, state: str) -> None:
        if state == "running" and self._running_since is None:
            self._running_since = time.perf_counter()
        elif state != "running" and self._running_since is not None:
            self._run_time_s = self._run_clock()
            self._running_since = None
        self._update_actions()
        self._show_progress()

    # --- small things -------------------------------------------------------------------------
    def _on_scenario_edited(self, scenario: Scenario | None) -> None:
        self.compare.set_scenario(scenario) if scenario is not None else None
        self._update_actions()

    def _update_actions(self) -> None:
        idle = self.controller.state == "idle"
        valid = self.panel.editor.scenario() is not None
        a = self.actions
        a.run.setEnabled(idle and valid)
        a.pause.setEnabled(not idle)
        a.step.setEnabled(valid)
        a.stop.setEnabled(not idle)

    def _inspect_household(self, row: int) -> None:
        if not self.inspector.select(row):
            self._status("that household did not consent to individual data: it appears only in aggregates")

    def _show_event(self, step: int) -> None:
        self.tabs.setCurrentWidget(self.grid_view)
        self.grid_view.show_step(step)

    def show_error(self, message: str) -> None:
        """Show a problem in the window (never a traceback)."""
        self.error_banner.setText(message)
        self.error_banner.setVisible(True)
        self._status("error: see the message above the views")

    def clear_error(self) -> None:
        """Hide the error banner."""
        self.error_banner.setVisible(False)
        self.error_banner.clear()

    def _status(self, text: str) -> None:
        self.statusBar().showMessage(text)

    def _restore(self) -> None:
        s = self.settings
        if s.value("geometry") is not None:
            self.restoreGeometry(s.value("geometry"))
        if s.value("window_state") is not None:
            self.restoreState(s.value("window_state"))
        self.tabs.setCurrentIndex(int(s.value("tab", 0)))
        files = recent_files(s)
        self.panel.set_files(files)
        self._fill_recent_menu(files)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 — Qt's name
        """Stop every long job (run, comparison) and wait for its thread, then remember the layout."""
        self.frame_timer.stop()
        self.controller.shutdown()
        self.compare.shutdown()
        for job in self.jobs:
            job.shutdown()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState())
        self.settings.setValue("tab", self.tabs.currentIndex())
        self.settings.sync()
        super().closeEvent(event)
