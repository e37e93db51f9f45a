"""An interrupted sweep resumes without recomputing finished runs; a failing run is recorded and the rest go on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from simulator import runner
from simulator.cli.commands import main
from simulator.results.run_result import TABLES
from simulator.sweep.design import load_sweep
from simulator.sweep.runner import read_table, run_sweep
from tests.conftest import ROOT
from tests.simulator.test_sweep_spec import SMALL, write_sweep


def _fingerprint(run_dir):
    """mtime and content of what a run wrote: unchanged when the run is not recomputed."""
    files = ["meta.json", "kpis.json", "scenario.toml", *(f"{t}.parquet" for t in TABLES)]
    return {f: ((run_dir / f).stat().st_mtime_ns, (run_dir / f).read_bytes()) for f in files}


class Interrupt(BaseException):
    """Stands in for Ctrl-C or a kill between two runs."""


def test_an_interrupted_sweep_resumes_without_recomputing_finished_runs(tmp_path):
    plan = load_sweep(write_sweep(tmp_path, SMALL))
    out = tmp_path / "out"

    def stop_after_two(done, total, outcome):
        if done == 2:
            raise Interrupt

    with pytest.raises(Interrupt):
        run_sweep(plan, out, engine="serial", progress=stop_after_two)
    partial = read_table(out)
    assert list(partial["status"]) == ["ok", "ok", "pending", "pending"]  # the table kept what had finished
    finished = list(partial["run_id"][:2])
    before = {rid: _fingerprint(out / "runs" / rid) for rid in finished}

    resumed = run_sweep(plan, out, engine="serial")
    assert resumed.resumed == finished
    assert resumed.executed == list(partial["run_id"][2:])
    assert {rid: _fingerprint(out / "runs" / rid) for rid in finished} == before
    assert list(resumed.table["status"]) == ["ok"] * 4
    fresh = run_sweep(plan, tmp_path / "fresh", engine="serial")
    columns = [c for c in fresh.table.columns if c != "wall_time_s"]
    assert resumed.table[columns].equals(fresh.table[columns])


def test_a_killed_sweep_process_resumes_where_it_stopped(tmp_path):
    path = write_sweep(tmp_path, SMALL)
    out = tmp_path / "out"
    cmd = [sys.executable, "main.py", "sweep", str(path), "--out", str(out), "--engine", "serial", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while not [p for p in (out / "runs").glob("[!.]*") if (p / "kpis.json").is_file()]:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "no run finished in time"
            time.sleep(0.02)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finished = sorted(p.name for p in (out / "runs").iterdir() if p.is_dir() and not p.name.startswith("."))
    assert 1 <= len(finished) < 4, "kill the sweep halfway"
    before = {rid: _fingerprint(out / "runs" / rid) for rid in finished}

    resumed = run_sweep(load_sweep(path), out, engine="serial")
    assert sorted(resumed.resumed) == finished
    assert sorted(resumed.executed) == sorted(set(resumed.table["run_id"]) - set(finished))
    assert {rid: _fingerprint(out / "runs" / rid) for rid in finished} == before
    assert list(resumed.table["status"]) == ["ok"] * 4
    assert not [p for p in (out / "runs").iterdir() if p.name.startswith(".")]  # no temporaries left


def test_a_failing_run_is_recorded_and_the_others_complete(tmp_path, monkeypatch, capsys):
    path = write_sweep(tmp_path, SMALL)
    real_run = runner.run

    def flaky(scenario, out=None, **kwargs):
        if scenario.households.hems_share == 0.5 and scenario.seed == 1:
            raise RuntimeError("power flow exploded")
        return real_run(scenario, out, **kwargs)

    monkeypatch.setattr(runner, "run", flaky)
    code = main(["sweep", str(path), "--out", str(tmp_path / "out"), "--engine", "serial", "--quiet"])
    captured = capsys.readouterr()
    table = read_table(tmp_path / "out")
    assert code == 1
    assert list(table["status"]) == ["ok", "ok", "failed", "ok"]
    bad = table.iloc[2]
    assert (
        bad["error"] == "RuntimeError: power flow exploded" and bad["peak_reduction_pct"] != bad["peak_reduction_pct"]
    )
    assert "power flow exploded" in (tmp_path / "out" / "runs" / f"{bad['run_id']}.error.txt").read_text()
    assert f"failed: run {bad['run_id']}: RuntimeError: power flow exploded" in captured.err
    assert "1 failed" in captured.out and "Traceback" not in captured.err

    monkeypatch.setattr(runner, "run", real_run)  # the failure was transient: a rerun retries only that run
    again = run_sweep(load_sweep(path), tmp_path / "out", engine="serial")
    assert again.executed == [bad["run_id"]] and list(again.table["status"]) == ["ok"] * 4
    assert not (tmp_path / "out" / "runs" / f"{bad['run_id']}.error.txt").exists()
    meta = json.loads((tmp_path / "out" / "runs" / bad["run_id"] / "meta.json").read_text())
    assert meta["seed"] == 1
