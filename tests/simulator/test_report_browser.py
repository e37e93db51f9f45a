"""The reports opened in a real headless Chromium (Debian's `chromium`; `./dev.sh test` installs it): no script or
console errors, nothing loaded from outside the file, no horizontal overflow, every section laid out, a sane
screenshot (not blank, nothing cut at the right edge) and a printed PDF of a sensible number of pages."""

from __future__ import annotations

import os

import pytest

from simulator.compare.engine import compare, write_comparison
from tests.browser import chromium, open_page, pdf_pages, screenshot_stats
from tests.conftest import small_scenario

if chromium() is None:
    if os.environ.get("CI"):
        raise RuntimeError("chromium is required on CI (Debian package `chromium`; ./dev.sh test installs it)")
    pytest.skip("chromium is not installed and could not be (./dev.sh test installs the Debian package)",
                allow_module_level=True)  # fmt: skip

SECTIONS = ("summary", "figures", "tariffs", "bills", "who-pays", "load")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    comparison = compare(small_scenario(horizon_days=2), ["flat", "tou", "cpp"])
    return write_comparison(comparison, tmp_path_factory.mktemp("cmp") / "cmp") / "report.html"


@pytest.mark.parametrize("width", [1280, 820])
def test_report_renders_without_errors_or_overflow(report, tmp_path, width):
    check = open_page(report, tmp_path, width=width)
    probe = check.probe
    assert probe["errors"] == []
    assert probe["resources"] == []  # self-contained: works offline
    assert probe["scrollWidth"] <= probe["viewport"], probe["overflowing"]
    assert probe["overflowing"] == []
    assert all(probe["sections"].get(s, 0) > 0 for s in SECTIONS), probe["sections"]
    assert probe["charts"] >= 6  # 3 tariffs, spread, revenue, load over time, average day
    assert 3000 < probe["height"] < 20000  # laid out, not collapsed nor runaway


def test_report_screenshot_and_print(report, tmp_path):
    check = open_page(report, tmp_path, width=1280, height=1600)
    shot = screenshot_stats(check.screenshot)
    assert (shot["width"], shot["height"]) == (1280, 1600)
    assert shot["colours"] > 20  # text, charts and shading, not a blank or error page
    assert shot["edge_min_lightness"] > 200  # the right margin is empty: nothing cut off at the edge
    assert 3 <= pdf_pages(check.pdf) <= 30


def test_plan_page_renders_without_errors_or_overflow(tmp_path):
    from simulator.planning.report import write_plan
    from simulator.planning.seps import plan

    scenario = small_scenario(horizon_days=1)
    _, page = write_plan(scenario, plan(scenario), tmp_path / "plan")
    check = open_page(page, tmp_path, width=1024)
    probe = check.probe
    assert probe["errors"] == [] and probe["resources"] == []
    assert probe["scrollWidth"] <= probe["viewport"], probe["overflowing"]
    assert all(probe["sections"].get(s, 0) > 0 for s in ("summary", "hosting", "ranking", "assumptions", "method"))
    assert screenshot_stats(check.screenshot)["colours"] > 10
