"""The scenario panel: the shipped scenarios and recent files above the generated parameter editor."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QSplitter, QVBoxLayout, QWidget

from gui.scenario_editor import ScenarioEditor

SCENARIOS_DIR = Path(__file__).resolve().parent.parent / "scenarios"
PATH_ROLE = Qt.ItemDataRole.UserRole


class ScenarioPanel(QWidget):
    """Pick a scenario (double-click) and edit its parameters."""

    open_requested = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.files = QListWidget()
        self.files.itemActivated.connect(self._activated)
        self.files.setToolTip("Double-click to open: shipped scenarios, then recent scenarios and results")
        self.title = QLabel("<b>No scenario</b>")
        self.title.setWordWrap(True)
        self.editor = ScenarioEditor()
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(QLabel("Scenarios and recent files"))
        top_layout.addWidget(self.files)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.title)
        bottom_layout.addWidget(self.editor, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([150, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

    def set_files(self, recent: list[str]) -> None:
        """List the shipped scenarios and the recent files."""
        self.files.clear()
        for path in sorted(SCENARIOS_DIR.glob("*.toml")):
            self._add(path, f"{path.stem}  (shipped)")
        for text in recent:
            path = Path(text)
            kind = "results" if path.is_dir() else "scenario"
            self._add(path, f"{path.name}  (recent {kind}: {path.parent})")

    def _add(self, path: Path, label: str) -> None:
        item = QListWidgetItem(label)
        item.setData(PATH_ROLE, str(path))
        item.setToolTip(str(path))
        self.files.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        self.open_requested.emit(Path(item.data(PATH_ROLE)))
