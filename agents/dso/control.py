"""The DSO's congestion state machine per substation: normal → flexibility requested → emergency → restored.

Checks run over arrays of substations; the work per step beyond that is proportional to the substations that
change state (the events).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from agents.dso.spec import EmergencySpec, FlexibilitySpec

NORMAL, EMERGENCY = 0, 1


@dataclass
class Decisions:
    """What the DSO decided at one step: flexibility to ask for (kW per substation), emergencies, restores."""

    flexibility_kw: dict[int, float] = field(default_factory=dict)
    emergencies: list[int] = field(default_factory=list)
    restores: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.flexibility_kw or self.emergencies or self.restores)


class CongestionControl:
    """Per-substation counters and modes; `decide` turns measured and forecast loading into decisions."""

    def __init__(
        self, threshold_pct: float, flexibility: FlexibilitySpec, emergency: EmergencySpec, n_substations: int
    ) -> None:
        self.threshold_pct = threshold_pct
        self.flex = flexibility
        self.emergency = emergency
        self.mode = np.full(n_substations, NORMAL)
        self.over_steps = np.zeros(n_substations, dtype=np.int64)
        self.clear_steps = np.zeros(n_substations, dtype=np.int64)
        self.emergency_steps = np.zeros(n_substations, dtype=np.int64)
        self.flex_free_at_s = np.zeros(n_substations)

    def decide(
        self, now_s: float, measured_pct: np.ndarray, forecast_pct: np.ndarray, pct_per_kw: np.ndarray
    ) -> Decisions:
        """Decisions from the last measured loading (per substation) and the forecast (steps ahead × substations)."""
        out = Decisions()
        th, em = self.threshold_pct, self.emergency
        over = measured_pct > th
        self.over_steps = np.where(over, self.over_steps + 1, 0)
        in_em = self.mode == EMERGENCY
        self.emergency_steps[in_em] += 1
        clear = (measured_pct < em.restore_below_pct) & (forecast_pct.max(axis=0) <= th)
        self.clear_steps = np.where(in_em & clear, self.clear_steps + 1, 0)
        restore = in_em & (self.clear_steps >= em.restore_steps) & (self.emergency_steps >= em.min_steps)
        for s in np.flatnonzero(restore):
            self._to(int(s), NORMAL)
            out.restores.append(int(s))
        if em.enabled:
            escalate = ~in_em & ((measured_pct >= em.severity_pct) | (self.over_steps >= em.persistence_steps))
            for s in np.flatnonzero(escalate):
                self._to(int(s), EMERGENCY)
                out.emergencies.append(int(s))
        if self.flex.enabled:
            target = th - self.flex.margin_pct
            worst = np.maximum(forecast_pct.max(axis=0), measured_pct)
            ask = (self.mode == NORMAL) & (worst > th) & (self.flex_free_at_s <= now_s) & (pct_per_kw > 0)
            for s in np.flatnonzero(ask):
                p_kw = float((worst[s] - target) / pct_per_kw[s])
                if p_kw >= self.flex.min_request_kw:
                    out.flexibility_kw[int(s)] = p_kw
        return out

    def hold_flexibility(self, substation: int, until_s: float) -> None:
        """No new request for this substation before `until_s` (the window asked for is running)."""
        self.flex_free_at_s[substation] = until_s

    def _to(self, s: int, mode: int) -> None:
        self.mode[s] = mode
        self.over_steps[s] = 0
        self.clear_steps[s] = 0
        self.emergency_steps[s] = 0
