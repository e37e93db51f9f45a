import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from market.access import DSO, AccessControl, Operation, Party, Stakeholder, hems, retailer
from market.errors import AccessDenied, HubConfigError
from market.messages import (
    ActivePowerMeasurement,
    BillingRequest,
    ConsumptionProfileRequest,
    FlexibilityRequest,
    LoadInformation,
    client_ids,
    frozen_floats,
)
from tests.market.helpers import make_hub

REGULATOR = Party(Stakeholder.REGULATOR, "erse")
RESEARCHER = Party(Stakeholder.RESEARCHER, "inesc")


def control(consent=(True, True, False, True)):
    """Clients 0–3 as named; 4–9 consenting clients of retailer a, so aggregates can reach the minimum of 5."""
    return AccessControl(("a", "b"), np.array([0, 1, 0, 0] + [0] * 6), np.array([*consent] + [True] * 6))


def test_retailer_reads_only_its_consenting_clients_and_denials_are_counted():
    ac = control()
    d = ac.check(retailer("a"), Operation.READ_INDIVIDUAL, np.arange(4), 5.0)
    assert d.allowed.tolist() == [0, 3] and d.n_denied == 2
    assert ac.n_denied == 1 and ac.denials[0].party == "retailer:a" and ac.denials[0].time_s == 5.0


def test_dso_reads_everything_and_third_parties_get_aggregates_only():
    ac = control()
    assert ac.check(DSO, Operation.READ_INDIVIDUAL, np.arange(4), 0).n_denied == 0
    for party in (REGULATOR, RESEARCHER):
        assert ac.check(party, Operation.READ_INDIVIDUAL, np.arange(4), 0).allowed.size == 0
        # over the distinct consenting rows only: client 2 declined, the repeated 0 counts once
        assert ac.check(party, Operation.READ_AGGREGATE, np.r_[0, np.arange(10)], 0).allowed.tolist() == [
            0, 1, 3, 4, 5, 6, 7, 8, 9
        ]  # fmt: skip
        assert ac.check(party, Operation.READ_AGGREGATE, np.arange(4), 0).allowed.size == 0
        assert ac.check(party, Operation.READ_AGGREGATE, np.arange(1), 0).allowed.size == 0


def test_only_the_dso_triggers_grid_actions_and_hems_sees_its_own_row():
    ac = control()
    assert ac.check(retailer("a"), Operation.TRIGGER_ACTION, np.array([0]), 0).allowed.size == 0
    assert ac.check(hems(2), Operation.READ_INDIVIDUAL, np.arange(4), 0).allowed.tolist() == [2]
    with pytest.raises(AccessDenied, match="regulator:erse may not trigger_action"):
        ac.require(REGULATOR, Operation.TRIGGER_ACTION, np.arange(2), 0)


def test_inconsistent_portfolio_is_a_config_error():
    with pytest.raises(HubConfigError, match="differ in length"):
        AccessControl(("a",), np.array([0, 0]), np.array([True]))
    with pytest.raises(HubConfigError, match="unknown retailer 'z'"):
        control().portfolio("z")


def test_split_by_retailer_keeps_every_client_once():
    ac = AccessControl(("a", "b", "c"), np.array([2, 0, 2, 1, 0]), np.ones(5, bool))
    groups = ac.split_by_retailer(np.array([4, 3, 2, 1, 0]))
    assert {k: sorted(v.tolist()) for k, v in groups.items()} == {"a": [1, 4], "b": [3], "c": [0, 2]}


def test_hub_denies_billing_outside_the_portfolio():
    env, hub = make_hub([0, 1, 0, 1])
    done = []
    hub.request(retailer("r0"), BillingRequest("r0", client_ids([1, 3]), 0, 3600), on_done=done.append)
    env.run(until=30)
    assert done[0].state == "failed" and "access denied" in done[0].reason
    assert hub.access.n_denied == 1 and hub.summary().attrs["denied_accesses"] == 1


@st.composite
def scenarios(draw):
    n = draw(st.integers(1, 25))
    n_retailers = draw(st.integers(1, 4))
    retailer_of = draw(st.lists(st.integers(0, n_retailers - 1), min_size=n, max_size=n))
    consent = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    subsets = st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True)
    parties = st.sampled_from(
        [DSO, REGULATOR, RESEARCHER, *[retailer(f"r{i}") for i in range(n_retailers)], *[hems(i) for i in range(n)]]
    )
    requests = draw(
        st.lists(
            st.tuples(parties, st.sampled_from(["bill", "prof", "agg", "flex", "info", "meas"]), subsets), max_size=8
        )
    )
    return n_retailers, retailer_of, consent, requests


def _message(party, what, ids):
    ids = client_ids(ids)
    rid = party.id if party.role is Stakeholder.RETAILER else "r0"
    return {
        "bill": lambda: BillingRequest(rid, ids, 0.0, 3600.0),
        "prof": lambda: ConsumptionProfileRequest(ids, 0.0, 3600.0, 900.0, False),
        "agg": lambda: ConsumptionProfileRequest(ids, 0.0, 3600.0, 900.0, True),
        "flex": lambda: FlexibilityRequest("a", ids, 0.5, 10.0, 20.0),
        "info": lambda: LoadInformation("a", ids, 10.0, 20.0, 100.0, 90.0),
        "meas": lambda: ActivePowerMeasurement(rid, ids, frozen_floats(np.ones(ids.size)), 0.0),
    }[what]()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_no_individual_data_reaches_anyone_but_own_retailer_with_consent_and_the_dso(case):
    n_retailers, retailer_of, consent, requests = case
    env, hub = make_hub(retailer_of, n_retailers, consent, record_disclosures=True)
    replies = []
    for party, what, ids in requests:
        hub.request(party, _message(party, what, ids), on_done=lambda r, p=party: replies.append((p, r)))
    env.run(until=600)
    assert hub.in_flight == 0
    owner = np.asarray(retailer_of)
    for party, ids in hub.access.disclosures:
        for c in ids.tolist():
            ok = (
                party.role is Stakeholder.DSO
                or (party.role is Stakeholder.RETAILER and f"r{owner[c]}" == party.id and consent[c])
                or (party.role is Stakeholder.HEMS and int(party.id) == c)
            )
            assert ok, (party, c)
    # what the requester actually got back agrees with the disclosure log
    for party, result in replies:
        got = getattr(result.reply, "client_ids", None)
        if got is not None and got.size and result.reply.kind in ("billing_response", "consumption_profile_response"):
            assert party.role in (Stakeholder.DSO, Stakeholder.RETAILER, Stakeholder.HEMS)
            if party.role is Stakeholder.RETAILER:
                assert all(f"r{owner[c]}" == party.id and consent[c] for c in got.tolist())


def test_an_aggregate_of_one_client_repeated_is_denied():
    """`[x, x, x, x, x]` once passed the 5-client threshold and returned x's own profile."""
    env, hub = make_hub([0] * 8)
    done = []
    hub.request(RESEARCHER, ConsumptionProfileRequest(client_ids([3] * 5), 0, 3600, 900, True), on_done=done.append)
    hub.request(RESEARCHER, ConsumptionProfileRequest(client_ids(range(6)), 0, 3600, 900, True), on_done=done.append)
    env.run(until=60)
    repeated, six = sorted(done, key=lambda r: r.request_id)
    assert repeated.state == "failed" and "access denied" in repeated.reason
    assert six.state == "completed" and six.reply.n_clients == 6


def test_declining_clients_stay_out_of_aggregates_and_their_retailers_platform():
    consent = [True] * 6 + [False] * 2
    env, hub = make_hub([0] * 8, consent=consent)
    done = []
    hub.request(RESEARCHER, ConsumptionProfileRequest(client_ids(range(8)), 0, 3600, 900, True), on_done=done.append)
    hub.request(DSO, FlexibilityRequest("a", client_ids(range(8)), 0.5, 10.0, 20.0), on_done=done.append)
    hub.request(DSO, LoadInformation("a", client_ids(range(8)), 10.0, 20.0, 100.0, 90.0), on_done=done.append)
    heard = []
    hub.register_hems(lambda d: heard.append(d.client_ids.tolist()))
    env.run(until=600)
    aggregate = min(done, key=lambda r: r.request_id)
    assert aggregate.reply.n_clients == 6  # the two who declined are not in the sum
    np.testing.assert_allclose(aggregate.reply.p_kw[0], sum((i + 1) * 0.1 for i in range(6)))
    platform = hub.platform("r0")
    assert (platform.flex_p_kw[6:] == 0).all()  # their declarations were never held by the retailer
    # the load information still reaches every home, the declining ones through their meter
    assert sorted(c for ids in heard for c in ids if c >= 6) == [6, 7]
    via_platform = hub.message_log().query("src == 'platform:r0' and dst == 'hems'")["n_clients"].sum()
    via_meter = hub.message_log().query("src == 'hub' and dst == 'meter'")["n_clients"].sum()
    assert via_meter == 2 and via_platform >= 6
