"""Asking before an export touches an existing folder: replace (only what cityflex wrote), a new folder, or cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from gui.export_target import fresh_folder, written_by_cityflex

Ask = Callable[[Path, bool], str]  # (existing folder, may it be replaced) -> "replace" | "new" | "cancel"


def ask_existing(parent: QWidget, folder: Path, replaceable: bool) -> str:
    """Ask what to do about an export folder that exists already."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("The folder exists")
    new = box.addButton(f"Write {fresh_folder(folder.parent, folder.name).name} instead",
                        QMessageBox.ButtonRole.AcceptRole)  # fmt: skip
    replace = box.addButton("Replace it", QMessageBox.ButtonRole.DestructiveRole) if replaceable else None
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setText(
        f"{folder} exists already."
        + ("" if replaceable else "\nIt was not written by this kind of cityflex export, so it is left as it is.")
    )
    box.exec()
    if box.clickedButton() is new:
        return "new"
    return "replace" if replace is not None and box.clickedButton() is replace else "cancel"


def choose_target(parent_dir: Path, name: str, kind: str, ask: Ask) -> Path | None:
    """The folder an export of `kind` writes: `parent_dir/name` if new, else what the user chose (None: cancel)."""
    target = parent_dir / name
    if not target.exists():
        return target
    answer = ask(target, written_by_cityflex(target, kind))
    if answer == "replace" and written_by_cityflex(target, kind):
        return target
    if answer == "new":
        return fresh_folder(parent_dir, name)
    return None
