"""Ranks that admit ties: substations whose figures differ by less than the method can tell share a rank.

Hosting capacity comes from a bisection that stops once its bracket is within `REL_TOL` of the value
(`simulator.planning.seps`), so two capacities within that tolerance of each other cannot be ordered.
"""

from __future__ import annotations

import numpy as np


def tied_ranks(values: np.ndarray, rel_tol: float, abs_tol: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """Rank 1 = largest; a value within tolerance of the first value of its rank shares that rank.

    Ties are measured from the rank's first (largest) value, not chained from neighbour to neighbour, so a
    rank never spans more than the tolerance.

    Returns (rank, tied): each value's rank and how many values share it. NaN values rank last, tied together.
    """
    v = np.asarray(values, dtype=float)
    order = np.argsort(-np.nan_to_num(v, nan=-np.inf), kind="stable")
    rank = np.empty(len(v), dtype=int)
    current, leader = 0, None
    for position, i in enumerate(order):
        x = v[i]
        same = leader is not None and (
            (np.isnan(x) and np.isnan(leader)) or abs(x - leader) <= max(abs_tol, rel_tol * max(abs(x), abs(leader)))
        )
        if not same:
            current, leader = position + 1, x
        rank[i] = current
    tied = np.bincount(rank, minlength=len(v) + 1)[rank]
    return rank, tied
