"""The one disclosure rule: a figure about households leaves cityflex only if it covers at least `MIN_GROUP_SIZE`.

It applies to everything that leaves a run or the hub: aggregates the hub releases (counted as distinct
consenting clients, `market.access`), result tables and exports (`simulator.results.exported`), reports and
compare reports, and the GUI's views. A household that declined consent appears nowhere else; a group, a
substation's series or a statistic covering fewer than `MIN_GROUP_SIZE` households is withheld (NaN), and so
is any statistic that is one household's own value (a group's largest loss or gain): those are replaced by
the mean of the `MIN_GROUP_SIZE` extreme values, an aggregate like any other.

`MIN_GROUP_SIZE` is 5: the UPGRID hub's smallest aggregate released to a third party (seed 004's evaluation
uses aggregates over a retailer's portfolio; the figure 5 is the hub's documented default, an assumption
there) and the usual cell threshold of statistical disclosure control. The data catalogue
(`simulator.data_catalogue`) states it to the user.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

MIN_GROUP_SIZE = 5
"""Fewest households any released figure may cover (see the module docstring)."""


def disclosable(n_households: int | np.ndarray) -> bool | np.ndarray:
    """True where a figure covering `n_households` households may be released (0 households: no personal data)."""
    n = np.asarray(n_households)
    out = (n == 0) | (n >= MIN_GROUP_SIZE)
    return bool(out) if out.ndim == 0 else out


def extreme_mean(values: np.ndarray, largest: bool = True) -> float:
    """Mean of the `MIN_GROUP_SIZE` largest (or smallest) values: an extreme that is no one household's value.

    NaN when there are fewer than `MIN_GROUP_SIZE` values.
    """
    v = np.sort(np.asarray(values, dtype=float))
    if v.size < MIN_GROUP_SIZE:
        return float("nan")
    return float((v[-MIN_GROUP_SIZE:] if largest else v[:MIN_GROUP_SIZE]).mean())


def withhold(frame: pd.DataFrame, n_households: np.ndarray | pd.Series, columns: Sequence[str]) -> pd.DataFrame:
    """A copy of `frame` with `columns` set to NaN on rows whose figures cover too few households.

    `n_households[i]` is how many households row i's figures cover. The table keeps its columns (a written
    table reads back like the one in memory); a withheld figure is NaN.
    """
    out = frame.copy()
    hide = ~np.asarray(disclosable(np.asarray(n_households)), dtype=bool).reshape(-1)
    present = [c for c in columns if c in out]
    if hide.any() and present:
        out[present] = out[present].astype(float)
        out.loc[hide, present] = np.nan
    return out


def withhold_by_key(
    frame: pd.DataFrame, key: str, households_per_key: Mapping[Any, int], columns: Sequence[str]
) -> pd.DataFrame:
    """`withhold` for a table keyed by e.g. substation: counts looked up per row's `key` (missing: 0 households)."""
    if frame.empty or key not in frame:
        return frame
    counts = frame[key].astype(object).map(lambda k: households_per_key.get(k, 0)).to_numpy(dtype=np.int64)
    return withhold(frame, counts, columns)


def quantiles(values: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Percentiles `qs` of `values`, each NaN unless at least `MIN_GROUP_SIZE` values lie on either side of it.

    A tail quantile of a small group is next to one household's own value (the p95 of 10 homes is the largest
    but one), so p5/p95 need 100 values, p25/p75 20 and the median 10.
    """
    v = np.asarray(values, dtype=float)
    out = np.full(len(qs), np.nan)
    shown = np.array([v.size * min(q, 100 - q) / 100 >= MIN_GROUP_SIZE for q in qs], dtype=bool)
    if shown.any():
        out[shown] = np.percentile(v, np.asarray(qs, dtype=float)[shown])
    return out
