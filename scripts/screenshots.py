"""Make the README's screenshots of the desktop application under a virtual X server (Xvfb).

    python scripts/screenshots.py [--scenario scenarios/lisbon_district.toml] [--out docs]
                                  [--map-scenario scenarios/lisbon_upgrid.toml]

Starts its own Xvfb (Debian: `apt-get install xvfb`), runs the scenario in the window, and saves
one PNG per view into `docs/`: gui_live.png, gui_grid.png, gui_agents.png, gui_kpis.png,
gui_messages.png, gui_compare.png; then runs one day of the big map's scenario for its map by MV feeder
(gui_grid_feeders.png) and zoomed into the worst feeder after a click (gui_grid_feeder_zoom.png).
Window settings go to a temporary file, never the user's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1280, 720)


def start_xvfb() -> tuple[subprocess.Popen, str]:
    """Start Xvfb on the first free display; return the process and the DISPLAY value."""
    if shutil.which("Xvfb") is None:
        sys.exit("Xvfb not found: apt-get install -y xvfb")
    for n in range(90, 120):
        if Path(f"/tmp/.X11-unix/X{n}").exists() or Path(f"/tmp/.X{n}-lock").exists():
            continue
        proc = subprocess.Popen(
            ["Xvfb", f":{n}", "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{n}").exists():
                return proc, f":{n}"
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        proc.terminate()
    sys.exit("could not start Xvfb")


def shoot(scenario: Path, out: Path, map_scenario: Path | None = None) -> list[Path]:
    """Run `scenario` in the window and save a PNG of each view."""
    sys.path.insert(0, str(ROOT))
    import numpy as np
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["cityflex"])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "cityflex.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.resize(*SIZE)
    window.show()
    if not window.open_path(scenario):
        sys.exit(window.error_banner.text())

    def wait(condition, timeout_s: float = 300.0) -> None:
        end = time.monotonic() + timeout_s
        while not condition() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)
        for _ in range(20):
            app.processEvents()

    window.run()
    wait(lambda: window.result is not None or window.error_banner.isVisible())
    if window.result is None:
        sys.exit(window.error_banner.text())
    out.mkdir(parents=True, exist_ok=True)
    saved = []

    def grab(name: str) -> None:
        wait(lambda: True)
        path = out / f"gui_{name}.png"
        window.grab().save(str(path))
        saved.append(path)

    window.tabs.setCurrentWidget(window.live)
    grab("live")
    window.tabs.setCurrentWidget(window.grid_view)
    evening = int(window.result.district.query("case == 'scenario'")["import_kw"].idxmax())
    window.grid_view.select_substation(len(window.result.scenario.retailers) % 3)
    window.grid_view.show_step(evening)
    grab("grid")
    agents = window.result.agents
    showcase = agents[agents["has_ev"] & agents["has_hems"]]
    window.tabs.setCurrentWidget(window.inspector)
    if len(showcase):  # its substation's group line (the disclosure rule applies), then the household itself
        window.inspector.search.setText(str(showcase["substation"].iloc[0]))
        window.inspector._search()
    window.inspector.select(int(showcase["row"].iloc[0]) if len(showcase) else 0)
    grab("agents")
    window.tabs.setCurrentWidget(window.kpis)
    grab("kpis")
    window.tabs.setCurrentWidget(window.messages)
    grab("messages")
    window.tabs.setCurrentWidget(window.compare)
    compared: list = []
    window.compare.compared.connect(compared.append)
    window.compare.run_comparison()
    wait(lambda: bool(compared) or window.error_banner.isVisible())
    grab("compare")
    if map_scenario is not None:
        if not window.open_path(map_scenario):
            sys.exit(window.error_banner.text())
        window.panel.editor.set_value("horizon_days", "1")
        window.tabs.setCurrentWidget(window.grid_view)
        window.run()
        wait(lambda: window.result is not None or window.error_banner.isVisible())
        view = window.grid_view
        wait(lambda: view.model is not None)
        evening = int(window.result.district.query("case == 'scenario'")["import_kw"].idxmax())
        view.show_step(evening)
        worst = int(np.nanargmax(view._marker_values))
        view.open_group(view.level_key, worst)  # as a click on the marker does; the map zooms in afterwards
        view.set_level("feeder")
        view.map.getPlotItem().getViewBox().autoRange()
        grab("grid_feeders")
        view.open_group("feeder", worst)
        grab("grid_feeder_zoom")
    window.close()
    return saved


def main() -> int:
    """Start Xvfb, take the screenshots, stop Xvfb."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "lisbon_district.toml")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--map-scenario", type=Path, default=ROOT / "scenarios" / "lisbon_upgrid.toml")
    args = parser.parse_args()
    xvfb, display = start_xvfb()
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    try:
        for path in shoot(args.scenario, args.out, args.map_scenario):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
