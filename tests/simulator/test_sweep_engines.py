"""The same sweep gives the same KPI table serially, on a local process pool and on a local Dask cluster."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from simulator.cli.commands import main
from simulator.sweep.design import load_sweep
from simulator.sweep.runner import read_table, run_sweep
from tests.simulator.test_sweep_spec import SMALL, write_sweep

RESULT_COLUMNS = ["design_index", "run_id", "households.hems_share", "seed", *SMALL["kpis"], "status", "error"]


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    root = tmp_path_factory.mktemp("sweep")
    plan = load_sweep(write_sweep(root, SMALL))
    return run_sweep(plan, root / "serial", engine="serial")


def _kpi_table(table: pd.DataFrame) -> pd.DataFrame:
    return table[RESULT_COLUMNS].reset_index(drop=True)


def test_serial_sweep_writes_a_table_and_a_directory_per_run(serial):
    table = read_table(serial.out)
    assert list(table.columns) == [*RESULT_COLUMNS, "wall_time_s"]
    assert list(table["status"]) == ["ok"] * 4 and list(table["design_index"]) == [0, 1, 2, 3]
    assert list(table["households.hems_share"]) == [0.0, 0.0, 0.5, 0.5] and list(table["seed"]) == [1, 2, 1, 2]
    assert (table["wall_time_s"] > 0).all()
    for rid in table["run_id"]:
        assert (serial.out / "runs" / rid / "kpis.json").is_file()
    hems = table.groupby("households.hems_share")["energy_shifted_kwh"].mean()
    assert hems[0.5] > hems[0.0]  # the parameter reached the runs


def test_two_local_workers_give_the_serial_kpis(serial, tmp_path):
    pooled = run_sweep(serial.plan, tmp_path / "local", engine="local", workers=2)
    pd.testing.assert_frame_equal(_kpi_table(pooled.table), _kpi_table(serial.table))
    pd.testing.assert_frame_equal(_kpi_table(read_table(pooled.out)), _kpi_table(serial.table))


def test_a_local_dask_cluster_gives_the_serial_kpis(serial, tmp_path):
    pytest.importorskip("dask.distributed")
    started: list[tuple[str, int, int]] = []
    on_dask = run_sweep(serial.plan, tmp_path / "dask", engine="dask", workers=2, startup=lambda *a: started.append(a))
    assert sorted(on_dask.executed) == sorted(serial.table["run_id"])
    assert ("workers", 2, 2) in started and ("imports", 2, 2) in started  # the start-up is reported, not silent
    pd.testing.assert_frame_equal(_kpi_table(on_dask.table), _kpi_table(serial.table))


def test_duckdb_queries_the_sweep_table(serial):
    duckdb = pytest.importorskip("duckdb")
    rows = duckdb.sql(
        f"""SELECT "households.hems_share" AS hems_share, avg(peak_reduction_pct) AS peak_reduction_pct, count(*) AS n
        FROM '{serial.table_path}' WHERE status = 'ok' GROUP BY 1 ORDER BY 1"""
    ).fetchall()
    expected = serial.table.groupby("households.hems_share")["peak_reduction_pct"].mean()
    assert [(h, n) for h, _, n in rows] == [(0.0, 2), (0.5, 2)]
    assert [r[1] for r in rows] == pytest.approx(list(expected))


def test_cli_resumes_the_finished_sweep_and_prints_its_table(serial, capsys):
    sweep_file = serial.plan.source
    code = main(["sweep", str(sweep_file), "--out", str(serial.out), "--engine", "serial", "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "4 runs (0 executed, 4 resumed), 0 failed" in out and "peak_reduction_pct" in out


def test_cli_bad_engine_arguments_exit_2(serial, capsys):
    code = main(["sweep", str(serial.plan.source), "--out", str(serial.out), "--address", "tcp://x:1"])
    assert code == 2 and "--address is for --engine dask" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["sweep", str(serial.plan.source), "--workers", "0"])
    assert info.value.code == 2


def test_without_dask_the_dask_engine_is_a_clear_error(serial, tmp_path, monkeypatch):
    from simulator.sweep.engines import SweepEngineError

    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # as if the extra were not installed
    with pytest.raises(SweepEngineError, match=r"cityflex\[sweep\]"):
        run_sweep(serial.plan, tmp_path / "x", engine="dask")
    assert not (tmp_path / "x").exists()
