"""Equity: who pays. Bill change against the baseline by household group, from a run's agents table.

The one disclosure rule (`market.disclosure`): a group smaller than `MIN_GROUP_SIZE` keeps its row and its
size, but its figures are left empty (NaN, `withheld` true): a statistic of one or two homes would be a
household's own bill change, and households that declined consent appear only in aggregates of at least that
size (DESIGN.md; seed 003 on consent). A group's largest loss and gain are the mean of its `MIN_GROUP_SIZE`
most extreme bill changes, not one household's own figure; a quantile is shown only with at least that many
households on either side of it (`market.disclosure.quantiles`).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from market.disclosure import MIN_GROUP_SIZE, extreme_mean, quantiles

#: Annual consumption bands [kWh/a] (assumption: round bands around the 2,700 kWh/a median household)
CONSUMPTION_BANDS_KWH = (0, 1500, 3000, 5000, np.inf)
#: Smallest group whose figures are shown: the disclosure rule's minimum group size
MIN_GROUP_HOUSEHOLDS = MIN_GROUP_SIZE
QUANTILES = (5, 25, 50, 75, 95)


def household_groups(agents: pd.DataFrame) -> dict[str, pd.Series]:
    """Each grouping of households: consumption band, PV owner or not, EV owner or not, HEMS or not."""
    edges = CONSUMPTION_BANDS_KWH
    labels = [
        f"{lo:,.0f}–{hi:,.0f} kWh/a" if np.isfinite(hi) else f"≥ {lo:,.0f} kWh/a"
        for lo, hi in itertools.pairwise(edges)
    ]
    groups = {
        "consumption": pd.cut(agents["annual_kwh"], edges, labels=labels, right=False).astype(str),
        "pv": np.where(agents["pv_kwp"] > 0, "PV", "no PV"),
        "ev": np.where(agents["has_ev"], "EV", "no EV"),
        "hems": np.where(agents["has_hems"], "HEMS", "no HEMS"),
    }
    if "social_tariff" in agents:  # results written before the grouping existed lack the column
        groups["vulnerability"] = np.where(agents["social_tariff"], "social tariff", "no social tariff")
    return groups


def equity_table(agents: pd.DataFrame) -> pd.DataFrame:
    """One row per group: households, mean bill change (€ and %), its quantiles, share worse off, extremes.

    Figures of groups under `MIN_GROUP_HOUSEHOLDS` households are NaN (see the module docstring).
    """
    change = agents["bill_eur"] - agents["baseline_bill_eur"]
    pct = 100.0 * change / agents["baseline_bill_eur"].where(agents["baseline_bill_eur"] > 0)
    rows = []
    for grouping, labels in {
        "all": pd.Series("all households", index=agents.index),
        **household_groups(agents),
    }.items():
        for label in sorted(pd.unique(np.asarray(labels))):
            mask = np.asarray(labels) == label
            shown = mask.sum() >= MIN_GROUP_HOUSEHOLDS
            row = {"grouping": grouping, "group": label, "households": int(mask.sum()), "withheld": not shown}
            row.update(_figures(change[mask], pct[mask]) if shown else _EMPTY)
            rows.append(row)
    return pd.DataFrame(rows)


def _figures(c: pd.Series, pct: pd.Series) -> dict[str, float]:
    q = quantiles(c.to_numpy(), QUANTILES)
    return {
        "bill_change_mean_eur": float(c.mean()),
        "bill_change_mean_pct": float(pct.mean()),
        "worse_off_pct": float(100.0 * (c > 0.01).mean()),
        "largest_loss_eur": extreme_mean(c.to_numpy(), largest=True),
        "largest_gain_eur": -extreme_mean(c.to_numpy(), largest=False),
        **{f"bill_change_p{k}_eur": float(v) for k, v in zip(QUANTILES, q, strict=True)},
    }


_EMPTY = dict.fromkeys(_figures(pd.Series([0.0]), pd.Series([0.0])), float("nan"))
