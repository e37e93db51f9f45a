"""The disclosure rule (`market.disclosure`) for what the GUI shows about groups of households.

A view may show a figure about a group (a substation, an MV feeder, a primary substation, a tariff or a
retailer's clients) when every member consented to individual data (each could be shown on its own anyway),
or when the group has at least `MIN_GROUP_SIZE` households. A group of 1–4 households that includes one
who declined is withheld: the view says "fewer than 5 homes" instead of a number. A household that
declined is never shown on its own (the inspector lists consenting households only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from market.disclosure import MIN_GROUP_SIZE, disclosable

WITHHELD = f"withheld: fewer than {MIN_GROUP_SIZE} homes"


def withheld_groups(group: np.ndarray, consent: np.ndarray, n_groups: int) -> np.ndarray:
    """For groups 0…n_groups-1 (household i in `group[i]`; -1 in none): True where the group's figures are withheld."""
    group, consent = np.asarray(group, dtype=np.int64), np.asarray(consent, dtype=bool)
    member = group >= 0
    size = np.bincount(group[member], minlength=n_groups)
    declined = np.bincount(group[member], weights=~consent[member], minlength=n_groups) > 0
    return declined & ~np.asarray(disclosable(size), dtype=bool)


def group_means(values: np.ndarray, group: np.ndarray, consent: np.ndarray, n_groups: int) -> np.ndarray:
    """Each group's mean of `values` over its households; NaN where withheld (or empty)."""
    group = np.asarray(group, dtype=np.int64)
    member = group >= 0
    size = np.bincount(group[member], minlength=n_groups)
    total = np.bincount(group[member], weights=np.asarray(values, dtype=float)[member], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / size
    mean[withheld_groups(group, consent, n_groups) | (size == 0)] = np.nan
    return mean


def group_summary(agents: pd.DataFrame, members: np.ndarray, name: str) -> str:
    """One line about a group of households (rows `members` of the agents table), or why it is withheld."""
    members = np.asarray(members, dtype=bool)
    n = int(members.sum())
    consent = agents["consent"].to_numpy(dtype=bool) if "consent" in agents else np.ones(len(agents), dtype=bool)
    group = np.where(members, 0, -1)
    if n == 0:
        return f"{name}: no households"
    if withheld_groups(group, consent, 1)[0]:
        return f"{name}: {n} homes; {WITHHELD} (one or more declined consent)"
    change = group_means((agents["bill_eur"] - agents["baseline_bill_eur"]).to_numpy(), group, consent, 1)[0]
    energy = group_means(agents["energy_kwh"].to_numpy(), group, consent, 1)[0]
    hems = group_means(agents["has_hems"].to_numpy(dtype=float), group, consent, 1)[0]
    return (f"{name}: {n:,} homes; mean bill change {change:+.2f} € against the baseline; "
            f"mean energy {energy:,.1f} kWh; {hems:.0%} with a HEMS")  # fmt: skip


def sorted_curve(values: np.ndarray, consent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values sorted low to high against the share of households [%], as a chart of who wins and who loses.

    When every household consented each point may be one household; otherwise each point is the mean of a
    block of at least `MIN_GROUP_SIZE` neighbours in that order (the last block takes the remainder), plotted
    at the block's middle, so no point is one household's own value. Fewer than `MIN_GROUP_SIZE` households
    with one who declined: nothing to show.
    """
    v = np.sort(np.asarray(values, dtype=float))
    n = len(v)
    if n == 0 or np.asarray(consent, dtype=bool).all():
        return 100 * (np.arange(n) + 0.5) / max(n, 1), v
    if n < MIN_GROUP_SIZE:
        return np.zeros(0), np.zeros(0)
    starts = np.arange(0, n - n % MIN_GROUP_SIZE, MIN_GROUP_SIZE)  # the remainder joins the last block
    ends = np.append(starts[1:], n)
    means = np.add.reduceat(v, starts) / (ends - starts)
    return 100 * (starts + ends) / 2 / n, means
