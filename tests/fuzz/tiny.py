"""A tiny city scenario (one substation, six homes, one day of hourly steps) that the campaigns mutate."""

from __future__ import annotations

import copy
from typing import Any

TINY: dict[str, Any] = {
    "name": "tiny",
    "start": "2016-01-12",
    "horizon_days": 1,
    "step_minutes": 60,
    "seed": 1,
    "grid": {"kind": "synthetic", "substations": 1, "households_per_substation": 6, "lv_feeders_per_substation": 1},
    "households": {"hems_share": 0.5},
    "ev": {"share": 0.3},
    "tariffs": {"flat": {"kind": "flat", "energy_eur_per_kwh": 0.16}},
    "retailers": [{"name": "A", "customer_share": 1.0, "tariff": "flat"}],
    "baseline": {"tariff": "flat"},
}


def tiny(**top: Any) -> dict[str, Any]:
    """A fresh copy of the tiny scenario with top-level keys replaced."""
    data = copy.deepcopy(TINY)
    data.update(top)
    return data


def set_path(data: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """Set `data[path[0]][path[1]]… = value`, creating tables on the way; returns `data`."""
    node = data
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[path[-1]] = value
    return data
