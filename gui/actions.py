"""The window's menus, toolbar and keyboard shortcuts (a desktop user's usual keys)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow, QMenu, QToolBar

SPEEDS = {"as fast as possible": 0.0, "50 steps/s": 0.02, "10 steps/s": 0.1, "2 steps/s": 0.5}


@dataclass
class Actions:
    """Every action of the window, by name."""

    open_scenario: QAction
    open_results: QAction
    save_as: QAction
    export_results: QAction
    export_plots: QAction
    quit: QAction
    undo: QAction
    revert: QAction
    run: QAction
    pause: QAction
    step: QAction
    stop: QAction
    recent_menu: QMenu
    view_menu: QMenu
    help_menu: QMenu
    speed: QComboBox


def _action(window: QMainWindow, text: str, slot: Callable[[], object], shortcut: object = None) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{text.replace('&', '').rstrip('…')} ({QKeySequence(shortcut).toString()})")
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_actions(window: QMainWindow, handlers: dict[str, Callable[[], object]]) -> Actions:
    """Create the menus and the run toolbar, wired to `handlers` by action name."""
    std = QKeySequence.StandardKey
    a = {
        "open_scenario": _action(window, "&Open scenario…", handlers["open_scenario"], std.Open),
        "open_results": _action(window, "Open &results directory…", handlers["open_results"], "Ctrl+Shift+O"),
        "save_as": _action(window, "&Save scenario as…", handlers["save_as"], std.Save),
        "export_results": _action(window, "&Export results…", handlers["export_results"], "Ctrl+E"),
        "export_plots": _action(window, "Export &plots and tables…", handlers["export_plots"], "Ctrl+Shift+E"),
        "quit": _action(window, "&Quit", handlers["quit"], std.Quit),
        "undo": _action(window, "&Undo the last edit", handlers["undo"], std.Undo),
        "revert": _action(window, "Re&vert to the saved scenario", handlers["revert"]),
        "run": _action(window, "&Run", handlers["run"], "F5"),
        "pause": _action(window, "&Pause / resume", handlers["pause"], "F6"),
        "step": _action(window, "S&tep", handlers["step"], "F10"),
        "stop": _action(window, "St&op", handlers["stop"], "Shift+F5"),
    }
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    for name in ("open_scenario", "open_results"):
        file_menu.addAction(a[name])
    recent = file_menu.addMenu("Open &recent")
    file_menu.addSeparator()
    for name in ("save_as", "export_results", "export_plots"):
        file_menu.addAction(a[name])
    file_menu.addSeparator()
    file_menu.addAction(a["quit"])
    edit_menu = bar.addMenu("&Edit")
    edit_menu.addAction(a["undo"])
    edit_menu.addAction(a["revert"])
    run_menu = bar.addMenu("&Run")
    for name in ("run", "pause", "step", "stop"):
        run_menu.addAction(a[name])
    view_menu = bar.addMenu("&View")  # filled by the window: its panels and tabs
    help_menu = bar.addMenu("&Help")
    tools = QToolBar("Run controls")
    tools.setObjectName("run_toolbar")
    for name in ("open_scenario", "run", "pause", "step", "stop"):
        tools.addAction(a[name])
    speed = QComboBox()
    speed.addItems(list(SPEEDS))
    speed.setToolTip("Speed of the run: pauses between steps so you can watch")
    tools.addSeparator()
    tools.addWidget(QLabel(" speed "))
    tools.addWidget(speed)
    window.addToolBar(tools)
    return Actions(**a, recent_menu=recent, view_menu=view_menu, help_menu=help_menu, speed=speed)
