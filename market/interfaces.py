"""What the hub hands to the outside: deliveries to receivers, request results, and the meter-data seam.

Receivers are plain callables, so Mesa agents (or the engine's bulk arrays) can register later without
`market` importing them: an arriving message changes the receiver's state; nothing here schedules Mesa.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from market.messages import ClientIds, Message

COMPLETED = "completed"
FAILED = "failed"
LOST = "lost"
OPEN_AT_END = "open_at_end"  # still under way when the run (and its drain time) ended: counted, never dropped
TERMINAL_STATES = (COMPLETED, FAILED, LOST, OPEN_AT_END)


@dataclass(frozen=True, slots=True, eq=False)
class Delivery:
    """A message that reached these clients; `arrival_s[i]` is when it took effect at client `client_ids[i]`."""

    message: Message
    client_ids: ClientIds
    arrival_s: np.ndarray
    request_id: int


class HemsReceiver(Protocol):
    """Called once per bulk delivery to HEMS; for a `HemsActivation` it may return the kW each client delivered."""

    def __call__(self, delivery: Delivery) -> np.ndarray | None:
        """Apply the delivery; None means every client did as asked."""
        ...


MeterReceiver = Callable[[Delivery], None]
"""Called when an order reaches smart meters through the meter channel."""

DsoReceiver = Callable[[Message, int], None]
"""Called with one-way data reaching the DSO (measurements, confirmations) and the request id."""

DoneCallback = Callable[["RequestResult"], None]
"""Called once when a request reaches its terminal state."""


class MeterData(Protocol):
    """Metering data the hub's storage serves (the engine's arrays, or a fake in tests)."""

    def energy_kwh(self, ids: ClientIds, start_s: float, end_s: float) -> np.ndarray:
        """Energy per client in [start_s, end_s) [kWh]."""
        ...

    def profile_p_kw(self, ids: ClientIds, start_s: float, end_s: float, interval_s: float) -> np.ndarray:
        """Mean power per client and interval, shape (clients, intervals) [kW]."""
        ...


@dataclass(frozen=True, slots=True, eq=False)
class RequestResult:
    """A request in its terminal state: `completed`, `failed` (with `reason`), `lost` or `open_at_end`."""

    request_id: int
    kind: str
    origin: str
    state: str
    reason: str
    created_s: float
    ended_s: float
    attempts: int
    n_clients: int
    parts_s: dict[str, float]
    reply: Message | None

    @property
    def latency_s(self) -> float:
        """Time from creation to the terminal state [s]."""
        return self.ended_s - self.created_s
