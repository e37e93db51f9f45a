"""The `[ev]` scenario section: who has an electric vehicle charged at home, when it plugs in, what it needs.

Defaults are assumptions unless a comment names a source (see ../shared/DOMAIN.md).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from market.spec import Share, Spec


class EvSpec(Spec):
    """Electric vehicles charged at home: who has one, when they plug in, how much they need."""

    share: float = Field(0.0, ge=0, le=1, description="Share of households with an EV at the start")
    share_growth_per_month: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Relative growth of the EV share per month over the run: share × (1 + g)^months, "
        "capped at 1; new EV owners start charging from the day they join [-/month]",
    )
    charger_kw: tuple[Annotated[float, Field(gt=0, le=22)], ...] = Field(
        (3.7, 7.4, 11.0), description="Home charger powers to draw from, 3.7–22 kW (SimBench profile names) [kW]"
    )
    charger_weights: tuple[Share, ...] = Field(
        (0.4, 0.45, 0.15), description="Probability of each charger power (assumption) [-]"
    )
    sessions_per_week: float = Field(
        2.9, gt=0, le=7, description="Home charging sessions a week (12–13 a month: Sagewell)"
    )
    session_kwh_mean: float = Field(
        7.8,
        gt=0,
        le=100,
        description="Mean energy per session [kWh] (SimBench home 2.1–4.3 kWh/day over 2.9 sessions/week)",
    )
    session_kwh_sd: float = Field(3.0, ge=0, le=50, description="Spread of session energy [kWh]")
    arrival_h_mean: float = Field(
        18.5, ge=0, lt=24, description="Mean plug-in hour (SimBench home charging peaks 17–20 h) [h]"
    )
    arrival_h_sd: float = Field(1.5, ge=0, le=6, description="Spread of the plug-in hour [h]")
    departure_h_mean: float = Field(7.5, ge=0, lt=24, description="Mean unplug hour next morning (assumption) [h]")
    departure_h_sd: float = Field(1.0, ge=0, le=6, description="Spread of the unplug hour [h]")

    @model_validator(mode="after")
    def _weights(self) -> EvSpec:
        if len(self.charger_kw) != len(self.charger_weights) or not self.charger_kw:
            raise ValueError("charger_kw and charger_weights must be non-empty and of the same length")
        if abs(sum(self.charger_weights) - 1) > 1e-6 or min(self.charger_weights) < 0:
            raise ValueError(f"charger_weights must be >= 0 and sum to 1 (got {sum(self.charger_weights)})")
        return self
