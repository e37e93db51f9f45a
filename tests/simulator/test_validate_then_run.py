"""Whatever `validate` accepts, `run` runs: the inputs that used to pass validation and then crash a run.

Each case either fails validation with a message naming its key, or (where the input is fine) runs.
On the command line each is one error and exit code 2, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading

import pytest
import tomli_w

from simulator.cli.commands import main
from simulator.errors import ScenarioError
from simulator.scenario import Scenario, load_scenario, scenario_from_dict
from tests.conftest import ROOT
from tests.fuzz.tiny import set_path, tiny

REJECTED = [
    ("start", dt.datetime(2016, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=2))), "UTC offset"),
    ("start", "2016-01-12T00:00:00+02:00", "UTC offset"),
    ("start", 1452556800, "local date"),
    ("start", dt.datetime(1500, 1, 1), "between"),
    ("start", dt.datetime(2300, 1, 1), "between"),
    ("location.timezone", "Factory", "unknown time zone"),
    ("households.profile_mix", {"H0-A": float("nan"), "H0-B": 1.0}, "finite"),
    ("ev.charger_weights", [float("nan"), 1.0], "finite"),
    ("ev.share", float("nan"), "finite"),
    ("ev.charger_kw", [-7.0], "greater than 0"),
    ("ev.charger_kw", [1e6], "less than or equal to 22"),
    ("households.electric_heating.profiles", ["Air_Parallel_1", "Air_Parallel_1"], "at most once"),
    ("households.contracted_power.levels_kva", [float("inf")], "finite"),
    ("tariffs.flat.energy_eur_per_kwh", float("inf"), "finite"),
    ("hub.retry.timeout_s", 1e300, "less than or equal"),
    ("retailers", [{"name": "A", "customer_share": 0.5, "tariff": "flat"}] * 2, "unique"),
]


@pytest.mark.parametrize(("key", "value", "needle"), REJECTED, ids=[f"{k}={v!r}"[:40] for k, v, _ in REJECTED])
def test_validation_rejects_what_run_cannot_run(key, value, needle):
    data = set_path(tiny(), tuple(key.split(".")), value)
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    message = str(info.value)
    assert key.split(".")[0] in message and needle in message


@pytest.mark.parametrize(("key", "value", "needle"), REJECTED[:6], ids=[k for k, _, _ in REJECTED[:6]])
def test_cli_validate_and_run_exit_2_on_them(tmp_path, capsys, key, value, needle):
    path = tmp_path / "bad.toml"
    path.write_text(tomli_w.dumps(set_path(tiny(), tuple(key.split(".")), value)))
    for command in (["validate", str(path)], ["run", str(path), "--quiet", "--out", str(tmp_path / "r")]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert "bad.toml" in err and needle in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()


def _schema_numbers(schema: dict) -> list[tuple[str, dict]]:
    defs = schema.get("$defs", {})
    found: list[tuple[str, dict]] = []

    def walk(node: dict, path: str, depth: int = 0) -> None:
        if "$ref" in node:
            walk(defs[node["$ref"].split("/")[-1]], path, depth + 1)
            return
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(key, []):
                walk(sub, path, depth + 1)
        if node.get("type") in ("number", "integer"):
            found.append((path, node))
        for name, sub in node.get("properties", {}).items():
            walk(sub, f"{path}.{name}", depth + 1)
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], f"{path}.*", depth + 1)
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{path}[]", depth + 1)
        for i, sub in enumerate(node.get("prefixItems", [])):
            walk(sub, f"{path}[{i}]", depth + 1)

    walk(schema, "")
    return found


def test_every_number_in_the_schema_has_physical_bounds():
    """Physical bounds belong in the schema: every number has a minimum and a maximum (KPI bands excepted)."""
    unbounded = sorted(
        {
            path
            for path, node in _schema_numbers(Scenario.model_json_schema())
            if not path.startswith(".expect")
            and not (
                ("minimum" in node or "exclusiveMinimum" in node) and ("maximum" in node or "exclusiveMaximum" in node)
            )
        }
    )
    assert unbounded == []


@pytest.mark.parametrize("kind", ["deep", "loop", "long", "fifo", "directory"])
def test_unreadable_scenario_paths_are_one_clean_error(tmp_path, capsys, kind):
    if kind == "deep":
        path = tmp_path / "deep.toml"
        path.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n")
        needle = "nested too deeply"
    elif kind == "loop":
        path = tmp_path / "loop1"
        (tmp_path / "loop2").symlink_to(path)
        path.symlink_to(tmp_path / "loop2")
        needle = "symbolic link loop"
    elif kind == "long":
        path = tmp_path / ("x" * 300 + ".toml")
        needle = "file name too long"
    elif kind == "fifo":
        path = tmp_path / "fifo.toml"
        os.mkfifo(path)  # reading it would block forever without a writer
        needle = "not a regular file"
    else:
        path = tmp_path
        needle = "is a directory"
    if kind == "fifo":  # in a child process with a deadline: the old code blocked here for ever
        done = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "validate", str(path)], capture_output=True, text=True, timeout=120
        )
        code, err = done.returncode, done.stderr
    else:
        with pytest.raises(ScenarioError, match=needle):
            load_scenario(path)
        code, err = main(["validate", str(path)]), capsys.readouterr().err
    assert code == 2
    assert needle in err and "Traceback" not in err


def test_plan_runs_on_a_horizon_under_a_day():
    from simulator.planning.seps import plan

    table = plan(scenario_from_dict(tiny(horizon_days=0.25)))
    assert len(table) == 1 and table["battery_peak_cut_kw_per_kwh"].notna().all()


def test_a_grid_that_cannot_carry_even_no_load_is_a_clean_error(tmp_path, capsys):
    """A 20,000 km MV feeder validated, then pandapower's LoadflowNotConverged came out of the grid set-up."""
    grid = {"kind": "synthetic", "substations": 400, "mv_section_km": 50, "households_per_substation": 1}
    path = tmp_path / "long.toml"
    path.write_text(tomli_w.dumps(tiny(grid=grid)))
    assert main(["validate", str(path)]) == 0
    assert main(["run", str(path), "--quiet", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "grid: the power flow does not converge" in err and "Traceback" not in err


def test_hub_requests_still_under_way_at_the_end_are_counted_open_at_end():
    from simulator.runner import run

    slow = {"compare_without_hub": False, "links": {"platform_hems": {"kind": "constant", "value_s": 80_000}}}
    result = run(scenario_from_dict(tiny(hub=slow, horizon_days=0.5)))  # ends (with its hour of drain) at 47 ks
    states = result.requests["state"].value_counts()
    assert states.get("open_at_end", 0) >= 1  # the tariff calendar cannot reach the HEMS before the end
    assert result.kpis["hub_requests_open_at_end"] == states["open_at_end"]
    assert len(result.requests) == result.requests["request_id"].nunique()


METER_HEADER = b"meter_id,timestamp,energy_kwh\n"


@pytest.mark.parametrize("lenient", [True, False])
def test_a_meter_row_with_bad_utf8_and_an_extra_column_is_one_bad_row(tmp_path, lenient):
    """pyarrow decoded the row before our handler: a traceback, and the whole import failed even when lenient."""
    from simulator.errors import DataError
    from simulator.meter_data.meter_csv import read_meter_csv

    path = tmp_path / "m.csv"
    path.write_bytes(
        METER_HEADER + b"hh0,2016-01-12T00:00:00+00:00,0.1\nhh0,2016-01-12T01:00:00+00:00,0.2,\xff\xfe\n"
        b"h\xffh,2016-01-12T02:00:00+00:00,0.3\n"
    )
    if lenient:
        records = read_meter_csv(path, ["hh0"], lenient=True)
        assert records.energy_kwh.tolist() == [0.1] and sum(records.skipped.values()) == 2
        assert records.skipped.get("not UTF-8 text") == 1
    else:
        with pytest.raises(DataError, match=r"m.csv, line 3: bad row"):
            read_meter_csv(path, ["hh0"])


def test_an_implausible_meter_reading_is_a_bad_row(tmp_path):
    """1e30 kWh in a reading gave bills of 3e31 €."""
    from simulator.errors import DataError
    from simulator.meter_data.meter_csv import read_meter_csv

    path = tmp_path / "m.csv"
    path.write_bytes(METER_HEADER + b"hh0,2016-01-12T00:00:00+00:00,1e30\n")
    with pytest.raises(DataError, match=r"line 2: implausible energy"):
        read_meter_csv(path, ["hh0"])
    assert read_meter_csv(path, ["hh0"], lenient=True).energy_kwh.size == 0


def test_a_fifo_as_meter_file_is_refused_not_waited_on(tmp_path):
    from simulator.errors import DataError
    from simulator.meter_data.meter_csv import read_meter_csv

    os.mkfifo(tmp_path / "m.csv")
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            read_meter_csv(tmp_path / "m.csv", ["hh0"])
        except DataError as exc:
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)  # the old code blocked here for ever
    reader.start()
    reader.join(timeout=60)
    if reader.is_alive():
        with open(tmp_path / "m.csv", "wb"):  # let the blocked reader go before failing
            pass
        pytest.fail("reading a FIFO as meter data blocked")
    assert outcome and "not a regular file" in str(outcome[0])


def test_a_huge_sweep_is_refused_before_it_is_built(tmp_path, capsys):
    """10k × 10k values: the old code built 100 million runs in memory before checking the limit."""
    from simulator.sweep.spec import MAX_RUNS

    (tmp_path / "base.toml").write_text(tomli_w.dumps(tiny()))
    (tmp_path / "big.toml").write_text(
        'name = "big"\nbase = "base.toml"\ndesign = "grid"\n[parameters]\n'
        '"households.hems_share" = { start = 0.0, stop = 1.0, num = 10000 }\n'
        '"ev.share" = { start = 0.0, stop = 1.0, num = 10000 }\n'
    )
    code = main(["sweep", str(tmp_path / "big.toml"), "--out", str(tmp_path / "o"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "100,000,000 runs" in err and f"at most {MAX_RUNS:,}" in err


def test_a_district_without_flexible_appliances_runs():
    """Found by the fuzz campaign: `households.appliances = {}` validated, then HEMS planning failed on a cast."""
    from simulator.runner import run

    result = run(scenario_from_dict(set_path(tiny(), ("households", "appliances"), {})))
    assert result.kpis["peak_kw"] > 0
