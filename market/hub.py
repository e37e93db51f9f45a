"""`MarketHub`: routes the UPGRID flows DSO ↔ hub ↔ retailer platforms ↔ HEMS over the simulated network.

The engine owns the `simpy.Environment` (seconds since scenario start) and advances it with
`env.run(until=end_of_step_s)`. Requests enter with `hub.request(party, message, on_done)`; receivers are
plain callables (`register_hems`, `register_meters`, `register_dso`), so nothing here imports agents or
calls back into Mesa scheduling. Every request ends in exactly one state: completed, failed or lost, or,
when the run ends first, `open_at_end` (`close_open`), so none is dropped from the request log.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import simpy

from market.access import AccessControl, Party, consent_mask
from market.errors import HubConfigError, UnknownMessageError
from market.flows import DROPPED, FLOWS, OK, REJECT, Flow, origin_of
from market.hub_spec import HubSpec
from market.interfaces import (
    COMPLETED,
    FAILED,
    LOST,
    OPEN_AT_END,
    TERMINAL_STATES,
    Delivery,
    DoneCallback,
    DsoReceiver,
    HemsReceiver,
    MeterData,
    MeterReceiver,
    RequestResult,
)
from market.log import message_table, request_table, summarise
from market.messages import Message
from market.network import Network, Trace
from market.platform import RetailerPlatform


def _ignore(*_: Any) -> None:
    return None


class MarketHub:
    """The market hub platform, its access control and its message log, on a SimPy environment."""

    def __init__(
        self,
        env: simpy.Environment,
        spec: HubSpec,
        rng: np.random.Generator,
        retailer_ids: Sequence[str],
        retailer_of: np.ndarray,
        consent: np.ndarray | None = None,
        meter_data: MeterData | None = None,
        record_disclosures: bool = False,
    ) -> None:
        if len(set(retailer_ids)) != len(retailer_ids):
            raise HubConfigError(f"retailer ids must be unique (got {list(retailer_ids)})")
        n = len(retailer_of)
        if consent is None:
            consent = consent_mask(n, 1.0 if spec.consent_share is None else spec.consent_share, rng)
        self.env = env
        self.spec = spec
        self.retry = spec.retry
        self.access = AccessControl(
            tuple(retailer_ids), retailer_of, consent, spec.min_aggregate_clients, record_disclosures
        )
        self.net = Network(env, rng, spec, retailer_ids, n)
        self.platforms = {r: RetailerPlatform(r, n, self._may_hold(r)) for r in retailer_ids}
        self.meter_data = meter_data
        self._hems: HemsReceiver = _ignore
        self._meters: MeterReceiver = _ignore
        self._dso: DsoReceiver = _ignore
        self.results: list[RequestResult] = []
        self.in_flight = 0
        self._next_id = 0
        self._open: dict[int, tuple[str, str, float, int]] = {}  # request id → kind, origin, created, clients

    def _may_hold(self, retailer_id: str) -> np.ndarray:
        mask = np.zeros(self.access.n_clients, dtype=bool)
        mask[self.access.may_receive(retailer_id, np.arange(self.access.n_clients))] = True
        return mask

    def register_hems(self, receiver: HemsReceiver) -> None:
        """Set the bulk receiver of everything that reaches HEMS gateways."""
        self._hems = receiver

    def register_meters(self, receiver: MeterReceiver) -> None:
        """Set the receiver of orders through the smart-meter channel."""
        self._meters = receiver

    def register_dso(self, receiver: DsoReceiver) -> None:
        """Set the receiver of one-way data for the DSO (measurements, flexibility confirmations)."""
        self._dso = receiver

    def platform(self, retailer_id: str) -> RetailerPlatform:
        """A retailer's platform (declare its clients' flexibility on it)."""
        try:
            return self.platforms[retailer_id]
        except KeyError:
            raise HubConfigError(f"unknown retailer {retailer_id!r}; known: {sorted(self.platforms)}") from None

    def request(
        self, party: Party, message: Message, on_done: DoneCallback | None = None, label: str | None = None
    ) -> int:
        """Start a request from `party` now; returns its id. `on_done` gets the `RequestResult` when it ends."""
        try:
            kind, flow = FLOWS[type(message)]
        except KeyError:
            known = ", ".join(t.__name__ for t in FLOWS)
            raise UnknownMessageError(f"no hub flow for {type(message).__name__}; known: {known}") from None
        if origin_of(party) not in self.net.components:
            raise HubConfigError(f"{party} has no platform on this hub; retailers: {sorted(self.platforms)}")
        self._next_id += 1
        self.in_flight += 1
        n = int(getattr(message, "client_ids", np.empty(0)).size)
        self._open[self._next_id] = (label or kind, str(party), self.env.now, n)
        self.env.process(self._run(self._next_id, label or kind, party, message, flow, on_done))
        return self._next_id

    def _run(self, rid: int, kind: str, party: Party, msg: Message, flow: Flow, on_done: DoneCallback | None) -> Any:
        env, retry = self.env, self.retry
        created, parts, attempt = env.now, {}, 0
        while True:
            trace = Trace(rid, kind, attempt)
            began = env.now
            status, reply, reason = yield from flow(self, trace, party, msg)
            for group, seconds in trace.parts.items():
                parts[group] = parts.get(group, 0.0) + seconds
            if status == OK or status not in (DROPPED, REJECT):
                state = COMPLETED if status == OK else FAILED
                break
            if attempt >= retry.max_retries:
                state = LOST if status == DROPPED and retry.max_retries == 0 else FAILED
                reason = reason if retry.max_retries == 0 else f"retries exhausted, last: {reason}"
                break
            wait = max(0.0, began + retry.timeout_s - env.now) if status == DROPPED else 0.0
            wait += retry.backoff_s * retry.backoff_factor**attempt
            parts["retry_wait"] = parts.get("retry_wait", 0.0) + wait
            yield env.timeout(wait)
            attempt += 1
        if self._open.pop(rid, None) is None:
            return  # already recorded as open at the end of the run
        n = int(getattr(msg, "client_ids", np.empty(0)).size)
        result = RequestResult(rid, kind, str(party), state, reason, created, env.now, attempt + 1, n, parts, reply)
        self.results.append(result)
        self.in_flight -= 1
        if on_done is not None:
            on_done(result)

    def deliver_to_hems(self, delivery: Delivery) -> np.ndarray | None:
        """Hand a bulk delivery to the HEMS receiver (called by the flows)."""
        return self._hems(delivery)

    def deliver_to_meters(self, delivery: Delivery) -> None:
        """Hand an order to the smart-meter receiver (called by the flows)."""
        self._meters(delivery)

    def deliver_to_dso(self, message: Message, request_id: int) -> None:
        """Hand one-way data to the DSO receiver (called by the flows)."""
        self._dso(message, request_id)

    def close_open(self) -> int:
        """End the run for requests still under way: each gets the terminal state `open_at_end`; returns how many."""
        for rid, (kind, origin, created, n) in sorted(self._open.items()):
            reason = "still under way when the run ended"
            self.results.append(
                RequestResult(rid, kind, origin, OPEN_AT_END, reason, created, self.env.now, 1, n, {}, None)
            )
        closed = len(self._open)
        self._open.clear()
        self.in_flight = 0
        return closed

    def counts(self) -> dict[str, int]:
        """Requests sent, in flight and per terminal state; sent = in_flight + the terminal states' counts."""
        states = [r.state for r in self.results]
        return {"sent": self._next_id, "in_flight": self.in_flight, **{s: states.count(s) for s in TERMINAL_STATES}}

    def message_log(self) -> pd.DataFrame:
        """Every message hop so far (columns documented in `market.log`); becomes `messages.parquet`."""
        return message_table(self.net.log)

    def request_log(self) -> pd.DataFrame:
        """Every finished request with its state, latency and per-component times."""
        return request_table(self.results)

    def summary(self) -> pd.DataFrame:
        """Per request kind: counts, latency percentiles, component breakdown; `attrs` holds denied accesses."""
        return summarise(self.request_log(), self.access.n_denied)
