"""The day's demand response of a model, decided in one batch: who acts on prices, who is asked, what is cut.

Wires `behaviour` (the response) and `engagement` (its state) together for the household fleet: at each
new day it reads the price window, decides responders in bulk, and after planning updates engagement,
fatigue, opt-outs and tokens. Everything is array arithmetic over households.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from agents.households.behaviour import BehaviourSpec, curtail_fraction, price_signal, response_probability
from agents.households.engagement import Engagement
from agents.response.parameters import BehaviourParameters, load_parameters

SERIES = ("engaged_share", "engagement_mean")  # per-step district series this adds (constant within a day)


@dataclass(frozen=True)
class DayResponse:
    """Today's decisions: who acts by hand, who was asked (a CPP event), and the base-load multiplier."""

    responds: np.ndarray  # bool per household
    request: np.ndarray  # bool per household
    keep: np.ndarray  # steps of today × households (time-major, as the model's arrays): share of base load drawn
    curtail: np.ndarray  # steps × households: share cut by hand or by HEMS (the rest of 1 − keep is saving)
    saving: np.ndarray  # per household: share of consumption the engagement levers save (base and appliances)


class DemandResponse:
    """Behaviour and engagement of one model's households (inactive in the counterfactual baseline)."""

    def __init__(
        self, scenario: Any, n: int, rng: np.random.Generator, active: bool, daily_kwh: np.ndarray | None = None
    ) -> None:
        self.spec: BehaviourSpec = scenario.behaviour
        self.params: BehaviourParameters = load_parameters()  # the register-fitted model (main.py evidence)
        self.active = active
        self.rng = rng
        self.engagement = Engagement(scenario.engagement, n, rng, daily_kwh)
        self.pending_opt_out = np.zeros(n, dtype=bool)
        self.totals = {name: np.zeros(n) for name in ("curtailed_kwh", "saved_kwh", "hems_overrides")}

    def decide(
        self,
        day: int,
        window: np.ndarray,
        tariff: np.ndarray,
        managed: np.ndarray,
        events: np.ndarray,
        peer_group: np.ndarray,
        steps_per_day: int,
    ) -> DayResponse:
        """Decide today's response from the 2-day price window (tariffs × steps) and today's CPP events."""
        n = len(tariff)
        signal = price_signal(window, steps_per_day)
        request = events[tariff] & self.active
        if not (self.active and self.spec.enabled):
            none = np.zeros(n, dtype=bool)
            keep = np.ones((steps_per_day, n))
            return DayResponse(none, request, keep, np.zeros_like(keep), np.zeros(n))
        eng = self.engagement
        eng.start_day(day, peer_group)
        log_ratio = signal.log_ratio[tariff] * ~eng.opted_out
        rho = eng.responsiveness() * np.where(request, eng.fatigue, 1.0)
        p = response_probability(self.params, rho, log_ratio, request, managed)
        responds = self.rng.random(n) < p
        curtail = curtail_fraction(self.params, responds, managed, signal.log_rel_price[tariff]).T
        saving = eng.saving_fraction()
        keep = (1.0 - curtail) * (1.0 - saving)[None, :]
        return DayResponse(responds, request, keep, curtail, saving)

    def save_on_appliances(self, response: DayResponse, appliance_kw: np.ndarray, step_h: float) -> None:
        """Levers save on appliance use too (eco programmes, fewer cycles): cut today's rows in place, count it."""
        if response.saving.any():
            cut_kw = appliance_kw * response.saving[None, :]
            appliance_kw -= cut_kw
            self.totals["saved_kwh"] += cut_kw.sum(axis=0) * step_h

    def settle(
        self,
        response: DayResponse,
        base_kw: np.ndarray,
        step_h: float,
        overrides: np.ndarray,
        used_kwh: np.ndarray | None = None,
    ) -> None:
        """After planning: count what was cut and saved, then feedback, fatigue, opt-outs, tokens, own use."""
        cut_kwh = (base_kw * response.curtail).sum(axis=0) * step_h
        saved_kwh = (base_kw * (1.0 - response.keep)).sum(axis=0) * step_h
        self.totals["curtailed_kwh"] += cut_kwh
        self.totals["saved_kwh"] += saved_kwh
        self.totals["hems_overrides"] += overrides
        if self.active and self.spec.enabled:
            self.pending_opt_out |= self.engagement.end_day(response.request, response.responds, saved_kwh, used_kwh)

    def take_opt_outs(self) -> np.ndarray:
        """Households that opted out since the last call (they return to the baseline tariff)."""
        out, self.pending_opt_out = self.pending_opt_out, np.zeros_like(self.pending_opt_out)
        return out

    def household_columns(self) -> dict[str, np.ndarray]:
        """Per-household results for the agents table."""
        e = self.engagement
        return {
            **self.totals,
            "engagement": e.level.copy(),
            "fatigue": e.fatigue.copy(),
            "opted_out": e.opted_out.copy(),
            "requests": e.requests.copy(),
            "request_responses": e.responses.copy(),
            "days_responded": e.days_responded.copy(),
            "ambassador_visited": e.visited.copy(),
            "tokens": e.tokens.copy(),
            "tokens_issued": e.tokens_issued.copy(),
            "tokens_redeemed": e.tokens_redeemed.copy(),
        }
