"""How people respond to prices, decided once a day for all households at once (no per-household loop).

Households without a HEMS respond by hand: on a given day each responds with a probability that
grows with its engagement and with the log of the day's peak/off-peak price ratio (the shape the
dynamic-pricing meta-analyses fit: Faruqui & Sergici 2013, "Arcturus"), and on request days
(CPP events) shrinks with fatigue. A responder moves its flexible appliance starts and EV charging
to the cheapest times its own window allows and trims discretionary load in dear steps. A HEMS
does the same automatically for the loads, windows and priorities its customer declared
(agents.hems.spec), overridden per cycle with a probability, and trims controllable load (the
"enabling technology" of the pilots). Defaults are
fitted by `scripts/calibrate_behaviour.py` to the evidence in ../shared/DOMAIN.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import Field

from agents.hems.spec import HemsSpec
from market.spec import Spec

_TINY = 1e-9


class BehaviourSpec(Spec):
    """Parameters of the behavioural response to prices (fitted defaults; see the module docstring)."""

    enabled: bool = Field(True, description="Households respond to prices (off: only HEMS move load)")
    response_per_log_ratio: float = Field(
        0.42, ge=0, le=10, description="Daily response probability per unit engagement × ln(price ratio) [-]"
    )
    request_response_per_log_ratio: float = Field(
        0.42, ge=0, le=10, description="Same, on request days (CPP events), before fatigue [-]"
    )
    response_max: float = Field(0.95, ge=0, le=1, description="Highest daily response probability [-]")
    curtail_per_log_price: float = Field(
        0.10, ge=0, le=1, description="Responders cut discretionary load by this × ln(price / day's lowest) [-]"
    )
    curtail_max: float = Field(0.3, ge=0, le=1, description="Largest manual cut of discretionary load [-]")
    hems: HemsSpec = Field(default_factory=HemsSpec, description="What customers let their HEMS do")


@dataclass(frozen=True)
class PriceSignal:
    """What a day's prices say to each tariff row: ln(peak/off-peak) today and ln(price/lowest) per step."""

    log_ratio: np.ndarray  # tariffs
    log_rel_price: np.ndarray  # tariffs × steps of today


def price_signal(window: np.ndarray, steps_per_day: int) -> PriceSignal:
    """The signal of a 2-day price window (tariffs × steps) for its first day; 0 where prices do not vary."""
    low = np.maximum(window.min(axis=1, keepdims=True), _TINY)
    today = np.maximum(window[:, :steps_per_day], _TINY)
    rel = np.log(np.maximum(today / low, 1.0))
    rel[rel < 1e-12] = 0.0
    return PriceSignal(log_ratio=rel.max(axis=1), log_rel_price=rel)


def response_probability(
    spec: BehaviourSpec, engagement: np.ndarray, fatigue: np.ndarray, log_ratio: np.ndarray, request: np.ndarray
) -> np.ndarray:
    """Chance each household acts on today's prices: ∝ engagement × ln(ratio); × fatigue on request days."""
    per = np.where(request, spec.request_response_per_log_ratio * fatigue, spec.response_per_log_ratio)
    return np.clip(per * engagement * log_ratio, 0.0, spec.response_max)


def curtail_fraction(
    spec: BehaviourSpec, responds: np.ndarray, managed: np.ndarray, log_rel_price: np.ndarray
) -> np.ndarray:
    """Share of each household's base load cut in each step today (households × steps): by hand and by HEMS."""
    manual = np.clip(spec.curtail_per_log_price * log_rel_price, 0.0, spec.curtail_max) * responds[:, None]
    hems = spec.hems
    auto = np.clip(hems.curtail_per_log_price * log_rel_price, 0.0, hems.curtail_max) * managed[:, None]
    return 1.0 - (1.0 - manual) * (1.0 - auto)
