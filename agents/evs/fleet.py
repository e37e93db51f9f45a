"""Every electric vehicle charged at home, in bulk: the day's sessions (their charging lives in the household book)."""

from __future__ import annotations

from typing import Any

import numpy as np

from agents.evs.sessions import draw_sessions
from agents.fleet import DayContext, QuietFleet


class EvFleet(QuietFleet):
    """The cars at home chargers: who has one from which day, and today's plug-in sessions."""

    kind = "evs"

    def __init__(self, spec: Any, charger_kw: np.ndarray, ev_from_day: np.ndarray, rng: np.random.Generator) -> None:
        """`charger_kw` and `ev_from_day` per household row (0 kW and inf where the home has no EV)."""
        self.spec = spec
        self.charger_kw = charger_kw
        self.ev_from_day = ev_from_day
        self.rng = rng  # the model's routines stream, drawn after the households' cycles
        self.rows = np.flatnonzero(np.isfinite(ev_from_day))

    def start_day(self, day: int, ctx: DayContext) -> None:
        """Draw today's sessions of the cars owned by today (the HEMS plans their charging)."""
        owned_kw = np.where(self.ev_from_day <= day, self.charger_kw, 0.0)
        ctx.shared["sessions"] = draw_sessions(self.spec, owned_kw, self.rng, ctx.steps_per_day)
