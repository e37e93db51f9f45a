"""Information levers: real-time feedback, usage statements, peer comparison and reduction targets.

Each gives a household's saving (share of consumption) at full attention; `persistence` scales it
by the attention and habit of the day.

- Feedback: s_rt · exp(−period / τ): a display (period 0) gives the real-time saving, a statement
  every `period` days less (ACEEE's meta-review: enhanced billing < daily/weekly < real-time).
- Peer comparison: s_med + k · (own recent use / group median − 1). A heavy user is told it uses
  more than its neighbours and cuts more; a light user told it uses less can use more (the
  boomerang, Schultz et al. 2007) unless the report praises it (`injunctive`), which stops the
  increase at zero.
- Target: a share of the target is reached, in proportion to how often the home sees its progress
  (Becker 1978: a difficult goal works with frequent feedback, not without).
"""

from __future__ import annotations

import numpy as np

from agents.response.parameters import BehaviourParameters


def feedback_saving(p: BehaviourParameters, period_days: float, display: bool) -> float:
    """Saving of feedback every `period_days` days (0: none), or in real time with a display [-]."""
    if display:
        return p.feedback_realtime_saving
    if period_days <= 0:
        return 0.0
    return p.feedback_realtime_saving * float(np.exp(-period_days / p.feedback_period_scale_days))


def peer_saving(p: BehaviourParameters, relative_use: np.ndarray, injunctive: bool) -> np.ndarray:
    """Saving of a peer report for homes at `relative_use` = own recent use / group median [-]."""
    s = p.peer_median_saving + p.peer_slope_per_relative_use * (relative_use - 1.0)
    s = np.minimum(s, 0.5)
    return np.maximum(s, 0.0) if injunctive else np.maximum(s, -0.5)


def relative_use(recent_kwh: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Each home's recent use over its comparison group's median (groups are a handful, not households)."""
    out = np.empty_like(recent_kwh)
    for g in np.unique(group):
        mask = group == g
        out[mask] = recent_kwh[mask] / max(float(np.median(recent_kwh[mask])), 1e-9)
    return out


def target_saving(p: BehaviourParameters, target_pct: float, period_days: float, display: bool) -> float:
    """Saving of a reduction target, reached in proportion to how often progress is seen [-]."""
    if target_pct <= 0:
        return 0.0
    seen = 1.0 if display else (float(np.exp(-period_days / p.feedback_period_scale_days)) if period_days > 0 else 0)
    return p.target_attainment * target_pct / 100.0 * seen


def combined(savings: list[np.ndarray | float]) -> np.ndarray | float:
    """Several levers together: 1 − Π(1 − s), so that they cannot add up past 100 %."""
    keep: np.ndarray | float = 1.0
    for s in savings:
        keep = keep * (1.0 - s)
    return 1.0 - keep
