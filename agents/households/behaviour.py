"""How people respond to prices, decided once a day for all households at once (no per-household loop).

The city run uses the register-fitted price response of `agents.response.price` (the model
`main.py evidence` checks against the studies), with its fitted parameters from
`agents/response/parameters.toml` and nothing else:

- By hand, a household's expected share of peak-window load cut is
  m = c·(1 − exp(−b·ρ·ln(ratio)/c)) (diminishing returns to the price ratio; b per price design,
  ToU weekday or CPP event day; c the ceiling of what people can move or skip; ρ the household's
  responsiveness, its engagement relative to the mean, × fatigue on request days). A household
  acts on a day with probability m / c, and a responder cuts its peak-window base load by c (in
  proportion to ln(price / day's lowest) in shoulder steps) and moves its flexible appliance starts
  and EV charging to the cheapest times its own window allows; so the expected base-load cut is m.
- A HEMS (the "enabling technology") is its own term: it moves a share h of the peak-window load
  by itself (it trims base load by h at the peak and carries out each planned move with probability
  h, its user overriding the rest), and a share γ of the manual response remains on top
  (HEMS homes act by hand with probability γ·m / c).
- Of the base load cut, a share φ of the manual cut and φ_h of the HEMS cut is not consumed at all
  (conservation); the rest is moved: the same household draws it in the cheapest steps of its tariff
  that day, in proportion to its base load there, and pays the price of those steps. φ is fitted
  on the register (`manual_conserved_share`), φ_h is an assumption (`hems_conserved_share`).

Appliance starts are moved by the HEMS planner (`agents.hems.plan`) for the households that act.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import Field

from agents.hems.spec import HemsSpec
from agents.response.parameters import BehaviourParameters
from agents.response.price import manual_peak_cut
from market.spec import Spec

_TINY = 1e-9


class BehaviourSpec(Spec):
    """Whether households respond to prices, and what they let a HEMS do (the response is fitted: see above)."""

    enabled: bool = Field(True, description="Households respond to prices (off: only HEMS move load)")
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


def expected_manual_cut(
    p: BehaviourParameters, log_ratio: np.ndarray, request: np.ndarray, responsiveness: np.ndarray
) -> np.ndarray:
    """Each household's expected manual share of peak-window load cut today (the fitted curve) [-]."""
    ratio = np.exp(np.asarray(log_ratio, dtype=float))
    rho = np.asarray(responsiveness, dtype=float) * np.ones_like(ratio)
    cut = np.zeros_like(rho)
    for kind, on in (("cpp", request), ("tou", ~np.asarray(request, dtype=bool))):
        for r in np.unique(ratio[on & (ratio > 1.0)]):  # a handful of distinct ratios a day, not households
            rows = on & (ratio == r)
            cut[rows] = manual_peak_cut(p, kind, float(r), rho[rows])
    return cut


def response_probability(
    p: BehaviourParameters,
    responsiveness: np.ndarray,
    log_ratio: np.ndarray,
    request: np.ndarray,
    managed: np.ndarray,
) -> np.ndarray:
    """Chance each household acts by hand today: expected cut / ceiling, × γ for HEMS homes."""
    prob = expected_manual_cut(p, log_ratio, request, responsiveness) / p.manual_ceiling
    prob = prob * np.where(managed, p.hems_manual_share, 1.0)
    return np.clip(prob, 0.0, 1.0)


def curtail_fraction(
    p: BehaviourParameters, responds: np.ndarray, managed: np.ndarray, log_rel_price: np.ndarray
) -> np.ndarray:
    """Share of each household's base load cut in each step today (households × steps): by hand and by HEMS.

    Both cut in proportion to ln(price / day's lowest) relative to the day's peak: the full share at the
    peak, less in shoulder steps, nothing in the cheapest.
    """
    manual, auto = _cuts(p, responds, managed, log_rel_price)
    return 1.0 - (1.0 - manual) * (1.0 - auto)


def conserved_fraction(
    p: BehaviourParameters, responds: np.ndarray, managed: np.ndarray, log_rel_price: np.ndarray
) -> np.ndarray:
    """Share of each household's base load cut and not consumed later, each step today (households × steps).

    The conserved part of `curtail_fraction`: φ of the manual cut and φ_h of the HEMS cut; the rest is moved.
    """
    manual, auto = _cuts(p, responds, managed, log_rel_price)
    return 1.0 - (1.0 - p.manual_conserved_share * manual) * (1.0 - p.hems_conserved_share * auto)


def cut_and_conserved(
    p: BehaviourParameters, responds: np.ndarray, managed: np.ndarray, log_rel_price: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`curtail_fraction` and `conserved_fraction` together, from one evaluation of the cuts (households × steps)."""
    manual, auto = _cuts(p, responds, managed, log_rel_price)
    curtail = 1.0 - (1.0 - manual) * (1.0 - auto)
    manual *= p.manual_conserved_share
    auto *= p.hems_conserved_share
    return curtail, 1.0 - (1.0 - manual) * (1.0 - auto)


def cheapest_steps(prices_today: np.ndarray) -> np.ndarray:
    """True in the steps where each row's price is today's lowest (rows × steps): where moved load goes."""
    low = prices_today.min(axis=-1, keepdims=True)
    return prices_today <= low + 1e-12 * np.maximum(np.abs(low), 1.0)


def _cuts(
    p: BehaviourParameters, responds: np.ndarray, managed: np.ndarray, log_rel_price: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Manual and HEMS shares of base load cut per household and step (households × steps)."""
    peak = log_rel_price.max(axis=-1, keepdims=True)
    depth = np.divide(log_rel_price, peak, out=np.zeros_like(log_rel_price), where=peak > 0)
    return p.manual_ceiling * depth * responds[:, None], p.hems_peak_share * depth * managed[:, None]
