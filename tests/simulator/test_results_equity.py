"""Every run carries its equity table (bill change by household group); older results without it still load."""

from __future__ import annotations

import pandas as pd

from simulator.kpi.equity import equity_table
from simulator.results.run_result import read_results, write_results


def test_a_run_writes_its_equity_table_and_reads_it_back(quickstart_result, tmp_path):
    equity = quickstart_result.equity
    assert set(equity["grouping"]) == {"all", "consumption", "pv", "ev", "hems", "vulnerability"}
    everyone = equity[equity["grouping"] == "all"].iloc[0]
    assert everyone["households"] == len(quickstart_result.agents)  # all households, consenting or not
    pd.testing.assert_frame_equal(equity, equity_table(quickstart_result.agents))
    out = write_results(quickstart_result, tmp_path / "run")
    assert (out / "equity.parquet").is_file()
    pd.testing.assert_frame_equal(read_results(out).equity, equity, check_dtype=False)


def test_results_written_before_the_equity_table_still_load(quickstart_result, tmp_path):
    out = write_results(quickstart_result, tmp_path / "old")
    (out / "equity.parquet").unlink()
    back = read_results(out)
    assert back.equity.empty
    assert back.kpis.keys() == quickstart_result.kpis.keys()
