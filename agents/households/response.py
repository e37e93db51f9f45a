"""The day's demand response of a model, decided in one batch: who acts on prices, who is asked, what is cut.

Wires `behaviour` (the response) and `engagement` (its state) together for the household fleet: at each
new day it reads the price window, decides responders in bulk, and after planning updates engagement,
fatigue, opt-outs and tokens. Everything is array arithmetic over households.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from agents.households.behaviour import (
    BehaviourSpec,
    cheapest_steps,
    cut_and_conserved,
    price_signal,
    response_probability,
)
from agents.households.engagement import Engagement
from agents.response.parameters import BehaviourParameters, load_parameters

SERIES = ("engaged_share", "engagement_mean")  # per-step district series this adds (constant within a day)


@dataclass(frozen=True)
class DayResponse:
    """Today's decisions: who acts by hand, who was asked (a CPP event), what is cut, conserved and moved."""

    responds: np.ndarray  # bool per household
    request: np.ndarray  # bool per household
    curtail: np.ndarray  # steps of today × households (time-major, as the model's arrays): share cut by hand or HEMS
    conserve: np.ndarray  # steps × households: the part of `curtail` not consumed at all (the rest is moved)
    cheap: np.ndarray  # bool, steps × households: the household's cheapest steps today, where moved load goes
    saving: np.ndarray  # per household: share of consumption the engagement levers save (base and appliances)

    def apply(self, base_kw: np.ndarray, step_h: float) -> tuple[np.ndarray, np.ndarray]:
        """Today's base load after the response (steps × households) and the energy each household moved [kWh].

        The cut is taken out; its moved part (cut − conserved) is drawn in the household's cheapest steps,
        in proportion to its base load there, so that moved energy is consumed the same day; then the
        engagement levers' saving scales the whole day. A household with no base load in its cheapest steps
        cannot place moved load and conserves it.
        """
        moved_kwh = (base_kw * (self.curtail - self.conserve)).sum(axis=0) * step_h
        target = np.where(self.cheap, base_kw, 0.0)
        target_kwh = target.sum(axis=0) * step_h
        placed = target_kwh > 0
        moved_kwh = np.where(placed, moved_kwh, 0.0)
        scale = np.divide(moved_kwh, target_kwh, out=np.zeros_like(moved_kwh), where=placed)
        out = base_kw * (1.0 - self.curtail) + target * scale[None, :]
        out *= (1.0 - self.saving)[None, :]
        return out, moved_kwh


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
        self.totals = {name: np.zeros(n) for name in ("curtailed_kwh", "moved_kwh", "saved_kwh", "hems_overrides")}

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
            zero = np.zeros((steps_per_day, n))
            return DayResponse(none, request, zero, zero, zero.astype(bool), np.zeros(n))
        eng = self.engagement
        eng.start_day(day, peer_group)
        log_ratio = signal.log_ratio[tariff] * ~eng.opted_out
        rho = eng.responsiveness() * np.where(request, eng.fatigue, 1.0)
        p = response_probability(self.params, rho, log_ratio, request, managed)
        responds = self.rng.random(n) < p
        rel = signal.log_rel_price[tariff]
        curtail, conserve = cut_and_conserved(self.params, responds, managed, rel)
        cheap = cheapest_steps(window[:, :steps_per_day])[tariff].T
        return DayResponse(responds, request, curtail.T, conserve.T, cheap, eng.saving_fraction())

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
        appliance_kwh: np.ndarray | None = None,
    ) -> np.ndarray:
        """After planning: apply the response to today's base load (returned); count what was cut, moved, saved.

        Then feedback, fatigue, opt-outs, tokens and own use (today's `appliance_kwh` + base load after the
        response; None: not tracked). "Saved" is only energy not consumed at all.
        """
        after, moved_kwh = response.apply(base_kw, step_h)
        cut_kwh = (base_kw * response.curtail).sum(axis=0) * step_h
        saved_kwh = (base_kw.sum(axis=0) - after.sum(axis=0)) * step_h
        self.totals["curtailed_kwh"] += cut_kwh
        self.totals["moved_kwh"] += moved_kwh
        self.totals["saved_kwh"] += saved_kwh
        used_kwh = None if appliance_kwh is None else appliance_kwh + after.sum(axis=0) * step_h
        self.totals["hems_overrides"] += overrides
        if self.active and self.spec.enabled:
            self.pending_opt_out |= self.engagement.end_day(response.request, response.responds, saved_kwh, used_kwh)
        return after

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
