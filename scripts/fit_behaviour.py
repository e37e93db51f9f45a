"""Fit the behaviour model on the register's `fit` studies and write agents/response/parameters.toml.

Least squares over the fitted parameters (agents.response.parameters.FITTED): each verified,
modelled effect of a `fit` study contributes (simulated − published) / scale, the scale being half
its published interval (at least 1 pp). Assumed parameters keep the values and reasons below; they
are written to the same file so that every number of the model is in one place with its provenance.
Held-out (`validate`) studies are never read here. Run: .venv/bin/python scripts/fit_behaviour.py
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path

import numpy as np
import tomli_w
from scipy.optimize import least_squares

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agents.response.parameters import FITTED, PARAMETERS_FILE, BehaviourParameters
from simulator.evidence.evaluate import simulate_effect
from simulator.evidence.register import REGISTER_DIR, load_register

ASSUMED = {
    "manual_ceiling": (0.6, "assumption: Arcturus (Faruqui & Sergici 2013) finds manual impacts from 0 to just "
                            "over 50 %; the ceiling sits above the largest of them"),
    "default_enrolment_factor": (0.25, "DOMAIN.md: defaulted customers about a quarter as price-elastic as "
                                       "volunteers (Faruqui et al. 'Smart by Default' 2014; LBNL), not re-checked; "
                                       "no fitted or held-out study is defaulted"),
    "hems_conserved_share": (0.0, "assumption: an automated controller sheds peak load by deferring it (delayed "
                                  "starts, pre-heating or pre-cooling), so it moves what it sheds; no register study "
                                  "publishes the overall effect of a technology arm"),
    "peer_group_size": (100, "assumption: a report compares a home with about a hundred similar neighbours"),
    "peer_window_days": (30, "assumption: reports compare the last month's use"),
    "attention_half_life_days": (30, "assumption: Allcott 2011 and Allcott & Rogers 2014 see effects fade 'in the "
                                     "months between' quarterly reports, without a rate"),
    "habit_formation_days": (180, "assumption: Allcott & Rogers 2014 see the effect grow and the backsliding "
                                  "fade over the first two years of reports, without a rate"),
    "responsiveness_shape": (2.0, "assumption: spread of responsiveness between households (gamma, mean 1)"),
    "usage_spread": (0.5, "assumption: log-sd of households' mean daily use"),
    "daily_noise": (0.2, "assumption: log-sd of a household's day-to-day use"),
}  # fmt: skip
START = {"tou_per_log_ratio": 0.07, "cpp_per_log_ratio": 0.12, "ptr_per_log_ratio": 0.06, "hems_peak_share": 0.2,
         "hems_manual_share": 0.5, "feedback_realtime_saving": 0.08, "feedback_period_scale_days": 30.0,
         "peer_median_saving": 0.02, "peer_slope_per_relative_use": 0.05, "target_attainment": 0.3,
         "habit_decay_per_year": 0.15,
         "manual_conserved_share": 0.5}  # fmt: skip
BOUNDS = {"feedback_period_scale_days": (1.0, 1000.0), "peer_median_saving": (-0.1, 0.3)}


def fit_targets() -> list[tuple]:
    """(study, effect, scale) of every verified, modelled effect of a `fit` study."""
    out = []
    for s in load_register():
        if s.role != "fit":
            continue
        for e in s.used_effects:
            half = (e.high - e.low) / 2 if e.low is not None else 0.0
            out.append((s, e, max(half, 1.0)))
    return out


def fit_digest(study_ids: list[str]) -> str:
    """SHA-256 of the fit studies' files, in id order: the parameters are stale when it changes."""
    return hashlib.sha256(b"".join((REGISTER_DIR / f"{i}.toml").read_bytes() for i in study_ids)).hexdigest()


def parameters(x: np.ndarray) -> BehaviourParameters:
    """The model's parameters with the fitted vector x."""
    assumed = {k: v for k, (v, _) in ASSUMED.items()}
    return BehaviourParameters.model_validate({**assumed, **dict(zip(FITTED, x, strict=True))})


def main() -> int:
    """Fit, print the residuals, write the parameters file with its provenance."""
    targets = fit_targets()

    def residuals(x: np.ndarray) -> np.ndarray:
        p = parameters(x)
        return np.array([(simulate_effect(p, s, e) - e.point) / scale for s, e, scale in targets])

    lo = [BOUNDS.get(k, (0.0, 1.0))[0] for k in FITTED]
    hi = [BOUNDS.get(k, (0.0, 1.0))[1] for k in FITTED]
    result = least_squares(residuals, [START[k] for k in FITTED], bounds=(lo, hi), diff_step=1e-3)
    p = parameters(result.x)
    rows = []
    for s, e, _ in targets:
        sim = simulate_effect(p, s, e)
        rows.append({"study": s.id, "effect": e.id, "published": e.point, "simulated": round(sim, 2)})
        print(f"{s.id:32s} {e.id:30s} published {e.point:6.2f}  simulated {sim:6.2f}")
    rms = float(np.sqrt(np.mean([(r["simulated"] - r["published"]) ** 2 for r in rows])))
    fit_ids = sorted({s.id for s, _, _ in targets})
    doc = {
        "provenance": {
            "fitted_by": "scripts/fit_behaviour.py",
            "fitted_on": dt.date.today().isoformat(),
            "fit_studies": fit_ids,
            "fit_studies_sha256": fit_digest(fit_ids),
            "fit_effects": rows,
            "rms_residual_pp": round(rms, 3),
            "optimizer": f"scipy least_squares: {result.message}",
            "note": "Held-out studies (role = 'validate') are not read by the fit.",
        },
        "fitted": {k: round(float(v), 6) for k, v in zip(FITTED, result.x, strict=True)},
        "assumed": {k: v for k, (v, _) in ASSUMED.items()},
        "assumed_sources": {k: why for k, (_, why) in ASSUMED.items()},
    }
    PARAMETERS_FILE.write_text(
        "# Written by scripts/fit_behaviour.py: do not edit by hand; rerun the fit.\n" + tomli_w.dumps(doc),
        encoding="utf-8",
    )
    print(f"rms residual {rms:.2f} pp; wrote {PARAMETERS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
