"""The page around a report: one self-contained HTML document with screen and print styles, no external assets.

Shared by the comparison report and the planning page. Prints on A4 (portrait) with charts kept whole and
tables' headers repeated; the browser's "Save as PDF" gives the PDF export.
"""

from __future__ import annotations

import html
import math

GENERATOR = "<meta name='generator' content='cityflex'>"  # how cityflex knows its own files again (output_dir)
CSS = """
:root{--ink:#1d1d1d;--muted:#5b5b5b;--rule:#dcdcdc}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;max-width:1080px;margin:0 auto;
 padding:1.5em 1.2em 3em;color:var(--ink);line-height:1.45}
h1{font-size:1.7em;margin:.2em 0 .3em}h2{font-size:1.3em;margin:1.6em 0 .4em;border-bottom:2px solid var(--rule);
 padding-bottom:.2em}h3{font-size:1.05em;margin:1.2em 0 .3em}
.summary{background:#f4f8fb;border-left:5px solid #1b6ca8;padding:.6em 1.2em;margin:1em 0}
.summary li{margin:.35em 0}.note{color:var(--muted);font-size:.9em}.assume{color:#8a5a00;font-size:.9em}
table{border-collapse:collapse;margin:.6em 0 1em;width:100%;font-size:.92em}
td,th{border-bottom:1px solid var(--rule);padding:4px 8px;text-align:right;vertical-align:top}
th{background:#f6f6f6}td:first-child,th:first-child{text-align:left}
td.def,th.def{text-align:left;color:var(--muted);font-size:.9em;max-width:360px}
td.left,th.left{text-align:left}td.hidden{color:var(--muted);font-style:italic;text-align:left}
.iv{color:var(--muted);font-size:.85em;white-space:nowrap}
svg.chart{width:100%;height:auto;display:block;background:#fcfcfc;border:1px solid #eee}
.legend{display:flex;flex-wrap:wrap;gap:.4em 1.4em;margin:.3em 0 .2em;font-size:.92em}
.key{display:inline-flex;align-items:center;gap:.4em}.swatch{display:inline-block;width:2.2em;height:0}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:1em}
.card{border:1px solid var(--rule);border-radius:4px;padding:.4em .8em .6em;min-width:0}
code{font-size:.9em}.nw{white-space:nowrap}
@media print{
 @page{size:A4;margin:14mm 12mm}
 body{max-width:none;padding:0;font-size:10.5pt}
 h2{break-after:avoid}svg.chart,.card,.summary,tr{break-inside:avoid}
 thead{display:table-header-group}.grid2{grid-template-columns:1fr 1fr}
 a{color:inherit;text-decoration:none}
}
"""


def page(title: str, body: str) -> str:
    """The whole document: a title, the styles and the body (already HTML)."""
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>{GENERATOR}"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{html.escape(title)}</title>"
        f"<style>{CSS}</style></head><body>{body}</body></html>"
    )


def fmt(value: float | None, digits: int = 1, sign: bool = False) -> str:
    """A number for a table: thousands separators, `digits` decimals, '–' for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:+,.{digits}f}" if sign else f"{value:,.{digits}f}"


def table_html(head: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    """A table from already-escaped cells; `classes` gives a CSS class per column ('' for none)."""
    cls = classes or [""] * len(head)
    th = "".join(f"<th class='{c}'>{h}</th>" if c else f"<th>{h}</th>" for h, c in zip(head, cls, strict=True))
    body = "".join(
        "<tr>"
        + "".join(f"<td class='{c}'>{v}</td>" if c else f"<td>{v}</td>" for v, c in zip(r, cls, strict=False))
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"
