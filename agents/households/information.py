"""Information levers in the city run: displays, usage statements, peer comparison and targets, on the fitted model.

Each home's saving is the register-fitted lever (agents.response.information) × its responsiveness ×
the persistence of the day (attention renewed at each contact, habit formed while the programme
runs and decaying once it stops: agents.response.persistence). Peer comparison compares the home's
own use over the last `peer_window_days` days with the median of its comparison group (equivalent
housing: same standard profile), so heavy users are told more and light users may use more (the
boomerang) unless the report praises them. All state is arrays, updated once a day.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from agents.response.information import combined, feedback_saving, peer_saving, relative_use, target_saving
from agents.response.parameters import BehaviourParameters, load_parameters
from agents.response.persistence import Persistence
from market.spec import Spec

_NEVER = 100_000


class PeerComparisonSpec(Spec):
    """Periodic reports comparing each home with equivalent housing, with advice (MétroEnergies, seed 003)."""

    enabled: bool = Field(False, description="Send peer-comparison reports")
    period_days: int = Field(30, ge=1, le=366, description="Days between reports (assumption: monthly)")
    injunctive: bool = Field(
        True, description="Reports praise homes below their peers (holds off the boomerang, Schultz et al. 2007)"
    )
    gain: float = Field(0.15, ge=0, le=1, description="Engagement gain (price response) of a home above its median")
    until_day: int = Field(
        _NEVER, ge=0, le=_NEVER, description="Day of the run the reports stop (habits then decay) [d]"
    )


class FeedbackSpec(Spec):
    """Real-time displays and usage statements (saving fitted on ACEEE 2010 and Faruqui et al. 2010)."""

    display_share: float = Field(0.0, ge=0, le=1, description="Share of homes with an in-home display [-]")
    statement_period_days: int = Field(
        0, ge=0, le=366, description="Days between usage statements or informative bills; 0: none [d]"
    )
    until_day: int = Field(_NEVER, ge=0, le=_NEVER, description="Day of the run displays and statements stop [d]")


class TargetSpec(Spec):
    """A reduction target the homes are asked to reach, seen through their feedback (fitted on Becker 1978)."""

    enabled: bool = Field(False, description="Homes are given a reduction target")
    target_pct: float = Field(10.0, ge=0, le=60, description="Reduction asked of each home [%]")


class InformationLevers:
    """Savings of the information levers for every household (arrays by row)."""

    def __init__(
        self,
        peer: PeerComparisonSpec,
        feedback: FeedbackSpec,
        target: TargetSpec,
        daily_kwh: np.ndarray,
        rng: np.random.Generator,
        params: BehaviourParameters | None = None,
    ) -> None:
        self.peer, self.feedback, self.target = peer, feedback, target
        self.p = params or load_parameters()
        n = len(daily_kwh)
        self.display = rng.random(n) < feedback.display_share if feedback.display_share > 0 else np.zeros(n, bool)
        self.persistence = Persistence(self.p, n)
        self.recent_kwh = np.repeat(daily_kwh[None, :], self.p.peer_window_days, axis=0)  # own use, last days
        self.peer_saving = np.zeros(n)
        self.reports = np.zeros(n)
        self.multiplier = np.zeros(n)
        self.any = peer.enabled or feedback.display_share > 0 or feedback.statement_period_days > 0

    def start_day(self, day: int, peer_group: np.ndarray) -> np.ndarray:
        """Reports and statements of the day; returns who is above their group's median (for engagement)."""
        n = len(self.display)
        above = np.zeros(n, dtype=bool)
        peer_on = self.peer.enabled and day < self.peer.until_day
        if peer_on and day % self.peer.period_days == 0:
            rel = relative_use(self.recent_kwh.mean(axis=0), peer_group)
            self.peer_saving = peer_saving(self.p, rel, self.peer.injunctive)
            self.reports += 1
            above = rel > 1.0
        fb_on = day < self.feedback.until_day
        period = self.feedback.statement_period_days
        statement = fb_on and period > 0 and day % period == 0
        contact = self.display & fb_on | statement | (peer_on and day % self.peer.period_days == 0)
        treated = np.full(n, peer_on or (fb_on and period > 0)) | (self.display & fb_on)
        self.multiplier = self.persistence.day(treated, contact)
        return above

    def saving(self, responsiveness: np.ndarray) -> np.ndarray:
        """Share of its consumption each home saves today through these levers (negative: it uses more)."""
        if not self.any:
            return np.zeros_like(responsiveness)
        p, fb = self.p, self.feedback
        statement = feedback_saving(p, fb.statement_period_days, False)
        feedback = np.where(self.display, feedback_saving(p, 0, True), statement)
        period = fb.statement_period_days
        target = 0.0
        if self.target.enabled:
            target = np.where(self.display, target_saving(p, self.target.target_pct, 0, True),
                              target_saving(p, self.target.target_pct, period, False))  # fmt: skip
        return combined([feedback, self.peer_saving, target]) * responsiveness * self.multiplier

    def end_day(self, day: int, used_kwh: np.ndarray) -> None:
        """Remember the day's own use (the peer comparison's metric)."""
        self.recent_kwh[day % self.p.peer_window_days] = used_kwh
