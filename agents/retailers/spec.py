"""The `[[retailers]]` scenario entries: who supplies which share of the households, on which tariff."""

from __future__ import annotations

from pydantic import Field

from market.spec import Spec


class RetailerSpec(Spec):
    """A retailer: its share of the households and the tariff it sells them."""

    name: str = Field(description="Retailer name")
    customer_share: float = Field(gt=0, le=1, description="Share of households supplied [-]")
    tariff: str = Field(description="Name of a tariff in [tariffs]")
