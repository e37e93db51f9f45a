"""A run's results: the `RunResult` object and its directory, written atomically and read back.

Directory layout (DESIGN.md, "Results"): `scenario.toml` (resolved), `meta.json`, `kpis.json`,
and Parquet tables `district`, `substations`, `agents`, `messages`, `events`, `requests` (the market hub's
request log; columns in `simulator.hub_record`, empty without a hub) and `equity` (bill change by household
group, `simulator.kpi.equity`: computed over every household, consenting or not, as it holds aggregates only),
and the marker `.cityflex` (`simulator.results.output_dir`: what lets a later run replace this directory).
The tables with time series carry a `case` column: "scenario" for the run, "baseline" for its counterfactual.
Results written before a table existed still load: `requests` and `equity` are then empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from market.disclosure import withhold, withhold_by_key
from simulator.errors import ResultsError, ScenarioError
from simulator.kpi.equity import equity_table
from simulator.results.output_dir import atomic_dir
from simulator.scenario import Scenario, read_toml, scenario_from_dict, scenario_to_toml

TABLES = ("district", "substations", "agents", "messages", "events", "requests", "equity")
HOUSEHOLD_SERIES = "households.parquet"  # only when `[output] household_series` asks for it
ADDED_LATER = ("requests", "equity")  # tables older results directories lack; read back as empty
_EQUITY_COLUMNS = ("bill_eur", "baseline_bill_eur", "annual_kwh", "pv_kwp", "has_ev", "has_hems")


@dataclass
class RunResult:
    """Everything a run produced, as pandas DataFrames and plain dicts."""

    scenario: Scenario
    kpis: dict[str, float]
    district: pd.DataFrame
    substations: pd.DataFrame
    agents: pd.DataFrame
    messages: pd.DataFrame
    events: pd.DataFrame
    substation_kpis: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    requests: pd.DataFrame = field(default_factory=pd.DataFrame)
    path: Path | None = None
    equity: pd.DataFrame | None = None  # None: computed from `agents` (all households) when it has the bills
    households: pd.DataFrame = field(default_factory=pd.DataFrame)  # per-household series, consenting homes only

    def __post_init__(self) -> None:
        if self.equity is None:
            has_bills = all(c in self.agents for c in _EQUITY_COLUMNS) and len(self.agents)
            self.equity = equity_table(self.agents) if has_bills else pd.DataFrame()

    def case(self, table: str, case: str = "scenario") -> pd.DataFrame:
        """Rows of a time-series table (`district` or `substations`) for one case: 'scenario' or 'baseline'."""
        frame = getattr(self, table)
        return frame[frame["case"] == case].reset_index(drop=True)


def write_results(result: RunResult, out_dir: str | Path) -> Path:
    """Write `result` to `out_dir` atomically (`simulator.results.output_dir`: replaces only a cityflex result)."""
    out = Path(out_dir)
    try:
        with atomic_dir(out, "run") as tmp:
            write_run_files(result, tmp)
    except (OSError, pa.ArrowException) as exc:
        raise ResultsError(f"{out}: cannot write results: {exc}") from exc
    result.path = out
    return out


def write_run_files(result: RunResult, directory: Path) -> None:
    """The files of a results directory, into an existing (temporary) `directory`."""
    (directory / "scenario.toml").write_text(scenario_to_toml(result.scenario), encoding="utf-8")
    (directory / "meta.json").write_text(json.dumps(result.meta, indent=2, default=str), encoding="utf-8")
    kpis = {"kpis": result.kpis, "substations": exported(result, "substation_kpis").to_dict(orient="records")}
    (directory / "kpis.json").write_text(json.dumps(kpis, indent=2, allow_nan=True), encoding="utf-8")
    if not result.households.empty:  # consenting homes only (simulator.results.household_series)
        pq.write_table(pa.Table.from_pandas(result.households, preserve_index=False), directory / HOUSEHOLD_SERIES)
    for name in TABLES:
        table = pa.Table.from_pandas(exported(result, name), preserve_index=False)
        pq.write_table(table, directory / f"{name}.parquet")


def exported(result: RunResult, table: str) -> pd.DataFrame:
    """A table as it may leave the run, under the disclosure rule (`market.disclosure`).

    Per-household rows only of consenting households (seed 003); series of a substation (or of the district)
    that cover fewer than `MIN_GROUP_SIZE` homes are withheld (NaN). Every writer and export goes through here.
    """
    frame = getattr(result, table)
    if table == "agents" and "consent" in frame:
        return frame[frame["consent"].to_numpy(dtype=bool)].reset_index(drop=True)
    if table == "substations":
        return withhold_by_key(frame, "substation", homes_per_substation(result), _measured(frame))
    if table == "substation_kpis":
        return withhold_by_key(frame, "substation", homes_per_substation(result), _measured(frame))
    if table == "district" and len(frame):
        return withhold(frame, np.full(len(frame), len(result.agents)), _measured(frame))
    return frame


def homes_per_substation(result: RunResult) -> dict[str, int]:
    """How many households each substation supplies (every household, consenting or not)."""
    if "substation" not in result.agents:
        return {}
    return {str(k): int(v) for k, v in result.agents["substation"].astype(str).value_counts().items()}


def _measured(frame: pd.DataFrame) -> list[str]:
    """The columns that carry households' figures: every float column."""
    return [c for c in frame if pd.api.types.is_float_dtype(frame[c])]


def read_results(path: str | Path) -> RunResult:
    """Read a results directory written by `write_results`."""
    root = Path(path)
    missing = [f for f in ("scenario.toml", "meta.json", "kpis.json") if not (root / f).is_file()]
    if missing:
        raise ResultsError(f"{root}: not a cityflex results directory (missing {', '.join(missing)})")
    try:
        scenario = scenario_from_dict(read_toml(root / "scenario.toml"), source=str(root / "scenario.toml"))
        kpis = json.loads((root / "kpis.json").read_text(encoding="utf-8"))
        meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
        # results written before the hub joined the city run have no requests table, before equity no equity
        tables = {
            name: pq.read_table(root / f"{name}.parquet").to_pandas()
            if name not in ADDED_LATER or (root / f"{name}.parquet").is_file()
            else pd.DataFrame()
            for name in TABLES
        }
    except (OSError, ValueError, pa.ArrowException, ScenarioError) as exc:
        raise ResultsError(f"{root}: cannot read results: {exc}") from exc
    series = root / HOUSEHOLD_SERIES
    households = pq.read_table(series).to_pandas() if series.is_file() else pd.DataFrame()
    return RunResult(
        scenario=scenario,
        kpis=kpis["kpis"],
        households=households,
        substation_kpis=pd.DataFrame(kpis["substations"]),
        meta=meta,
        path=root,
        **tables,
    )
