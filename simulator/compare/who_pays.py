"""Who pays for a tariff option: bills per household per year, their spread, who pays more, and who earns less.

Figures come from a run's full agents table (every household, consenting or not) but leave this module only
as aggregates of at least `equity.MIN_GROUP_HOUSEHOLDS` households. Bills over the simulated days are scaled to
a year by 365 / days (`annual_factor`): a scale-up of the simulated season, not a simulated year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from market.disclosure import quantiles
from simulator.kpi.equity import MIN_GROUP_HOUSEHOLDS, QUANTILES, household_groups
from simulator.results.run_result import RunResult

TRAITS = {  # column → plain name of the trait, for the profile of those who pay more
    "has_ev": "own an electric car",
    "pv_kwp": "have rooftop PV",
    "has_hems": "have a smart home controller (HEMS)",
    "social_tariff": "are on the social tariff (economically vulnerable)",
}


def annual_factor(result: RunResult) -> float:
    """The factor that scales a total over the simulated days to a year (365 / simulated days)."""
    return 365.0 / result.scenario.horizon_days


def bill_change_eur_per_year(result: RunResult) -> pd.Series:
    """Each household's bill change against the baseline, scaled to a year [€/a] (stays in memory only)."""
    agents = result.agents
    return (agents["bill_eur"] - agents["baseline_bill_eur"]) * annual_factor(result)


def spread(values: pd.Series) -> dict[str, float]:
    """Mean and quantiles p5…p95 of a series of at least the minimum group size (NaN for smaller ones)."""
    if len(values) < MIN_GROUP_HOUSEHOLDS:
        return {"mean": float("nan"), **{f"p{q}": float("nan") for q in QUANTILES}}
    q = quantiles(values.to_numpy(), QUANTILES)  # the disclosure rule's quantiles (NaN for thin tails)
    return {"mean": float(values.mean()), **{f"p{k}": float(v) for k, v in zip(QUANTILES, q, strict=True)}}


def bills_per_year(result: RunResult) -> dict[str, float]:
    """Mean bill per household per year today and with the option, the change, and the share paying more."""
    f = annual_factor(result)
    agents = result.agents
    change = bill_change_eur_per_year(result)
    return {
        "households": len(agents),
        "baseline_bill_eur_per_year": float(agents["baseline_bill_eur"].mean() * f),
        "bill_eur_per_year": float(agents["bill_eur"].mean() * f),
        "pay_more_pct": float(100.0 * (change > 0.01 * f).mean()),
        **{f"change_{k}_eur_per_year": v for k, v in spread(change).items()},
    }


def payer_profile(result: RunResult) -> pd.DataFrame:
    """Traits of the households that pay more against all households [% of each]; empty if under the minimum."""
    agents = result.agents
    more = (bill_change_eur_per_year(result) > 0.01 * annual_factor(result)).to_numpy()
    rows = []
    if more.sum() < MIN_GROUP_HOUSEHOLDS:
        return pd.DataFrame(columns=["trait", "pay_more_pct", "all_pct"])
    for column, trait in TRAITS.items():
        if column in agents:
            has = agents[column].to_numpy(dtype=float) > 0
            rows.append({"trait": trait, "pay_more_pct": 100.0 * has[more].mean(), "all_pct": 100.0 * has.mean()})
    band = household_groups(agents)["consumption"]
    for label in sorted(pd.unique(np.asarray(band))):
        has = np.asarray(band) == label
        rows.append({"trait": f"use {label}", "pay_more_pct": 100.0 * has[more].mean(), "all_pct": 100.0 * has.mean()})
    return pd.DataFrame(rows)


def groups_per_year(equity: pd.DataFrame, result: RunResult) -> pd.DataFrame:
    """The option's equity rows (grouping, group, households, mean/median/p95 change, share worse off) per year."""
    f = annual_factor(result)
    out = equity[["grouping", "group", "households"]].copy()
    out["mean_eur_per_year"] = equity["bill_change_mean_eur"] * f
    out["median_eur_per_year"] = equity.get("bill_change_p50_eur", np.nan) * f
    out["p95_eur_per_year"] = equity.get("bill_change_p95_eur", np.nan) * f
    out["pay_more_pct"] = equity["worse_off_pct"]
    return out.reset_index(drop=True)


def revenues(result: RunResult) -> pd.DataFrame:
    """Revenue of each retailer (bills − network charges) and of the DSO (network charges), option vs baseline.

    Per year (scaled like the bills); a retailer with fewer customers than the minimum group is left out.
    """
    agents, f = result.agents, annual_factor(result)
    net = agents.get("bill_network_eur", pd.Series(0.0, index=agents.index))
    base_net = agents.get("baseline_bill_network_eur", pd.Series(0.0, index=agents.index))
    frame = pd.DataFrame({
        "who": agents.get("retailer", "retailers"),
        "option": agents["bill_eur"] - net, "baseline": agents["baseline_bill_eur"] - base_net,
    })  # fmt: skip
    rows = [
        {"who": who, "customers": len(g), "baseline_eur_per_year": g["baseline"].sum() * f,
         "option_eur_per_year": g["option"].sum() * f}
        for who, g in frame.groupby("who", sort=True) if len(g) >= MIN_GROUP_HOUSEHOLDS
    ]  # fmt: skip
    rows.append({"who": "grid operator (DSO)", "customers": len(agents), "baseline_eur_per_year": base_net.sum() * f,
                 "option_eur_per_year": net.sum() * f})  # fmt: skip
    table = pd.DataFrame(rows)
    table["change_eur_per_year"] = table["option_eur_per_year"] - table["baseline_eur_per_year"]
    table["change_pct"] = (
        100.0 * table["change_eur_per_year"] / table["baseline_eur_per_year"].where(table["baseline_eur_per_year"] != 0)
    )
    return table


def event_days(result: RunResult) -> list[str]:
    """The critical-peak event days of the run (ISO dates)."""
    events = result.events
    if events is None or events.empty or "kind" not in events:
        return []
    days = pd.to_datetime(events.loc[events["kind"] == "cpp_event", "time"]).dt.date
    return sorted({d.isoformat() for d in days})
