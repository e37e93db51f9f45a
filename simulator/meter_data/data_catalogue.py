"""The personal-data catalogue of a scenario: each personal datum a run uses, why, who sees it, how long it is kept.

City-zen's recommendation (seed 003): the data users are asked to share are listed with the reason
each one is used and how long it is kept, and consent is asked for. Who can see a datum through the
hub follows the access rules of `market.access` (seed 004): the DSO reads every client's metering
data; a retailer sees individual data only of consenting clients in its portfolio; third parties see
aggregates only. Exports of per-household results honour consent: `consent_share` of households
(drawn from the run's seed) appear in `agents.parquet`; the others only in aggregates.

The disclosure rule (`market.disclosure`, stated by `disclosure_rule()`): no figure leaves cityflex that
covers fewer than `MIN_GROUP_SIZE` households, whether from the hub, a result table, a report or an export.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from market.access import household_consent
from market.disclosure import MIN_GROUP_SIZE
from simulator.scenario import Scenario

_HUB = "DSO: every household; own retailer: consenting clients only; others: aggregates only (market.access)"
_HEMS_ONLY = "stays in the home (HEMS); the hub relays only requests and answers, never this datum"
_AGENTS = "agents.parquet, consenting households only, totals over the run; until the results folder is deleted"


@dataclass(frozen=True)
class Datum:
    """One personal datum: what, at what granularity, why it is used, who sees it, how long it is kept."""

    datum: str
    granularity: str
    why: str
    visible_to: str
    retention: str


def catalogue(scenario: Scenario) -> list[Datum]:
    """The personal data this scenario's run uses (a datum is listed only when the scenario uses it)."""
    hh, items = scenario.households, []
    step = f"every {scenario.step_minutes} min"
    items.append(
        Datum(
            "household consumption",
            f"{step}, per household",
            "baseline load, bills, grid power flow, peak and DR KPIs",
            _HUB,
            _AGENTS + " (energy_kwh)",
        )
    )
    if hh.meter_data is not None:
        items.append(
            Datum(
                "smart-meter readings",
                f"per meter id, the file's interval (1–60 min) → {step}",
                f"replayed as measured consumption ({hh.meter_data.file.name}); gaps filled by policy "
                f"'{hh.meter_data.policy}'",
                _HUB,
                "not copied into the results; gap counts per consenting household in agents.parquet",
            )
        )
    items.append(
        Datum(
            "grid connection (substation)",
            "per household",
            "power flow and per-substation KPIs",
            "DSO only",
            _AGENTS + " (substation)",
        )
    )
    items.append(
        Datum(
            "tariff, retailer and bill",
            "per household, over the run",
            "bills, equity KPIs",
            "DSO and own retailer",
            _AGENTS + " (tariff, bill_eur)",
        )
    )
    if hh.hems_share > 0 or hh.appliances:
        items.append(
            Datum(
                "appliance ownership and use times",
                "per household, per cycle",
                "HEMS planning and load shifting",
                _HEMS_ONLY,
                _AGENTS + " (owns_*, appliance_kwh)",
            )
        )
    if scenario.ev.share > 0:
        items.append(
            Datum(
                "EV presence (plug-in and departure times)",
                "per session",
                "smart charging between arrival and departure",
                _HEMS_ONLY,
                _AGENTS + " (has_ev, ev_kwh); session times are not written",
            )
        )
    if hh.pv.share > 0:
        items.append(
            Datum(
                "rooftop PV size and output",
                f"per household, {step}",
                "net load and self-consumption",
                _HUB,
                _AGENTS + " (pv_kwp, pv_kwh)",
            )
        )
    items.append(
        Datum(
            "economic vulnerability (social tariff)",
            "per household, fixed",
            "who pays: bill changes of vulnerable households, shown only for groups of at least the minimum size",
            "not shared through the hub (a model attribute, drawn per household)",
            _AGENTS + " (social_tariff)",
        )
    )
    items.append(
        Datum(
            "engagement and response to prices",
            "per household, daily",
            "behavioural response, opt-outs, tokens (engagement model)",
            "not shared through the hub (a model state, not a measurement)",
            _AGENTS + " (engagement columns)",
        )
    )
    return items


def catalogue_table(scenario: Scenario) -> pd.DataFrame:
    """The catalogue as a table, one row per datum."""
    return pd.DataFrame([asdict(d) for d in catalogue(scenario)])


def disclosure_rule() -> str:
    """The one disclosure rule, in the words the catalogue shows the user."""
    n = MIN_GROUP_SIZE
    return (
        f"Disclosure rule: no figure leaves cityflex that covers fewer than {n} households. The hub releases "
        f"aggregates over at least {n} distinct consenting clients; equity groups, substation series and plan rows "
        f"covering 1–{n - 1} homes are withheld (blank); a group's largest loss or gain is the mean of its {n} most "
        "extreme bill changes. Households that declined consent appear only inside such aggregates; their retailer "
        "receives nothing about them through the hub."
    )


SOCIAL_TARIFF_STREAM = 0x50_C1A1  # spawn key of the social-tariff draw under the scenario's seed (not a model stream)


def social_tariff_flags(scenario: Scenario, n_households: int) -> np.ndarray:
    """Which households are economically vulnerable (social tariff): `households.social_tariff_share`, seeded.

    Its own seed stream, so adding the grouping changes no other draw of the run.
    """
    seq = np.random.SeedSequence(scenario.seed, spawn_key=(SOCIAL_TARIFF_STREAM,))
    return np.random.default_rng(seq).random(n_households) < scenario.households.social_tariff_share


def consent_flags(scenario: Scenario, n_households: int) -> np.ndarray:
    """Which households consent to per-household export: `households.consent_share` of them, seeded."""
    return household_consent(scenario.seed, n_households, scenario.households.consent_share)


def format_catalogue(scenario: Scenario) -> str:
    """Plain text for the terminal: one block per datum."""
    lines = [f"Personal data used by {scenario.name} (consent share {scenario.households.consent_share:.0%}):", ""]
    for d in catalogue(scenario):
        lines += [f"- {d.datum} ({d.granularity})", f"    why:        {d.why}", f"    visible to: {d.visible_to}",
                  f"    kept:       {d.retention}", ""]  # fmt: skip
    lines.append("Non-consenting households appear only in aggregates (district, substations, KPIs).")
    lines.append(disclosure_rule())
    return "\n".join(lines)
