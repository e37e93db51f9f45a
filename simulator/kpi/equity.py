"""Equity: who pays. Bill change against the baseline by household group, from a run's agents table."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

#: Annual consumption bands [kWh/a] (assumption: round bands around the 2,700 kWh/a median household)
CONSUMPTION_BANDS_KWH = (0, 1500, 3000, 5000, np.inf)


def household_groups(agents: pd.DataFrame) -> dict[str, pd.Series]:
    """Each grouping of households: consumption band, PV owner or not, EV owner or not, HEMS or not."""
    edges = CONSUMPTION_BANDS_KWH
    labels = [
        f"{lo:,.0f}–{hi:,.0f} kWh/a" if np.isfinite(hi) else f"≥ {lo:,.0f} kWh/a"
        for lo, hi in itertools.pairwise(edges)
    ]
    return {
        "consumption": pd.cut(agents["annual_kwh"], edges, labels=labels, right=False).astype(str),
        "pv": np.where(agents["pv_kwp"] > 0, "PV", "no PV"),
        "ev": np.where(agents["has_ev"], "EV", "no EV"),
        "hems": np.where(agents["has_hems"], "HEMS", "no HEMS"),
    }


def equity_table(agents: pd.DataFrame) -> pd.DataFrame:
    """One row per group: households, mean bill change (€ and %), share worse off, largest loss and largest gain."""
    change = agents["bill_eur"] - agents["baseline_bill_eur"]
    pct = 100.0 * change / agents["baseline_bill_eur"].where(agents["baseline_bill_eur"] > 0)
    rows = []
    for grouping, labels in {
        "all": pd.Series("all households", index=agents.index),
        **household_groups(agents),
    }.items():
        for label in sorted(pd.unique(np.asarray(labels))):
            mask = np.asarray(labels) == label
            c = change[mask]
            rows.append(
                {
                    "grouping": grouping,
                    "group": label,
                    "households": int(mask.sum()),
                    "bill_change_mean_eur": float(c.mean()),
                    "bill_change_mean_pct": float(pct[mask].mean()),
                    "worse_off_pct": float(100.0 * (c > 0.01).mean()),
                    "largest_loss_eur": float(c.max()),
                    "largest_gain_eur": float(-c.min()),
                }
            )
    return pd.DataFrame(rows)
