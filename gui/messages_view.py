"""The market hub's message monitor: the log filtered by type and stakeholder, latency, lost and failed messages.

A latency histogram per request type; an explicit empty state when the run has no hub.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from gui.plots import PALETTE, empty_note, legend_below
from simulator.runner import Simulation

SHOWN_ROWS = 5000
ALL = "(all)"
NO_HUB = "no market hub in this scenario"
Index = QModelIndex | QPersistentModelIndex


class FrameModel(QAbstractTableModel):
    """A read-only view of a DataFrame."""

    def __init__(self, frame: pd.DataFrame | None = None) -> None:
        super().__init__()
        self.frame = frame if frame is not None else pd.DataFrame()

    def set_frame(self, frame: pd.DataFrame) -> None:
        """Show another frame."""
        self.beginResetModel()
        self.frame = frame
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 — Qt's signature
        """Rows shown."""
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Columns shown."""
        return 0 if parent.isValid() else len(self.frame.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text."""
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        value = self.frame.iat[index.row(), index.column()]
        return f"{value:.4g}" if isinstance(value, float | np.floating) else str(value)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        """Column names."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return str(self.frame.columns[section])
        return None


class MessageMonitor(QWidget):
    """The hub's message log, filtered, with latency histograms and failure counts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        self.party = QComboBox()
        for combo in (self.kind, self.party):
            combo.addItem(ALL)
            combo.currentTextChanged.connect(lambda _: self._filter())
        self.status = QLabel(NO_HUB)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("message type"))
        bar.addWidget(self.kind)
        bar.addWidget(QLabel("stakeholder"))
        bar.addWidget(self.party)
        bar.addWidget(self.status, 1)
        self.model = FrameModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.hist = pg.PlotWidget(title="Latency per request type (sent → arrived)")
        self.hist.setLabel("bottom", "latency", units="s")
        self.hist.setLabel("left", "messages")
        legend_below(self.hist.getPlotItem())
        self.note = empty_note(self.hist.getPlotItem(), NO_HUB)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.hist)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self.messages = pd.DataFrame()
        self.has_hub, self.live = False, False
        self._curves: dict[str, pg.PlotDataItem] = {}

    @property
    def empty(self) -> bool:
        """True when the run has no hub messages to show."""
        return self.messages.empty

    def set_messages(self, messages: pd.DataFrame | None, *, live: bool = False) -> None:
        """Show a run's message log (the `messages` table, so far if `live`); None: the run has no hub."""
        self.has_hub, self.live = messages is not None, live
        self.messages = messages if messages is not None and "message_kind" in messages else pd.DataFrame()
        for combo, values in ((self.kind, self._values("message_kind")), (self.party, self._parties())):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([ALL, *values])
            combo.blockSignals(False)
        self._filter()

    def _values(self, column: str) -> list[str]:
        return sorted(map(str, self.messages[column].dropna().unique())) if column in self.messages else []

    def _parties(self) -> list[str]:
        return sorted(set(self._values("src")) | set(self._values("dst")))

    def _filter(self) -> None:
        m = self.messages
        self.note.setVisible(m.empty)
        if m.empty:
            text = NO_HUB if not self.has_hub else ("hub running: no messages yet" if self.live else "no messages")
            self.note.setText(text)
            self.model.set_frame(pd.DataFrame({"": [text]}))
            self.status.setText(text)
            self._histogram(m)
            return
        keep = np.ones(len(m), dtype=bool)
        if self.kind.currentText() not in ("", ALL):
            keep &= (m["message_kind"] == self.kind.currentText()).to_numpy()
        party = self.party.currentText()
        if party not in ("", ALL):
            keep &= ((m["src"] == party) | (m["dst"] == party)).to_numpy()
        shown = m[keep]
        self.model.set_frame(shown.head(SHOWN_ROWS).reset_index(drop=True))
        lost = int((shown["outcome"] != "delivered").sum()) if "outcome" in shown else 0
        self.status.setText(
            ("live, so far: " if self.live else "")
            + f"{len(shown):,} messages shown (first {SHOWN_ROWS:,} listed); {lost:,} lost or failed "
            f"({100 * lost / max(len(shown), 1):.1f} %)"
        )
        self._histogram(shown)

    def _histogram(self, m: pd.DataFrame) -> None:
        for item in self._curves.values():
            self.hist.removeItem(item)
        self._curves = {}
        if m.empty or not {"sent_s", "arrived_s", "request_kind"} <= set(m.columns):
            return
        latency = (m["arrived_s"] - m["sent_s"]).to_numpy(dtype=float)
        ok = np.isfinite(latency)
        if not ok.any():
            return
        bins = int(np.clip(np.sqrt(ok.sum()), 5, 40))  # few messages, few bins: a readable histogram
        edges = np.histogram_bin_edges(latency[ok], bins=bins)
        for i, (kind, group) in enumerate(pd.Series(latency[ok]).groupby(m["request_kind"].to_numpy()[ok])):
            counts, _ = np.histogram(group.to_numpy(), bins=edges)
            colour = pg.mkColor(PALETTE[i % len(PALETTE)])
            pen, fill = pg.mkPen(colour, width=2), pg.mkColor(colour)
            fill.setAlpha(60)
            self._curves[str(kind)] = self.hist.plot(edges, counts, stepMode="center", pen=pen, name=str(kind),
                                                     fillLevel=0, brush=fill)  # fmt: skip


def live_messages(sim: Simulation) -> pd.DataFrame | None:
    """The hub's message log so far in a running simulation (None without a hub); safe between steps."""
    market = sim.model.market
    return None if market is None else market.hub.message_log()
