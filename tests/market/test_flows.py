import numpy as np
import pytest

from market.access import DSO, Party, Stakeholder, retailer
from market.errors import HubConfigError, UnknownMessageError
from market.messages import (
    ActivePowerMeasurement,
    ConsumptionProfileRequest,
    ContractedPowerReduction,
    FlexibilityRequest,
    Message,
    RestoreOrder,
    TariffCalendar,
    client_ids,
    frozen_floats,
)
from tests.market.helpers import make_hub


def _run(hub, env, party, msg, until=60.0):
    done = []
    hub.request(party, msg, on_done=done.append)
    env.run(until=until)
    assert len(done) == 1
    return done[0]


def test_flexibility_is_confirmed_activated_by_priority_and_fed_back():
    env, hub = make_hub(np.arange(20) % 2, flexibility_kw=1.0)
    hub.platform("r0").declare(client_ids([0, 2]), 3.0, 0.0, 1e6, priority=2)
    seen, dso = [], []
    hub.register_hems(lambda d: seen.append(d) or None)
    hub.register_dso(lambda m, rid: dso.append(m))
    result = _run(hub, env, DSO, FlexibilityRequest("a", client_ids(range(20)), 4.0, 100.0, 200.0))
    assert result.state == "completed"
    assert result.reply.kind == "flexibility_feedback" and result.reply.delivered_p_kw >= 4.0
    assert dso[0].kind == "flexibility_confirmation" and dso[0].covered and dso[0].available_p_kw == 24.0
    activated = np.concatenate([d.client_ids for d in seen])
    assert not set(activated) & {0, 2}  # priority 2 is used after the priority-1 homes
    assert all((d.arrival_s <= env.now).all() for d in seen)
    assert {"hub", "storage", "platform"} <= set(result.parts_s)


def test_flexibility_not_covered_is_confirmed_but_not_activated():
    env, hub = make_hub(np.zeros(5, dtype=int), flexibility_kw=1.0)
    seen = []
    hub.register_hems(lambda d: seen.append(d) or None)
    result = _run(hub, env, DSO, FlexibilityRequest("a", client_ids(range(5)), 50.0, 100.0, 200.0))
    assert result.state == "completed" and result.reply.kind == "flexibility_confirmation"
    assert not result.reply.covered and not seen


def test_hems_report_what_they_delivered():
    env, hub = make_hub(np.zeros(4, dtype=int), flexibility_kw=1.0)
    hub.register_hems(lambda d: np.full(d.client_ids.size, 0.25))
    result = _run(hub, env, DSO, FlexibilityRequest("a", client_ids(range(4)), 2.0, 100.0, 200.0))
    assert result.reply.delivered_p_kw == pytest.approx(0.5)


@pytest.mark.parametrize("msg_type", [ContractedPowerReduction, RestoreOrder])
def test_meter_orders_go_through_meters_and_the_hub(msg_type):
    env, hub = make_hub(np.arange(6) % 3)
    meters, homes = [], []
    hub.register_meters(meters.append)
    hub.register_hems(lambda d: homes.append(d) or None)
    ids = client_ids(range(6))
    msg = msg_type("a", ids, 30.0, 0.0) if msg_type is ContractedPowerReduction else msg_type("a", ids)
    result = _run(hub, env, DSO, msg)
    assert result.state == "completed" and result.reply.n_delivered == 6
    assert meters[0].client_ids.tolist() == list(range(6))
    assert sorted(np.concatenate([d.client_ids for d in homes]).tolist()) == list(range(6))
    assert "meter" in result.parts_s or "platform" in result.parts_s


def test_each_platform_receives_only_its_own_clients():
    env, hub = make_hub(np.array([0, 1, 2, 0, 1, 2]))
    homes = []
    hub.register_hems(lambda d: homes.append(d) or None)
    _run(hub, env, DSO, TariffCalendar("t", client_ids(range(6)), (0.0, 3600.0), (0.05, 0.1)))
    owner = hub.access.retailer_of
    for d in homes:
        assert len(set(owner[d.message.client_ids])) == 1
        assert d.message.client_ids.tolist() == d.client_ids.tolist()


def test_regulator_gets_an_aggregate_profile():
    env, hub = make_hub(np.zeros(10, dtype=int))
    reg = Party(Stakeholder.REGULATOR, "erse")
    result = _run(hub, env, reg, ConsumptionProfileRequest(client_ids(range(10)), 0.0, 3600.0, 900.0, True))
    assert result.state == "completed" and result.reply.aggregate
    assert result.reply.p_kw.shape == (1, 4) and result.reply.client_ids.size == 0
    assert result.reply.p_kw[0, 0] == pytest.approx(sum((i + 1) * 0.1 for i in range(10)))


def test_measurements_of_own_clients_reach_the_dso():
    env, hub = make_hub(np.array([0, 0, 1]))
    dso = []
    hub.register_dso(lambda m, rid: dso.append(m))
    msg = ActivePowerMeasurement("r0", client_ids([0, 1, 2]), frozen_floats([1.0, 2.0, 3.0]), 0.0)
    result = _run(hub, env, retailer("r0"), msg)
    assert result.state == "completed" and result.reply.n_denied == 1
    assert dso[0].client_ids.tolist() == [0, 1] and dso[0].p_kw.tolist() == [1.0, 2.0]


def test_unknown_message_and_unknown_retailer_are_config_errors():
    _env, hub = make_hub(np.zeros(2, dtype=int))
    with pytest.raises(UnknownMessageError, match="no hub flow for Message"):
        hub.request(DSO, Message())
    with pytest.raises(HubConfigError, match="no platform"):
        hub.request(retailer("nobody"), TariffCalendar("t", client_ids([0]), (0.0,), (0.1,)))
