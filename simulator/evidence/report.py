"""The evidence table (published vs simulated, fit/validate, lands or not) as text, and its figure as SVG."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from agents.response.parameters import ParameterFile
from simulator.evidence.evaluate import REQUIRED_HELD_OUT, Row, held_out_landing
from simulator.evidence.register import Study

FIGURE_MARKER = "<!-- cityflex evidence figure -->"


def format_report(studies: list[Study], rows: list[Row], pf: ParameterFile) -> str:
    """The whole printout: table, held-out verdict, misses with their reasons, unused effects, assumptions."""
    roles = [s.role for s in studies]
    prov = pf.provenance
    lines = [
        f"Evidence register: {len(studies)} studies ({roles.count('fit')} fitted, {roles.count('validate')} held out, "
        f"{roles.count('context')} context only); parameters fitted {prov.get('fitted_on')} by "
        f"{prov.get('fitted_by')} (rms {prov.get('rms_residual_pp')} pp on the fit effects)",
        "",
        f"{'study':30s} {'effect':32s} {'role':8s} {'metric':10s} {'published':>16s} {'simulated':>9s}  result",
    ]
    for r in rows:
        if not r.used:
            continue
        result = ("in" if r.lands else "MISS") if r.study.role == "validate" else ("(fit) in" if r.lands else "(fit)")
        lines.append(
            f"{r.study.id:30s} {r.effect.id:32s} {r.study.role:8s} {_metric(r):10s} {r.published:>16s} "
            f"{r.simulated:9.2f}  {result}"
        )
    landing = held_out_landing(rows)
    landed = sorted(k for k, v in landing.items() if v)
    verdict = "criterion holds" if len(landed) >= REQUIRED_HELD_OUT else "CRITERION NOT MET"
    lines += ["", f"Held-out studies landing in their interval: {len(landed)} of {len(landing)} "
                  f"(at least {REQUIRED_HELD_OUT} required: {verdict}): {', '.join(landed)}"]  # fmt: skip
    missed = [s for s in studies if landing.get(s.id) is False]
    if missed:
        lines.append("Missed by the model, and why:")
        for s in missed:
            effects = "; ".join(
                f"{r.effect.id} {r.effect.point:g} → {r.simulated:.1f}"
                for r in rows
                if r.study is s and r.used and not r.lands
            )
            lines.append(f"  - {s.id}: {effects}. {s.model_gaps or 'No reason recorded.'}")
    unused = [r for r in rows if not r.used and r.study.role != "context"]
    if unused:
        lines.append("Effects not used (unverified, or their lever is not in the model):")
        lines += [f"  - {r.study.id}.{r.effect.id}: {r.effect.note or 'unverified'}" for r in unused]
    context = [s for s in studies if s.role == "context"]
    lines.append("Context only (used for neither fit nor validation):")
    lines += [f"  - {s.id}: {s.role_reason}" for s in context]
    lines.append("Assumed parameters (defaults, not fitted; every result depends on them):")
    lines += [f"  - {w}" for w in pf.assumption_warnings()]
    return "\n".join(lines)


def _metric(r: Row) -> str:
    short = {"consumption_reduction_pct": "use %", "peak_reduction_pct": "peak %", "annual_decay_pct": "decay %/a"}
    text = short[r.effect.metric]
    return f"{text} rel" if r.effect.relative_to is not None else text


def svg(rows: list[Row], width: int = 820, height: int = 620) -> str:
    """Simulated against published for every used effect: intervals as bars, fit hollow, held out filled."""
    used = [r for r in rows if r.used and not math.isnan(r.simulated)]
    top = max(40.0, max(max(r.simulated, r.effect.high or r.effect.point) for r in used) * 1.05)
    pad_l, pad_b, pad_t, pad_r = 60, 60, 70, 20

    def px(v: float) -> float:
        return pad_l + v / top * (width - pad_l - pad_r)

    def py(v: float) -> float:
        return height - pad_b - v / top * (height - pad_b - pad_t)

    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' font-family='sans-serif' "
        f"font-size='11'>",
        FIGURE_MARKER,
        f"<rect width='{width}' height='{height}' fill='white'/>",
        f"<text x='{pad_l}' y='22' font-size='15'>Behaviour model vs the evidence register: published and simulated "
        f"effects</text>",
        f"<text x='{pad_l}' y='40' fill='#555'>hollow: fitted on; filled: held out (green lands in the published "
        f"interval or within 1.5 pp, red misses); bars: published interval</text>",
    ]
    for tick in range(0, int(top) + 1, 5):
        out.append(f"<line x1='{px(tick):.1f}' x2='{px(tick):.1f}' y1='{py(0):.1f}' y2='{py(top):.1f}' stroke='#eee'/>")
        out.append(f"<line x1='{px(0):.1f}' x2='{px(top):.1f}' y1='{py(tick):.1f}' y2='{py(tick):.1f}' stroke='#eee'/>")
        out.append(f"<text x='{px(tick) - 6:.1f}' y='{height - pad_b + 16}'>{tick}</text>")
        out.append(f"<text x='{pad_l - 28}' y='{py(tick) + 4:.1f}'>{tick}</text>")
    out.append(f"<line x1='{px(0):.1f}' y1='{py(0):.1f}' x2='{px(top):.1f}' y2='{py(top):.1f}' stroke='#999' "
               f"stroke-dasharray='5,4'/>")  # fmt: skip
    out.append(f"<text x='{width / 2 - 90:.0f}' y='{height - 18}'>published effect [% or %/a]</text>")
    out.append(f"<text x='16' y='{height / 2 + 60:.0f}' transform='rotate(-90 16 {height / 2 + 60:.0f})'>"
               f"simulated effect [% or %/a]</text>")  # fmt: skip
    for r in used:
        e = r.effect
        low, high = (e.low, e.high) if e.low is not None else (e.point - 1.5, e.point + 1.5)
        y = py(r.simulated)
        colour = "#1b6ca8" if r.study.role == "fit" else ("#2a9d4b" if r.lands else "#d1495b")
        fill = "none" if r.study.role == "fit" else colour
        out.append(f"<line x1='{px(max(low, 0)):.1f}' x2='{px(high):.1f}' y1='{y:.1f}' y2='{y:.1f}' "
                   f"stroke='{colour}' stroke-width='2' opacity='0.5'/>")  # fmt: skip
        out.append(f"<circle cx='{px(e.point):.1f}' cy='{y:.1f}' r='5' fill='{fill}' stroke='{colour}' "
                   f"stroke-width='2'><title>{escape(r.study.id)}.{escape(e.id)}: published {e.point:g}, "
                   f"simulated {r.simulated:.2f}</title></circle>")  # fmt: skip
        if r.study.role == "validate":
            label = escape(f"{r.study.id.split('_')[0]} {e.id}")
            right = px(e.point) > 0.7 * width
            x, anchor = (px(e.point) - 7, "end") if right else (px(e.point) + 7, "start")
            out.append(f"<text x='{x:.1f}' y='{y - 6:.1f}' text-anchor='{anchor}' fill='{colour}' font-size='10'>"
                       f"{label}</text>")  # fmt: skip
    out.append("</svg>")
    return "\n".join(out)
