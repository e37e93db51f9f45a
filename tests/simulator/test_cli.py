"""The command line as a user meets it: exit codes, messages, no tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from simulator.cli.commands import check_bands, main
from tests.conftest import ROOT, SCENARIOS


def _main(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_run_prints_kpis_and_writes_results(tmp_path, capsys):
    path = tmp_path / "one_day.toml"
    path.write_text((SCENARIOS / "quickstart.toml").read_text().replace("horizon_days = 2", "horizon_days = 1"))
    code, out, _ = _main(["run", str(path), "--out", str(tmp_path / "r"), "--quiet"], capsys)
    assert code == 0
    assert "peak_reduction_pct" in out and "results written to" in out
    assert (tmp_path / "r" / "district.parquet").is_file()


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('name = "x"\nseed = = 1\n', "not valid TOML"),
        ('name = "x"\nstart = 2016-01-01\nhorizon_days = -1\n', "horizon_days"),
    ],
)
def test_bad_scenario_exits_2_with_a_message(tmp_path, capsys, content, needle):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    code, _, err = _main(["run", str(path), "--quiet"], capsys)
    assert code == 2
    assert "bad.toml" in err and needle in err and "Traceback" not in err


def test_bad_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["run", str(SCENARIOS / "quickstart.toml"), "--seed", "minus-one"])
    assert info.value.code == 2
    assert "--seed" in capsys.readouterr().err


def test_validate_every_shipped_scenario(capsys):
    every = [str(p) for p in SCENARIOS.glob("*.toml")]
    code, out, _ = _main(["validate", *every], capsys)
    assert code == 0 and out.count("valid") == len(every)


def test_validate_recognises_the_hub_stress_kind(tmp_path, capsys):
    text = (SCENARIOS / "upgrid_mhp_stress.toml").read_text()
    path = tmp_path / "stress.toml"
    path.write_text(text)
    code, out, _ = _main(["validate", str(path)], capsys)
    assert code == 0 and "hub stress test" in out


def test_schema_is_json_with_descriptions(capsys):
    code, out, _ = _main(["schema"], capsys)
    schema = json.loads(out)
    assert code == 0 and "horizon_days" in schema["properties"]
    assert "[days]" in schema["properties"]["horizon_days"]["description"]


def test_check_bands_names_the_kpi():
    failures, lines = check_bands({"peak_reduction_pct": 3.0, "losses_kwh": 9.0}, {"peak_reduction_pct": (5, 10)})
    assert failures == ["peak_reduction_pct = 3 (expected 5 … 10)"] and len(lines) == 1


def test_check_exits_1_naming_the_kpi_outside_its_band(tmp_path):
    text = (SCENARIOS / "quickstart.toml").read_text().replace("horizon_days = 2", "horizon_days = 0.5")
    text, bands = re.subn(r"(?m)^peak_reduction_pct = \[.*\]$", "peak_reduction_pct = [90.0, 100.0]", text)
    assert bands == 1  # the shipped band changed shape: the test would silently check nothing
    path = tmp_path / "too_hopeful.toml"
    path.write_text(text)
    done = subprocess.run(
        [sys.executable, "main.py", "check", str(path), "--quiet"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "peak_reduction_pct" in done.stderr and "Traceback" not in done.stderr
