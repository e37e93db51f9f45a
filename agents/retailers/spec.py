"""The `[[retailers]]` scenario entries: who supplies which share of the households, on which tariff."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationInfo, field_validator

from market.spec import Spec


class RetailerSpec(Spec):
    """A retailer: its share of the households and the tariff it sells them."""

    name: str = Field(description="Retailer name")
    customer_share: float = Field(gt=0, le=1, description="Share of households supplied [-]")
    tariff: str = Field(description="Name of a tariff in [tariffs]")


class RetailSpec(Spec):
    """`[retail]`: how the retailers signal prices to their customers."""

    controller: str = Field(
        "agents.retailers.controller:TariffPrices",
        description="'module:Class' naming a subclass of agents.retailers.controller.RetailerController "
        "(the default passes each tariff's prices on unchanged)",
    )

    @field_validator("controller")
    @classmethod
    def _loads(cls, v: str, info: ValidationInfo) -> str:
        _controller_class(v, (info.context or {}).get("base_dir"))
        return v

    def controller_class(self) -> type:
        """The retailers' controller class."""
        return _controller_class(self.controller)


def _controller_class(path: str, base_dir: Path | None = None) -> type:
    from agents.controllers import load_class
    from agents.retailers.controller import RetailerController

    return load_class(path, RetailerController, Path(base_dir) if base_dir is not None else None)
