"""The issue's "Done when" session on lisbon_district, in its own process under Xvfb with Qt's xcb platform.

Start as `python main.py gui scenarios/lisbon_district.toml` does, then per cycle: run, inspect a
household, compare flat/ToU/CPP, export (results and report, into a temporary folder); then quit.
Two cycles by default (CI); `CITYFLEX_GUI_CYCLES=10` for the issue's ten.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.conftest import ROOT, SCENARIOS

from .test_app_session import _app_env

SESSION = ROOT / "tests" / "gui" / "district_session.py"
CYCLES = int(os.environ.get("CITYFLEX_GUI_CYCLES", "2"))


def test_run_inspect_compare_export_quit_exits_0_without_a_fatal_error(tmp_path, x_display):
    exports = tmp_path / "exports"
    done = subprocess.run(
        [sys.executable, str(SESSION), str(SCENARIOS / "lisbon_district.toml"), str(CYCLES), str(exports)],
        env=_app_env(tmp_path, x_display), capture_output=True, text=True, timeout=300 * CYCLES, cwd=tmp_path,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert "Fatal Python error" not in output, output[-3000:]
    assert done.returncode == 0, output[-3000:]
    lines = re.findall(r"^cycle (\d+): (.*)$", done.stdout, flags=re.MULTILINE)
    assert [int(n) for n, _ in lines] == list(range(1, CYCLES + 1)), output[-3000:]
    for _, line in lines:
        fields = dict(item.split("=", 1) for item in line.split())
        assert fields["steps"] == "96"  # one day of 15-minute steps: the editor's horizon took effect
        assert fields["has_ev"] == "True" and int(fields["ev_points"]) == 96  # the household searched, plotted
        assert fields["compared"] == "flat,tou,cpp"
        assert set(fields["exported"].split(",")) == {"lisbon_district", "lisbon_district-comparison"}
    for n in range(1, CYCLES + 1):
        cycle = exports / f"cycle-{n}"
        assert (cycle / "lisbon_district" / "kpis.json").is_file()
        assert (cycle / "lisbon_district-comparison" / "report.html").is_file()
