"""The `[heat_pumps]` scenario section: air-source heat pumps heating first-order (1R1C) house models.

Sources and assumptions:
- COP: the air-source regression of Staffell et al. (2012), "A review of domestic heat pumps", Energy &
  Environmental Science 5, 9291: COP = 6.08 − 0.09 ΔT + 0.0005 ΔT², ΔT = supply − outdoor [K]
  (the same fit the when2heat data set uses, Ruhnau et al. 2019, Scientific Data 6, 189).
- The house (R, C), the design outdoor temperature the heat pumps are sized for, the supply temperature
  and the outdoor temperatures used without a weather file are assumptions (a mid-sized, moderately
  insulated dwelling: heat-loss coefficient 250 W/K, time constant 40 h): no pilot document gives them.
  A run that uses these defaults says so in its warnings; a study should set them from its building stock.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from market.spec import Spec

# mean outdoor temperature per month, January first [°C]: an assumption (a temperate European climate)
DEFAULT_MONTHLY_C = (1.0, 2.0, 5.0, 9.0, 13.0, 16.0, 18.0, 18.0, 15.0, 11.0, 6.0, 2.0)
ASSUMED = ("resistance_k_per_kw", "capacitance_kwh_per_k", "design_outdoor_c", "supply_c")


class HeatPumpSpec(Spec):
    """Heat pumps: which homes have one, their house, their size, the comfort band and the control."""

    share: float = Field(0.0, ge=0, le=1, description="Share of the homes heated by a heat pump [-]")
    resistance_k_per_kw: float = Field(
        4.0, ge=0.5, le=50, description="House thermal resistance to outdoors, 1R1C (assumption: 250 W/K) [K/kW]"
    )
    capacitance_kwh_per_k: float = Field(
        10.0, ge=0.5, le=200, description="House thermal capacitance, 1R1C (assumption: 40 h with R) [kWh/K]"
    )
    spread: float = Field(
        0.2, ge=0, le=1, description="Lognormal spread of R and C between homes (sigma of their log) [-]"
    )
    design_outdoor_c: float = Field(
        -10.0,
        ge=-40,
        le=15,
        description="Outdoor temperature each heat pump is sized for: it holds the top of the comfort band down to it "
        "(EN 12831 sizing; the value is an assumption, set the location's design temperature) [°C]",
    )
    supply_c: float = Field(
        35.0, ge=25, le=70, description="Supply (flow) temperature the COP is evaluated at (assumption) [°C]"
    )
    comfort_min_c: float = Field(19.0, ge=5, le=30, description="Lower edge of the comfort band [°C]")
    comfort_max_c: float = Field(21.0, ge=5, le=30, description="Upper edge of the comfort band [°C]")
    control: Literal["thermostat", "hems_preheat"] = Field(
        "hems_preheat",
        description="thermostat: hold the middle of the band; hems_preheat: homes with a HEMS and a varying "
        "tariff heat to the top of the band in the day's cheap steps and before its dear ones, and coast to the "
        "bottom in its dear steps (other homes: thermostat)",
    )
    preheat_h: float = Field(3.0, ge=0, le=24, description="How long before a dear step a HEMS pre-heats [h]")
    outdoor_monthly_c: tuple[Annotated[float, Field(ge=-50, le=50)], ...] | None = Field(
        None,
        min_length=12,
        max_length=12,
        description="Mean outdoor temperature per month, January first, where no weather file gives the day's "
        "(default: an assumed temperate climate, with a warning) [°C]",
    )

    @model_validator(mode="after")
    def _band(self) -> HeatPumpSpec:
        if self.comfort_max_c <= self.comfort_min_c:
            raise ValueError(f"comfort_max_c ({self.comfort_max_c}) must be above comfort_min_c ({self.comfort_min_c})")
        if self.design_outdoor_c >= self.comfort_min_c:
            raise ValueError(f"design_outdoor_c ({self.design_outdoor_c}) must be below comfort_min_c")
        return self
