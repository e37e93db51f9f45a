from __future__ import annotations

import numpy as np
import simpy

from market.hub import MarketHub
from market.hub_spec import HubSpec


class FakeMeterData:
    """Client i consumes (i + 1) × 0.1 kW, always."""

    def energy_kwh(self, ids, start_s, end_s):
        return (np.asarray(ids) + 1) * 0.1 * (end_s - start_s) / 3600.0

    def profile_p_kw(self, ids, start_s, end_s, interval_s):
        n = max(int((end_s - start_s) // interval_s), 1)
        return np.repeat(((np.asarray(ids) + 1) * 0.1)[:, None], n, axis=1)


def make_hub(
    retailer_of,
    n_retailers: int | None = None,
    consent=None,
    spec: HubSpec | None = None,
    seed: int = 0,
    record_disclosures: bool = False,
    flexibility_kw: float = 1.0,
) -> tuple[simpy.Environment, MarketHub]:
    retailer_of = np.asarray(retailer_of, dtype=np.int64)
    n_retailers = n_retailers or (int(retailer_of.max()) + 1 if retailer_of.size else 1)
    env = simpy.Environment()
    ids = [f"r{i}" for i in range(n_retailers)]
    consent = np.ones(retailer_of.size, dtype=bool) if consent is None else np.asarray(consent, dtype=bool)
    hub = MarketHub(
        env,
        spec or HubSpec(),
        np.random.default_rng(seed),
        ids,
        retailer_of,
        consent=consent,
        meter_data=FakeMeterData(),
        record_disclosures=record_disclosures,
    )
    for r in ids:
        hub.platform(r).declare(hub.access.portfolio(r), flexibility_kw, 0.0, 1e6, 1)
    return env, hub
