"""Regenerate the behaviour calibration: model peak reduction vs peak/off-peak price ratio against the evidence.

Sweeps ToU and CPP ratios with and without enabling technology (HEMS) on a small district, fits the
Arcturus form (reduction = b × ln ratio; Faruqui & Sergici 2013), and writes
`docs/calibration.svg` and `docs/calibration.csv`. Evidence: Brattle review of 14 pilots (2008),
Newsham & Bowker (2010); see simulator/kpi/calibration.py. Run: .venv/bin/python scripts/calibrate_behaviour.py
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.kpi.calibration import EVIDENCE, FORM, evidence_slope, fit_log_slope, peak_period_reduction_pct

RATIOS = {"tou": (1.5, 2.0, 3.0, 4.0), "cpp": (2.0, 3.0, 5.8, 8.0)}
COLOURS = {("tou", False): "#1b6ca8", ("tou", True): "#6a9fd4", ("cpp", False): "#d1495b", ("cpp", True): "#ee8a96"}


def sweep() -> pd.DataFrame:
    """Model reduction at every ratio of both kinds, with and without technology."""
    rows = [
        {"kind": k, "technology": t, "ratio": r, "model_pct": peak_period_reduction_pct(k, r, t)}
        for k, ratios in RATIOS.items()
        for t in (False, True)
        for r in ratios
    ]
    return pd.DataFrame(rows)


def svg(frame: pd.DataFrame, width: int = 760, height: int = 440) -> str:
    """Model points and fits (solid) against evidence curves and points (dashed, hollow)."""
    pad, xmax, ymax = 50, np.log(8.5), 60.0

    def xy(r: float, y: float) -> tuple[float, float]:
        return pad + np.log(r) / xmax * (width - 2 * pad), height - pad - y / ymax * (height - 2 * pad)

    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' font-family='sans-serif'>"]
    for r in (1, 2, 4, 8):
        x, _ = xy(r, 0)
        out.append(f"<text x='{x - 4:.0f}' y='{height - pad + 16}' font-size='11'>{r}</text>")
    for y in range(0, 61, 10):
        _, yy = xy(1, y)
        out.append(f"<line x1='{pad}' x2='{width - pad}' y1='{yy:.0f}' y2='{yy:.0f}' stroke='#eee'/>")
        out.append(f"<text x='8' y='{yy + 4:.0f}' font-size='11'>{y} %</text>")
    grid = np.linspace(1, 8.5, 40)
    for i, ((kind, tech), colour) in enumerate(COLOURS.items()):
        sub = frame[(frame.kind == kind) & (frame.technology == tech)]
        b_model, b_evid = fit_log_slope(sub.ratio.to_numpy(), sub.model_pct.to_numpy()), evidence_slope(kind, tech)
        for b, dash in ((b_model, ""), (b_evid, "stroke-dasharray='5,4'")):
            pts = " ".join("{:.1f},{:.1f}".format(*xy(r, b * np.log(r))) for r in grid)
            out.append(f"<polyline fill='none' stroke='{colour}' stroke-width='1.6' {dash} points='{pts}'/>")
        for r, y in zip(sub.ratio, sub.model_pct, strict=True):
            out.append("<circle cx='{:.1f}' cy='{:.1f}' r='3.5' fill='{}'/>".format(*xy(r, y), colour))
        for p in (p for p in EVIDENCE if p.kind == kind and p.technology == tech):
            out.append("<circle cx='{:.1f}' cy='{:.1f}' r='6' fill='none' stroke='{}' stroke-width='2'/>".format(
                *xy(p.ratio, p.reduction_pct), colour))  # fmt: skip
        label = f"{kind.upper()} {'with' if tech else 'without'} HEMS: model {b_model:.1f}, evidence {b_evid:.1f} %/ln"
        out.append(f"<text x='{pad + 10}' y='{20 + 16 * i}' font-size='12' fill='{colour}'>{escape(label)}</text>")
    out.append(
        f"<text x='{width / 2 - 120:.0f}' y='{height - 12}' font-size='12'>peak/off-peak price ratio (log)</text>"
    )
    out.append(f"<text x='{pad}' y='{height - 28}' font-size='9' fill='#555'>solid: model; dashed, hollow: evidence. "
               f"{escape(FORM)}. Points: Brattle 2008, Newsham &amp; Bowker 2010.</text></svg>")  # fmt: skip
    return "".join(out)


def main() -> int:
    """Sweep, print the fitted slopes, write the CSV and the SVG plot."""
    frame = sweep()
    out = Path(__file__).resolve().parent.parent / "docs"
    out.mkdir(exist_ok=True)
    frame.to_csv(out / "calibration.csv", index=False)
    (out / "calibration.svg").write_text(svg(frame), encoding="utf-8")
    for (kind, tech), sub in frame.groupby(["kind", "technology"]):
        b = fit_log_slope(sub.ratio.to_numpy(), sub.model_pct.to_numpy())
        print(f"{kind} tech={tech}: model {b:.2f} %/ln-ratio, evidence {evidence_slope(kind, tech):.2f}")
    print(frame.to_string(index=False))
    print(f"wrote {out / 'calibration.svg'} and {out / 'calibration.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
