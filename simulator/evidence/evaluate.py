"""Published vs simulated for every effect of the register, and whether the held-out studies land.

An effect lands when the simulated value lies inside its published interval, or within
`TOLERANCE_PP` percentage points of the point estimate where no interval is published. A held-out
study lands when all its verified, modelled effects land; `REQUIRED_HELD_OUT` of them must.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from agents.response.parameters import BehaviourParameters
from simulator.evidence.register import Effect, Study
from simulator.evidence.trial import simulate

TOLERANCE_PP = 1.5
REQUIRED_HELD_OUT = 4


@dataclass(frozen=True)
class Row:
    """One effect: what was published, what the model gives, and whether it lands."""

    study: Study
    effect: Effect
    simulated: float

    @property
    def used(self) -> bool:
        """The effect is verified and its lever is in the model (so it was fitted on or tested)."""
        return self.effect.verified and self.effect.modelled and self.study.role != "context"

    @property
    def lands(self) -> bool:
        """Inside the published interval, or within the tolerance of the point without one."""
        e, s = self.effect, self.simulated
        if math.isnan(s):
            return False
        if e.low is not None and e.high is not None:
            return e.low <= s <= e.high
        return abs(s - e.point) <= TOLERANCE_PP

    @property
    def published(self) -> str:
        """The published figure with its interval, as text."""
        e = self.effect
        return f"{e.point:g} [{e.low:g}–{e.high:g}]" if e.low is not None else f"{e.point:g} (±{TOLERANCE_PP:g} pp)"


def simulate_effect(p: BehaviourParameters, study: Study, effect: Effect) -> float:
    """The model's value of one effect: the mean over its arms (one unless the effect is a mix)."""
    value = float(np.mean([simulate(p, arm, effect.metric, effect.subgroup) for arm in effect.arms(study.design)]))
    reference = effect.reference(study.design)
    if reference is None:
        return value
    of = simulate(p, reference, effect.metric, effect.subgroup)
    return float("nan") if of == 0 else 100.0 * value / of


def evaluate(p: BehaviourParameters, studies: list[Study], roles: tuple[str, ...] = ("fit", "validate")) -> list[Row]:
    """Rows for every modelled effect of the studies with the given roles (unverified ones too, marked)."""
    return [
        Row(s, e, simulate_effect(p, s, e) if e.modelled else float("nan"))
        for s in studies
        if s.role in roles
        for e in s.effects
    ]


def held_out_landing(rows: list[Row]) -> dict[str, bool]:
    """For every held-out study: True when all its used effects land."""
    out: dict[str, bool] = {}
    for r in rows:
        if r.study.role == "validate" and r.used:
            out[r.study.id] = out.get(r.study.id, True) and r.lands
    return out
