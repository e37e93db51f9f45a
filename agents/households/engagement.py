"""Citizen engagement: a number in [0, 1] per household that scales its response to prices and requests.

Engagement rises with feedback (a responder sees what it saved) and with the levers a scenario
switches on: peer comparison with equivalent housing plus advice (Grenoble's MétroEnergies,
seed 003), tokens for measured savings redeemable for rewards (Lisbon's Digital Social Market,
seed 000) and local ambassadors who reach a share of homes each month (Lisbon: 30 % lower
consumption in 6 months against a 25 % target, seed 002). Displays, usage statements, peer
comparison and targets save through the register-fitted levers (`information`), whose effect
persists while the programme runs and decays after it stops; the engagement level itself does not
decay by default (no fixed daily decay: a result must not depend on the run length). Repeated
requests tire people (fatigue) and some opt out. All state is arrays, updated once a day in bulk.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from agents.households.information import FeedbackSpec, InformationLevers, PeerComparisonSpec, TargetSpec
from market.spec import Spec

__all__ = ["Engagement", "EngagementSpec", "FeedbackSpec", "PeerComparisonSpec", "TargetSpec", "TokensSpec"]


class TokensSpec(Spec):
    """Tokens for measured savings, redeemable for rewards (Digital Social Market, seed 000; rules assumed)."""

    enabled: bool = Field(False, description="Issue tokens")
    per_kwh_saved: float = Field(10.0, ge=0, le=1000, description="Tokens per kWh saved against the home's reference")
    per_response: float = Field(2.0, ge=0, le=1000, description="Tokens for acting on a request day")
    budget: float = Field(100_000.0, ge=0, le=1e12, description="Tokens the programme can issue in the run")
    redeem_threshold: float = Field(50.0, gt=0, le=1e9, description="Balance at which a home redeems a reward [tokens]")
    gain_per_redemption: float = Field(0.1, ge=0, le=1, description="Engagement gain when a reward is redeemed [-]")


SAVING_MAX_PCT = 35.5  # fitted to seed 002 (see AmbassadorsSpec.saving_max_pct)


class AmbassadorsSpec(Spec):
    """Local ambassadors who visit homes (Sharing Cities Lisbon, seed 002)."""

    enabled: bool = Field(False, description="Ambassadors visit homes")
    share_per_month: float = Field(0.1, ge=0, le=1, description="Share of not-yet-visited homes reached a month [-]")
    gain: float = Field(0.5, ge=0, le=1, description="Engagement gain of a visit or follow-up [-]")
    follow_up_days: int = Field(
        30,
        ge=0,
        le=366,
        description="Days between follow-up contacts with a home already reached; 0: none (assumption: monthly, "
        "as seed 002 calls them local facilitators) [d]",
    )
    saving_max_pct: float = Field(
        SAVING_MAX_PCT,
        ge=0,
        le=60,
        description="Cut of base load of a fully engaged reached home (fitted so that reached homes use 30 % less "
        "than their baseline in month 6, seed 002; tests/agents/test_ambassadors.py) [%]",
    )


class EngagementSpec(Spec):
    """Engagement dynamics and the levers that raise it; every rate is an assumption unless it names a source."""

    initial_mean: float = Field(0.5, ge=0, le=1, description="Mean starting engagement (Beta-distributed) [-]")
    initial_concentration: float = Field(4.0, gt=0, le=1000, description="Beta concentration: higher, less spread")
    floor: float = Field(0.1, ge=0, le=1, description="Engagement decays towards this [-]")
    decay_per_day: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Daily share of the gap to the floor lost; 0: none (a fixed decay makes results "
        "depend on the run length; persistence is in the information levers, Allcott & Rogers 2014) [-]",
    )
    feedback_gain: float = Field(
        0.0, ge=0, le=1, description="Gain of a responder seeing its saving; 0 by default (no source) [-]"
    )
    fatigue_per_request: float = Field(0.08, ge=0, le=1, description="Share of responsiveness lost per request [-]")
    fatigue_recovery_per_day: float = Field(
        0.2, ge=0, le=1, description="Share of lost responsiveness regained a quiet day"
    )
    opt_out_per_request: float = Field(
        0.002, ge=0, le=1, description="Chance to opt out per request, × (1 − engagement × fatigue) (assumption) [-]"
    )
    peer_comparison: PeerComparisonSpec = Field(default_factory=PeerComparisonSpec, description="Peer comparison")
    feedback: FeedbackSpec = Field(default_factory=FeedbackSpec, description="In-home displays and usage statements")
    targets: TargetSpec = Field(default_factory=TargetSpec, description="Reduction targets")
    tokens: TokensSpec = Field(default_factory=TokensSpec, description="Tokens for savings")
    ambassadors: AmbassadorsSpec = Field(default_factory=AmbassadorsSpec, description="Local ambassadors")


class Engagement:
    """Engagement state of every household (arrays by row) and its daily update."""

    def __init__(
        self, spec: EngagementSpec, n: int, rng: np.random.Generator, daily_kwh: np.ndarray | None = None
    ) -> None:
        """`daily_kwh`: each home's usual daily use, the peer comparison's starting point (default 1 each)."""
        self.spec = spec
        self.rng = rng
        a = max(spec.initial_mean * spec.initial_concentration, 1e-6)
        b = max((1 - spec.initial_mean) * spec.initial_concentration, 1e-6)
        self.level = rng.beta(a, b, n)
        self.fatigue = np.ones(n)  # 1 = fresh; multiplies the response on request days
        self.opted_out = np.zeros(n, dtype=bool)
        self.visited = np.zeros(n, dtype=bool)
        self.visited_day = np.full(n, -1)  # day of the ambassadors' first visit, -1 if never
        self.reports = np.zeros(n)  # peer-comparison reports received
        self.requests = np.zeros(n)
        self.responses = np.zeros(n)  # request days acted on
        self.days_responded = np.zeros(n)
        self.tokens = np.zeros(n)  # balance
        self.tokens_issued = np.zeros(n)
        self.tokens_redeemed = np.zeros(n)
        usual = np.ones(n) if daily_kwh is None else np.asarray(daily_kwh, dtype=float)
        self.info = InformationLevers(spec.peer_comparison, spec.feedback, spec.targets, usual, rng)
        self._responsiveness_scale = 1.0 / max(spec.initial_mean, 1e-6)  # level / mean: responsiveness, mean 1
        self._day = 0

    def start_day(self, day: int, peer_group: np.ndarray) -> None:
        """Decay (if any), then the levers of the day: reports and statements, ambassador visits, redemptions."""
        s = self.spec
        self._day = day
        self.level -= s.decay_per_day * (self.level - s.floor)
        reports_before = self.info.reports.copy()
        above = self.info.start_day(day, peer_group)
        self.reports = self.info.reports
        self.level += s.peer_comparison.gain * above * (self.reports > reports_before) * (1 - self.level)
        if s.ambassadors.enabled:
            self._ambassadors(day)
        if s.tokens.enabled:
            redeem = self.tokens >= s.tokens.redeem_threshold
            self.tokens_redeemed += np.where(redeem, self.tokens, 0.0)
            self.tokens[redeem] = 0.0
            self.level += s.tokens.gain_per_redemption * redeem * (1 - self.level)
        np.clip(self.level, 0.0, 1.0, out=self.level)

    def _ambassadors(self, day: int) -> None:
        """Reach a share of the homes not yet visited; follow up with those reached every `follow_up_days`."""
        a = self.spec.ambassadors
        reach = 1 - (1 - a.share_per_month) ** (1 / 30)
        new = ~self.visited & (self.rng.random(len(self.level)) < reach)
        self.visited |= new
        self.visited_day[new] = day
        contact = new.copy()
        if a.follow_up_days > 0:
            since = day - self.visited_day
            contact |= self.visited & (since > 0) & (since % a.follow_up_days == 0)
        self.level += a.gain * contact * (1 - self.level)

    def responsiveness(self) -> np.ndarray:
        """Each home's responsiveness to prices and levers: its engagement relative to the starting mean (mean 1)."""
        return self.level * self._responsiveness_scale

    def saving_fraction(self) -> np.ndarray:
        """Share of its consumption each home saves through the levers it received (negative: a boomerang)."""
        s = self.spec
        info = self.info.saving(self.level * self._responsiveness_scale)
        amb = s.ambassadors.saving_max_pct / 100 * self.visited * s.ambassadors.enabled * self.level
        return np.clip(1.0 - (1.0 - info) * (1.0 - amb), -0.5, 0.9) * ~self.opted_out

    def end_day(
        self, request: np.ndarray, responded: np.ndarray, saved_kwh: np.ndarray, used_kwh: np.ndarray | None = None
    ) -> np.ndarray:
        """Feedback, fatigue, opt-outs and tokens after the day (`used_kwh`: its own use); returns who opted out."""
        s = self.spec
        if used_kwh is not None:
            self.info.end_day(self._day, used_kwh)
        self.days_responded += responded
        self.level += s.feedback_gain * responded * (1 - self.level)
        self.requests += request
        self.responses += request & responded
        tired = self.fatigue * (1 - s.fatigue_per_request)
        rested = self.fatigue + s.fatigue_recovery_per_day * (1 - self.fatigue)
        p_out = s.opt_out_per_request * (1 - self.level * self.fatigue)
        out = request & ~self.opted_out & (self.rng.random(len(self.level)) < p_out)
        self.fatigue = np.where(request, tired, rested)
        self.opted_out |= out
        if s.tokens.enabled:
            self._issue(s.tokens.per_kwh_saved * saved_kwh + s.tokens.per_response * (request & responded))
        np.clip(self.level, 0.0, 1.0, out=self.level)
        return out

    def _issue(self, wanted: np.ndarray) -> None:
        left = self.spec.tokens.budget - self.tokens_issued.sum()
        total = wanted.sum()
        grant = wanted * (min(1.0, left / total) if total > 0 else 0.0)
        self.tokens += grant
        self.tokens_issued += grant
