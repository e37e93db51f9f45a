"""What customers let their HEMS do: the loads they declare flexible, for how long, and when they override it.

UPGRID's HEMS moves "customer-defined flexible loads, time windows and priorities" (seed 001). Here a
customer declares each load the HEMS may move (not every home puts every appliance under control),
the longest delay it may impose on an appliance (its time window), and the smallest saving worth a
delay (its priority); the user overrides a planned delay with some probability. By default that
probability comes from the register-fitted price response (agents.response.price): a HEMS moves a
share `hems_peak_share` of the peak-window load by itself, so each planned move is carried out with that probability and
overridden otherwise; a scenario may set its own rates. The HEMS also trims base load at the peak
by the same fitted share (agents.households.behaviour).

The declarations (`DEFAULT_DECLARED`, `DEFAULT_MAX_DELAY_H`, `min_saving_eur`) are assumptions, and a run
with HEMS homes warns while it uses them (`assumption_warnings`). No published share of customers who put
each appliance under their HEMS was found that could be checked. Candidate sources, located but not read
in full: the Smart-A consumer-acceptance survey (Mert, Suschek-Berger & Tritthart, "Consumer acceptance of
smart appliances", Smart-A D5.5, IFZ Graz 2008: acceptance of smart operation per appliance in Austria,
Germany, Italy, Slovenia and the UK), the Linear pilot (Vanthournout et al., Applied Energy 155, 2015:
240 Belgian families with smart dishwashers, washing machines, tumble dryers and hot-water buffers) and
Jouw Energie Moment (Kobus, Klaassen, Mugge & Schoormans, Applied Energy 2015, pp. 335-343: a year of
smart washing machines in Dutch homes). The klimaaktiv switchable shares (dishwasher 70 %, washing machine
30 %, water heater 80 %) are themselves labelled assumptions in that study and measure what can be
switched, not what customers declare.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import numpy as np
from pydantic import Field, ValidationInfo, field_validator, model_validator

from agents.households.spec import APPLIANCES
from market.spec import Share, Spec

LOADS = (*APPLIANCES, "ev")  # columns of the declared-load matrix

# Assumptions (no checkable trial figure; see the module docstring): a water heater on a relay and a smart
# charger cost the user nothing to hand over; wet appliances must be loaded and left ready, a dryer is most
# often needed soon.
DEFAULT_DECLARED = {"washing_machine": 0.9, "dishwasher": 0.9, "dryer": 0.7, "water_heater": 0.95, "ev": 0.95}
DEFAULT_MAX_DELAY_H = {"washing_machine": 10.0, "dishwasher": 10.0, "dryer": 6.0, "water_heater": 12.0}
ASSUMED = ("declared_share", "max_delay_h", "min_saving_eur")  # defaults without a source: the run warns


class HemsSpec(Spec):
    """Customer declarations that bound a HEMS, and how often its user overrides it (see the module docstring)."""

    declared_share: dict[str, Share] = Field(
        default_factory=lambda: dict(DEFAULT_DECLARED),
        description=f"Share of HEMS homes that declare each load flexible ({', '.join(LOADS)}; default an "
        "assumption, no checkable trial figure: the run warns) [-]",
    )
    max_delay_h: dict[str, Annotated[float, Field(ge=0, le=48)]] = Field(
        default_factory=lambda: dict(DEFAULT_MAX_DELAY_H),
        description="Longest delay a HEMS may put on each appliance's start (the customer's window; EVs: "
        "until departure; assumption) [h]",
    )
    min_saving_eur: float = Field(
        0.02, ge=0, le=10, description="A HEMS delays a load only if that saves at least this (priority; assumption) €"
    )
    override_probability: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Chance the user overrides the HEMS for one cycle or charge on a priced day; unset: "
        "1 − hems_peak_share of the register-fitted model (agents/response/parameters.toml) [-]",
    )
    event_override_probability: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Same on a critical-peak event day; unset: as override_probability [-]",
    )

    @model_validator(mode="after")
    def _known_loads(self) -> HemsSpec:
        for key, names, allowed in (
            ("declared_share", self.declared_share, LOADS),
            ("max_delay_h", self.max_delay_h, APPLIANCES),
        ):
            unknown = set(names) - set(allowed)
            if unknown:
                raise ValueError(f"{key}: unknown load(s) {sorted(unknown)}; allowed: {allowed}")
        bad = {k: v for k, v in self.declared_share.items() if not 0 <= v <= 1}
        bad |= {k: v for k, v in self.max_delay_h.items() if not 0 <= v <= 48}
        if bad:
            raise ValueError(f"declared_share must be in [0, 1] and max_delay_h in [0, 48] h (got {bad})")
        return self


def assumption_warnings(spec: HemsSpec) -> list[str]:
    """The run's warning when HEMS declarations use the unsourced defaults (`ASSUMED` not set in the scenario)."""
    assumed = [name for name in ASSUMED if name not in spec.model_fields_set]
    if not assumed:
        return []
    shares = ", ".join(f"{k} {v:g}" for k, v in DEFAULT_DECLARED.items())
    return [
        f"hems: behaviour.hems {', '.join(assumed)} are assumptions (no checkable trial figure; declared shares "
        f"{shares}); set them from a pilot's figures for a study"
    ]


@dataclass(frozen=True)
class HemsControl:
    """The declarations of every home, drawn once per run: which loads its HEMS may move, and the rules."""

    declared: np.ndarray  # bool, households × LOADS
    max_delay_steps: np.ndarray  # int per appliance (APPLIANCES order)
    min_saving_eur: float
    override_probability: float
    event_override_probability: float
    manual_move_probability: float = 1.0  # a responder moves each flexible load with this chance (fitted ceiling)

    @classmethod
    def draw(
        cls,
        spec: HemsSpec,
        has_hems: np.ndarray,
        rng: np.random.Generator,
        step_h: float,
        fitted_override: float = 0.0,
        manual_move_probability: float = 1.0,
    ) -> HemsControl:
        """Declarations for `has_hems` homes (a missing load counts as fully declared, delay unbounded).

        `fitted_override`: the override chance where the spec leaves it unset (the fitted model's 1 − h);
        `manual_move_probability`: the chance a household acting by hand moves each of its flexible loads
        (the fitted model's ceiling c of what people move or skip).
        """
        share = np.array([spec.declared_share.get(name, 1.0) for name in LOADS])
        declared = has_hems[:, None] & (rng.random((len(has_hems), len(LOADS))) < share[None, :])
        delay_h = np.array([spec.max_delay_h.get(name, 48.0) for name in APPLIANCES])
        override = fitted_override if spec.override_probability is None else spec.override_probability
        event = override if spec.event_override_probability is None else spec.event_override_probability
        return cls(
            declared=declared,
            max_delay_steps=np.round(delay_h / step_h).astype(np.int64),
            min_saving_eur=spec.min_saving_eur,
            override_probability=override,
            event_override_probability=event,
            manual_move_probability=manual_move_probability,
        )

    @classmethod
    def everything(cls, n: int) -> HemsControl:
        """Every load declared, no window, priority or override: the HEMS moves all it can (tests, tools)."""
        return cls(np.ones((n, len(LOADS)), dtype=bool), np.full(len(APPLIANCES), 10**6), 0.0, 0.0, 0.0)


class HemsFleetSpec(Spec):
    """`[hems]`: which controller plans the HEMS fleet, and which HEMS agent class decides per home."""

    fleet_controller: str = Field(
        "agents.hems.controller:CheapestStart",
        description="Vectorised HEMS controller: 'module:Class' naming a subclass of "
        "agents.hems.controller.HemsController (the default is the shipped cheapest-start planner)",
    )
    controller: str = Field(
        "",
        description="Per-agent HEMS: 'module:Class' naming a subclass of agents.hems.agent.Hems whose plan_day "
        "decides for its home (module on the Python path or a .py file next to the scenario); "
        "empty: the fleet controller plans every home",
    )
    controller_share: float = Field(
        1.0, ge=0, le=1, description="Share of the HEMS homes run by `controller` (drawn once per run) [-]"
    )

    @field_validator("fleet_controller", "controller")
    @classmethod
    def _loads(cls, v: str, info: ValidationInfo) -> str:
        if v:
            _load(info.field_name, v, (info.context or {}).get("base_dir"))
        return v

    def controller_class(self, key: str = "controller") -> type:
        """The class `key` names (an empty per-agent controller: `agents.hems.agent.Hems`)."""
        return _load(key, getattr(self, key))


def _load(key: str, path: str, base_dir: Path | None = None) -> type:
    # imported here, not at the top: agents.hems.agent and .controller import this module
    from agents.controllers import load_class
    from agents.hems.agent import Hems
    from agents.hems.controller import HemsController

    base = HemsController if key == "fleet_controller" else Hems
    return load_class(path, base, Path(base_dir) if base_dir is not None else None) if path else base
