"""Scenario of kind `hub_stress`: the replay of the UPGRID Market Hub Platform stress test (seed 004).

A DSO simulator sends four request types at a fixed rate each; the hub's network, faults and retry policy
come from the embedded `[hub]` section; experiments repeat the run varying the number of clients or retailers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from market.hub_spec import FaultSpec, HubSpec
from market.spec import Spec
from simulator.errors import ScenarioError

REQUEST_KINDS = ("flexibility", "emergency", "load_shift", "billing")


class RequestTypeSpec(Spec):
    """One request type of the DSO simulator."""

    rate_per_min: float = Field(30.0, ge=0, le=60_000, description="Requests of this type per minute [1/min]")
    client_share: float = Field(0.1, gt=0, le=1, description="Share of the clients each request touches [-]")


def _hub_with_outage() -> HubSpec:
    # seed 004, figure 12: the MHP shut down at minute 5 and booted (~30 s) during minute 6.
    return HubSpec(faults=(FaultSpec(component="hub", down_at_s=240.0, restart_at_s=330.0, boot_s=30.0),))


class ExperimentSpec(Spec):
    """A scalability experiment: the base run repeated for each value of one parameter."""

    name: str = Field(description="Name of the experiment's table")
    vary: Literal["clients", "retailers"] = Field(description="The parameter that changes")
    values: tuple[int, ...] = Field(min_length=1, description="Its values, one run each [-]")
    faults: bool = Field(False, description="Keep the hub's faults in these runs (seed 004 ran them without)")

    @model_validator(mode="after")
    def _positive(self) -> ExperimentSpec:
        if any(v < 1 for v in self.values):
            raise ValueError(f"values must be >= 1 (got {list(self.values)})")
        return self


def _default_experiments() -> tuple[ExperimentSpec, ...]:
    return (
        ExperimentSpec(name="clients", vary="clients", values=(100, 1000, 10000)),
        ExperimentSpec(name="retailers", vary="retailers", values=(1, 5, 10)),
    )


class HubStressSpec(Spec):
    """The UPGRID market-hub stress test: rates, request sizes, set-up, network, outage and experiments."""

    kind: Literal["hub_stress"] = Field("hub_stress", description="Scenario kind")
    name: str = Field(description="Short name, used for results directories")
    description: str = Field("", description="What the scenario is for")
    seed: int = Field(0, ge=0, le=2**63 - 1, description="Seed of every random draw in the run")
    duration_s: float = Field(600.0, gt=0, le=86_400, description="Length of each run [s]")
    clients: int = Field(100, ge=1, le=1_000_000, description="Clients in the base set-up [-]")
    retailers: int = Field(1, ge=1, le=1000, description="Retailers (one platform each) in the base set-up [-]")
    arrivals: Literal["periodic", "poisson"] = Field(
        "periodic", description="Request arrivals: evenly spaced (staggered per type) or a Poisson process"
    )
    flexibility: RequestTypeSpec = Field(default_factory=RequestTypeSpec, description="Reduce-load requests")
    emergency: RequestTypeSpec = Field(default_factory=RequestTypeSpec, description="Emergency-mode notices")
    load_shift: RequestTypeSpec = Field(
        default_factory=RequestTypeSpec, description="Load-shift signals (load information to the clients)"
    )
    billing: RequestTypeSpec = Field(
        default_factory=lambda: RequestTypeSpec(client_share=0.3), description="Billing requests"
    )
    flexibility_kw_per_client: float = Field(
        0.5, gt=0, description="Reduction a flexibility request asks per client it touches [kW]"
    )
    declared_flexibility_kw: tuple[float, float] = Field(
        (0.5, 2.0), description="Range of flexibility each client declares to its platform, uniform [kW]"
    )
    hub: HubSpec = Field(default_factory=_hub_with_outage, description="The hub and its network")
    experiments: tuple[ExperimentSpec, ...] = Field(
        default_factory=_default_experiments, description="Scalability experiments"
    )
    expect: dict[str, tuple[float, float]] = Field(
        default_factory=dict, description="KPI bands that `check` enforces: name = [min, max]"
    )
    provenance: dict[str, str] = Field(
        default_factory=dict, description="Where each number comes from: key path = source or 'assumption: why'"
    )

    @model_validator(mode="after")
    def _consistent(self) -> HubStressSpec:
        low, high = self.declared_flexibility_kw
        if not 0 <= low <= high:
            raise ValueError(f"declared_flexibility_kw must be [low, high] with 0 <= low <= high (got {low}, {high})")
        for kpi, (a, b) in self.expect.items():
            if a > b:
                raise ValueError(f"expect.{kpi}: band [min, max] has min > max ({a} > {b})")
        return self

    def request_types(self) -> dict[str, RequestTypeSpec]:
        """The four request types by name."""
        return {k: getattr(self, k) for k in REQUEST_KINDS}


def hub_stress_from_dict(data: dict[str, Any], source: str = "<hub_stress>") -> HubStressSpec:
    """Validate a `hub_stress` scenario given as a dict, or raise one `ScenarioError` listing every problem."""
    from simulator.scenario import validation_problems

    if not isinstance(data, dict) or data.get("kind") != "hub_stress":
        got = data.get("kind") if isinstance(data, dict) else None
        raise ScenarioError(source, [f"kind: this loader reads hub_stress scenarios (got {got!r})"])
    try:
        return HubStressSpec.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(source, validation_problems(exc)) from None


def load_hub_stress(path: str | Path, overrides: dict[str, Any] | None = None) -> HubStressSpec:
    """Read and validate a `hub_stress` scenario file; `overrides` sets keys by dotted path (`scenario_overrides`)."""
    from simulator.scenario import read_toml
    from simulator.scenario_overrides import described, set_key_paths

    path = Path(path)
    data = set_key_paths(read_toml(path), overrides or {}, str(path))
    return hub_stress_from_dict(data, source=described(str(path), overrides or {}))
