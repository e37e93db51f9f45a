import numpy as np
import pytest
import simpy

from market.hub_spec import ComponentSpec, ConstantLatencySpec, HubSpec, LinksSpec, ZeroLatencySpec
from market.network import DELIVERED, DROPPED_CRASH, DROPPED_DOWN, REJECTED, Network, Trace


def _net(hub: ComponentSpec, n_clients: int = 4) -> tuple[simpy.Environment, Network]:
    zero = ZeroLatencySpec()
    spec = HubSpec(
        components={"hub": hub}, links=LinksSpec(dso_hub=zero, hub_storage=zero, hub_platform=zero, platform_hems=zero)
    )
    env = simpy.Environment()
    return env, Network(env, np.random.default_rng(0), spec, ["r"], n_clients)


def _send(env, net, results, n_clients=0):
    def proc():
        out = yield from net.hop(Trace(1, "test", 0), net.components["dso"], net.components["hub"], "m", n_clients)
        results.append((env.now, out))

    env.process(proc())


def test_a_busy_server_queues_and_a_full_queue_rejects():
    env, net = _net(ComponentSpec(service=ConstantLatencySpec(value_s=1.0), capacity=1, queue_limit=1))
    results = []
    for _ in range(3):
        _send(env, net, results)
    env.run()
    assert results == [(0.0, REJECTED), (1.0, DELIVERED), (2.0, DELIVERED)]
    log = net.log
    assert [row[-1] for row in log] == [REJECTED, DELIVERED, DELIVERED]


def test_service_grows_with_clients_and_with_warmup():
    env, net = _net(
        ComponentSpec(
            service=ConstantLatencySpec(value_s=1.0), per_client_s=0.01, capacity=5, warmup_s=10.0, warmup_factor=3.0
        )
    )
    results = []
    _send(env, net, results, n_clients=100)
    env.run()
    assert results[0][0] == pytest.approx(2.0 * 3.0)  # (1 + 100 × 0.01) × 3 right at the start
    comp = net.components["hub"]
    assert comp.service_time(net.rng, 0, 5.0) == pytest.approx(2.0)
    assert comp.service_time(net.rng, 0, 11.0) == pytest.approx(1.0)


def test_down_component_drops_and_a_crash_loses_what_it_holds():
    env, net = _net(ComponentSpec(service=ConstantLatencySpec(value_s=2.0), capacity=1))
    net.components["hub"].add_outage(1.0, 5.0)
    results = []
    _send(env, net, results)  # in service at the crash
    env.run(until=3)
    _send(env, net, results)  # arrives while down
    env.run(until=6)
    _send(env, net, results)  # after the boot
    env.run()
    assert [o for _, o in results] == [DROPPED_CRASH, DROPPED_DOWN, DELIVERED]


def test_gateways_queue_per_home():
    _env, net = _net(ComponentSpec(service=ConstantLatencySpec(value_s=0.1)))
    pool = net.gateways
    pool.component.service = ConstantLatencySpec(value_s=1.0).model()
    first = pool.serve(net.rng, np.array([0, 1]), np.array([0.0, 0.0]))
    second = pool.serve(net.rng, np.array([1, 2]), np.array([0.5, 0.5]))
    np.testing.assert_allclose(first, [1.0, 1.0])
    np.testing.assert_allclose(second, [2.0, 1.5])  # home 1 was still busy until 1.0
