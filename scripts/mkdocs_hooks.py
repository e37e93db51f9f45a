"""MkDocs hooks for the documentation site: pages that are generated from the code, so they cannot drift.

`<!-- kpi-table -->` on a page becomes the table of every registered KPI: name, unit and definition
(the KPI function's docstring, `simulator.kpi.registry`).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- kpi-table -->"


def kpi_table() -> str:
    """Every registered KPI as a Markdown table."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import simulator.runner  # noqa: F401 - importing the run registers every KPI module
    from simulator.kpi.registry import KPIS

    rows = [f"| `{k.name}` | {k.unit} | {k.definition.replace('|', '/')} |" for k in KPIS.values()]
    return "\n".join(["| KPI | unit | definition |", "| --- | --- | --- |", *rows])


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Fill the generated tables into the pages that ask for them."""
    return markdown.replace(MARKER, kpi_table()) if MARKER in markdown else markdown
