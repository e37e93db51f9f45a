"""Calibration of the behavioural response against dynamic-pricing evidence: the model's side.

`peak_period_reduction_pct` runs a small district (all households on the option, with or without
HEMS as the "enabling technology") against its flat baseline and measures what the pilots report:
the drop of household load in the peak period (ToU: the dear period on weekdays; CPP: the critical
window on event days). `EVIDENCE` holds the published points the fit is compared with;
`scripts/calibrate_behaviour.py` sweeps ratios and draws model against evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from simulator.runner import Simulation
from simulator.scenario import Scenario, scenario_from_dict

Kind = Literal["tou", "cpp"]


@dataclass(frozen=True)
class EvidencePoint:
    """A published peak reduction for a rate type, with or without enabling technology, at a price ratio."""

    kind: Kind
    technology: bool
    ratio: float
    reduction_pct: float
    source: str


# The reviews give a reduction per rate type; the ratio each applies at is our assumption (typical of the
# pilots: ToU about 2:1, CPP about 5.8:1 as Tempo red HP / blue HC), labelled as such.
_BRATTLE = "Brattle review of 14 pilots (metering.com, 23 May 2008); ratio assumed"
_NEWSHAM = "Newsham & Bowker, Energy Policy 38(7), 2010; ratio assumed"
EVIDENCE = (
    EvidencePoint("tou", False, 2.0, 5.0, f"{_BRATTLE}; {_NEWSHAM}"),
    EvidencePoint("tou", True, 2.0, 25.0, _BRATTLE),
    EvidencePoint("cpp", False, 5.8, 20.0, _BRATTLE),
    EvidencePoint("cpp", True, 5.8, 30.0, f"{_BRATTLE}; {_NEWSHAM} (≥ 30 % with automation)"),
)
FORM = "Faruqui & Sergici 2013 (Arcturus, Electricity Journal 26(7)): reduction linear in ln(peak/off-peak ratio)"


def evidence_slope(kind: Kind, technology: bool) -> float:
    """Slope b of the evidence curve reduction = b × ln(ratio) through its published point [% per ln-unit]."""
    point = next(p for p in EVIDENCE if p.kind == kind and p.technology == technology)
    return point.reduction_pct / np.log(point.ratio)


def calibration_scenario(kind: Kind, ratio: float, technology: bool, days: int = 5, seed: int = 7) -> Scenario:
    """A small weekday district with every household on the option (ToU bi-horário, or CPP on a flat base)."""
    off_peak = 0.10
    option: dict[str, Any]
    if kind == "tou":
        option = {"kind": "tou", "calendar": "pt_bi_horario_daily",
                  "energy_eur_per_kwh": {"vazio": off_peak, "fora_de_vazio": off_peak * ratio}}  # fmt: skip
    else:
        # trials report the reduction on event days: every weekday of the run is one, written out
        weekdays = [d.date() for d in pd.date_range("2016-01-11", periods=days) if d.weekday() < 5]
        option = {"kind": "cpp", "base": {"kind": "flat", "energy_eur_per_kwh": off_peak},
                  "critical_energy_eur_per_kwh": off_peak * ratio, "max_events_per_season": 22,
                  "event_dates": weekdays}  # fmt: skip
    return scenario_from_dict(
        {
            "name": f"calibration-{kind}-{ratio:g}-{'tech' if technology else 'price'}",
            "start": "2016-01-11",
            "horizon_days": days,
            "seed": seed,
            "grid": {
                "kind": "synthetic",
                "substations": 2,
                "households_per_substation": 100,
                "lv_feeders_per_substation": 4,
                "transformer_type": "0.4 MVA 20/0.4 kV",
            },
            "households": {"hems_share": 1.0 if technology else 0.0},
            "ev": {"share": 0.1},
            "tariffs": {"flat": {"kind": "flat", "energy_eur_per_kwh": 0.16}, "option": option},
            "retailers": [{"name": "r", "customer_share": 1.0, "tariff": "option"}],
            "baseline": {"tariff": "flat"},
        }
    )


def peak_period_reduction_pct(kind: Kind, ratio: float, technology: bool, days: int = 5, seed: int = 7) -> float:
    """Drop of household load in the option's peak period against the flat baseline [%]."""
    sim = Simulation(calibration_scenario(kind, ratio, technology, days, seed))
    while not sim.done:
        sim.step()
    run = sim.model.recorder.district["load_kw"]
    base = sim.baseline.recorder.district["load_kw"]
    prices = sim.model.prices[sim.model.tariff_names.index("option"), : len(run)]
    weekday = sim.model.times.weekday < 5
    peak = (prices >= prices.max() - 1e-12) & weekday if kind == "cpp" else (prices > prices.min() + 1e-12) & weekday
    return float(100.0 * (1.0 - run[peak].sum() / base[peak].sum()))


def fit_log_slope(ratios: np.ndarray, reductions: np.ndarray) -> float:
    """Least-squares slope b of reduction = b × ln(ratio) (the Arcturus form, through the origin)."""
    x = np.log(ratios)
    return float(np.dot(x, reductions) / np.dot(x, x))
