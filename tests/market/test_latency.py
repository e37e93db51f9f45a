import numpy as np
import pytest

from market.latency import Constant, LatencyModel, LogNormal, Uniform, ZeroLatency


@pytest.mark.parametrize("model", [ZeroLatency(), Constant(0.2), Uniform(0.1, 0.11), LogNormal(0.01, 0.5, 0.002)])
def test_models_follow_the_protocol_and_are_reproducible(model):
    assert isinstance(model, LatencyModel)
    a = model.sample_many(np.random.default_rng(3), 1000)
    b = model.sample_many(np.random.default_rng(3), 1000)
    np.testing.assert_array_equal(a, b)
    assert (a >= 0).all()
    assert a.mean() == pytest.approx(model.mean_s, rel=0.1, abs=1e-12)
    assert model.sample(np.random.default_rng(1)) >= 0


def test_uniform_stays_in_the_pilot_interval():
    draws = Uniform(0.100, 0.110).sample_many(np.random.default_rng(0), 10_000)
    assert draws.min() >= 0.100 and draws.max() < 0.110


@pytest.mark.parametrize(
    "make", [lambda: Constant(-1.0), lambda: Uniform(0.2, 0.1), lambda: LogNormal(0.0, 0.5), lambda: LogNormal(1, -1)]
)
def test_bad_parameters_are_refused(make):
    with pytest.raises(ValueError, match="latency"):
        make()
