"""The scenario's `[hub]` section for a city run: the hub and its network (`HubSpec`), and the comparison run."""

from __future__ import annotations

from pydantic import Field

from market.hub_spec import HubSpec


class CityHubSpec(HubSpec):
    """The market hub of a city run; its absence means no hub (the DSO only watches)."""

    compare_without_hub: bool = Field(
        True,
        description="Also run the scenario without the hub (demand response still on), for overload hours relieved",
    )
