"""The DSO acting on congestion through the market hub: forecast each area, decide, send the requests.

An area is a secondary substation and the clients behind it. The DSO only ever reaches clients through the
hub (and the smart-meter channel the hub's flows model); what it sent and how each request ended is kept
for the run's KPIs.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from agents.dso.control import CongestionControl, Decisions
from agents.dso.forecast import LoadForecast
from agents.dso.spec import EmergencySpec, FlexibilitySpec, ForecastSpec
from market.access import DSO
from market.hub import MarketHub
from market.interfaces import RequestResult
from market.messages import ContractedPowerReduction, EmergencyNotice, FlexibilityRequest, Message, RestoreOrder

PlannedFlexible = Callable[[int, int], np.ndarray]
"""(step, n_steps) → flexible load the HEMS plan per substation in those steps (steps × substations) [kW]."""


@dataclass(frozen=True)
class Sent:
    """A request the DSO sent about an area: when the constraint behind it was detected, and its size."""

    request_id: int
    kind: str
    substation: int
    detected_s: float
    p_kw: float = 0.0


class Congestion:
    """Forecast, state machine and request sending of the DSO for every area."""

    def __init__(
        self,
        hub: MarketHub,
        threshold_pct: float,
        specs: tuple[ForecastSpec, FlexibilitySpec, EmergencySpec],
        areas: Sequence[np.ndarray],
        area_names: Sequence[str],
        clock: tuple[int, float],
        planned_flexible_kw: PlannedFlexible,
        flex_areas: Sequence[np.ndarray] | None = None,
        control: type[CongestionControl] = CongestionControl,
    ) -> None:
        """`control`: the class that decides (the scenario's `[dso] controller`; the shipped state machine)."""
        forecast, self.flexibility, self.emergency = specs
        self.hub = hub
        self.areas = list(areas)  # households: emergency orders go through their meters
        self.flex_areas = self.areas if flex_areas is None else list(flex_areas)  # + buildings asked for flexibility
        self.area_names = list(area_names)
        self.steps_per_day, self.step_s = clock
        self.planned_flexible_kw = planned_flexible_kw
        self.forecast = LoadForecast(forecast, len(areas), self.steps_per_day)
        self.control = control(threshold_pct, self.flexibility, self.emergency, len(areas))
        self.measured_pct = np.zeros(len(areas))
        self.sent: list[Sent] = []
        self.results: dict[int, RequestResult] = {}

    def observe(self, step: int, trafo_p_kw: np.ndarray, loading_pct: np.ndarray) -> None:
        """Take in a step's measurement (for the forecast and the next decision)."""
        self.forecast.record(step, trafo_p_kw, loading_pct, self.planned_flexible_kw(step, 1)[0])
        self.measured_pct = np.asarray(loading_pct, dtype=float).copy()

    def decide(self, step: int) -> Decisions:
        """Decisions at the start of `step`, from the last measurement and the forecast of the next steps."""
        planned = self.planned_flexible_kw(step, self.forecast.spec.lookahead_steps)
        forecast_pct = self.forecast.to_loading_pct(self.forecast.predict_kw(step, planned))
        now_s = step * self.step_s
        return self.control.decide(now_s, self.measured_pct, forecast_pct, self.forecast.loading_pct_per_kw)

    def request_flexibility(self, substation: int, p_kw: float, now_s: float) -> int:
        """Ask the area's clients for `p_kw` less load over the next window."""
        end_s = now_s + self.flexibility.window_steps * self.step_s
        self.control.hold_flexibility(substation, end_s)
        msg = FlexibilityRequest(self.area_names[substation], self.flex_areas[substation], p_kw, now_s, end_s)
        return self._send(msg, "flexibility", substation, now_s, p_kw)

    def start_emergency(self, substation: int, now_s: float) -> None:
        """Notify the area's clients now; order the contracted-power cut once the notice has run."""
        em, ids, area = self.emergency, self.areas[substation], self.area_names[substation]
        starts_s = now_s + em.notice_s
        self._send(EmergencyNotice(area, ids, starts_s, em.reduction_pct), "emergency_notice", substation, now_s)
        order = ContractedPowerReduction(area, ids, em.reduction_pct, starts_s)
        self.hub.env.process(self._later(em.notice_s, order, substation, now_s))

    def restore(self, substation: int, now_s: float) -> None:
        """The constraint is gone: contracted power back to normal in the area."""
        ids = self.areas[substation]
        self._send(RestoreOrder(self.area_names[substation], ids), "restore_order", substation, now_s)

    def _later(self, delay_s: float, msg: Message, substation: int, detected_s: float) -> Generator[Any, Any, None]:
        yield self.hub.env.timeout(delay_s)
        self._send(msg, msg.kind, substation, detected_s)

    def _send(self, msg: Message, kind: str, substation: int, detected_s: float, p_kw: float = 0.0) -> int:
        rid = self.hub.request(DSO, msg, on_done=self._done)
        self.sent.append(Sent(rid, kind, substation, detected_s, p_kw))
        return rid

    def _done(self, result: RequestResult) -> None:
        self.results[result.request_id] = result
