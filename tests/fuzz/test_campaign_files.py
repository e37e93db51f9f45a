"""Fuzz campaigns: smart-meter CSVs, sweep files and command-line argument lists. No traceback, no hang, ever.

- Meter CSVs: rows assembled from good and bad pieces (extra or missing columns, bad UTF-8 bytes, NUL,
  huge and negative numbers, NaN, timestamps without offsets or outside pandas' range, unknown meters,
  duplicates, CRLF, blank lines, BOM). Strict: a good file reads, a bad one raises `DataError` naming the
  file and line. Lenient: every row is either read or counted as skipped; none vanish.
- Sweep files: TOML built from the sweep grammar with edge values; `load_sweep` returns a plan or raises
  `SweepSpecError` (through the CLI: exit 2, one message).
- CLI argument lists: commands, options and values (paths that are missing, directories, FIFOs, bad
  TOML; seeds and worker counts out of range); every exit code is 0, 1 or 2 and nothing is a traceback.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from simulator.errors import CityflexError, DataError
from simulator.meter_data.meter_csv import read_meter_csv
from simulator.sweep.design import load_sweep
from tests.fuzz.budget import Tally, cli, fuzz_settings
from tests.fuzz.test_campaign_scenarios import WATCHDOG_S, watchdog
from tests.fuzz.tiny import tiny

METERS = ["hh0", "hh1", "hh2"]
HEADER = b"meter_id,timestamp,energy_kwh"
METER = Tally("meter CSV")
SWEEP = Tally("sweep files")
ARGS = Tally("CLI arguments")

_GOOD_ROW = st.builds(
    lambda m, h, e: f"{m},2016-01-12T{h:02d}:00:00+00:00,{e}".encode(),
    st.sampled_from(METERS),
    st.integers(0, 23),
    st.sampled_from(["0.1", "0", "1.5", "49.9"]),
)
_BAD_PIECES = [
    b"hh0,2016-01-12T01:00:00+00:00,0.2,\xff\xfe",  # extra column with bad UTF-8 (issue 12)
    b"h\xffh,2016-01-12T02:00:00+00:00,0.3",  # bad UTF-8 in a valid-looking row
    b"hh0,2016-01-12T03:00:00+00:00,1e30",  # implausible reading
    b"hh0,2016-01-12T04:00:00+00:00,-1",
    b"hh0,2016-01-12T05:00:00+00:00,nan",
    b"hh0,2016-01-12T06:00:00+00:00,inf",
    b"hh0,2016-01-12T07:00:00,0.1",  # no UTC offset
    b"hh0,1500-01-01T00:00:00+00:00,0.1",  # outside pandas' range
    b"hh0,9999-99-99T00:00:00+00:00,0.1",
    b"nobody,2016-01-12T08:00:00+00:00,0.1",
    b"hh0,2016-01-12T09:00:00+00:00",
    b"hh0",
    b"",
    b",,",
    b"\x00\x00\x00",
    b'"hh0,2016-01-12T10:00:00+00:00,0.1',  # an unclosed quote
    b"hh0,2016-01-12T11:00:00+00:00,0.1\r",
    b"hh0,2016-01-12T12:00:00+00:00," + b"9" * 400,
]


@st.composite
def meter_files(draw):
    rows = draw(st.lists(st.one_of(_GOOD_ROW, st.sampled_from(_BAD_PIECES), st.binary(max_size=40)), max_size=12))
    header = draw(st.sampled_from([HEADER, HEADER, b"\xef\xbb\xbf" + HEADER, b"meter,timestamp,energy_kwh", b""]))
    return b"\n".join([header, *rows]) + draw(st.sampled_from([b"\n", b"", b"\r\n"]))


@fuzz_settings(ci=400, full=30_000)
@given(content=meter_files(), lenient=st.booleans())
def test_meter_csvs_read_or_fail_with_file_and_line(content, lenient):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "meters.csv"
        path.write_bytes(content)
        METER.add("cases tried")
        try:
            with watchdog(WATCHDOG_S):
                records = read_meter_csv(path, METERS, lenient=lenient)
        except DataError as exc:
            assert "meters.csv" in str(exc) and "\n" not in str(exc).strip()
            METER.add("refused (clean)")
            return
    assert records.energy_kwh.size == records.line.size
    assert np.isfinite(records.energy_kwh).all() and (records.energy_kwh >= 0).all()
    assert (records.energy_kwh <= 50).all()
    if lenient:
        assert records.energy_kwh.size + sum(records.skipped.values()) >= records.rows_read - content.count(b"\n\n")
    METER.add("read")


def test_meter_campaign_counts():
    if not METER.counts:
        pytest.skip("the campaign did not run")
    METER.report()


_GOOD_PARAMS = st.fixed_dictionaries(
    {"households.hems_share": st.lists(st.floats(0, 1), min_size=1, max_size=3, unique=True)}
)
_ANY_PARAMS = st.dictionaries(
    st.sampled_from(["households.hems_share", "ev.share", "seed", "nope.key", "grid.substations", "start", "tariffs"]),
    st.one_of(
        st.lists(st.one_of(st.floats(-1, 2, allow_nan=False), st.integers(-5, 5)), max_size=4),
        st.fixed_dictionaries({"start": st.floats(-1, 2), "stop": st.floats(-1, 2), "num": st.integers(-1, 20_000)}),
        st.fixed_dictionaries({"start": st.floats(0, 1), "stop": st.floats(0, 1), "step": st.floats(-1, 1)}),
        st.fixed_dictionaries({"min": st.floats(-1, 2), "max": st.floats(-1, 2)}),
        st.sampled_from(["text", 3, True, [], {}]),
    ),
    max_size=3,
)


@st.composite
def sweep_files(draw):
    """Mostly well-formed sweeps with one thing at a time going wrong, so both answers are reached."""
    data = {"name": "s", "base": "base.toml", "design": "grid", "parameters": draw(_GOOD_PARAMS)}
    for _ in range(draw(st.integers(0, 2))):
        key = draw(st.sampled_from(["name", "base", "design", "parameters", "seeds", "samples", "kpis"]))
        data[key] = draw(
            {
                "name": st.sampled_from(["", "../x", "a b", "x" * 300]),
                "base": st.sampled_from(["missing.toml", "..", "/", "base.toml"]),
                "design": st.sampled_from(["lhs", "random", "grid"]),
                "parameters": _ANY_PARAMS,
                "seeds": st.one_of(
                    st.fixed_dictionaries({"count": st.sampled_from([-1, 0, 2, 200_000])}), st.just([1, 2])
                ),
                "samples": st.sampled_from([-1, 0, 3, 200_000]),
                "kpis": st.lists(st.sampled_from(["peak_kw", "nope", "peak_kw"]), max_size=3),
            }[key]
        )
    return data


@fuzz_settings(ci=250, full=20_000)
@given(data=sweep_files())
def test_sweep_files_load_or_fail_cleanly(data):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "base.toml").write_text(tomli_w.dumps(tiny()))
        path = Path(folder) / "sweep.toml"
        path.write_text(tomli_w.dumps(data))
        SWEEP.add("cases tried")
        try:
            with watchdog(WATCHDOG_S):
                plan = load_sweep(path)
        except CityflexError as exc:
            assert "sweep.toml" in str(exc) or "base.toml" in str(exc)
            SWEEP.add("refused (clean)")
            return
        assert 1 <= len(plan.runs) <= 100_000
        SWEEP.add("accepted")


def test_sweep_campaign_counts():
    if not SWEEP.counts:
        pytest.skip("the campaign did not run")
    SWEEP.report()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Files the argument lists point at: a tiny scenario, a bad one, a directory, a FIFO, a sweep."""
    root = tmp_path_factory.mktemp("cli")
    (root / "tiny.toml").write_text(tomli_w.dumps(tiny()))
    (root / "bad.toml").write_text('name = "x"\nseed = = 1\n')
    (root / "dir").mkdir()
    os.mkfifo(root / "fifo.toml")
    (root / "sweep.toml").write_text('name = "s"\nbase = "tiny.toml"\n[parameters]\n"ev.share" = [0.1, 0.2]\n')
    return root


COMMANDS = ["run", "check", "validate", "schema", "compare", "sweep", "plan", "data-catalogue", "gui", "", "nope"]
OPTIONS = ["--out", "--seed", "--quiet", "--option", "--engine", "--workers", "--address", "--lenient", "-h"]
VALUES = ["tiny.toml", "bad.toml", "dir", "fifo.toml", "missing.toml", "sweep.toml", "-1", "0", "abc", "1e9", "",
          "flat", "tou", "serial", "dask", "..", "/", "x" * 300]  # fmt: skip


@fuzz_settings(ci=150, full=10_000)
@given(words=st.lists(st.sampled_from(OPTIONS + VALUES), max_size=5), command=st.sampled_from(COMMANDS))
def test_cli_argument_lists_exit_cleanly(inputs, words, command):
    heavy = command in ("run", "check", "compare", "sweep", "plan", "gui") and "tiny.toml" in words
    heavy |= command == "sweep" and "sweep.toml" in words
    if heavy and "-h" not in words:  # a real run of these is the scenario campaign's job: keep this one cheap
        words = [w.replace("tiny.toml", "bad.toml").replace("sweep.toml", "bad.toml") for w in words]
    args = [command, *(str(inputs / w) if w.endswith(".toml") or w == "dir" else w for w in words)]
    args = [a for a in args if a != ""] if command == "" else args
    ARGS.add("cases tried")
    cwd = os.getcwd()
    os.chdir(inputs)  # so that a default results/ folder lands in the temporary folder
    try:
        with watchdog(WATCHDOG_S):
            code, err = cli(args)
    finally:
        os.chdir(cwd)
    assert code in (0, 1, 2) and "Traceback" not in err, (args, err)
    ARGS.add(f"exit {code}")


def test_cli_campaign_counts():
    if not ARGS.counts:
        pytest.skip("the campaign did not run")
    ARGS.report()
