"""Access control and the hub against an oracle written from the documented rules (`market.access`, `market.flows`).

The oracle, in plain Python, from the module docstrings:

- the DSO may touch every row;
- a HEMS reads and submits its own client's row only, and triggers nothing;
- a retailer reads and submits individual rows only of its own consenting clients, triggers nothing,
  and hears of no other client on its platform (declarations, queries, activations, area messages);
- regulators and researchers get aggregates only;
- an aggregate is released only if every requested row is the party's to aggregate and there are at least
  MIN_GROUP_SIZE distinct consenting rows; it is taken over exactly those rows;
- every request ends in exactly one terminal state.

Bounded in CI (≥ 2,500 access cases, ~1,500 hub requests); `CITYFLEX_FUZZ=full` runs ≥ 100,000 access cases and
≥ 10,000 hub requests.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from market.access import DSO, AccessControl, Operation, Party, Stakeholder, hems, retailer
from market.disclosure import MIN_GROUP_SIZE
from market.interfaces import TERMINAL_STATES
from market.messages import (
    ActivePowerMeasurement,
    BillingRequest,
    ConsumptionProfileRequest,
    ContractedPowerReduction,
    EmergencyNotice,
    FlexibilityRequest,
    LoadInformation,
    RestoreOrder,
    TariffCalendar,
    client_ids,
    frozen_floats,
)
from tests.fuzz.budget import FULL, Tally, fuzz_settings
from tests.market.helpers import make_hub

REGULATOR = Party(Stakeholder.REGULATOR, "erse")
RESEARCHER = Party(Stakeholder.RESEARCHER, "inesc")
ACCESS = Tally("access check")
HUB = Tally("hub flows")


@st.composite
def populations(draw, max_clients: int = 24):
    n = draw(st.integers(1, max_clients))
    n_retailers = draw(st.integers(1, 3))
    owner = np.array(draw(st.lists(st.integers(0, n_retailers - 1), min_size=n, max_size=n)))
    consent = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    return n, n_retailers, owner, consent


def _parties(n: int, n_retailers: int):
    return st.sampled_from(
        [DSO, REGULATOR, RESEARCHER, *[retailer(f"r{i}") for i in range(n_retailers)], *[hems(i) for i in range(n)]]
    )


def _ids(n: int):
    """Requested rows, repeats allowed (the `[x, x, x, x, x]` aggregate)."""
    return st.lists(st.integers(0, n - 1), min_size=0, max_size=3 * n)


def oracle(party: Party, op: Operation, ids: np.ndarray, owner: np.ndarray, consent: np.ndarray) -> list[int]:
    """The rows the documented rules allow (sorted), for one operation."""
    role = party.role
    if role is Stakeholder.DSO:
        rows = sorted(set(ids.tolist())) if op is Operation.READ_AGGREGATE else sorted(ids.tolist())
        return rows
    if op is Operation.READ_AGGREGATE:
        if role is Stakeholder.HEMS:
            return []
        distinct = sorted(set(ids.tolist()))
        mine = role is not Stakeholder.RETAILER or all(f"r{owner[c]}" == party.id for c in distinct)
        consenting = [c for c in distinct if consent[c]]
        return consenting if mine and len(consenting) >= MIN_GROUP_SIZE else []
    if role is Stakeholder.HEMS:
        ok = op in (Operation.READ_INDIVIDUAL, Operation.SUBMIT_DATA)
        return sorted(c for c in ids.tolist() if ok and c == int(party.id))
    if role is Stakeholder.RETAILER and op in (Operation.READ_INDIVIDUAL, Operation.SUBMIT_DATA):
        return sorted(c for c in ids.tolist() if f"r{owner[c]}" == party.id and consent[c])
    return []


@st.composite
def access_cases(draw):
    """A population and 25–40 access requests on it (each request is one case)."""
    n, n_retailers, owner, consent = draw(populations())
    requests = draw(
        st.lists(
            st.tuples(_parties(n, n_retailers), st.sampled_from(list(Operation)), _ids(n)), min_size=25, max_size=40
        )
    )
    return n_retailers, owner, consent, [(p, op, np.array(ids, dtype=np.int64)) for p, op, ids in requests]


@fuzz_settings(ci=100, full=4_000)
@given(access_cases())
def test_access_check_agrees_with_the_documented_rules(case):
    n_retailers, owner, consent, requests = case
    ac = AccessControl(tuple(f"r{i}" for i in range(n_retailers)), owner, consent)
    for party, op, ids in requests:
        decision = ac.check(party, op, ids, 0.0)
        expected = oracle(party, op, ids, owner, consent)
        assert sorted(decision.allowed.tolist()) == expected, (party, op, ids.tolist())
        considered = len(set(ids.tolist())) if op is Operation.READ_AGGREGATE else ids.size
        assert decision.n_denied == considered - len(expected)
        ACCESS.add("cases")
        ACCESS.add("released" if expected else "denied")


def test_access_campaign_counts():
    """Runs after the campaign above (file order): prints its counts."""
    if ACCESS.counts:
        ACCESS.report()
        assert ACCESS.counts["cases"] >= (100_000 if FULL else 1)


KINDS = ("bill", "prof", "agg", "flex", "info", "emerg", "cut", "restore", "tariff", "meas")


def _message(party: Party, what: str, ids: list[int]):
    ids = client_ids(ids)
    rid = party.id if party.role is Stakeholder.RETAILER else "r0"
    return {
        "bill": lambda: BillingRequest(rid, ids, 0.0, 3600.0),
        "prof": lambda: ConsumptionProfileRequest(ids, 0.0, 3600.0, 900.0, False),
        "agg": lambda: ConsumptionProfileRequest(ids, 0.0, 3600.0, 900.0, True),
        "flex": lambda: FlexibilityRequest("area", ids, 0.5, 10.0, 20.0),
        "info": lambda: LoadInformation("area", ids, 10.0, 20.0, 100.0, 90.0),
        "emerg": lambda: EmergencyNotice("area", ids, 30.0, 20.0),
        "cut": lambda: ContractedPowerReduction("area", ids, 20.0, 30.0),
        "restore": lambda: RestoreOrder("area", ids),
        "tariff": lambda: TariffCalendar("t", ids, (0.0,), (0.1,)),
        "meas": lambda: ActivePowerMeasurement(rid, ids, frozen_floats(np.ones(ids.size)), 0.0),
    }[what]()


@st.composite
def hub_cases(draw):
    n, n_retailers, owner, consent = draw(populations(max_clients=16))
    requests = draw(
        st.lists(st.tuples(_parties(n, n_retailers), st.sampled_from(KINDS), _ids(n)), min_size=1, max_size=10)
    )
    return n_retailers, owner, consent, requests


def _watch_platforms(hub, seen: dict[str, set[int]]) -> None:
    """Record every client row that reaches a retailer's platform, at the platform and on its links to HEMS."""
    for r, platform in hub.platforms.items():
        for name in ("availability", "select", "aggregate"):
            method = getattr(platform, name)

            def watched(msg, *rest, _method=method, _r=r):
                seen[_r].update(np.asarray(msg.client_ids).tolist())
                for m in rest:
                    seen[_r].update(np.asarray(getattr(m, "client_ids", [])).tolist())
                return _method(msg, *rest)

            setattr(platform, name, watched)
        seen[r].update(np.flatnonzero(platform.flex_p_kw > 0).tolist())  # declarations it holds
    bulk = hub.net.bulk_to_hems

    def bulk_watched(trace, src, ids, kind):
        if src.name.startswith("platform:"):
            seen[src.name.removeprefix("platform:")].update(np.asarray(ids).tolist())
        return bulk(trace, src, ids, kind)

    hub.net.bulk_to_hems = bulk_watched


@fuzz_settings(ci=300, full=12_000)
@given(hub_cases())
def test_hub_releases_nothing_the_rules_forbid(case):
    n_retailers, owner, consent, requests = case
    env, hub = make_hub(owner, n_retailers, consent)
    seen: dict[str, set[int]] = {f"r{i}": set() for i in range(n_retailers)}
    _watch_platforms(hub, seen)
    replies = []
    for party, what, ids in requests:
        hub.request(party, _message(party, what, ids), on_done=lambda r, p=party, i=ids: replies.append((p, i, r)))
    env.run(until=3600)
    # every request ends in exactly one terminal state
    assert hub.in_flight == 0 and len(hub.results) == len(requests)
    assert sorted(r.request_id for r in hub.results) == list(range(1, len(requests) + 1))
    assert all(r.state in TERMINAL_STATES for r in hub.results)
    # a platform hears only of its own consenting clients
    for r, rows in seen.items():
        assert all(f"r{owner[c]}" == r and consent[c] for c in rows), (r, sorted(rows))
    for party, ids, result in replies:
        _check_reply(party, np.asarray(ids, dtype=np.int64), result, owner, consent)
    HUB.add("cases", len(requests))
    HUB.add("completed", sum(r.state == "completed" for r in hub.results))
    HUB.add("refused or failed", sum(r.state != "completed" for r in hub.results))


def _check_reply(party, ids, result, owner, consent) -> None:
    reply = result.reply
    if reply is None or reply.kind not in ("billing_response", "consumption_profile_response"):
        return
    per_client_kw = (np.arange(owner.size) + 1) * 0.1  # the fake meter data of tests.market.helpers
    if getattr(reply, "aggregate", False):
        expected = oracle(party, Operation.READ_AGGREGATE, ids, owner, consent)
        assert expected and reply.n_clients == len(expected)
        np.testing.assert_allclose(reply.p_kw[0], per_client_kw[expected].sum())
        return
    expected = oracle(party, Operation.READ_INDIVIDUAL, ids, owner, consent)
    assert sorted(reply.client_ids.tolist()) == expected, (party, ids.tolist())


def test_hub_campaign_counts():
    """Runs after the campaign above (file order): prints its counts."""
    if HUB.counts:
        HUB.report()
        assert HUB.counts["cases"] >= (10_000 if FULL else 1)
