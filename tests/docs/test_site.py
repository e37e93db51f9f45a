"""The documentation site builds with MkDocs in strict mode: no broken internal link or anchor, the API reference
generated from the docstrings, every page in the navigation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    return out


def test_the_site_builds_strict_with_every_page(site):
    for page in ("getting-started", "concepts/kpis", "tutorials/researcher", "data/your-own-grid",
                 "data/timeseries-csv", "reference/api", "sources/seeds/003", "sweeps", "evidence"):  # fmt: skip
        assert (site / page / "index.html").is_file(), page


def test_the_api_reference_covers_the_public_entry_points(site):
    html = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    names = ("cityflex.api.run", "cityflex.api.compare", "simulator.runner.run", "simulator.scenario.load_scenario",
             "simulator.grid.grid.Grid",
             "simulator.grid.importer", "market.timeseries_csv.read_timeseries_csv", "simulator.errors")  # fmt: skip
    for name in names:
        assert f'id="{name}"' in html, name


def test_the_kpi_page_lists_every_registered_kpi(site):
    import simulator.runner  # noqa: F401 - registers every KPI
    from simulator.kpi.registry import KPIS

    html = (site / "concepts" / "kpis" / "index.html").read_text(encoding="utf-8")
    assert [k for k in KPIS if f"<code>{k}</code>" not in html] == []
