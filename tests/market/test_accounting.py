"""Every request ends in exactly one terminal state, and outages do what the retry policy says."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from market.access import DSO, retailer
from market.hub_spec import FaultSpec, HubSpec, RetryPolicySpec
from market.messages import BillingRequest, EmergencyNotice, FlexibilityRequest, TariffCalendar, client_ids
from tests.market.helpers import make_hub

COMPONENTS = ["hub", "storage", "dso", "platform:r0", "platform:*", "hems"]


def _send(hub, kind, ids, done):
    ids = client_ids(ids)
    if kind == "flex":
        return hub.request(DSO, FlexibilityRequest("a", ids, 0.5, 100.0, 200.0), on_done=done)
    if kind == "emergency":
        return hub.request(DSO, EmergencyNotice("a", ids, 60.0, 20.0), on_done=done)
    if kind == "tariff":
        return hub.request(DSO, TariffCalendar("t", ids, (0.0,), (0.05,)), on_done=done)
    return hub.request(retailer("r0"), BillingRequest("r0", ids, 0.0, 900.0), on_done=done)


@st.composite
def cases(draw):
    faults = draw(
        st.lists(
            st.builds(
                lambda comp, down, length, boot: FaultSpec(
                    component=comp, down_at_s=down, restart_at_s=down + length, boot_s=boot
                ),
                st.sampled_from(COMPONENTS),
                st.floats(0, 40),
                st.floats(0, 30),
                st.floats(0, 10),
            ),
            max_size=3,
        )
    )
    retry = RetryPolicySpec(
        max_retries=draw(st.integers(0, 3)),
        timeout_s=draw(st.floats(0.5, 5)),
        backoff_s=draw(st.floats(0, 3)),
        backoff_factor=draw(st.floats(1, 3)),
    )
    sends = draw(
        st.lists(st.tuples(st.floats(0, 60), st.sampled_from(["flex", "emergency", "tariff", "bill"])), max_size=15)
    )
    return faults, retry, sends


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.integers(0, 2**32 - 1))
def test_every_request_ends_in_exactly_one_state_and_counts_add_up(case, seed):
    faults, retry, sends = case
    spec = HubSpec(faults=tuple(faults), retry=retry)
    env, hub = make_hub(np.arange(12) % 2, spec=spec, seed=seed)
    ends: dict[int, list[str]] = {}

    def sender(t, kind):
        yield env.timeout(t)
        _send(hub, kind, range(0, 12, 3), lambda r: ends.setdefault(r.request_id, []).append(r.state))

    for t, kind in sends:
        env.process(sender(t, kind))
    env.run(until=60.0)
    mid = hub.counts()
    assert mid["sent"] == mid["completed"] + mid["failed"] + mid["lost"] + mid["in_flight"]
    env.run(until=2000.0)
    counts = hub.counts()
    assert counts["in_flight"] == 0 and counts["sent"] == len(sends)
    assert counts["sent"] == counts["completed"] + counts["failed"] + counts["lost"]
    assert sorted(ends) == list(range(1, len(sends) + 1)) and all(len(v) == 1 for v in ends.values())
    log = hub.request_log()
    assert (log["attempts"] <= retry.max_retries + 1).all()
    if retry.max_retries > 0:
        assert counts["lost"] == 0  # a sender that retries notices the silence: failed, never lost
    if not faults:
        assert counts["completed"] == counts["sent"]
    messages = hub.message_log()
    assert set(messages["request_id"]) <= set(log["request_id"])


def _outage_run(max_retries: int):
    spec = HubSpec(
        faults=(FaultSpec(component="hub", down_at_s=10.0, restart_at_s=20.0, boot_s=5.0),),
        retry=RetryPolicySpec(max_retries=max_retries, timeout_s=3.0, backoff_s=2.0, backoff_factor=2.0),
    )
    env, hub = make_hub(np.zeros(10, dtype=int), spec=spec)
    for t in np.arange(0.0, 40.0, 1.0):
        env.process(_later(env, t, lambda: _send(hub, "tariff", range(10), None)))
    env.run(until=300)
    return hub.request_log()


def _later(env, t, fn):
    yield env.timeout(t)
    fn()


def test_loss_policy_loses_exactly_the_requests_that_meet_the_dead_hub():
    log = _outage_run(max_retries=0)
    lost = log[log["state"] == "lost"]
    assert len(lost) > 0 and (lost["attempts"] == 1).all()
    assert lost["created_s"].between(9.0, 25.0).all()
    assert lost["reason"].str.contains("at hub").all()
    assert (log.loc[log["created_s"] >= 25.0, "state"] == "completed").all()
    assert (log.loc[log["created_s"] < 9.0, "state"] == "completed").all()


def test_retry_policy_repeats_after_the_timeout_and_completes_after_the_reboot():
    log = _outage_run(max_retries=4)
    assert (log["state"] == "completed").all()
    retried = log[log["retries"] > 0]
    assert len(retried) > 0 and retried["created_s"].between(9.0, 25.0).all()
    assert (retried["ended_s"] >= 25.0).all()  # none completes before the hub is back
    assert (retried["retry_wait_s"] > 0).all()


def test_exhausted_retries_fail_with_a_reason():
    spec = HubSpec(
        faults=(FaultSpec(component="storage", down_at_s=0.0, restart_at_s=1000.0),),
        retry=RetryPolicySpec(max_retries=2, timeout_s=1.0, backoff_s=0.5),
    )
    env, hub = make_hub(np.zeros(4, dtype=int), spec=spec)
    _send(hub, "bill", range(4), None)
    env.run(until=100)
    row = hub.request_log().iloc[0]
    assert row["state"] == "failed" and row["attempts"] == 3
    assert row["reason"] == "retries exhausted, last: dropped_down at storage"
