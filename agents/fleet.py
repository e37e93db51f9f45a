"""The one protocol every agent kind's fleet speaks, and the day's shared context the fleets fill in turn.

A fleet owns its kind's arrays (one row per agent) and does the kind's phases in bulk. The model
holds an ordered list of fleets and calls, per day and per step (DESIGN.md, "One step, as data"):

- `start_day(day, ctx)`: draw the day's routines, decide, plan; read what earlier fleets put in `ctx`
  (households' cycles → EVs' sessions → HEMS plans), add what later fleets need;
- `settle_day(day, ctx)`: once every fleet has planned (households count what the plans left them);
- `power(k, in_day)`: the fleet's grid loads for step `k` (`GridLoads`), or None when it has none of
  its own (an EV charges through its household's meter);
- `observe(k, report)`: read the grid report of step `k` (the DSO);
- `record(k, district)`: add the fleet's own district series of step `k` (e.g. "battery_kw");
- `totals()`: per-agent results for the agents table.

A new kind is one folder under `agents/` with its fleet, plus one line in the model's list of fleets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np


@dataclass
class DayContext:
    """What the model gives every fleet at the start of a day, and what fleets pass on to later ones."""

    day: int
    prices: np.ndarray  # tariffs × steps of today and tomorrow, all-in [€/kWh]
    events: np.ndarray  # bool per tariff: a critical-peak event today
    steps_per_day: int
    step_h: float
    shared: dict[str, Any] = field(default_factory=dict)  # e.g. "cycles", "sessions", "response", "plan"


@dataclass(frozen=True)
class GridLoads:
    """One fleet's loads on the grid for one step, in the order of its rows [kW, kvar]; consumption positive."""

    p_kw: np.ndarray
    q_kvar: np.ndarray


class Fleet(Protocol):
    """The phases of one agent kind, over all its agents at once."""

    kind: str

    def start_day(self, day: int, ctx: DayContext) -> None:
        """Draw, decide and plan the day (in bulk)."""

    def settle_day(self, day: int, ctx: DayContext) -> None:
        """Once every fleet has planned the day."""

    def power(self, k: int, in_day: int) -> GridLoads | None:
        """The fleet's own grid loads in step `k` (None: it has none)."""

    def observe(self, k: int, report: Any) -> None:
        """Read the grid's report of step `k`."""

    def record(self, k: int, district: dict[str, np.ndarray]) -> None:
        """Write the fleet's own district series for step `k`."""

    def totals(self) -> dict[str, np.ndarray]:
        """Per-agent results (one entry per row)."""


class QuietFleet:
    """Default no-op phases, so a fleet writes only those it takes part in."""

    kind = "fleet"

    def start_day(self, day: int, ctx: DayContext) -> None:
        """Nothing to plan."""

    def settle_day(self, day: int, ctx: DayContext) -> None:
        """Nothing to settle."""

    def power(self, k: int, in_day: int) -> GridLoads | None:
        """No grid loads of its own."""
        return None

    def observe(self, k: int, report: Any) -> None:
        """Does not read the grid."""

    def record(self, k: int, district: dict[str, np.ndarray]) -> None:
        """No district series of its own."""

    def totals(self) -> dict[str, np.ndarray]:
        """No per-agent results."""
        return {}
