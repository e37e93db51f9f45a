import numpy as np
import pandas as pd

from market.access import DSO, retailer
from market.hub_spec import FaultSpec, HubSpec, RandomFaultSpec
from market.messages import BillingRequest, FlexibilityRequest, LoadInformation, client_ids
from tests.market.helpers import make_hub


def _run(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    spec = HubSpec(
        faults=(FaultSpec(component="platform:r1", down_at_s=20.0, restart_at_s=25.0, boot_s=2.0),),
        random_faults=(RandomFaultSpec(component="hub", rate_per_h=60.0, mean_down_s=3.0, boot_s=1.0),),
    )
    env, hub = make_hub(np.arange(60) % 3, spec=spec, seed=seed)
    rng = np.random.default_rng(seed)

    def dso():
        for i in range(40):
            ids = client_ids(np.sort(rng.choice(60, 10, replace=False)))
            hub.request(
                DSO, FlexibilityRequest("a", ids, 3.0, 100.0, 200.0) if i % 2 else LoadInformation("a", ids, 0, 1, 1, 1)
            )
            hub.request(retailer("r0"), BillingRequest("r0", hub.access.portfolio("r0"), 0.0, 900.0))
            yield env.timeout(1.5)

    env.process(dso())
    env.run(until=200)
    return hub.message_log(), hub.request_log()


def test_same_seed_gives_an_identical_message_log():
    a, ra = _run(7)
    b, rb = _run(7)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(ra, rb)
    assert len(a) > 500


def test_different_seed_gives_a_different_log():
    a, _ = _run(7)
    b, _ = _run(8)
    assert not a.equals(b)
