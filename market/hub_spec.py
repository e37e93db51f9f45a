"""Configuration of the market hub and its communication network (the scenario's `[hub]` section).

Defaults come from the UPGRID Market Hub Platform evaluation (seed 004) where the paper gives a number
(the retailer-platform delay); every other default is an assumption, labelled in its description.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, model_validator

from market.disclosure import MIN_GROUP_SIZE
from market.latency import Constant, LatencyModel, LogNormal, Uniform, ZeroLatency
from market.spec import Spec

MAX_DELAY_S = 86_400.0  # bound on any one delay: a message a day late is lost, not slow (assumption)
MAX_TIME_S = 366 * 86_400.0  # times since the start: the longest horizon
COMPONENT_NAME = re.compile(r"^(dso|hub|storage|hems|meter|platform:[A-Za-z0-9_.*-]+)$")


class HubSpecBase(Spec):
    """Strict (unknown keys are errors), immutable, validated defaults (the shared `Spec` config)."""


class ZeroLatencySpec(HubSpecBase):
    """No delay."""

    kind: Literal["zero"] = Field("zero", description="Latency model: none")

    def model(self) -> LatencyModel:
        """The latency model this section describes."""
        return ZeroLatency()


class ConstantLatencySpec(HubSpecBase):
    """A fixed delay."""

    kind: Literal["constant"] = Field("constant", description="Latency model: a fixed delay")
    value_s: float = Field(ge=0, le=MAX_DELAY_S, description="The delay [s]")

    def model(self) -> LatencyModel:
        """The latency model this section describes."""
        return Constant(self.value_s)


class UniformLatencySpec(HubSpecBase):
    """A delay uniform in [low_s, high_s)."""

    kind: Literal["uniform"] = Field("uniform", description="Latency model: uniform in [low_s, high_s)")
    low_s: float = Field(ge=0, le=MAX_DELAY_S, description="Smallest delay [s]")
    high_s: float = Field(ge=0, le=MAX_DELAY_S, description="Upper bound of the delay, excluded [s]")

    @model_validator(mode="after")
    def _ordered(self) -> UniformLatencySpec:
        if self.low_s > self.high_s:
            raise ValueError(f"low_s must be <= high_s (got {self.low_s} > {self.high_s})")
        return self

    def model(self) -> LatencyModel:
        """The latency model this section describes."""
        return Uniform(self.low_s, self.high_s)


class LogNormalLatencySpec(HubSpecBase):
    """A right-skewed delay: shift plus a log-normal."""

    kind: Literal["lognormal"] = Field("lognormal", description="Latency model: shift + log-normal")
    median_s: float = Field(gt=0, le=MAX_DELAY_S, description="Median of the log-normal part [s]")
    sigma: float = Field(0.5, ge=0, le=3, description="Standard deviation of the log of the delay [-]")
    shift_s: float = Field(0.0, ge=0, le=MAX_DELAY_S, description="Fixed minimum added to every draw [s]")

    def model(self) -> LatencyModel:
        """The latency model this section describes."""
        return LogNormal(self.median_s, self.sigma, self.shift_s)


LatencySpec = Annotated[
    ZeroLatencySpec | ConstantLatencySpec | UniformLatencySpec | LogNormalLatencySpec,
    Field(discriminator="kind"),
]


def _lognormal(median_s: float, sigma: float) -> LogNormalLatencySpec:
    return LogNormalLatencySpec(median_s=median_s, sigma=sigma)


class ComponentSpec(HubSpecBase):
    """A server: service time = a draw + `per_client_s` × clients in the message, `capacity` at once, a queue."""

    service: LatencySpec = Field(description="Service time per message, before the per-client part [s]")
    per_client_s: float = Field(
        0.0, ge=0, le=MAX_DELAY_S, description="Extra service time per client a message touches [s]"
    )
    capacity: int = Field(1, ge=1, le=100_000, description="Messages in service at once [-]")
    queue_limit: int | None = Field(
        None,
        ge=0,
        le=10**9,
        description="Messages allowed to wait; beyond it arrivals are rejected (none: unbounded) [-]",
    )
    dispatch_s: float = Field(
        0.0,
        ge=0,
        le=MAX_DELAY_S,
        description="Service time to send each outgoing message (serialise, connect), on its servers [s]",
    )
    warmup_s: float = Field(
        0.0, ge=0, le=MAX_DELAY_S, description="After a (re)start, service is slower for this long [s]"
    )
    warmup_factor: float = Field(
        1.0, ge=1, le=100, description="Service-time multiplier right after a (re)start, easing to 1 [-]"
    )


def _default_dso() -> ComponentSpec:
    # assumption: the DSO central system answers quickly and in parallel.
    return ComponentSpec(service=ConstantLatencySpec(value_s=0.001), capacity=8)


def _default_hub() -> ComponentSpec:
    # seed 004: the MHP ran on Glassfish on a dual-core host, hence 2 servers; the times are assumptions,
    # chosen so that MHP processing dominates the base set-up (figure 6) and grows with the number of
    # retailers it dispatches to (figure 9), slower for a minute after a (re)start (figures 11, 12).
    return ComponentSpec(
        service=_lognormal(0.008, 0.3),
        per_client_s=2e-6,
        capacity=2,
        dispatch_s=0.004,
        queue_limit=5000,
        warmup_s=60.0,
        warmup_factor=2.5,
    )


def _default_storage() -> ComponentSpec:
    # assumption: the HBase store (HASS) costs per client row read or written, so it is the component
    # most affected by the number of clients (seed 004, figure 7).
    return ComponentSpec(service=_lognormal(0.003, 0.4), per_client_s=2e-5, capacity=2, queue_limit=5000)


def _default_platform() -> ComponentSpec:
    # seed 004: "an artificial delay chosen at random from the interval [100,110[ ms was injected in the RP".
    return ComponentSpec(service=UniformLatencySpec(low_s=0.100, high_s=0.110), capacity=64)


def _default_hems() -> ComponentSpec:
    # assumption: one embedded gateway per home, one message at a time.
    return ComponentSpec(service=_lognormal(0.020, 0.5), capacity=1)


def _default_meter() -> ComponentSpec:
    # assumption: PLC PRIME / GPRS through the substation's DTC (seed 001) takes seconds per order.
    return ComponentSpec(service=_lognormal(2.0, 0.5), per_client_s=0.005, capacity=4)


class ComponentsSpec(HubSpecBase):
    """Every kind of component of the communication network."""

    dso: ComponentSpec = Field(default_factory=_default_dso, description="DSO central system")
    hub: ComponentSpec = Field(default_factory=_default_hub, description="Market hub platform (MHP)")
    storage: ComponentSpec = Field(default_factory=_default_storage, description="Hub storage (HASS)")
    platform: ComponentSpec = Field(
        default_factory=_default_platform, description="Each retailer platform (RP); one server per retailer"
    )
    hems: ComponentSpec = Field(
        default_factory=_default_hems, description="Each HEMS gateway; handled in bulk, one queue per home"
    )
    meter: ComponentSpec = Field(default_factory=_default_meter, description="Smart-meter channel (DTC, PLC)")


class LinksSpec(HubSpecBase):
    """One-way latency of each kind of link (the same both ways)."""

    dso_hub: LatencySpec = Field(
        default_factory=lambda: _lognormal(0.001, 0.3), description="DSO ↔ hub, one LAN (assumption) [s]"
    )
    hub_storage: LatencySpec = Field(
        default_factory=lambda: _lognormal(0.0005, 0.3), description="Hub ↔ storage cluster (assumption) [s]"
    )
    hub_platform: LatencySpec = Field(
        default_factory=lambda: _lognormal(0.015, 0.4), description="Hub ↔ retailer platform, WAN (assumption) [s]"
    )
    platform_hems: LatencySpec = Field(
        default_factory=lambda: _lognormal(0.040, 0.6), description="Platform ↔ HEMS, home internet (assumption) [s]"
    )
    dso_meter: LatencySpec = Field(
        default_factory=lambda: _lognormal(1.0, 0.5), description="DSO ↔ smart meters via PLC (assumption) [s]"
    )


class FaultSpec(HubSpecBase):
    """A component down from `down_at_s`, restarted at `restart_at_s`, available `boot_s` later."""

    component: str = Field(description="dso, hub, storage, hems, meter, platform:<retailer id> or platform:*")
    down_at_s: float = Field(ge=0, le=MAX_TIME_S, description="When the component fails [s since start]")
    restart_at_s: float = Field(ge=0, le=MAX_TIME_S, description="When it is started again [s since start]")
    boot_s: float = Field(0.0, ge=0, le=MAX_DELAY_S, description="Time from restart to serving again [s]")

    @model_validator(mode="after")
    def _valid(self) -> FaultSpec:
        _check_component(self.component)
        if self.restart_at_s < self.down_at_s:
            raise ValueError(f"restart_at_s must be >= down_at_s (got {self.restart_at_s} < {self.down_at_s})")
        return self


class RandomFaultSpec(HubSpecBase):
    """Failures of a component at random: a Poisson process of crashes, exponential repair, then a boot."""

    component: str = Field(description="dso, hub, storage, hems, meter, platform:<retailer id> or platform:*")
    rate_per_h: float = Field(gt=0, le=3600, description="Mean number of failures per hour of uptime [1/h]")
    mean_down_s: float = Field(gt=0, le=MAX_DELAY_S, description="Mean time until the restart, exponential [s]")
    boot_s: float = Field(0.0, ge=0, le=MAX_DELAY_S, description="Time from restart to serving again [s]")

    @model_validator(mode="after")
    def _valid(self) -> RandomFaultSpec:
        _check_component(self.component)
        return self


class RetryPolicySpec(HubSpecBase):
    """What a sender does when a request goes silent: wait `timeout_s`, back off, repeat."""

    max_retries: int = Field(
        0, ge=0, le=20, description="Repeats after the first attempt; 0 means a dropped request is lost [-]"
    )
    timeout_s: float = Field(
        5.0, gt=0, le=MAX_DELAY_S, description="Silence after which the sender gives an attempt up [s]"
    )
    backoff_s: float = Field(1.0, ge=0, le=MAX_DELAY_S, description="Wait after the first timeout before repeating [s]")
    backoff_factor: float = Field(2.0, ge=1, le=10, description="Each further wait is this many times longer [-]")


class HubSpec(HubSpecBase):
    """The market hub and its network: components, links, faults, the senders' retry policy, consent."""

    components: ComponentsSpec = Field(default_factory=ComponentsSpec, description="Servers of the network")
    links: LinksSpec = Field(default_factory=LinksSpec, description="Link latencies")
    faults: tuple[FaultSpec, ...] = Field((), description="Scheduled outages")
    random_faults: tuple[RandomFaultSpec, ...] = Field((), description="Random outages")
    retry: RetryPolicySpec = Field(default_factory=RetryPolicySpec, description="Senders' retry policy")
    consent_share: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Share of clients consenting to share their individual data [-] (the hub-stress replay, where "
        "unset means everyone; a city run takes households.consent_share and refuses a different value here)",
    )
    min_aggregate_clients: int = Field(
        MIN_GROUP_SIZE,
        ge=MIN_GROUP_SIZE,
        le=10**6,
        description="Fewest distinct consenting clients an aggregate the hub releases may cover; never below the "
        "disclosure rule's minimum group size (market.disclosure) [-]",
    )


def _check_component(name: str) -> None:
    if not COMPONENT_NAME.match(name):
        raise ValueError(
            f"unknown component {name!r}; allowed: dso, hub, storage, hems, meter, platform:<retailer id>, platform:*"
        )
