"""Emergency mode at the meters: reduced contracted power, HEMS cutting loads to stay under it, disconnections.

Seed 001 ("Emergency mode"): the DSO orders a reduction of contracted power by a percentage in an area; HEMS
cut loads by priority to stay under the new limit; customers whose load stays above it are disconnected.

Limits live in arrays indexed by household row; only the rows of areas in (or just out of) emergency are
touched each step, so the cost follows the events, not the city's size. Times are seconds since the start.
"""

from __future__ import annotations

import numpy as np

_EMPTY = np.empty(0, dtype=np.int64)


def _overlap(t0_s: float, t1_s: float, from_s: np.ndarray, until_s: np.ndarray) -> np.ndarray:
    """Share of the step [t0_s, t1_s) inside [from_s, until_s), per household."""
    inside = np.minimum(t1_s, until_s) - np.maximum(t0_s, from_s)
    return np.clip(inside / (t1_s - t0_s), 0.0, 1.0)


class ContractedLimits:
    """Reduced contracted power per household, as ordered through the meters and followed by the HEMS."""

    def __init__(self, contracted_kw: np.ndarray, has_hems: np.ndarray) -> None:
        n = contracted_kw.size
        self.contracted_kw = np.asarray(contracted_kw, dtype=float)
        self.has_hems = np.asarray(has_hems, dtype=bool)
        self.limit_kw = np.full(n, np.inf)
        self.meter_from_s = np.full(n, np.inf)
        self.meter_until_s = np.full(n, np.inf)
        self.hems_from_s = np.full(n, np.inf)
        self.hems_until_s = np.full(n, np.inf)
        self.active = _EMPTY
        self.disconnected_h = np.zeros(n)  # hours off supply, pro-rated in the step the cut starts
        self.ever_disconnected = np.zeros(n, dtype=bool)
        self.not_served_kwh = np.zeros(n)  # load lost while disconnected
        self.deferred_kwh = np.zeros(n)  # flexible energy the HEMS pushed to the next step
        self.effective_s: dict[int, float] = {}  # request id → when the last meter applied its limit

    def order(self, ids: np.ndarray, reduction_pct: float, from_s: np.ndarray, request_id: int) -> None:
        """Meters of `ids` limit their households to (1 − reduction) × contracted power from `from_s`."""
        self._set_limit(ids, reduction_pct)
        self.meter_from_s[ids] = from_s
        self.meter_until_s[ids] = np.inf
        if ids.size:
            self.effective_s[request_id] = float(np.max(from_s))

    def follow(self, ids: np.ndarray, reduction_pct: float, from_s: np.ndarray) -> None:
        """HEMS among `ids` keep their homes under the reduced limit from `from_s` (those without a HEMS cannot)."""
        hems = self.has_hems[ids]
        ids, from_s = ids[hems], np.broadcast_to(from_s, hems.shape)[hems]
        self._set_limit(ids, reduction_pct)
        self.hems_from_s[ids] = from_s
        self.hems_until_s[ids] = np.inf

    def lift(self, ids: np.ndarray, at_s: np.ndarray, *, meters: bool) -> None:
        """The restore order reached the meters (or the HEMS) of `ids` at `at_s`."""
        until = self.meter_until_s if meters else self.hems_until_s
        until[ids] = at_s

    def _set_limit(self, ids: np.ndarray, reduction_pct: float) -> None:
        self.limit_kw[ids] = self.contracted_kw[ids] * (1.0 - reduction_pct / 100.0)
        self.active = np.union1d(self.active, ids)

    def apply(
        self,
        t0_s: float,
        step_s: float,
        base_kw: np.ndarray,
        appliance_kw: np.ndarray,
        ev_kw: np.ndarray,
        pv_kw: np.ndarray,
        next_appliance_kw: np.ndarray,
        next_ev_kw: np.ndarray,
    ) -> None:
        """Cut this step's power in place: HEMS defer EV, then appliance power; meters disconnect homes still above.

        Deferred power goes to the next step's rows; shares of the step are pro-rated by when orders took effect.
        """
        ids = self.active
        if ids.size == 0:
            return
        t1_s = t0_s + step_s
        f_meter = _overlap(t0_s, t1_s, self.meter_from_s[ids], self.meter_until_s[ids])
        f_hems = _overlap(t0_s, t1_s, self.hems_from_s[ids], self.hems_until_s[ids])
        b, a, e, p = base_kw[ids], appliance_kw[ids], ev_kw[ids], pv_kw[ids]
        drawn = b + a + e - p
        excess = np.maximum(drawn - self.limit_kw[ids], 0.0)
        cut_e = np.minimum(e, excess)
        cut_a = np.minimum(a, excess - cut_e)
        following = f_hems > 0
        drawn_after = drawn - np.where(following, cut_e + cut_a, 0.0)
        cut_e *= f_hems
        cut_a *= f_hems
        next_ev_kw[ids] += cut_e
        next_appliance_kw[ids] += cut_a
        a, e = a - cut_a, e - cut_e
        step_h = step_s / 3600.0
        self.deferred_kwh[ids] += (cut_a + cut_e) * step_h
        off = np.where((drawn_after > self.limit_kw[ids] + 1e-9) & (f_meter > 0), f_meter, 0.0)
        self.ever_disconnected[ids[off > 0]] = True
        self.disconnected_h[ids] += off * step_h
        self.not_served_kwh[ids] += off * (b + a + e) * step_h
        keep = 1.0 - off
        base_kw[ids], appliance_kw[ids], ev_kw[ids], pv_kw[ids] = b * keep, a * keep, e * keep, p * keep
        meter_done = (self.meter_until_s[ids] <= t1_s) | np.isinf(self.meter_from_s[ids])
        done = meter_done & ((self.hems_until_s[ids] <= t1_s) | np.isinf(self.hems_from_s[ids]))
        if done.any():
            self.active = ids[~done]
