"""The parameter editor: a tree of the scenario's values generated from its JSON Schema, validated as you type.

Each leaf shows its unit and range, its schema description as a tooltip, and turns red with the
validation message when the scenario with that value is invalid; the run is offered only when valid.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.schema_form import (
    FieldSpec,
    format_value,
    get_in,
    parse_text,
    problem_paths,
    scenario_fields,
    set_in,
)
from simulator.errors import ScenarioError
from simulator.scenario import Scenario, scenario_from_dict

INVALID_STYLE = "background: #ffd7d7; border: 1px solid #c00;"
ERROR_COLOR = QColor("#c00000")


class ScenarioEditor(QWidget):
    """Edits a scenario; emits `changed(scenario or None)` after every edit (None while invalid)."""

    changed = Signal(object)
    modified_changed = Signal(bool)  # the values differ from those loaded (or saved) last

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["parameter", "value", "unit · range"])
        self.tree.setAlternatingRowColors(True)
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label.setStyleSheet("color: #c00000;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.problems_label)
        self.source: Path | None = None
        self._data: dict[str, Any] = {}
        self._valid: Scenario | None = None
        self._fields: dict[str, FieldSpec] = {}
        self._editors: dict[str, QWidget] = {}
        self._items: dict[str, QTreeWidgetItem] = {}
        self.problems: list[str] = []
        self.field_errors: dict[str, str] = {}
        self.original: dict[str, Any] = {}  # the values as loaded or last saved
        self._undo: list[tuple[str, Any]] = []  # (key, value before the edit)
        self._modified = False

    # --- public -------------------------------------------------------------------------------
    def set_scenario(self, scenario: Scenario, source: Path | None = None) -> None:
        """Show `scenario` (every default filled in) for editing."""
        self.source = source
        self._data = scenario.model_dump(mode="json", exclude_none=True)
        self.original = copy.deepcopy(self._data)
        self._undo = []
        self._valid = scenario
        self._build(scenario_fields(self._data, Scenario.model_json_schema()))
        self._show_problems([])
        self._set_modified(False)
        self.changed.emit(scenario)

    @property
    def modified(self) -> bool:
        """True when the values differ from those loaded or last saved."""
        return self._modified

    @property
    def data(self) -> dict[str, Any]:
        """The edited values (every default filled in), as the scenario file's tables."""
        return copy.deepcopy(self._data)

    def mark_saved(self, source: Path) -> None:
        """The values were written to `source`: they are the new reference of 'modified' and 'revert'."""
        self.source = source
        self.original = copy.deepcopy(self._data)
        self._set_modified(False)

    def undo(self) -> bool:
        """Take back the last edit; False if there is none."""
        if not self._undo:
            return False
        key, value = self._undo.pop()
        set_in(self._data, self._fields[key].path, value)
        self._show_value(key, value)
        self.validate()
        return True

    def revert(self) -> None:
        """Every value back to the one loaded or last saved."""
        for key, field in self._fields.items():
            value = get_in(self.original, field.path)
            if get_in(self._data, field.path) != value:
                set_in(self._data, field.path, value)
                self._show_value(key, value)
        self._undo = []
        self.validate()

    def _show_value(self, key: str, value: Any) -> None:
        widget = self._editors[key]
        widget.blockSignals(True)
        if isinstance(widget, QLineEdit):
            widget.setText(format_value(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentText(str(value))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        widget.blockSignals(False)

    def _set_modified(self, modified: bool) -> None:
        if modified != self._modified:
            self._modified = modified
            self.modified_changed.emit(modified)

    def scenario(self) -> Scenario | None:
        """The edited scenario, or None while it is invalid."""
        return self._valid

    def editor(self, key: str) -> QWidget:
        """The editor widget of a dotted key path (e.g. 'households.hems_share')."""
        return self._editors[key]

    def set_value(self, key: str, text: str) -> None:
        """Type `text` into a field and validate, as a user finishing the edit would."""
        widget = self._editors[key]
        if isinstance(widget, QLineEdit):
            widget.setText(text)
            widget.editingFinished.emit()
        elif isinstance(widget, QComboBox):
            widget.setCurrentText(text)
        elif isinstance(widget, QCheckBox):
            widget.setChecked(text.lower() in ("1", "true", "yes"))

    # --- building -----------------------------------------------------------------------------
    def _build(self, fields: list[FieldSpec]) -> None:
        self.tree.clear()
        self._fields, self._editors, self._items = {}, {}, {}
        groups: dict[tuple, QTreeWidgetItem] = {}
        for field in fields:
            parent = self._group(field.path[:-1], groups)
            item = QTreeWidgetItem(parent) if parent else QTreeWidgetItem(self.tree)
            item.setText(0, str(field.path[-1]))
            item.setToolTip(0, field.description)
            item.setText(2, " · ".join(t for t in (field.unit, field.range_text) if t))
            item.setToolTip(2, field.description)
            widget = self._make_editor(field, get_in(self._data, field.path))
            widget.setToolTip(field.description)
            self.tree.setItemWidget(item, 1, widget)
            self._fields[field.key], self._editors[field.key], self._items[field.key] = field, widget, item
        self.tree.expandToDepth(0)
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, max(self.tree.columnWidth(0), 190))
        self.tree.setColumnWidth(1, 180)

    def _group(self, path: tuple, groups: dict[tuple, QTreeWidgetItem]) -> QTreeWidgetItem | None:
        if not path:
            return None
        if path not in groups:
            parent = self._group(path[:-1], groups)
            item = QTreeWidgetItem(parent) if parent else QTreeWidgetItem(self.tree)
            item.setText(0, str(path[-1]))
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            groups[path] = item
        return groups[path]

    def _make_editor(self, field: FieldSpec, value: Any) -> QWidget:
        key = field.key
        if field.kind == "boolean":
            box = QCheckBox()
            box.setChecked(bool(value))
            box.toggled.connect(lambda checked, k=key: self._edited(k, checked))
            return box
        if field.kind == "choice":
            combo = QComboBox()
            combo.addItems(list(field.choices))
            combo.setCurrentText(str(value))
            combo.currentTextChanged.connect(lambda text, k=key: self._edited(k, text))
            return combo
        edit = QLineEdit(format_value(value))
        edit.setReadOnly(field.kind == "const")
        if field.range_text:
            edit.setPlaceholderText(field.range_text)
        edit.editingFinished.connect(lambda k=key, e=edit: self._edited(k, parse_text(self._fields[k], e.text())))
        return edit

    # --- validation ---------------------------------------------------------------------------
    def _edited(self, key: str, value: Any) -> None:
        before = get_in(self._data, self._fields[key].path)
        if before == value:
            return
        self._undo.append((key, copy.deepcopy(before)))
        set_in(self._data, self._fields[key].path, value)
        self.validate()

    def validate(self) -> Scenario | None:
        """Validate the edited values; mark invalid fields in place; emit `changed`."""
        try:
            self._valid = scenario_from_dict(copy.deepcopy(self._data), source=str(self.source or "<edited>"))
            problems: list[str] = []
        except ScenarioError as exc:
            self._valid, problems = None, exc.problems
        self._show_problems(problems)
        self._set_modified(self._data != self.original)
        self.changed.emit(self._valid)
        return self._valid

    def _show_problems(self, problems: list[str]) -> None:
        self.problems = problems
        self.field_errors = {}
        for problem in problems:
            for path in problem_paths(problem, self._data):
                key = ".".join(str(p) for p in path)
                for field_key in self._fields:
                    if field_key == key or field_key.startswith(key + "."):
                        self.field_errors.setdefault(field_key, problem)
        for key, widget in self._editors.items():
            error = self.field_errors.get(key)
            widget.setStyleSheet(INVALID_STYLE if error else "")
            widget.setToolTip(f"{error}\n\n{self._fields[key].description}" if error else self._fields[key].description)
            item = self._items[key]
            item.setForeground(0, QBrush(ERROR_COLOR) if error else QBrush())
            if error:
                self.tree.scrollToItem(item)
        text = "\n".join(f"• {p}" for p in problems)
        self.problems_label.setText(f"Not valid — fix to run:\n{text}" if problems else "")
        self.problems_label.setVisible(bool(problems))
