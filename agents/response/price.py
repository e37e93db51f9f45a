"""Peak response to prices: diminishing returns to the price ratio, and the enabling technology as its own term.

By hand, a household cuts its peak-window load by c·(1 − exp(−b·ρ·ln(ratio)/c)): close to the
Arcturus form b·ln(ratio) for small ratios (Faruqui & Sergici 2013), flattening towards the ceiling
c of what people can move or skip. b depends on the price design (a ToU weekday, a CPP event day,
a rebate event day) and ρ is the household's responsiveness. A HEMS or communicating thermostat
moves a share h of the peak-window load itself; on top, a share γ of the manual response remains:
1 − (1 − h)(1 − γ·manual). All of b, h and γ are fitted on the register.

Not all of the cut is lost to the household's day: a share φ of the manual cut is not consumed at all
(conservation), the rest is moved to cheaper hours; a HEMS conserves a share φ_h of what it sheds.
φ is fitted on the studies that publish a peak and an overall effect of a price-only treatment.
"""

from __future__ import annotations

import numpy as np

from agents.response.parameters import BehaviourParameters

# A variable peak price is set every weekday, like a ToU peak (not on a dozen announced event days like CPP).
PER_LOG_RATIO = {"tou": "tou_per_log_ratio", "vpp": "tou_per_log_ratio", "cpp": "cpp_per_log_ratio",
                 "ptr": "ptr_per_log_ratio"}  # fmt: skip


def manual_peak_cut(p: BehaviourParameters, tariff: str, ratio: float, responsiveness: np.ndarray) -> np.ndarray:
    """Share of peak-window load each household cuts or moves by hand on a priced day [-]."""
    if tariff not in PER_LOG_RATIO or ratio <= 1.0:
        return np.zeros_like(responsiveness)
    b = getattr(p, PER_LOG_RATIO[tariff])
    c = p.manual_ceiling
    return c * (1.0 - np.exp(-b * responsiveness * np.log(ratio) / c))


def peak_cut(
    p: BehaviourParameters, tariff: str, ratio: float, technology: bool, responsiveness: np.ndarray
) -> np.ndarray:
    """Share of peak-window load each household sheds on a priced day, with or without a HEMS [-]."""
    manual = manual_peak_cut(p, tariff, ratio, responsiveness)
    if not technology or tariff not in PER_LOG_RATIO or ratio <= 1.0:
        return manual
    return 1.0 - (1.0 - p.hems_peak_share) * (1.0 - p.hems_manual_share * manual)


def conserved_peak_cut(
    p: BehaviourParameters, tariff: str, ratio: float, technology: bool, responsiveness: np.ndarray
) -> np.ndarray:
    """Share of peak-window load each household does not consume at all on a priced day (the rest moves) [-]."""
    manual = p.manual_conserved_share * manual_peak_cut(p, tariff, ratio, responsiveness)
    if not technology or tariff not in PER_LOG_RATIO or ratio <= 1.0:
        return manual
    return 1.0 - (1.0 - p.hems_conserved_share * p.hems_peak_share) * (1.0 - p.hems_manual_share * manual)
