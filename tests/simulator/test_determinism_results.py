"""Reproducibility and the results directory: same seed → identical tables; atomic writes; read back."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from simulator.errors import ResultsError
from simulator.results.run_result import TABLES, read_results, write_results
from simulator.runner import run
from tests.conftest import small_scenario


def _tables(path):
    return {name: pq.read_table(path / f"{name}.parquet").to_pandas() for name in TABLES}


def test_same_seed_identical_tables_other_seed_different(tmp_path):
    scenario = small_scenario(horizon_days=0.5)
    a = run(scenario, tmp_path / "a")
    b = run(scenario, tmp_path / "b")
    c = run(scenario, tmp_path / "c", seed=scenario.seed + 1)
    ta, tb, tc = _tables(tmp_path / "a"), _tables(tmp_path / "b"), _tables(tmp_path / "c")
    for name in TABLES:
        pd.testing.assert_frame_equal(ta[name], tb[name])
    pd.testing.assert_series_equal(pd.Series(a.kpis), pd.Series(b.kpis))  # NaN (no hub) equals NaN
    assert not ta["district"]["import_kw"].equals(tc["district"]["import_kw"])
    assert c.kpis["peak_kw"] != a.kpis["peak_kw"]


def test_results_directory_layout_and_round_trip(quickstart_result, tmp_path):
    out = write_results(quickstart_result, tmp_path / "run")
    names = {p.name for p in out.iterdir()}
    assert {".cityflex", "scenario.toml", "meta.json", "kpis.json"} | {f"{t}.parquet" for t in TABLES} == names
    meta = json.loads((out / "meta.json").read_text())
    assert meta["seed"] == quickstart_result.scenario.seed and meta["engine"]["power_flow"]
    back = read_results(out)
    assert back.kpis == pytest.approx(quickstart_result.kpis, nan_ok=True)
    assert back.scenario == quickstart_result.scenario
    pd.testing.assert_frame_equal(back.district, quickstart_result.district, check_dtype=False)


def test_failed_write_leaves_previous_results_untouched(quickstart_result, tmp_path, monkeypatch):
    out = write_results(quickstart_result, tmp_path / "run")
    before = (out / "kpis.json").read_text()
    calls = {"n": 0}
    real = pq.write_table

    def dies_on_third_table(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(pq, "write_table", dies_on_third_table)
    with pytest.raises(ResultsError, match="disk full"):
        write_results(quickstart_result, out)
    assert (out / "kpis.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no half-written temporary left


def test_reading_something_that_is_not_results(tmp_path):
    with pytest.raises(ResultsError, match="not a cityflex results directory"):
        read_results(tmp_path)
