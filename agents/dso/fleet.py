"""The DSO in bulk: it reads each step's grid report, records the constraints, and acts through the market hub.

Watching is array work over substations; acting (when a hub is present) goes through `Congestion`
(forecast, state machine, requests). The `Dso` agent is a view onto this fleet's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from agents.dso.acting import Congestion
from agents.fleet import QuietFleet


class GridReportLike(Protocol):
    """What the DSO reads of a power-flow result (the simulator's `GridReport` fits)."""

    converged: bool
    trafo_p_kw: np.ndarray
    trafo_loading_pct: np.ndarray
    substation_vm_min_pu: np.ndarray
    substation_vm_max_pu: np.ndarray


class HubLink(Protocol):
    """What the DSO needs of the market link to act: the step length, and asking clients to declare flexibility."""

    step_s: float

    def declare_flexibility(self, substation: int, start_s: float, end_s: float) -> None:
        """Have the clients of `substation`'s area declare their flexibility for the window to their platforms."""


@dataclass(frozen=True)
class Violation:
    """One constraint seen at one step: a transformer over its threshold or a voltage out of band."""

    step: int
    kind: str  # "overload" or "voltage"
    substation: int
    value: float  # loading % or voltage p.u.


class DsoFleet(QuietFleet):
    """The distribution system operator; it watches the grid (and acts on it through the market hub)."""

    kind = "dso"

    def __init__(self, loading_threshold_pct: float, voltage_band_pct: float) -> None:
        self.loading_threshold_pct = loading_threshold_pct
        self.voltage_band_pu = voltage_band_pct / 100
        self.violations: list[Violation] = []
        self.congestion: Congestion | None = None  # set when a market hub lets the DSO act

    def decide(self, k: int, link: HubLink) -> None:
        """Step `k`: restore areas, start emergencies, and ask for flexibility (after the clients declared theirs)."""
        c = self.congestion
        if c is None:
            return
        now_s = k * link.step_s
        decisions = c.decide(k)
        for s in decisions.restores:
            c.restore(s, now_s)
        for s in decisions.emergencies:
            c.start_emergency(s, now_s)
        end_s = now_s + c.flexibility.window_steps * link.step_s
        for s, p_kw in decisions.flexibility_kw.items():
            link.declare_flexibility(s, now_s, end_s)
            c.request_flexibility(s, p_kw, now_s)

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
