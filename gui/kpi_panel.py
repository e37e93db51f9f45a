"""The run's KPIs with a plain-language explanation beside each, and the "what happened" timeline of its events.

KPIs are named as the report names them (`simulator.kpi.plain`); the code name (the key in kpis.json and in
the CLI's tables) is in its own column and in every cell's tooltip.
"""

from __future__ import annotations

import math

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from simulator.kpi.plain import plain
from simulator.kpi.registry import KPIS

VALUE_ROLE = Qt.ItemDataRole.UserRole
CODE_NAME = "code name"
EVENT_NAMES = {
    "overload": "transformer above the DSO's loading threshold",
    "voltage": "voltage outside the band",
    "grid_not_converged": "power flow did not converge",
}


def format_number(value: float) -> str:
    """A KPI value as the table shows it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if abs(value) >= 1e4:
        return f"{value:,.0f}"  # 62,840 kWh, not 6.284e+04
    return f"{value:,.4g}"


def read_only_table(headers: list[str]) -> QTableWidget:
    """A sortable, non-editable table with the last column stretched."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(True)
    return table


class KpiPanel(QWidget):
    """KPI table (name, value, unit, what it means) above the timeline of the run's events."""

    event_selected = Signal(int)  # step

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = read_only_table(["KPI", "value", "unit", "what it means", CODE_NAME])
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # the explanation takes the room left
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)  # long code names elide (tooltip: all)
        self.table.setColumnWidth(4, 180)
        self.table.setWordWrap(False)  # one line a KPI; the tooltip has the whole explanation
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.events_label = QLabel("What happened: run a scenario to see its events.")
        self.events_label.setWordWrap(True)
        self.events = read_only_table(["time", "what", "substation", "value", "detail"])
        self.events.cellDoubleClicked.connect(self._event_clicked)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.events_label)
        lower_layout.addWidget(self.events)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([400, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self._event_steps: list[int] = []

    def clear(self) -> None:
        """Empty the tables while a new run is under way."""
        self.table.setRowCount(0)
        self.events.setRowCount(0)
        self.events_label.setText("What happened: the run is under way…")

    def show_kpis(self, kpis: dict[str, float]) -> None:
        """Fill the KPI table, in the registry's order."""
        names = [n for n in KPIS if n in kpis] + [n for n in kpis if n not in KPIS]
        self.table.setRowCount(len(names))
        for row, name in enumerate(names):
            kpi, words = KPIS.get(name), plain(name)
            value = QTableWidgetItem(format_number(kpis[name]))
            value.setData(VALUE_ROLE, float(kpis[name]))
            value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            explanation = words.explanation or (kpi.definition if kpi else "")
            tip = f"{explanation}\n\n{name}: {kpi.definition}" if kpi else f"{explanation}\n\n{name}"
            cells = [
                QTableWidgetItem(words.label),
                value,
                QTableWidgetItem(words.unit),
                QTableWidgetItem(explanation),
                QTableWidgetItem(name),
            ]
            for col, cell in enumerate(cells):
                cell.setToolTip(tip)
                self.table.setItem(row, col, cell)

    def kpi_values(self) -> dict[str, float]:
        """The numbers in the table, by KPI code name."""
        return {
            self.table.item(r, 4).text(): float(self.table.item(r, 1).data(VALUE_ROLE))
            for r in range(self.table.rowCount())
        }

    def show_events(self, events: pd.DataFrame) -> None:
        """Fill the 'what happened' timeline."""
        self.events.setRowCount(len(events))
        self._event_steps = [int(s) for s in events.get("step", [])]
        for row, ev in enumerate(events.itertuples(index=False)):
            kind = str(ev.kind)
            cells = [
                str(pd.Timestamp(ev.time).strftime("%a %d %b %H:%M")),
                EVENT_NAMES.get(kind, kind.replace("_", " ")),
                str(ev.substation),
                format_number(float(ev.value)),
                str(ev.detail),
            ]
            for col, text in enumerate(cells):
                self.events.setItem(row, col, QTableWidgetItem(text))
        self.events_label.setText(_summary(events))

    def _event_clicked(self, row: int, _col: int) -> None:
        if 0 <= row < len(self._event_steps):
            self.event_selected.emit(self._event_steps[row])


def _summary(events: pd.DataFrame) -> str:
    if events.empty:
        return (
            "What happened: nothing the DSO had to act on — no transformer over its threshold, "
            "no voltage out of band, every power flow converged."
        )
    counts = events["kind"].value_counts()
    parts = [f"{n} × {EVENT_NAMES.get(k, k)}" for k, n in counts.items()]
    return "What happened: " + "; ".join(parts) + ". Double-click an event to see that moment in the grid view."
