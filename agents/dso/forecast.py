"""The DSO's short-term forecast of each substation's load: measured non-flexible load plus the HEMS' plans."""

from __future__ import annotations

import numpy as np

from agents.dso.spec import ForecastSpec


class LoadForecast:
    """Per substation: a ring of the last days' non-flexible load per step of day, and the last measurement."""

    def __init__(self, spec: ForecastSpec, n_substations: int, steps_per_day: int) -> None:
        self.spec = spec
        self.steps_per_day = steps_per_day
        self.history_kw = np.full((spec.history_days, steps_per_day, n_substations), np.nan)
        self.last_kw = np.zeros(n_substations)
        self.loading_pct_per_kw = np.zeros(n_substations)

    def record(self, step: int, trafo_p_kw: np.ndarray, loading_pct: np.ndarray, flexible_kw: np.ndarray) -> None:
        """Keep the measured load less the flexible part planned for that step, and the kW → loading ratio."""
        day, in_day = divmod(step, self.steps_per_day)
        self.last_kw = trafo_p_kw - flexible_kw
        self.history_kw[day % self.spec.history_days, in_day] = self.last_kw
        known = np.abs(trafo_p_kw) > 1e-6
        self.loading_pct_per_kw[known] = loading_pct[known] / np.abs(trafo_p_kw[known])

    def predict_kw(self, step: int, planned_flexible_kw: np.ndarray) -> np.ndarray:
        """Load of each substation in the next steps (steps × substations), given the planned flexible load."""
        n_ahead = planned_flexible_kw.shape[0]
        base = np.broadcast_to(self.last_kw, planned_flexible_kw.shape)
        if self.spec.method == "plans":
            rows = (step + np.arange(n_ahead)) % self.steps_per_day
            seen = self.history_kw[:, rows]
            some = ~np.isnan(seen).all(axis=0)
            with np.errstate(invalid="ignore"):
                mean = np.nanmean(np.where(some[None], seen, 0.0), axis=0)
            base = np.where(some, mean, base)
        return base + planned_flexible_kw

    def to_loading_pct(self, p_kw: np.ndarray) -> np.ndarray:
        """Loading a substation load would cause, from the last measured ratio (same power factor and voltage)."""
        return np.abs(p_kw) * self.loading_pct_per_kw
