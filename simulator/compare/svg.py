"""Inline SVG charts for the HTML reports: lines over time, step prices over a day, ranges and bars.

Every chart scales to its container (viewBox, width 100 %), labels both axes with units, and gets its
legend as HTML next to it (so the baseline's entry is as visible as the others and prints in colour or not).
No JavaScript, no external assets: the page works offline and prints as it shows.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np

COLOURS = ("#1b6ca8", "#d1495b", "#2e933c", "#b07d00", "#6a4c93", "#00798c")
BASELINE_COLOUR = "#444444"
PERIOD_FILLS = ("#e8f1fa", "#fdf1e0", "#fbe3e6", "#f3e8fb", "#e6f5ea")
W, PAD_L, PAD_R, PAD_T, PAD_B = 1000, 70, 24, 12, 46


@dataclass(frozen=True)
class Line:
    """One curve: its legend label, values, colour, and whether it is drawn dashed (the baseline)."""

    label: str
    y: np.ndarray
    colour: str
    dashed: bool = False


def nice_ticks(low: float, high: float, n: int = 5) -> list[float]:
    """About `n` round tick values covering [low, high]."""
    if not math.isfinite(low) or not math.isfinite(high) or high <= low:
        return [low] if math.isfinite(low) else [0.0]
    raw = (high - low) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(low / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(int((high - first) / step + 1e-9) + 1)]


def legend_html(items: list[tuple[str, str, bool]]) -> str:
    """An HTML legend: (label, colour, dashed) per entry; dashed entries show a dashed swatch."""
    spans = "".join(
        f"<span class=key><span class=swatch style='border-top:3px {'dashed' if dashed else 'solid'} {colour}'>"
        f"</span>{html.escape(label)}</span>"
        for label, colour, dashed in items
    )
    return f"<div class=legend>{spans}</div>"


def _fmt_tick(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 10 or v == 0 else f"{v:,.2f}".rstrip("0").rstrip(".")


def line_chart(
    lines: list[Line], x: np.ndarray, x_ticks: list[tuple[float, str]], x_label: str, y_label: str,
    height: int = 300, bands: list[tuple[float, float, str, str]] = (), y_min: float | None = 0.0, width: int = W,
) -> str:  # fmt: skip
    """Curves over a shared x (hours), with x ticks (value, label), y gridlines, and optional shaded bands."""
    ys = np.concatenate([np.asarray(line.y, dtype=float) for line in lines]) if lines else np.zeros(1)
    finite = ys[np.isfinite(ys)]
    lo = float(finite.min()) if y_min is None and finite.size else (y_min or 0.0)
    hi = float(finite.max()) if finite.size else 1.0
    ticks = nice_ticks(lo, hi * 1.05 if hi > 0 else hi + 1)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    x0, x1 = float(x[0]), float(x[-1]) if len(x) > 1 else float(x[0]) + 1
    px = lambda v: PAD_L + (v - x0) / ((x1 - x0) or 1) * (width - PAD_L - PAD_R)  # noqa: E731
    py = lambda v: PAD_T + (hi - v) / ((hi - lo) or 1) * (height - PAD_T - PAD_B)  # noqa: E731
    out = [f"<svg class=chart viewBox='0 0 {width} {height}' role='img' aria-label='{html.escape(y_label)}'>"]
    for a, b, fill, label in bands:
        out.append(f"<rect x='{px(a):.1f}' y='{PAD_T}' width='{px(b) - px(a):.1f}' height='{height - PAD_T - PAD_B}' "
                   f"fill='{fill}'><title>{html.escape(label)}</title></rect>")  # fmt: skip
    for t in ticks:
        out.append(
            f"<line x1='{PAD_L}' x2='{width - PAD_R}' y1='{py(t):.1f}' y2='{py(t):.1f}' stroke='#ddd'/>"
            f"<text x='{PAD_L - 6}' y='{py(t) + 4:.1f}' text-anchor='end' font-size='12'>{_fmt_tick(t)}</text>"
        )
    for v, label in x_ticks:
        out.append(f"<line x1='{px(v):.1f}' x2='{px(v):.1f}' y1='{PAD_T}' y2='{height - PAD_B + 4}' stroke='#eee'/>"
                   f"<text x='{px(v):.1f}' y='{height - PAD_B + 18}' text-anchor='middle' font-size='12'>"
                   f"{html.escape(label)}</text>")  # fmt: skip
    for line in lines:
        y = np.asarray(line.y, dtype=float)
        pts = " ".join(f"{px(a):.1f},{py(b):.1f}" for a, b in zip(x[: len(y)], y, strict=True) if np.isfinite(b))
        dash = " stroke-dasharray='7 4'" if line.dashed else ""
        stroke = 2.2 if line.dashed else 1.6
        out.append(f"<polyline fill='none' stroke='{line.colour}' stroke-width='{stroke}'{dash} points='{pts}'>"
                   f"<title>{html.escape(line.label)}</title></polyline>")  # fmt: skip
    out.append(f"<line x1='{PAD_L}' x2='{width - PAD_R}' y1='{height - PAD_B}' y2='{height - PAD_B}' stroke='#888'/>")
    out.append(f"<text x='{(PAD_L + width - PAD_R) / 2:.0f}' y='{height - 6}' text-anchor='middle' font-size='13'>"
               f"{html.escape(x_label)}</text>")  # fmt: skip
    out.append(f"<text transform='translate(14 {(PAD_T + height - PAD_B) / 2:.0f}) rotate(-90)' text-anchor='middle' "
               f"font-size='13'>{html.escape(y_label)}</text></svg>")  # fmt: skip
    return "".join(out)


def step_points(hours: np.ndarray, values: np.ndarray, step_h: float) -> tuple[np.ndarray, np.ndarray]:
    """x, y of a staircase: each value held from its hour to the next step (for prices that change in steps)."""
    x = np.repeat(np.append(hours, hours[-1] + step_h), 2)[1:-1]
    return x, np.repeat(values, 2)


def range_chart(rows: list[tuple[str, dict[str, float], str]], unit: str, height_per_row: int = 34) -> str:
    """Distribution per row: p5–p95 whiskers, p25–p75 box, median bar, mean dot; zero line. `rows`: label, stats."""
    values = [v for _, s, _ in rows for k, v in s.items() if k in ("p5", "p95", "mean") and math.isfinite(v)]
    lo, hi = (min([*values, 0.0]), max([*values, 0.0])) if values else (-1.0, 1.0)
    ticks = nice_ticks(lo, hi, 6)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    left = 190
    height = PAD_T + len(rows) * height_per_row + PAD_B
    px = lambda v: left + (v - lo) / ((hi - lo) or 1) * (W - left - PAD_R)  # noqa: E731
    out = [f"<svg class=chart viewBox='0 0 {W} {height}' role='img' aria-label='distribution'>"]
    out += _x_grid(ticks, px, height)
    out.append(f"<line x1='{px(0):.1f}' x2='{px(0):.1f}' y1='{PAD_T}' y2='{height - PAD_B}' stroke='#333'/>")
    for i, (label, s, colour) in enumerate(rows):
        yc = PAD_T + i * height_per_row + height_per_row / 2
        ok = {k: math.isfinite(v) for k, v in s.items()}  # a withheld quantile (NaN) is simply not drawn
        tip = html.escape(
            f"{label}: median {s['p50']:+.2f}, middle half {s['p25']:+.2f} to {s['p75']:+.2f}, "
            f"90 % between {s['p5']:+.2f} and {s['p95']:+.2f} {unit}".replace("nan", "withheld")
        )
        parts = [f"<title>{tip}</title>"]
        if ok["p5"] and ok["p95"]:
            parts.append(
                f"<line x1='{px(s['p5']):.1f}' x2='{px(s['p95']):.1f}' y1='{yc}' y2='{yc}' "
                f"stroke='{colour}' stroke-width='2'/>"
            )
        if ok["p25"] and ok["p75"]:
            parts.append(
                f"<rect x='{px(s['p25']):.1f}' y='{yc - 9}' width='{max(px(s['p75']) - px(s['p25']), 1):.1f}' "
                f"height='18' fill='{colour}' opacity='0.35' stroke='{colour}'/>"
            )
        if ok["p50"]:
            parts.append(
                f"<line x1='{px(s['p50']):.1f}' x2='{px(s['p50']):.1f}' y1='{yc - 10}' y2='{yc + 10}' "
                f"stroke='{colour}' stroke-width='3'/>"
            )
        if ok["mean"]:
            parts.append(f"<circle cx='{px(s['mean']):.1f}' cy='{yc}' r='4' fill='#fff' stroke='#000'/>")
        out.append(f"<text x='{left - 8}' y='{yc + 4:.1f}' text-anchor='end' font-size='13'>{html.escape(label)}</text>"
                   f"<g>{''.join(parts)}</g>")  # fmt: skip
    out.append(f"<text x='{(left + W) / 2:.0f}' y='{height - 6}' text-anchor='middle' font-size='13'>"
               f"{html.escape(unit)}</text></svg>")  # fmt: skip
    return "".join(out)


def _x_grid(ticks: list[float], px, height: float) -> list[str]:
    """Vertical grid lines with their value under the plot, one per tick of a horizontal value axis."""
    return [
        f"<line x1='{px(t):.1f}' x2='{px(t):.1f}' y1='{PAD_T}' y2='{height - PAD_B}' stroke='#e4e4e4'/>"
        f"<text x='{px(t):.1f}' y='{height - PAD_B + 18}' text-anchor='middle' font-size='12'>{_fmt_tick(t)}</text>"
        for t in ticks
    ]


def bar_chart(rows: list[tuple[str, float, str]], unit: str, bar_h: int = 20, signed: bool = True) -> str:
    """Horizontal bars from zero (negative to the left), each with its value written next to it."""
    values = [v for _, v, _ in rows if math.isfinite(v)] or [0.0]
    ticks = nice_ticks(min([*values, 0.0]), max([*values, 0.0]), 6)
    lo, hi = min(min(values), 0.0, ticks[0]), max(max(values), 0.0, ticks[-1])
    left, right, sign = 230, 90, "+" if signed else ""
    height = PAD_T + len(rows) * (bar_h + 6) + PAD_B
    px = lambda v: left + (v - lo) / ((hi - lo) or 1) * (W - left - right)  # noqa: E731
    out = [f"<svg class=chart viewBox='0 0 {W} {height}' role='img' aria-label='{html.escape(unit)}'>"]
    out += _x_grid(ticks, px, height)
    for i, (label, v, colour) in enumerate(rows):
        y = PAD_T + i * (bar_h + 6)
        a, b = sorted((px(0), px(v if math.isfinite(v) else 0)))
        out.append(f"<text x='{left - 8}' y='{y + bar_h - 5}' text-anchor='end' font-size='13'>{html.escape(label)}"
                   f"</text><rect x='{a:.1f}' y='{y}' width='{max(b - a, 1):.1f}' height='{bar_h}' fill='{colour}'/>"
                   f"<text x='{b + 4:.1f}' y='{y + bar_h - 5}' font-size='12'>{v:{sign},.1f}</text>")  # fmt: skip
    out.append(f"<line x1='{px(0):.1f}' x2='{px(0):.1f}' y1='{PAD_T}' y2='{height - PAD_B}' stroke='#333'/>"
               f"<text x='{(left + W - right) / 2:.0f}' y='{height - 6}' text-anchor='middle' font-size='13'>"
               f"{html.escape(unit)}</text></svg>")  # fmt: skip
    return "".join(out)
