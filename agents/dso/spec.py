"""How the DSO acts on congestion through the market hub: `[dso.forecast]`, `[dso.flexibility]`, `[dso.emergency]`.

Seed 001 describes the flows (flexibility requests, emergency mode with a contracted-power reduction announced
beforehand, restore orders) but gives no thresholds or sizes: every default here is an assumption, so labelled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from market.spec import Spec


class ForecastSpec(Spec):
    """The DSO's forecast of each substation's load for the next steps."""

    method: Literal["plans", "persistence"] = Field(
        "plans",
        description=(
            "plans: the non-flexible load of the same time on the last days plus the flexible load the HEMS plan; "
            "persistence: the last measured load plus the planned flexible load"
        ),
    )
    history_days: int = Field(3, ge=1, le=28, description="Days of measured load the forecast averages over [d]")
    lookahead_steps: int = Field(4, ge=1, le=96, description="Steps ahead the DSO looks for a constraint [steps]")


class FlexibilitySpec(Spec):
    """When and how much flexibility the DSO asks for (assumptions: no figures in the pilot documents)."""

    enabled: bool = Field(True, description="Send flexibility requests when a constraint is forecast or measured")
    window_steps: int = Field(4, ge=1, le=96, description="Length of the requested reduction window [steps]")
    margin_pct: float = Field(
        5.0, ge=0, le=50, description="Request sized to bring loading this far under the threshold [% of rating]"
    )
    min_request_kw: float = Field(1.0, ge=0, le=100_000, description="Smaller excesses are not worth a request [kW]")


class EmergencySpec(Spec):
    """When the DSO escalates to emergency mode, by how much it cuts contracted power, when it restores."""

    enabled: bool = Field(True, description="Escalate persistent or severe constraints to emergency mode")
    severity_pct: float = Field(
        120.0, gt=0, le=300, description="Measured transformer loading that triggers emergency mode at once [%]"
    )
    persistence_steps: int = Field(
        3, ge=1, le=96, description="Consecutive steps measured over the threshold that trigger emergency mode [steps]"
    )
    reduction_pct: float = Field(
        40.0, gt=0, lt=100, description="Cut of the contracted power of every client in the area [%]"
    )
    notice_s: float = Field(
        60.0, ge=0, le=86400, description="Clients are notified this long before the reduction starts [s]"
    )
    restore_below_pct: float = Field(
        80.0, gt=0, le=300, description="Restore once measured loading is under this and the forecast is clear [%]"
    )
    restore_steps: int = Field(2, ge=1, le=96, description="Steps loading must stay under restore_below_pct [steps]")
    min_steps: int = Field(4, ge=1, le=960, description="Shortest emergency, against flapping [steps]")
    default_contracted_kva: float = Field(
        6.9, gt=0, le=100, description="Contracted power where the scenario assigns none (a common PT level) [kVA]"
    )

    @model_validator(mode="after")
    def _hysteresis(self) -> EmergencySpec:
        if self.restore_below_pct >= self.severity_pct:
            raise ValueError(
                f"restore_below_pct must be < severity_pct ({self.restore_below_pct} >= {self.severity_pct})"
            )
        return self


class DsoSpec(Spec):
    """The distribution system operator's limits, and how it acts through the market hub (when there is one)."""

    transformer_loading_threshold_pct: float = Field(
        100.0, gt=0, le=300, description="Transformer loading the DSO treats as a constraint [%]"
    )
    voltage_band_pct: float = Field(
        10.0, gt=0, le=30, description="Allowed deviation from nominal voltage (EN 50160: ±10 %) [%]"
    )
    forecast: ForecastSpec = Field(default_factory=ForecastSpec, description="How the DSO forecasts each area")
    flexibility: FlexibilitySpec = Field(
        default_factory=FlexibilitySpec, description="Flexibility requests through the market hub"
    )
    emergency: EmergencySpec = Field(default_factory=EmergencySpec, description="Emergency mode and restore")
    controller: str = Field(
        "agents.dso.control:CongestionControl",
        description="What the DSO requests and when it declares an emergency: 'module:Class' naming a subclass "
        "of agents.dso.control.CongestionControl (the default is the shipped state machine)",
    )

    @field_validator("controller")
    @classmethod
    def _loads(cls, v: str, info: ValidationInfo) -> str:
        _control_class(v, (info.context or {}).get("base_dir"))
        return v

    def controller_class(self) -> type:
        """The DSO's decision class (vectorised over substations)."""
        return _control_class(self.controller)


def _control_class(path: str, base_dir: Path | None = None) -> type:
    # imported here, not at the top: agents.dso.control imports this module
    from agents.controllers import load_class
    from agents.dso.control import CongestionControl

    return load_class(path, CongestionControl, Path(base_dir) if base_dir is not None else None)
