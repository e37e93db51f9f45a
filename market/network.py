"""The SimPy communication network: servers with queues and outages, links with latencies, bulk HEMS hops.

A hop is: link latency → arrival at the destination → (dropped if it is down, rejected if its queue is
full) → wait for a free server → service (a draw + per-client part, slower while warming up after a
restart) → done (dropped if the destination crashed meanwhile). Each hop appends one row to the
message log. Hops run inside the caller's SimPy process (`yield from`), so a request costs one process,
not one per hop; a message to a thousand HEMS is one bulk hop computed over arrays.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from market.errors import HubConfigError
from market.hub_spec import ComponentSpec, HubSpec
from market.latency import LatencyModel

DELIVERED = "delivered"
DROPPED_DOWN = "dropped_down"
DROPPED_CRASH = "dropped_crash"
REJECTED = "rejected_queue_full"

HopGen = Generator[simpy.Event, Any, str]


@dataclass(slots=True)
class Trace:
    """Time an attempt of a request spent per component group (`network` for links), on its critical path."""

    request_id: int
    request_kind: str
    attempt: int
    parts: dict[str, float] = field(default_factory=dict)

    def add(self, group: str, seconds: float) -> None:
        """Charge `seconds` to a component group."""
        self.parts[group] = self.parts.get(group, 0.0) + seconds

    def fork(self) -> Trace:
        """A trace for a parallel branch."""
        return Trace(self.request_id, self.request_kind, self.attempt)

    def join(self, branches: Sequence[Trace]) -> None:
        """Charge the slowest branch (the one that decided when the join happened)."""
        if branches:
            slowest = max(branches, key=lambda t: sum(t.parts.values()))
            for group, seconds in slowest.parts.items():
                self.add(group, seconds)


class Component:
    """One server: service-time model, capacity, bounded queue, outage windows and warm-up after a start."""

    __slots__ = (
        "_waiting",
        "busy",
        "capacity",
        "dispatch_s",
        "group",
        "name",
        "outages",
        "per_client_s",
        "queue_limit",
        "service",
        "warmup_factor",
        "warmup_s",
    )

    def __init__(self, name: str, group: str, spec: ComponentSpec) -> None:
        self.name = name
        self.group = group
        self.service: LatencyModel = spec.service.model()
        self.per_client_s = spec.per_client_s
        self.capacity = spec.capacity
        self.dispatch_s = spec.dispatch_s
        self.queue_limit = spec.queue_limit
        self.warmup_s = spec.warmup_s
        self.warmup_factor = spec.warmup_factor
        self.busy = 0
        self._waiting: deque[simpy.Event] = deque()
        self.outages: list[tuple[float, float]] = []

    def add_outage(self, down_at_s: float, available_at_s: float) -> None:
        """The component is unavailable in [down_at_s, available_at_s) and loses what it holds at down_at_s."""
        self.outages.append((down_at_s, available_at_s))

    def is_up(self, now: float) -> bool:
        """Whether the component accepts messages at `now`."""
        return not self.outages or not any(d <= now < a for d, a in self.outages)

    def crashed_between(self, t0: float, t1: float) -> bool:
        """Whether a failure happened in (t0, t1]: what the component held then is lost."""
        return bool(self.outages) and any(t0 < d <= t1 for d, _ in self.outages)

    def service_time(self, rng: np.random.Generator, n_clients: int, now: float) -> float:
        """One service time [s], longer right after a (re)start."""
        base = self.service.sample(rng) + self.per_client_s * n_clients
        if self.warmup_factor == 1.0 or not self.warmup_s:
            return base
        started = max((a for _, a in self.outages if a <= now), default=0.0)
        left = 1.0 - (now - started) / self.warmup_s
        return base * (1.0 + (self.warmup_factor - 1.0) * left) if left > 0 else base

    def queue_full(self) -> bool:
        """Whether an arrival now would be rejected."""
        return self.busy >= self.capacity and self.queue_limit is not None and len(self._waiting) >= self.queue_limit

    def acquire(self, env: simpy.Environment) -> simpy.Event | None:
        """Take a server: None if one is free now, else an event that fires when one is."""
        if self.busy < self.capacity:
            self.busy += 1
            return None
        ev = env.event()
        self._waiting.append(ev)
        return ev

    def release(self) -> None:
        """Give the server to the next waiter, or free it."""
        if self._waiting:
            self._waiting.popleft().succeed()
        else:
            self.busy -= 1


class GatewayPool:
    """All HEMS gateways as arrays: each home is a one-at-a-time FIFO server, busy until `busy_until_s`."""

    __slots__ = ("busy_until_s", "component")

    def __init__(self, spec: ComponentSpec, n_clients: int) -> None:
        self.component = Component("hems", "hems", spec)
        self.busy_until_s = np.zeros(n_clients)

    def serve(self, rng: np.random.Generator, ids: np.ndarray, arrival_s: np.ndarray) -> np.ndarray:
        """Finish times of one message per client; arrivals are taken in this message's order (Lindley)."""
        comp = self.component
        service = comp.service.sample_many(rng, ids.size) + comp.per_client_s
        start = np.maximum(arrival_s, self.busy_until_s[ids])
        end = start + service
        self.busy_until_s[ids] = end
        return end


class Network:
    """Components, links, outages and the hop log of one hub; all draws from one `Generator`."""

    LOG_COLUMNS = (
        "message_id",
        "request_id",
        "attempt",
        "request_kind",
        "message_kind",
        "src",
        "dst",
        "n_clients",
        "sent_s",
        "arrived_s",
        "start_s",
        "end_s",
        "outcome",
    )

    def __init__(
        self,
        env: simpy.Environment,
        rng: np.random.Generator,
        spec: HubSpec,
        retailer_ids: Sequence[str],
        n_clients: int,
    ) -> None:
        self.env = env
        self.rng = rng
        c = spec.components
        self.components: dict[str, Component] = {
            "dso": Component("dso", "dso", c.dso),
            "hub": Component("hub", "hub", c.hub),
            "storage": Component("storage", "storage", c.storage),
            "meter": Component("meter", "meter", c.meter),
            # regulators, researchers and HEMS reach the hub over the internet, like a platform (assumption).
            "external": Component("external", "external", c.dso),
        }
        for r in retailer_ids:
            self.components[f"platform:{r}"] = Component(f"platform:{r}", "platform", c.platform)
        self.gateways = GatewayPool(c.hems, n_clients)
        self.components["hems"] = self.gateways.component
        self.links: dict[tuple[str, str], LatencyModel] = {}
        for (a, b), model in {
            ("dso", "hub"): spec.links.dso_hub.model(),
            ("hub", "storage"): spec.links.hub_storage.model(),
            ("hub", "platform"): spec.links.hub_platform.model(),
            ("hub", "external"): spec.links.hub_platform.model(),
            ("platform", "hems"): spec.links.platform_hems.model(),
            ("dso", "meter"): spec.links.dso_meter.model(),
            ("hub", "meter"): spec.links.dso_meter.model(),  # via the DSO's head-end (assumption: as dso_meter)
        }.items():
            self.links[a, b] = self.links[b, a] = model
        self.log: list[tuple[Any, ...]] = []
        self._message_id = 0
        for f in spec.faults:
            for comp in self._named(f.component):
                comp.add_outage(f.down_at_s, f.restart_at_s + f.boot_s)
        for rf in spec.random_faults:
            for comp in self._named(rf.component):
                env.process(self._random_faults(comp, rf.rate_per_h, rf.mean_down_s, rf.boot_s))

    def component(self, name: str) -> Component:
        """A component by name, or a `HubConfigError` listing the names."""
        try:
            return self.components[name]
        except KeyError:
            raise HubConfigError(f"unknown component {name!r}; known: {sorted(self.components)}") from None

    def _named(self, name: str) -> list[Component]:
        if name == "platform:*":
            return [c for c in self.components.values() if c.group == "platform"]
        return [self.component(name)]

    def _random_faults(self, comp: Component, rate_per_h: float, mean_down_s: float, boot_s: float) -> HopGen:
        while True:
            yield self.env.timeout(self.rng.exponential(3600.0 / rate_per_h))
            down_s = self.rng.exponential(mean_down_s) + boot_s
            comp.add_outage(self.env.now, self.env.now + down_s)
            yield self.env.timeout(down_s)

    def _record(self, trace: Trace, kind: str, src: str, dst: str, n: int, times: tuple[float, ...], out: str) -> None:
        self._message_id += 1
        self.log.append(
            (self._message_id, trace.request_id, trace.attempt, trace.request_kind, kind, src, dst, n, *times, out)
        )

    def hop(self, trace: Trace, src: Component, dst: Component, kind: str, n_clients: int = 0) -> HopGen:
        """Carry one message from `src` to `dst` and have `dst` process it; returns the outcome."""
        env = self.env
        if src.dispatch_s:
            began = env.now
            outcome, _, _ = yield from self._serve(src, 0, began, src.dispatch_s)
            trace.add(src.group, env.now - began)
            if outcome != DELIVERED:
                self._record(trace, kind, src.name, dst.name, n_clients, (np.nan,) * 4, outcome)
                return outcome
        sent = env.now
        latency = self.links[src.group, dst.group].sample(self.rng)
        if latency > 0.0:
            yield env.timeout(latency)
        trace.add("network", latency)
        arrived = env.now
        outcome, start, end = yield from self._serve(dst, n_clients, arrived)
        trace.add(dst.group, env.now - arrived)
        self._record(trace, kind, src.name, dst.name, n_clients, (sent, arrived, start, end), outcome)
        return outcome

    def _serve(
        self, dst: Component, n_clients: int, arrived: float, fixed_s: float | None = None
    ) -> Generator[simpy.Event, Any, tuple[str, float, float]]:
        env = self.env
        if not dst.is_up(arrived):
            return DROPPED_DOWN, np.nan, np.nan
        if dst.queue_full():
            return REJECTED, np.nan, np.nan
        grant = dst.acquire(env)
        if grant is not None:
            yield grant
        start = env.now
        if dst.crashed_between(arrived, start):
            dst.release()
            return DROPPED_CRASH, start, start
        yield env.timeout(dst.service_time(self.rng, n_clients, start) if fixed_s is None else fixed_s)
        dst.release()
        end = env.now
        return (DROPPED_CRASH if dst.crashed_between(arrived, end) else DELIVERED), start, end

    def bulk_to_hems(
        self, trace: Trace, src: Component, ids: np.ndarray, kind: str
    ) -> Generator[simpy.Event, Any, tuple[str, np.ndarray]]:
        """One message from a platform to many HEMS; returns the outcome and each client's finish time [s]."""
        env = self.env
        sent = env.now
        pool = self.gateways
        if ids.size == 0:
            return DELIVERED, np.empty(0)
        link = self.links["platform", "hems"].sample_many(self.rng, ids.size)
        arrival = sent + link
        if not pool.component.is_up(sent) or pool.component.crashed_between(sent, float(arrival.max())):
            yield env.timeout(float(link.max()))
            trace.add("network", float(link.max()))
            self._record(
                trace, kind, src.name, "hems", ids.size, (sent, float(arrival.min()), np.nan, np.nan), DROPPED_DOWN
            )
            return DROPPED_DOWN, np.empty(0)
        end = pool.serve(self.rng, ids, arrival)
        last = float(end.max())
        yield env.timeout(last - sent)
        slowest = int(end.argmax())
        trace.add("network", float(link[slowest]))
        trace.add("hems", last - float(arrival[slowest]))
        self._record(
            trace, kind, src.name, "hems", ids.size, (sent, float(arrival.min()), float(end.min()), last), DELIVERED
        )
        return DELIVERED, end

    def bulk_from_hems(self, trace: Trace, ids: np.ndarray, dst: Component, kind: str) -> HopGen:
        """Many HEMS answer one platform, which processes the batch once the last answer arrived."""
        env = self.env
        sent = env.now
        link = self.links["hems", dst.group].sample_many(self.rng, ids.size) if ids.size else np.zeros(1)
        wait = float(link.max())
        if wait > 0.0:
            yield env.timeout(wait)
        trace.add("network", wait)
        arrived = env.now
        outcome, start, end = yield from self._serve(dst, int(ids.size), arrived)
        trace.add(dst.group, env.now - arrived)
        self._record(trace, kind, "hems", dst.name, int(ids.size), (sent, arrived, start, end), outcome)
        return outcome
