"""The DSO agent: reads the grid each step through reports and records the constraints it sees.

When connected to a market hub (`agents.dso.acting`), it acts on them: flexibility requests, emergency
contracted-power reductions, restore orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import mesa
import numpy as np

if TYPE_CHECKING:
    from agents.dso.acting import Congestion


class GridReportLike(Protocol):
    """What the DSO reads of a power-flow result (the simulator's `GridReport` fits)."""

    converged: bool
    trafo_p_kw: np.ndarray
    trafo_loading_pct: np.ndarray
    substation_vm_min_pu: np.ndarray
    substation_vm_max_pu: np.ndarray


@dataclass(frozen=True)
class Violation:
    """One constraint seen at one step: a transformer over its threshold or a voltage out of band."""

    step: int
    kind: str  # "overload" or "voltage"
    substation: int
    value: float  # loading % or voltage p.u.


class Dso(mesa.Agent):
    """The distribution system operator; it watches the grid (and acts on it through the market hub)."""

    def __init__(self, model: mesa.Model, loading_threshold_pct: float, voltage_band_pct: float) -> None:
        super().__init__(model)
        self.loading_threshold_pct = loading_threshold_pct
        self.voltage_band_pu = voltage_band_pct / 100
        self.violations: list[Violation] = []
        self.congestion: Congestion | None = None  # set when a market hub lets the DSO act

    def observe(self, step: int, report: GridReportLike) -> None:
        """Record every transformer over the loading threshold and every substation with voltage out of band."""
        if not report.converged:
            return
        if self.congestion is not None:
            self.congestion.observe(step, report.trafo_p_kw, report.trafo_loading_pct)
        for s in np.flatnonzero(report.trafo_loading_pct > self.loading_threshold_pct):
            self.violations.append(Violation(step, "overload", int(s), float(report.trafo_loading_pct[s])))
        low = report.substation_vm_min_pu < 1 - self.voltage_band_pu
        high = report.substation_vm_max_pu > 1 + self.voltage_band_pu
        for s in np.flatnonzero(low | high):
            worst = report.substation_vm_min_pu[s] if low[s] else report.substation_vm_max_pu[s]
            self.violations.append(Violation(step, "voltage", int(s), float(worst)))
