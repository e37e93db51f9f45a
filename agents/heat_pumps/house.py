"""The physics of a heat-pump home, over arrays: a first-order (1R1C) house and the heat pump's COP.

The house: C dT/dt = Q − (T − T_out) / R, with indoor temperature T [°C], outdoor T_out [°C], heat input Q
[kW], resistance R [K/kW] and capacitance C [kWh/K]. Over a step of h hours with Q and T_out held, it is
solved exactly: T' = T∞ + (T − T∞) a, T∞ = T_out + Q R, a = exp(−h / (R C)).
"""

from __future__ import annotations

import numpy as np

# Staffell et al. (2012), Energy Environ. Sci. 5, 9291, air-source fit: COP = 6.08 − 0.09 ΔT + 0.0005 ΔT²
COP_FIT = (6.08, -0.09, 0.0005)
FIT_RANGE_K = (15.0, 60.0)  # ΔT over which the fit's field data run; held at the edges outside


def cop(supply_c: float, outdoor_c: np.ndarray) -> np.ndarray:
    """Coefficient of performance of an air-source heat pump at these outdoor temperatures."""
    dt = np.clip(supply_c - outdoor_c, *FIT_RANGE_K)
    return COP_FIT[0] + COP_FIT[1] * dt + COP_FIT[2] * dt**2


def heat_to_reach(target_c, indoor_c, outdoor_c, r, a, q_max) -> np.ndarray:
    """Heat [kW] that brings each house to `target_c` at the end of the step, within [0, q_max]."""
    q = (target_c - outdoor_c - (indoor_c - outdoor_c) * a) / (r * (1.0 - a))
    return np.clip(q, 0.0, q_max)


def advance(indoor_c, outdoor_c, q, r, c, a, h) -> tuple[np.ndarray, np.ndarray]:
    """Indoor temperature after the step, and the heat lost to outdoors during it [kWh] (exact integral)."""
    steady = outdoor_c + q * r
    after = steady + (indoor_c - steady) * a
    lost = ((steady - outdoor_c) * h + (indoor_c - steady) * r * c * (1.0 - a)) / r
    return after, lost
