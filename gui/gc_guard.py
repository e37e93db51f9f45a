"""Garbage collection on the GUI thread only.

A run, a comparison or a grid layout works in a worker thread and allocates a lot; Python's cyclic garbage
collector then runs in that thread and may free wrappers of Qt objects that belong to the GUI thread. Their
C++ destructor takes Qt's signal lock and waits for the GIL while the GUI thread, holding the GIL, waits for
that lock: the application freezes (seen here in the GUI tests: `QObject::~QObject` in a worker's
`Shiboken::GilState::acquire` against `QMutex::lockInternal` on the GUI thread). pyqtgraph's
`GarbageCollector` turns automatic collection off and collects on a GUI-thread timer instead.
"""

from __future__ import annotations

import gc

from pyqtgraph.util.garbage_collector import GarbageCollector

_collector: GarbageCollector | None = None


def collect_on_gui_thread(interval_s: float = 0.5) -> None:
    """Collect garbage only from a timer on the calling (GUI) thread; call once a QApplication exists."""
    global _collector
    if _collector is None:
        _collector = GarbageCollector(interval=interval_s)


def restore() -> None:
    """Stop the timer and give collection back to Python (when the application has quit)."""
    global _collector
    if _collector is not None:
        _collector.timer.stop()
        _collector = None
    gc.enable()
    gc.collect()
