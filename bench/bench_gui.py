"""Frame time of the desktop application's views on a 10,000-household run, and its memory over repeated runs.

    python bench/bench_gui.py [--substations 100] [--households 100] [--days 1] [--tab grid|live]
    python bench/bench_gui.py --scenario scenarios/lisbon_upgrid.toml
    python bench/bench_gui.py --memory scenarios/lisbon_upgrid.toml [--runs 10]

Frames: steps a synthetic scenario (substations × households per substation) in the GUI thread and,
after every step, redraws the live views, the grid view and the agent inspector as the window's
frame timer would; prints the set-up time, the time to prepare the map's data (done off the GUI thread
in the application), the GUI thread's first draw of the run's views including the first paint (with the
grid tab shown unless `--tab live`), the step time and the per-view frame (update and paint) times.
Memory: runs the scenario `--runs` times in one window, as a user pressing Run would (threaded), and prints the resident
memory after each run. The window is 1280×720; Qt's platform is QT_QPA_PLATFORM (offscreen if unset;
`xvfb-run -a -s "-screen 0 1280x720x24" env QT_QPA_PLATFORM=xcb python bench/bench_gui.py` for a real X display).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def scenario(substations: int, households: int, days: float):  # -> Scenario (imported late, after Qt is set up)
    """The quickstart with a bigger synthetic grid."""
    from simulator.scenario import read_toml, scenario_from_dict

    data = read_toml(Path(__file__).resolve().parent.parent / "scenarios" / "quickstart.toml")
    data["horizon_days"] = days
    data["grid"].update(substations=substations, households_per_substation=households, mv_feeders=10)
    data["grid"]["transformer_type"] = "0.63 MVA 20/0.4 kV"
    return scenario_from_dict(data, "bench")


def load(path: Path):  # -> Scenario
    """A scenario file, at full scale."""
    from simulator.scenario import load_scenario

    return load_scenario(path)


def summary(name: str, times_s: list[float]) -> str:
    """Median, 95th percentile and max in ms."""
    ms = sorted(t * 1000 for t in times_s)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    return f"{name:<28} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms"


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--substations", type=int, default=100)
    parser.add_argument("--households", type=int, default=100)
    parser.add_argument("--days", type=float, default=1)
    parser.add_argument("--memory", type=Path, help="a scenario to run --runs times in one window")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--scenario", type=Path, help="a scenario file instead of the synthetic grid")
    parser.add_argument("--level", choices=("substation", "feeder", "primary"), help="the grid map's markers")
    parser.add_argument("--tab", choices=("live", "grid"), default="grid", help="the tab shown while stepping")
    args = parser.parse_args()
    if args.memory is not None:
        return memory(args.memory, args.runs)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gui.household_trace import HouseholdTrace
    from gui.main_window import MainWindow
    from gui.series import LiveSeries
    from simulator.grid.drawing import grid_drawing
    from simulator.runner import Simulation

    try:  # the map's data prepared off the GUI thread, as the run's worker does
        from gui.grid_map import prepare_map
        from simulator.meter_data.data_catalogue import consent_flags
    except ImportError:  # before the map was prepared on the worker (for a figure "before")
        prepare_map, consent_flags = None, None

    app = QApplication.instance() or QApplication(["bench"])
    window = MainWindow(QSettings(os.devnull + ".ini", QSettings.Format.IniFormat))
    window.frame_timer.stop()
    window.resize(1280, 720)
    window.show()
    window.tabs.setCurrentWidget(window.grid_view if args.tab == "grid" else window.live)
    if args.level is not None and hasattr(window.grid_view, "set_level"):
        window.grid_view.set_level(args.level)
    app.processEvents()
    sc = scenario(args.substations, args.households, args.days) if args.scenario is None else load(args.scenario)
    started = time.perf_counter()
    sim = Simulation(sc)
    setup_s = time.perf_counter() - started
    started = time.perf_counter()
    drawing = grid_drawing(sim.model.grid)
    if prepare_map is not None:
        drawing = prepare_map(drawing, consent_flags(sim.scenario, sim.model.population.n))
    trace = HouseholdTrace(sim)
    layout_s = time.perf_counter() - started
    started = time.perf_counter()
    window._on_ready(sim, drawing, trace)
    app.processEvents()  # the first paint
    draw_grid_s = time.perf_counter() - started
    series = LiveSeries(sim)
    times: dict[str, list[float]] = {"step (engine)": [], "live views": [], "grid view": [], "agent inspector": []}
    views = {
        "live views": lambda: window.live.refresh(),
        "grid view": window.grid_view.refresh,
        "agent inspector": window.inspector.refresh,
    }
    while not sim.done:
        t0 = time.perf_counter()
        snap = sim.step()
        trace.record(snap.step)
        times["step (engine)"].append(time.perf_counter() - t0)
        window._on_snapshot(snap)
        for name, refresh in views.items():
            t0 = time.perf_counter()
            refresh()
            app.processEvents()  # paint what changed
            times[name].append(time.perf_counter() - t0)
    n_households = sim.model.population.n
    print(f"{n_households:,} households, {len(series.substation_names)} substations, {sc.n_steps} steps")
    print(f"set-up (grid, households, both models): {setup_s:.1f} s; map prepared (worker thread): {layout_s:.2f} s; "
          f"first draw of the run's views with the {args.tab} tab shown, incl. paint (GUI thread): "
          f"{draw_grid_s:.2f} s")  # fmt: skip
    for name, values in times.items():
        print(summary(name, values))
    frame = [sum(v) for v in zip(times["live views"], times["grid view"], strict=True)]
    print(summary("frame: live + grid", frame))
    window.close()
    window.deleteLater()
    app.processEvents()
    return 0


def memory(path: Path, runs: int) -> int:
    """Run `path` `runs` times in one window (threaded, as the Run button does); print the memory after each."""
    import gc

    import psutil
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["bench"])
    window = MainWindow(QSettings(os.devnull + ".ini", QSettings.Format.IniFormat))
    window.resize(1280, 720)
    window.show()
    if not window.open_path(path):
        sys.exit(window.error_banner.text())
    rss = []
    for i in range(runs):
        loop = QEventLoop()
        window.controller.finished.connect(loop.quit)
        window.controller.failed.connect(loop.quit)
        started = time.perf_counter()
        QTimer.singleShot(0, window.run)
        loop.exec()
        window.controller.finished.disconnect(loop.quit)
        window.controller.failed.disconnect(loop.quit)
        app.processEvents()
        gc.collect()
        rss.append(psutil.Process().memory_info().rss / 1e6)
        print(f"run {i + 1}: {time.perf_counter() - started:.1f} s, resident memory {rss[-1]:,.0f} MB", flush=True)
    print(f"{path.stem}: memory after 1 run {rss[0]:,.0f} MB, after {runs} runs {rss[-1]:,.0f} MB "
          f"({rss[-1] / rss[0]:.2f}×)")  # fmt: skip
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
