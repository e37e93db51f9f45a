"""The compare view: tariff options (or finished runs) side by side; export HTML, CSV and PNG.

The KPIs with coloured deltas, the load curves overlaid, and who wins and loses (the equity chart).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.comparison import (
    HIGHER_IS_BETTER,
    NEUTRAL,
    Comparison,
    compare_options,
    compare_results,
    offered_options,
    write_report,
)
from gui.export_dialogs import ask_existing, choose_target
from gui.export_target import fresh_folder, safe_name
from gui.group_disclosure import sorted_curve
from gui.kpi_panel import CODE_NAME, VALUE_ROLE, format_number, read_only_table
from gui.plots import BASELINE_PEN, PALETTE, export_csv, export_png, legend_below, table_csv, time_plot
from gui.series import epoch_s
from gui.worker import Task
from simulator.errors import CityflexError
from simulator.kpi.plain import plain
from simulator.kpi.registry import KPIS
from simulator.results.run_result import RunResult, read_results
from simulator.scenario import Scenario

BETTER, WORSE = QColor("#c8f0c8"), QColor("#f8c8c8")
DEFAULT_TICKED = ("flat", "tou", "cpp")


class CompareView(QWidget):
    """Tariff options of the current scenario (flat, ToU, CPP, its own tariffs), or finished runs, compared."""

    compared = Signal(object)  # Comparison
    failed = Signal(str)
    status = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options = QListWidget()
        self.options.setMaximumHeight(96)
        self.run_button = QPushButton("Compare the ticked options")
        self.run_button.clicked.connect(self.run_comparison)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        add_runs = QPushButton("Compare finished runs…")
        add_runs.clicked.connect(self._pick_runs)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.export_html = QPushButton("Export report (HTML + CSV)…")
        self.export_html.clicked.connect(lambda: self.export_report())
        self.export_plots = QPushButton("Export plots and table (PNG + CSV)…")
        self.export_plots.clicked.connect(lambda: self.export_pngs())
        for b in (self.export_html, self.export_plots):
            b.setEnabled(False)
        side = QVBoxLayout()
        side.addWidget(QLabel("Tariff options (every retailer sells the ticked tariff; same households and seed; "
                              "the first ticked is the reference of the Δ columns):"))  # fmt: skip
        side.addWidget(self.options)
        buttons = QHBoxLayout()
        for b in (self.run_button, self.cancel_button, add_runs, self.export_html, self.export_plots):
            buttons.addWidget(b)
        buttons.addStretch(1)
        side.addLayout(buttons)
        side.addWidget(self.progress)
        self.table = read_only_table(["unit"])
        self.table.verticalHeader().setVisible(True)  # the KPI names stay in view when the columns scroll
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.canvas = pg.GraphicsLayoutWidget()
        self.load_plot = time_plot(self.canvas.ci, "District import by option", "W", 0, 0)
        self.load_plot.setLabel("left", "district import", units="W")
        self.equity_plot = self.canvas.ci.addPlot(row=0, col=1, title="Who wins, who loses: bill change vs baseline")
        self.equity_plot.setLabel("bottom", "households, from most saving to most paying [%]")
        self.equity_plot.setLabel("left", "bill change [€]")
        legend_below(self.equity_plot)
        self.equity_plot.showGrid(x=True, y=True, alpha=0.2)
        self.equity_plot.addItem(pg.InfiniteLine(angle=0, pen=BASELINE_PEN))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.canvas)
        split.setSizes([300, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(side)
        layout.addWidget(split, 1)
        self.scenario: Scenario | None = None
        self.comparison: Comparison | None = None
        self.task: Task | None = None
        #: asked when an export folder exists: returns "replace", "new" or "cancel" (tests replace it)
        self.ask_existing = lambda folder, replaceable: ask_existing(self, folder, replaceable)

    def set_scenario(self, scenario: Scenario | None) -> None:
        """Offer flat, the presets and the scenario's own tariffs (flat, tou and cpp ticked)."""
        ticked = self.ticked() if self.scenario is not None and scenario is not None else None
        self.scenario = scenario
        self.options.clear()
        if scenario is None:
            return
        for name, label in offered_options(scenario).items():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, name)
            on = name in (ticked if ticked else DEFAULT_TICKED)
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.options.addItem(item)

    def ticked(self) -> list[str]:
        """The options ticked, in list order."""
        items = (self.options.item(i) for i in range(self.options.count()))
        return [it.data(Qt.ItemDataRole.UserRole) for it in items if it.checkState() == Qt.CheckState.Checked]

    def set_ticked(self, names: list[str]) -> None:
        """Tick exactly these options."""
        for i in range(self.options.count()):
            it = self.options.item(i)
            on = it.data(Qt.ItemDataRole.UserRole) in names
            it.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    @property
    def busy(self) -> bool:
        """True while a comparison runs."""
        return self.task is not None and self.task.running

    def run_comparison(self) -> None:
        """Run the ticked options off the GUI thread (cancellable)."""
        options, scenario = self.ticked(), self.scenario
        if scenario is None or len(options) < 2:
            self.failed.emit("Tick at least two options to compare (and load a valid scenario).")
            return
        if self.busy:
            return
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setVisible(True)
        self.progress.setValue(0)
        task = Task(lambda progress, cancelled: compare_options(scenario, options, progress, cancelled), self)
        task.progress.connect(lambda done, total: (self.progress.setMaximum(total), self.progress.setValue(done)))
        task.finished.connect(self.show_comparison)
        task.failed.connect(self._failed)
        task.cancelled.connect(lambda: self._idle("comparison cancelled"))
        self.task = task

    def cancel(self) -> None:
        """Stop the comparison under way (at its next step)."""
        if self.task is not None:
            self.task.cancel()

    def shutdown(self) -> None:
        """Cancel any comparison and wait for its thread to end (the window is closing)."""
        if self.task is not None:
            self.task.shutdown()
            self.task = None

    def _idle(self, message: str = "") -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)
        if message:
            self.status.emit(message)

    def _failed(self, message: str) -> None:
        self._idle()
        self.failed.emit(message)

    def _pick_runs(self) -> None:
        results: dict[str, RunResult] = {}
        while True:
            path = QFileDialog.getExistingDirectory(self, "Add a results directory (cancel when done)")
            if not path:
                break
            try:
                results[Path(path).name] = read_results(path)
            except CityflexError as exc:
                QMessageBox.warning(self, "Cannot read results", str(exc))
        if len(results) >= 2:
            self.show_comparison(compare_results(results))

    def show_comparison(self, comparison: Comparison) -> None:
        """Fill the table and the plots."""
        self.comparison = comparison
        self._idle()
        self._fill_table(comparison)
        self._fill_plots(comparison)
        for b in (self.export_html, self.export_plots):
            b.setEnabled(True)
        self.compared.emit(comparison)

    def _fill_table(self, c: Comparison) -> None:
        table = c.table.loc[c.table[c.options].notna().any(axis=1)]  # KPIs that do not apply are left out
        self.table.clear()
        self.table.setColumnCount(2 + len(table.columns))
        self.table.setHorizontalHeaderLabels(["unit", *map(str, table.columns), CODE_NAME])
        self.table.setRowCount(len(table))
        self.table.setVerticalHeaderLabels([plain(str(k)).label for k in table.index])  # as report.html names them
        for row, (kpi, values) in enumerate(table.iterrows()):
            k, words = KPIS.get(str(kpi)), plain(str(kpi))
            tip = f"{kpi}: {words.explanation or (k.definition if k else '')}"
            self.table.verticalHeaderItem(row).setToolTip(tip)
            self.table.setItem(row, 0, QTableWidgetItem(words.unit))
            self.table.setItem(row, 1 + len(table.columns), QTableWidgetItem(str(kpi)))
            for col, (column, value) in enumerate(values.items()):
                cell = QTableWidgetItem(format_number(float(value)))
                cell.setData(VALUE_ROLE, float(value))
                cell.setToolTip(tip)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                colour = _delta_colour(str(kpi), float(value)) if str(column).startswith("Δ") else None
                if colour is not None:
                    cell.setBackground(QBrush(colour))
                self.table.setItem(row, 1 + col, cell)
        self.table.resizeColumnsToContents()

    def shown_table(self) -> list[list[str]]:
        """What the table shows, row by row: plain KPI name, unit, the values as text, then the code name."""
        t = self.table
        return [
            [t.verticalHeaderItem(r).text(), *(t.item(r, c).text() for c in range(t.columnCount()))]
            for r in range(t.rowCount())
        ]

    def _fill_plots(self, c: Comparison) -> None:
        self.load_plot.clear()
        self.equity_plot.clear()
        self.equity_plot.addItem(pg.InfiniteLine(angle=0, pen=BASELINE_PEN))
        first = next(iter(c.results.values()))
        base = first.case("district", "baseline")
        self.load_plot.plot(epoch_s(base["time"]), base["import_kw"].to_numpy() * 1000, pen=BASELINE_PEN,
                            name="baseline (flat)")  # fmt: skip
        for i, (name, result) in enumerate(c.results.items()):
            pen = pg.mkPen(PALETTE[i % len(PALETTE)], width=2)
            d = result.case("district")
            self.load_plot.plot(epoch_s(d["time"]), d["import_kw"].to_numpy() * 1000, pen=pen, name=name)
            agents = result.agents
            consent = agents["consent"].to_numpy(dtype=bool) if "consent" in agents else np.ones(len(agents), bool)
            pct, change = sorted_curve(agents["bill_change_eur"].to_numpy(), consent)  # disclosure rule
            self.equity_plot.plot(pct, change, pen=pen, name=name)

    def export_report(self, parent_dir: str | Path | None = None) -> Path | None:
        """Write the report into a new subfolder of the folder chosen (asks where, unless given); report.html."""
        if self.comparison is None:
            return None
        if parent_dir is None:
            parent_dir = QFileDialog.getExistingDirectory(
                self, "Choose a folder: the report goes into a new subfolder in it", str(Path.home())
            )
            if not parent_dir:
                return None
        first = self.comparison.options[0]
        scenario_name = self.comparison.results[first].scenario.name.removesuffix(f"-{first}")
        name = safe_name(f"{scenario_name}-comparison")
        target = choose_target(Path(parent_dir), name, "comparison", self.ask_existing)
        if target is None:
            return None
        try:
            report = write_report(self.comparison, target)
        except (OSError, CityflexError) as exc:
            self.failed.emit(f"cannot write the report: {exc}")
            return None
        self.status.emit(f"comparison report written to {report}")
        return report

    def export_pngs(self, parent_dir: str | Path | None = None) -> list[Path]:
        """Write each plot as PNG into a new subfolder of the folder chosen."""
        if parent_dir is None:
            parent_dir = QFileDialog.getExistingDirectory(self, "Choose a folder: the plots go into a new subfolder")
            if not parent_dir:
                return []
        out = fresh_folder(Path(parent_dir), "comparison-plots")
        out.mkdir(parents=True)
        return [
            export_png(self.load_plot, out / "compare_load.png"),
            export_csv(self.load_plot, out / "compare_load.csv"),
            export_png(self.equity_plot, out / "equity.png"),
            export_csv(self.equity_plot, out / "equity.csv"),
            table_csv(self.table, out / "kpis.csv"),
        ]


def _delta_colour(kpi: str, delta: float) -> QColor | None:
    if kpi in NEUTRAL or not np.isfinite(delta) or abs(delta) < 1e-9:
        return None
    better = delta > 0 if kpi in HIGHER_IS_BETTER else delta < 0
    return BETTER if better else WORSE
