"""The issue's whole user session, cycle after cycle, in one application process on a real X display.

`python tests/gui/district_session.py SCENARIO.toml CYCLES EXPORT_DIR` starts the application as
`python main.py gui SCENARIO.toml` does (`cityflex.cli.main`), shortens the horizon to one day in the
scenario editor (as a user would, to keep CI short), then `CYCLES` times: clicks Run and waits for the
result, inspects a household with an EV, compares flat/ToU/CPP, exports the results and the comparison
report into a new folder under EXPORT_DIR; then File → Quit. One line per cycle on stdout; the exit
code is the application's own, through normal interpreter finalisation (a crash in PySide6's
finalisers shows as exit 134 and "Fatal Python error").
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from cityflex import cli
from tests.gui.app_session import RUN_TIMEOUT_MS, click_toolbar, rss_mb, say, wait_for, window


def _choose_folder(folder: Path) -> None:
    """The next folder dialogs answer `folder` (the dialog is modal; its Choose button is not the subject)."""
    QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: str(folder))


def cycle(win, i: int, export_dir: Path) -> None:
    """Run, inspect a household, compare flat/ToU/CPP, export: one cycle of the session."""
    click_toolbar(win, "Run")
    wait_for(win.controller.finished, RUN_TIMEOUT_MS)
    steps = len(win.result.case("district"))

    win.tabs.setCurrentWidget(win.inspector)
    QTest.keyClicks(win.inspector.search, "has_ev")
    QTest.keyClick(win.inspector.search, "\r")
    QTest.qWait(20)
    record = win.inspector.record or {}
    shown = win.inspector.power_curves["ev_kw"].getData()[1]
    points = 0 if shown is None else int((shown == shown).sum())  # finite points plotted

    win.tabs.setCurrentWidget(win.compare)
    win.compare.set_ticked(["flat", "tou", "cpp"])
    QTest.mouseClick(win.compare.run_button, Qt.MouseButton.LeftButton)
    wait_for(win.compare.compared, RUN_TIMEOUT_MS)
    options = win.compare.comparison.options

    out = export_dir / f"cycle-{i}"
    out.mkdir(parents=True)
    _choose_folder(out)
    win.actions.export_results.trigger()  # File → Export results…
    win.compare.export_html.click()  # Compare → Export report (HTML + CSV)…
    exported = sorted(p.name for p in out.iterdir())
    gc.collect()
    say(
        f"cycle {i}: steps={steps} household={win.inspector.row.value()} has_ev={record.get('has_ev')} "
        f"ev_points={points} "
        f"compared={','.join(options)} exported={','.join(exported)} rss_mb={rss_mb():.1f}"
    )


def drive(cycles: int, export_dir: Path) -> None:
    """Click through the session (called from inside the application's event loop)."""
    win = window()
    QTest.qWaitForWindowExposed(win)
    win.panel.editor.set_value("horizon_days", "1")
    QTest.qWait(20)
    for i in range(1, cycles + 1):
        cycle(win, i, export_dir)
    win.actions.quit.trigger()  # File → Quit


def main() -> int:
    """Start the application as `python main.py gui SCENARIO` does, drive it, return its exit code."""
    scenario, cycles, export_dir = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    app = QApplication([sys.argv[0]])
    QTimer.singleShot(0, lambda: drive(cycles, export_dir))
    code = cli.main(["gui", scenario], prog="main.py")
    del app
    return code


if __name__ == "__main__":
    sys.exit(main())
