"""The `[batteries]` scenario section: home batteries behind the meter, their size and how they are run.

Defaults are assumptions (a common 10 kWh / 5 kW home battery; 90 % round trip, the usual figure
quoted for lithium-ion home systems); no pilot document gives them, so scenarios that use batteries
should override them and say where their numbers come from.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from market.spec import Spec


class BatterySpec(Spec):
    """Home batteries: who has one, its energy and power, its efficiency, and its control."""

    share: float = Field(0.0, ge=0, le=1, description="Share of the homes with rooftop PV that have a battery [-]")
    capacity_kwh: float = Field(10.0, gt=0, le=200, description="Usable energy of one battery (assumption) [kWh]")
    power_kw: float = Field(5.0, gt=0, le=50, description="Charge and discharge power limit (assumption) [kW]")
    round_trip_efficiency: float = Field(
        0.9, gt=0, le=1, description="Energy out over energy in, split evenly on charge and discharge (assumption) [-]"
    )
    control: Literal["self_consumption", "tariff_arbitrage"] = Field(
        "self_consumption",
        description="self_consumption: store PV surplus, cover the home's load; tariff_arbitrage: charge in the "
        "day's cheapest third of steps, discharge (no export) in its dearest third",
    )
    initial_soc: float = Field(0.5, ge=0, le=1, description="State of charge at the start [-]")
