"""The behaviour model's parameters: fitted ones (with the fit's provenance) and assumed ones (with a warning).

All of them live in one file, `agents/response/parameters.toml`, written by
`scripts/fit_behaviour.py`. Fitted parameters name the register studies they were fitted on; an
assumed parameter carries the reason it is assumed, and `assumption_warnings` lists those so that
every output that depends on them can say so.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import Field

from market.spec import Spec

PARAMETERS_FILE = Path(__file__).with_name("parameters.toml")

FITTED = (
    "tou_per_log_ratio",
    "cpp_per_log_ratio",
    "ptr_per_log_ratio",
    "hems_peak_share",
    "hems_manual_share",
    "feedback_realtime_saving",
    "feedback_period_scale_days",
    "peer_median_saving",
    "peer_slope_per_relative_use",
    "target_attainment",
    "habit_decay_per_year",
    "manual_conserved_share",
)


class BehaviourParameters(Spec):
    """Every number of the behaviour model (fractions, not percent)."""

    tou_per_log_ratio: float = Field(ge=0, le=2, description="Manual peak cut per ln(price ratio), ToU weekdays [-]")
    cpp_per_log_ratio: float = Field(ge=0, le=2, description="Manual peak cut per ln(price ratio), CPP event days [-]")
    ptr_per_log_ratio: float = Field(
        ge=0, le=2, description="Manual peak cut per ln(effective ratio), peak-time rebate event days [-]"
    )
    manual_ceiling: float = Field(
        gt=0, le=1, description="Largest share of peak-window load a household cuts or moves by hand [-]"
    )
    hems_peak_share: float = Field(ge=0, le=1, description="Share of peak-window load a HEMS/thermostat moves [-]")
    hems_manual_share: float = Field(
        ge=0, le=1, description="Share of the manual response that remains on top of the automation [-]"
    )
    manual_conserved_share: float = Field(
        ge=0, le=1, description="Share of the manual peak-window cut never consumed (the rest moves to cheap hours) [-]"
    )
    hems_conserved_share: float = Field(
        ge=0, le=1, description="Share of the HEMS peak-window cut never consumed (the rest moves to cheap hours) [-]"
    )
    default_enrolment_factor: float = Field(
        gt=0, le=1, description="Price response of defaulted customers relative to volunteers [-]"
    )
    feedback_realtime_saving: float = Field(ge=0, le=0.5, description="Saving with real-time feedback (a display) [-]")
    feedback_period_scale_days: float = Field(
        gt=0, le=1000, description="Feedback saving falls as exp(-period / this) for less frequent feedback [d]"
    )
    peer_median_saving: float = Field(ge=-0.2, le=0.5, description="Peer-report saving of a home at its group median")
    peer_slope_per_relative_use: float = Field(
        ge=0, le=1, description="Extra saving per unit of (own recent use / group median - 1) [-]"
    )
    peer_group_size: int = Field(ge=2, le=100_000, description="Homes in a comparison group [-]")
    peer_window_days: int = Field(ge=1, le=366, description="Days of own recent use the comparison is made on [d]")
    target_attainment: float = Field(ge=0, le=2, description="Share of a reduction target reached with feedback [-]")
    attention_half_life_days: float = Field(gt=0, le=1000, description="Half-life of attention after a contact [d]")
    habit_formation_days: float = Field(gt=0, le=5000, description="Time constant of habit formed while treated [d]")
    habit_decay_per_year: float = Field(ge=0, le=1, description="Share of a formed habit lost per year once stopped")
    responsiveness_shape: float = Field(
        gt=0, le=100, description="Gamma shape of household responsiveness (mean 1): lower, more spread [-]"
    )
    usage_spread: float = Field(gt=0, le=3, description="Log-sd of households' mean daily use [-]")
    daily_noise: float = Field(ge=0, le=2, description="Log-sd of a household's day-to-day use [-]")


class ParameterFile(Spec):
    """The parameters file: values, the source or reason of each assumed value, and the fit's provenance."""

    fitted: dict[str, float]
    assumed: dict[str, float]
    assumed_sources: dict[str, str]
    provenance: dict[str, object]

    def parameters(self) -> BehaviourParameters:
        """The parameters as one checked object."""
        return BehaviourParameters.model_validate({**self.assumed, **self.fitted})

    def assumption_warnings(self) -> list[str]:
        """One line per assumed parameter with its reason (shown with every output that uses the model)."""
        return [f"{name} = {self.assumed[name]:g}: {self.assumed_sources[name]}" for name in sorted(self.assumed)]


def load_parameter_file(path: Path = PARAMETERS_FILE) -> ParameterFile:
    """Read and check the parameters file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pf = ParameterFile.model_validate(data)
    missing = set(FITTED) - set(pf.fitted)
    if missing:
        raise ValueError(f"{path}: fitted parameters missing: {sorted(missing)}")
    if set(pf.assumed) - set(pf.assumed_sources):
        raise ValueError(f"{path}: every assumed parameter needs a source or reason in [assumed_sources]")
    pf.parameters()
    return pf


def load_parameters(path: Path = PARAMETERS_FILE) -> BehaviourParameters:
    """The model's parameters from the file."""
    return load_parameter_file(path).parameters()
