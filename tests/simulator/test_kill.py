"""SIGKILL at random points of run, compare, hub stress and sweep: never a half-written, mixed or orphaned result.

Each command first writes a complete result with one seed; then it is rerun with another seed and killed,
at random moments and at the moments that matter (before the swap, right after it, part-way through
removing the old result, between the two renames where the system cannot swap at once). After every kill
the output directory holds exactly the old result or exactly the new one; after the next complete run there
is no temporary left. In CI each command meets two or three of those moments and one random kill (each kill
costs a Python start-up); `CITYFLEX_KILLS=N` gives every command every moment and N random kills.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SCENARIOS

RANDOM_KILLS = int(os.environ.get("CITYFLEX_KILLS", "1"))
MOMENTS = ("before_swap", "after_exchange", "removing_old", "between_renames")
CI_MOMENTS = {  # every moment is met by at least one command
    "run": ("after_exchange", "between_renames"),
    "compare": ("before_swap", "removing_old"),
    "hub_stress": ("after_exchange",),
}

# Runs main.py's CLI; CITYFLEX_TEST_KILL_AT makes the writer kill its own process at one moment of the swap.
HARNESS = """
import os, signal, sys
point = os.environ.get("CITYFLEX_TEST_KILL_AT", "")
try:
    from simulator.results import output_dir as od
except ImportError:  # a tree without the writer (to show this test fails there): random kills only
    point = ""
if point:
    real_swap, real_exchange, real_remove = od._swap_in, od._exchange, od._remove_tree
die = lambda: os.kill(os.getpid(), signal.SIGKILL)
if point == "before_swap":
    od._swap_in = lambda new, target: die()
if point == "after_exchange":
    od._exchange = lambda a, b: (real_exchange(a, b), die())
if point == "removing_old":
    def remove(path):
        if path.is_dir() and any(c.suffix == ".parquet" for c in path.iterdir()):
            next(c for c in path.iterdir() if c.suffix == ".parquet").unlink()
            die()
        real_remove(path)
    od._exchange = lambda a, b: real_exchange(a, b) and setattr(od, "_remove_tree", remove) or True
if point == "between_renames":
    od._exchange = lambda a, b: False
    real_rename = os.rename
    def rename(a, b):
        real_rename(a, b)
        if od.OLD_TAG in str(b):
            die()
    od.os.rename = rename
from simulator.cli.commands import main
sys.exit(main(sys.argv[1:]))
"""


def _scenario(tmp_path: Path, seed: int) -> Path:
    text = (SCENARIOS / "quickstart.toml").read_text().replace("horizon_days = 2", "horizon_days = 1")
    path = tmp_path / f"seed{seed}.toml"
    path.write_text(text.replace("seed = 42", f"seed = {seed}"))
    return path


def _stress(tmp_path: Path, seed: int) -> Path:
    text = (SCENARIOS / "upgrid_mhp_stress.toml").read_text()
    text = text[: text.index("[[experiments]]")].replace("duration_s = 600.0", "duration_s = 120.0")
    text = text.replace("down_at_s = 240.0", "down_at_s = 40.0").replace("restart_at_s = 330.0", "restart_at_s = 70.0")
    path = tmp_path / f"stress{seed}.toml"
    path.write_text(text.replace("seed = 20170612", f"seed = {seed}"))
    return path


def _command(kind: str, tmp_path: Path, seed: int, out: Path) -> list[str]:
    if kind == "run":
        return ["run", str(_scenario(tmp_path, seed)), "--out", str(out), "--quiet"]
    if kind == "compare":
        return ["compare", str(_scenario(tmp_path, seed)), "--option", "flat", "--out", str(out), "--quiet"]
    return ["run", str(_stress(tmp_path, seed)), "--out", str(out), "--quiet"]


def _start(args: list[str], point: str = "") -> subprocess.Popen:
    env = {**os.environ, "CITYFLEX_TEST_KILL_AT": point, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", HARNESS, *args],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _finish(*commands: list[str]) -> None:
    """Run commands to their end, side by side."""
    procs = [_start(args) for args in commands]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err


def _content(out: Path) -> dict[str, str]:
    """Hashes of every file of a result (meta.json holds wall times, so only its presence counts)."""
    files = sorted(p for p in out.rglob("*") if p.is_file())
    return {
        str(p.relative_to(out)): "" if p.name in ("meta.json", ".cityflex") else hashlib.sha256(p.read_bytes()).digest()
        for p in files
    }


def _kill_when_writing(proc: subprocess.Popen, parent: Path, rng: random.Random) -> None:
    """Kill at a random moment: half the time any moment, half the time once the temporary exists."""
    if rng.random() < 0.5:
        time.sleep(rng.uniform(0.0, 4.0))
    else:
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if any(".cityflex-" in p.name for p in parent.iterdir()):
                time.sleep(rng.uniform(0.0, 0.05))
                break
            time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["run", "compare", "hub_stress"])
def test_a_killed_rerun_leaves_the_old_or_the_new_result_whole(tmp_path, kind):
    parent = tmp_path / "results"
    out, reference = parent / "out", tmp_path / "reference"
    _finish(_command(kind, tmp_path, 1, out), _command(kind, tmp_path, 2, reference))
    old, new = _content(out), _content(reference)
    assert old != new  # the two seeds give different results: a mix of both would show
    rng = random.Random(f"{kind}-kills")
    moments = MOMENTS if "CITYFLEX_KILLS" in os.environ else CI_MOMENTS[kind]
    points = [*moments, *[""] * RANDOM_KILLS]
    for point in points:
        args = _command(kind, tmp_path, 2 if _content(out) == old else 1, out)
        before = _content(out)
        proc = _start(args, point)
        if point:
            proc.wait(timeout=300)
        else:
            _kill_when_writing(proc, parent, rng)
        assert proc.returncode in (-signal.SIGKILL, 0), proc.stderr.read()
        if not out.exists():  # only "between_renames": the old result waits beside, put back by the next writer
            assert point == "between_renames"
            from simulator.results.output_dir import clean_stale

            clean_stale(parent)
        assert _content(out) in (old, new), point
        if point in ("before_swap", "between_renames"):
            assert _content(out) == before, point
    _finish(_command(kind, tmp_path, 2, out))
    assert _content(out) == new
    assert sorted(p.name for p in parent.iterdir()) == ["out"]  # no temporary, no old result left aside


@pytest.mark.slow
def test_a_killed_sweep_resumes_with_nothing_half_written(tmp_path):
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(
        f'name = "s"\nbase = "{_scenario(tmp_path, 1)}"\ndesign = "grid"\nseeds = {{ count = 3, first = 1 }}\n'
        'kpis = ["peak_kw"]\n[parameters]\n"households.hems_share" = [0.0]\n'
    )
    out = tmp_path / "sweep"
    args = ["sweep", str(sweep), "--out", str(out), "--engine", "serial", "--quiet"]
    rng = random.Random("sweep-kills")
    for _ in range(RANDOM_KILLS):
        proc = _start(args)
        _kill_when_writing(proc, out / "runs" if (out / "runs").is_dir() else tmp_path, rng)
        for run in (out / "runs").iterdir() if (out / "runs").is_dir() else ():
            if not run.name.startswith("."):
                assert run.suffix == ".txt" or (run / "kpis.json").is_file(), run  # a run is whole or absent
    reference = tmp_path / "reference"
    _finish(args, ["sweep", str(sweep), "--out", str(reference), "--engine", "serial", "--quiet"])
    import pandas as pd

    table = pd.read_parquet(out / "sweep.parquet").drop(columns="wall_time_s")
    assert table.equals(pd.read_parquet(reference / "sweep.parquet").drop(columns="wall_time_s"))
    assert sorted(p.name for p in out.iterdir()) == [".cityflex", "runs", "sweep.parquet"]
    assert all(not p.name.startswith(".") for p in (out / "runs").iterdir())  # no temporaries left
