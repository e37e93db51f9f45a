"""What the market hub did in a city run: the input of the hub KPIs and of the `messages` and `requests` tables.

`requests` columns: the hub's request log (`market.log`: request_id, kind, origin, state, reason, created_s,
ended_s, latency_s, attempts, retries, n_clients, `<component>_s`) plus, for requests the DSO sent about an
area, `substation` (index), `area` (name), `detected_s` (when the DSO decided on the constraint behind it),
`p_kw` (flexibility asked for) and `effective_s` (when the reduction was in effect at the last client reached:
the last activated HEMS acting, or the last meter applying a reduced limit); NaN elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

REQUEST_COLUMNS = ("substation", "area", "detected_s", "p_kw", "effective_s")


@dataclass(frozen=True)
class HubRecord:
    """The hub's logs and the counters of what its messages did to the households."""

    requests: pd.DataFrame
    messages: pd.DataFrame
    counts: dict[str, int]
    denied_accesses: int
    customers_disconnected: int
    disconnected_household_h: float
    not_served_kwh: float
    shifted_kwh: float
    curtailed_kwh: float
    deferred_kwh: float
    buildings_shifted_kwh: float = 0.0  # HVAC energy building energy managers shed on activation

    @classmethod
    def build(cls, hub: Any, limits: Any, hems: Any, bems: Any, requests: pd.DataFrame) -> HubRecord:
        """Collect from a finished run's hub, meters' limits, HEMS and BEM gateways."""
        for col in REQUEST_COLUMNS:
            if col not in requests:
                requests[col] = pd.Series(dtype=object if col == "area" else float)
        return cls(
            requests=requests,
            messages=hub.message_log(),
            counts=hub.counts(),
            denied_accesses=hub.access.n_denied,
            customers_disconnected=int(limits.ever_disconnected.sum()),
            disconnected_household_h=float(limits.disconnected_h.sum()),
            not_served_kwh=float(limits.not_served_kwh.sum()),
            shifted_kwh=float(hems.shifted_kwh.sum()),
            curtailed_kwh=float(hems.curtailed_kwh.sum()),
            deferred_kwh=float(limits.deferred_kwh.sum()),
            buildings_shifted_kwh=float(bems.shifted_kwh.sum() + bems.curtailed_kwh.sum()),
        )
