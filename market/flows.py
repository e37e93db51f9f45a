"""The hub's request flows, one generator per pilot use case, run inside one SimPy process per request attempt.

A flow returns `(status, reply, reason)`: status `ok`, `dropped` (a message vanished at a down component),
`rejected` (a full queue) or `refused` (access control, missing data: repeating would not help). The hub
turns that into the request's terminal state under the sender's retry policy. Access is checked at the
hub before data leaves it or an action starts.

Consent (`market.access`): a retailer's platform hears only of its own consenting clients. Messages for a
household that declined consent reach its HEMS through its smart meter's home port (hub → DSO head-end →
meter → HEMS) instead of through its retailer's platform, and it is not offered for retailer-managed
flexibility, so nothing about it (area, declarations, activations, feedback) reaches its retailer.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from market.access import Operation, Party, Stakeholder
from market.interfaces import Delivery
from market.messages import (
    ActivePowerMeasurement,
    AvailabilityQuery,
    BillingRequest,
    BillingResponse,
    ConsumptionProfileRequest,
    ConsumptionProfileResponse,
    ContractedPowerReduction,
    DeliveryReport,
    EmergencyNotice,
    FlexibilityActivation,
    FlexibilityConfirmation,
    FlexibilityFeedback,
    FlexibilityRequest,
    HemsFeedback,
    LoadInformation,
    Message,
    RestoreOrder,
    TariffCalendar,
    client_ids,
    frozen_floats,
)
from market.network import DELIVERED, REJECTED, Trace

if TYPE_CHECKING:
    from market.hub import MarketHub

OK, DROPPED, REJECT, REFUSED = "ok", "dropped", "rejected", "refused"
FlowResult = tuple[str, Message | None, str]
FlowGen = Generator[simpy.Event, Any, FlowResult]
Flow = Callable[["MarketHub", Trace, Party, Any], FlowGen]
_Fail = tuple[str, None, str] | None


def origin_of(party: Party) -> str:
    """The component a party's requests leave from."""
    if party.role is Stakeholder.DSO:
        return "dso"
    if party.role is Stakeholder.RETAILER:
        return f"platform:{party.id}"
    return "external"


def _hop(h: MarketHub, trace: Trace, src: str, dst: str, kind: str, n: int = 0) -> Generator[simpy.Event, Any, _Fail]:
    comps = h.net.components
    out = yield from h.net.hop(trace, comps[src], comps[dst], kind, n)
    if out == DELIVERED:
        return None
    return (REJECT if out == REJECTED else DROPPED), None, f"{out} at {dst}"


def _hub_wait(h: MarketHub, trace: Trace, since_s: float) -> Generator[simpy.Event, Any, None]:
    """The hub waits out its timeout for a branch that went silent."""
    wait = max(0.0, since_s + h.retry.timeout_s - h.env.now)
    trace.add("timeout_wait", wait)
    if wait:
        yield h.env.timeout(wait)


def _fan_out(h: MarketHub, trace: Trace, groups: dict[str, Any], branch: Callable[..., Generator]) -> Generator:
    """Run `branch(h, trace, retailer_id, payload)` per retailer in parallel; returns their results in order."""
    if len(groups) == 1:
        ((r, payload),) = groups.items()
        return [(yield from branch(h, trace, r, payload))]
    traces = [trace.fork() for _ in groups]
    procs = [h.env.process(branch(h, t, r, p)) for t, (r, p) in zip(traces, groups.items(), strict=True)]
    done = yield h.env.all_of(procs)
    trace.join(traces)
    return [done[p] for p in procs]


def _deliver_branch(h: MarketHub, trace: Trace, r: str, msg: Any) -> Generator[simpy.Event, Any, int]:
    """Hub → platform → HEMS (bulk) → platform acknowledges to the hub; returns clients reached."""
    start, plat = h.env.now, f"platform:{r}"
    ids = msg.client_ids
    fail = yield from _hop(h, trace, "hub", plat, msg.kind, ids.size)
    if fail:
        yield from _hub_wait(h, trace, start)
        return 0
    out, ends = yield from h.net.bulk_to_hems(trace, h.net.components[plat], ids, msg.kind)
    reached = ids.size if out == DELIVERED else 0
    if reached:
        h.deliver_to_hems(Delivery(msg, ids, ends, trace.request_id))
    fail = yield from _hop(h, trace, plat, "hub", DeliveryReport.kind)
    if fail:
        yield from _hub_wait(h, trace, start)
        return 0
    return reached


def _broadcast(h: MarketHub, trace: Trace, party: Party, msg: Any) -> FlowGen:
    """DSO → hub → each platform concerned → its HEMS; the hub reports the clients reached to the DSO."""
    ids = msg.client_ids
    fail = yield from _hop(h, trace, origin_of(party), "hub", msg.kind, ids.size)
    if fail:
        return fail
    decision = h.access.check(party, Operation.TRIGGER_ACTION, ids, h.env.now)
    if decision.allowed.size == 0 and ids.size:
        return REFUSED, None, f"access denied: {decision.reason}"
    fail = yield from _hop(h, trace, "hub", "storage", msg.kind, decision.allowed.size)
    if fail:
        return fail
    allowed = decision.allowed
    consenting = h.access.consent[allowed]
    groups = {r: replace(msg, client_ids=g) for r, g in h.access.split_by_retailer(allowed[consenting]).items()}
    direct = allowed[~consenting]
    if direct.size:
        han_trace = trace.fork()
        han = h.env.process(_home_port_branch(h, han_trace, replace(msg, client_ids=client_ids(direct))))
    reached = yield from _fan_out(h, trace, groups, _deliver_branch)
    if direct.size:
        reached.append((yield han))
        trace.join((han_trace,))
    report = DeliveryReport(int(ids.size), int(sum(reached)), decision.n_denied)
    fail = yield from _hop(h, trace, "hub", origin_of(party), report.kind)
    return fail or (OK, report, "")


def _home_port_branch(h: MarketHub, trace: Trace, msg: Any) -> Generator[simpy.Event, Any, int]:
    """Hub → DSO head-end → smart meter → the HEMS on its home port: for households that declined consent."""
    fail = yield from _hop(h, trace, "hub", "meter", msg.kind, msg.client_ids.size)
    if fail:
        return 0
    ids = msg.client_ids
    h.deliver_to_hems(Delivery(msg, ids, np.full(ids.size, h.env.now), trace.request_id))
    return int(ids.size)


def _meter_order(h: MarketHub, trace: Trace, party: Party, msg: Any) -> FlowGen:
    """An order through the smart-meter channel and, in parallel, through hub → platforms → HEMS."""
    decision = h.access.check(party, Operation.TRIGGER_ACTION, msg.client_ids, h.env.now)
    if decision.allowed.size == 0 and msg.client_ids.size:
        return REFUSED, None, f"access denied: {decision.reason}"
    meter_trace = trace.fork()
    meter = h.env.process(_meter_branch(h, meter_trace, replace(msg, client_ids=decision.allowed)))
    hub_trace = trace.fork()
    via_hub = h.env.process(_broadcast(h, hub_trace, party, replace(msg, client_ids=decision.allowed)))
    done = yield h.env.all_of((meter, via_hub))
    trace.join((meter_trace, hub_trace))
    status, report, reason = done[via_hub]
    n_meter = done[meter]
    if status != OK and not n_meter:
        return status, None, reason
    n_hub = report.n_delivered if isinstance(report, DeliveryReport) else 0
    return OK, DeliveryReport(int(msg.client_ids.size), max(n_meter, n_hub), decision.n_denied), ""


def _meter_branch(h: MarketHub, trace: Trace, msg: Any) -> Generator[simpy.Event, Any, int]:
    fail = yield from _hop(h, trace, "dso", "meter", msg.kind, msg.client_ids.size)
    if fail:
        return 0
    ids = msg.client_ids
    h.deliver_to_meters(Delivery(msg, ids, np.full(ids.size, h.env.now), trace.request_id))
    return int(ids.size)


def _data_read(h: MarketHub, trace: Trace, party: Party, msg: Any) -> FlowGen:
    """Billing or profile: requester → hub (rights check) → storage → hub → requester, released rows only."""
    src = origin_of(party)
    fail = yield from _hop(h, trace, src, "hub", msg.kind, msg.client_ids.size)
    if fail:
        return fail
    aggregate = getattr(msg, "aggregate", False)
    op = Operation.READ_AGGREGATE if aggregate else Operation.READ_INDIVIDUAL
    decision = h.access.check(party, op, msg.client_ids, h.env.now)
    ids = decision.allowed
    if ids.size == 0:
        fail = yield from _hop(h, trace, "hub", src, "access_denied")
        return fail or (REFUSED, None, f"access denied: {decision.reason}")
    if h.meter_data is None:
        return REFUSED, None, "no meter data source registered with the hub"
    for src_, dst in (("hub", "storage"), ("storage", "hub")):
        fail = yield from _hop(h, trace, src_, dst, msg.kind, ids.size)
        if fail:
            return fail
    reply = _read_reply(h, msg, ids, decision.n_denied)
    fail = yield from _hop(h, trace, "hub", src, reply.kind, 0 if aggregate else ids.size)
    return fail or (OK, reply, "")


def _read_reply(h: MarketHub, msg: Any, ids: np.ndarray, n_denied: int) -> Message:
    if isinstance(msg, BillingRequest):
        energy = h.meter_data.energy_kwh(ids, msg.start_s, msg.end_s)
        return BillingResponse(msg.retailer_id, ids, frozen_floats(energy), n_denied)
    p = np.asarray(h.meter_data.profile_p_kw(ids, msg.start_s, msg.end_s, msg.interval_s))
    if msg.aggregate:
        return ConsumptionProfileResponse(
            client_ids(()), msg.interval_s, frozen_floats(p.sum(axis=0, keepdims=True)), True, ids.size, n_denied
        )
    return ConsumptionProfileResponse(ids, msg.interval_s, frozen_floats(p), False, ids.size, n_denied)


def _measurement(h: MarketHub, trace: Trace, party: Party, msg: ActivePowerMeasurement) -> FlowGen:
    """Platform → hub (own clients only) → storage → DSO."""
    fail = yield from _hop(h, trace, origin_of(party), "hub", msg.kind, msg.client_ids.size)
    if fail:
        return fail
    decision = h.access.check(party, Operation.SUBMIT_DATA, msg.client_ids, h.env.now)
    if decision.allowed.size == 0 and msg.client_ids.size:
        return REFUSED, None, f"access denied: {decision.reason}"
    keep = np.isin(msg.client_ids, decision.allowed)
    kept = replace(msg, client_ids=decision.allowed, p_kw=frozen_floats(msg.p_kw[keep]))
    for src, dst in (("hub", "storage"), ("hub", "dso")):
        fail = yield from _hop(h, trace, src, dst, msg.kind, kept.client_ids.size)
        if fail:
            return fail
    h.deliver_to_dso(kept, trace.request_id)
    return OK, DeliveryReport(int(msg.client_ids.size), int(kept.client_ids.size), decision.n_denied), ""


def _flexibility(h: MarketHub, trace: Trace, party: Party, msg: FlexibilityRequest) -> FlowGen:
    """Reduce load: availability from each platform, confirmation, activation, aggregated feedback to the DSO."""
    src = origin_of(party)
    fail = yield from _hop(h, trace, src, "hub", msg.kind, msg.client_ids.size)
    if fail:
        return fail
    decision = h.access.check(party, Operation.TRIGGER_ACTION, msg.client_ids, h.env.now)
    if decision.allowed.size == 0:
        return REFUSED, None, f"access denied: {decision.reason or 'no clients'}"
    fail = yield from _hop(h, trace, "hub", "storage", msg.kind, decision.allowed.size)
    if fail:
        return fail
    rid = trace.request_id
    offered = {r: h.access.may_receive(r, g) for r, g in h.access.split_by_retailer(decision.allowed).items()}
    queries = {r: AvailabilityQuery(rid, r, g, msg.p_kw, msg.start_s, msg.end_s) for r, g in offered.items() if g.size}
    available = yield from _fan_out(h, trace, queries, _availability_branch)
    total = float(sum(available))
    confirmation = FlexibilityConfirmation(rid, msg.p_kw, total, total >= msg.p_kw - 1e-9)
    fail = yield from _hop(h, trace, "hub", src, confirmation.kind)
    if fail:
        return fail
    h.deliver_to_dso(confirmation, rid)
    if not confirmation.covered:
        return OK, confirmation, ""
    activations = {
        q.retailer_id: FlexibilityActivation(
            rid, q.retailer_id, q.client_ids, msg.p_kw * a / total, msg.start_s, msg.end_s
        )
        for q, a in zip(queries.values(), available, strict=True)
        if a > 0
    }
    feedback = yield from _fan_out(h, trace, activations, _activation_branch)
    delivered = float(sum(f.delivered_p_kw for f in feedback if f is not None))
    n = int(sum(f.n_clients for f in feedback if f is not None))
    total_feedback = FlexibilityFeedback(rid, "", msg.p_kw, delivered, n)
    fail = yield from _hop(h, trace, "hub", src, total_feedback.kind)
    return fail or (OK, total_feedback, "")


def _availability_branch(
    h: MarketHub, trace: Trace, r: str, query: AvailabilityQuery
) -> Generator[simpy.Event, Any, float]:
    start, plat = h.env.now, f"platform:{r}"
    fail = yield from _hop(h, trace, "hub", plat, query.kind, query.client_ids.size)
    answer = h.platforms[r].availability(query) if not fail else None
    if answer is not None:
        fail = yield from _hop(h, trace, plat, "hub", answer.kind)
    if fail or answer is None:
        yield from _hub_wait(h, trace, start)
        return 0.0
    return answer.available_p_kw


def _activation_branch(h: MarketHub, trace: Trace, r: str, act: FlexibilityActivation) -> Generator:
    start, plat = h.env.now, f"platform:{r}"
    fail = yield from _hop(h, trace, "hub", plat, act.kind, act.client_ids.size)
    if fail:
        yield from _hub_wait(h, trace, start)
        return None
    platform = h.platforms[r]
    order = platform.select(act)
    out, ends = yield from h.net.bulk_to_hems(trace, h.net.components[plat], order.client_ids, order.kind)
    if out != DELIVERED:
        yield from _hub_wait(h, trace, start)
        return None
    delivered = h.deliver_to_hems(Delivery(order, order.client_ids, ends, trace.request_id))
    p = order.p_kw if delivered is None else frozen_floats(delivered)
    feedback = HemsFeedback(act.request_id, order.client_ids, p)
    out = yield from h.net.bulk_from_hems(trace, order.client_ids, h.net.components[plat], feedback.kind)
    summary = platform.aggregate(act, feedback)
    fail = None if out == DELIVERED else True
    if not fail:
        fail = yield from _hop(h, trace, plat, "hub", summary.kind)
    if fail:
        yield from _hub_wait(h, trace, start)
        return None
    return summary


FLOWS: dict[type[Message], tuple[str, Flow]] = {
    TariffCalendar: ("tariff_calendar", _broadcast),
    LoadInformation: ("load_information", _broadcast),
    EmergencyNotice: ("emergency_notice", _broadcast),
    ContractedPowerReduction: ("contracted_power_reduction", _meter_order),
    RestoreOrder: ("restore_order", _meter_order),
    BillingRequest: ("billing", _data_read),
    ConsumptionProfileRequest: ("consumption_profile", _data_read),
    ActivePowerMeasurement: ("active_power", _measurement),
    FlexibilityRequest: ("flexibility", _flexibility),
}
"""Message type → (request kind in the logs, flow)."""
