"""Fuzz campaign, scenario files: whatever `validate` accepts, `run` runs; whatever it refuses, it refuses cleanly.

Cases are the tiny scenario (one substation, six homes, a day of hourly steps) with one to three keys set to
values drawn from the JSON Schema's edges (`tests.fuzz.schema_values`), written as a TOML file and given
to the command line. `validate` must exit 0 or 2 with a message and no traceback; an accepted scenario
that is small enough (≤ 400 homes, ≤ 2 days) must then `run` with exit 0, or 2 with one clean message
for a failure only the run can see (a grid that cannot be solved, a data file). Larger accepted scenarios
are counted, not run. A case that takes longer than the watchdog's limit is a hang.
"""

from __future__ import annotations

import contextlib
import signal
import tomllib

import pytest
import tomli_w
from hypothesis import assume, given
from hypothesis import strategies as st

from simulator.scenario import Scenario, load_scenario
from tests.fuzz.budget import FULL, SCALE, Tally, cli, fuzz_settings
from tests.fuzz.schema_values import edge_values, schema_paths
from tests.fuzz.tiny import set_path, tiny

PATHS = schema_paths(Scenario.model_json_schema())
TALLY = Tally("scenario files")
MAX_HOMES, MAX_DAYS = 400, 2.0
RUN_BUDGET = 400 if FULL else 12 * SCALE  # accepted scenarios actually run (each a few tenths of a second)
WATCHDOG_S = 300


class Hang(Exception):
    """A case outlived the watchdog."""


@contextlib.contextmanager
def watchdog(seconds: int):
    """Raise `Hang` in the main thread if the block takes longer than `seconds`."""

    def ring(*_):
        raise Hang(f"no answer after {seconds} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _concrete(path: tuple[str, ...], draw) -> tuple[str, ...]:
    """A schema path with its `*` (free-form table keys) replaced by a key the tiny scenario has, or a new one."""
    keys = {"tariffs": ["flat", "new"], "expect": ["peak_kw", "nope"], "provenance": ["ev.share"]}
    out: list[str] = []
    for part in path:
        out.append(draw(st.sampled_from(keys.get(out[-1] if out else "", ["flat", "x"]))) if part == "*" else part)
    return tuple(out)


@st.composite
def scenario_cases(draw):
    data = tiny()
    changed = []
    for _ in range(draw(st.integers(1, 3))):
        path, node = draw(st.sampled_from(PATHS))
        concrete = _concrete(path, draw)
        value = draw(edge_values(node))
        set_path(data, concrete, value)
        changed.append(".".join(concrete))
    return data, changed


def _toml(data) -> str | None:
    """The case as TOML text, or None if TOML cannot hold it (a NUL, None, a year-0 date…)."""
    try:
        text = tomli_w.dumps(data)
        tomllib.loads(text)
    except (TypeError, ValueError, tomllib.TOMLDecodeError):
        return None
    return text


def _small(path) -> bool:
    scenario = load_scenario(path)
    grid = scenario.grid
    homes = getattr(grid, "substations", 1) * getattr(grid, "households_per_substation", 200)
    return homes <= MAX_HOMES and scenario.horizon_days <= MAX_DAYS and len(scenario.buildings) <= 4


@fuzz_settings(ci=250, full=20_000)
@given(case=scenario_cases())
def test_scenario_files_validate_cleanly_and_run_when_accepted(case, tmp_path_factory):
    data, changed = case
    text = _toml(data)
    assume(text is not None)
    folder = tmp_path_factory.mktemp("case")
    path = folder / "case.toml"
    path.write_text(text, encoding="utf-8")
    TALLY.add("cases tried")
    with watchdog(WATCHDOG_S):
        code, err = cli(["validate", str(path)])
    assert code in (0, 2) and "Traceback" not in err, (changed, err)
    if code == 2:
        assert "case.toml" in err, (changed, err)
        TALLY.add("refused by validate (clean)")
        return
    TALLY.add("accepted by validate")
    if not _small(path):
        TALLY.add("accepted, too large to run here")
        return
    if TALLY.counts.get("run", 0) >= RUN_BUDGET:
        return
    TALLY.add("run")
    with watchdog(WATCHDOG_S):
        code, err = cli(["run", str(path), "--quiet", "--out", str(folder / "results")])
    assert code in (0, 2) and "Traceback" not in err, (changed, err)
    if code == 2:
        TALLY.add("run refused (clean)")


def test_scenario_campaign_counts():
    """Runs after the campaign above: prints its counts."""
    if not TALLY.counts:
        pytest.skip("the campaign did not run")
    TALLY.report()
    assert TALLY.counts.get("run", 0) >= 1  # the campaign does reach the run
