"""The market hub's part of a run's results: the run without the hub (for the relief KPI) and the hub's tables."""

from __future__ import annotations

import pandas as pd

from market.log import message_table, request_table
from simulator.grid.grid import Grid
from simulator.hub_record import REQUEST_COLUMNS, HubRecord
from simulator.model import CityModel
from simulator.scenario import Scenario


def without_hub_model(scenario: Scenario, grid: Grid) -> CityModel | None:
    """The same run without the hub (demand response on), when the scenario has a hub and asks for the comparison."""
    if scenario.hub is None or not scenario.hub.compare_without_hub:
        return None
    return CityModel(scenario.model_copy(update={"hub": None}), demand_response=True, grid=grid.clone())


def hub_record(model: CityModel) -> HubRecord | None:
    """What the run's hub did (None without a hub)."""
    return model.market.record() if model.market is not None else None


def messages_table(record: HubRecord | None) -> pd.DataFrame:
    """`messages.parquet`: one row per message hop (columns in `market.log`); empty without a hub."""
    return record.messages if record is not None else message_table([])


def requests_table(record: HubRecord | None) -> pd.DataFrame:
    """`requests.parquet`: one row per request (columns in `simulator.hub_record`); empty without a hub."""
    if record is not None:
        return record.requests
    empty = request_table([])
    for col in REQUEST_COLUMNS:
        empty[col] = pd.Series(dtype=object if col == "area" else float)
    return empty
