"""Scenario section `[grid]`: a synthetic MV/LV district built from parameters, or a SimBench LV grid."""

from __future__ import annotations

import functools
from typing import Annotated, Literal

from pydantic import Field, field_validator

from market.spec import Spec

POWER_FLOW_BACKENDS = ("auto", "pandapower", "zbus")


@functools.cache
def _std_types(element: str) -> list[str]:
    """Standard type names pandapower knows for an element (cached: building the lookup net costs ~0.1 s)."""
    import pandapower as pp
    import pandapower.std_types as st

    return list(st.available_std_types(pp.create_empty_network(), element).index)


class SyntheticGridSpec(Spec):
    """A primary substation feeding radial MV feeders, each chaining MV/LV substations with radial LV feeders."""

    kind: Literal["synthetic"] = "synthetic"
    substations: int = Field(2, ge=1, le=5000, description="Number of MV/LV (secondary) substations")
    mv_feeders: int = Field(1, ge=1, le=500, description="Radial MV feeders leaving the primary substation")
    households_per_substation: int = Field(
        75, ge=1, le=2000, description="Households connected behind each secondary substation"
    )
    lv_feeders_per_substation: int = Field(4, ge=1, le=20, description="Radial LV feeders per substation")
    transformer_type: str = Field("0.4 MVA 20/0.4 kV", description="pandapower standard type of each MV/LV transformer")
    mv_line_type: str = Field("NA2XS2Y 1x240 RM/25 12/20 kV", description="pandapower standard type of the MV cables")
    mv_section_km: float = Field(
        0.4, gt=0, le=50, description="MV cable length between consecutive substations on a feeder [km]"
    )
    lv_line_type: str = Field("NAYY 4x150 SE", description="pandapower standard type of the LV cables")
    lv_section_m: float = Field(
        25.0, gt=0, le=1000, description="LV cable length between consecutive connection points [m]"
    )
    slack_vm_pu: float = Field(
        1.0, ge=0.9, le=1.1, description="Voltage set-point at the primary substation's MV busbar [p.u.]"
    )
    power_flow: Literal["auto", "pandapower", "zbus"] = Field(
        "auto", description="Power-flow backend: pandapower's runpp, the fast Z-bus solver, or auto"
    )

    @field_validator("transformer_type")
    @classmethod
    def _known_trafo(cls, v: str) -> str:
        allowed = _std_types("trafo")
        if v not in allowed:
            raise ValueError(f"unknown transformer type {v!r}; allowed: {', '.join(allowed)}")
        return v

    @field_validator("mv_line_type", "lv_line_type")
    @classmethod
    def _known_line(cls, v: str) -> str:
        allowed = _std_types("line")
        if v not in allowed:
            raise ValueError(f"unknown line type {v!r}; allowed: {', '.join(allowed)}")
        return v


class SimbenchGridSpec(Spec):
    """A SimBench LV benchmark grid shipped in the `simbench` wheel; its residential loads become households."""

    kind: Literal["simbench"]
    code: str = Field(description="SimBench code of an LV grid, e.g. '1-LV-semiurb4--0-sw'")
    slack_vm_pu: float = Field(1.0, ge=0.9, le=1.1, description="Voltage set-point at the external grid [p.u.]")
    power_flow: Literal["auto", "pandapower", "zbus"] = Field(
        "auto", description="Power-flow backend: pandapower's runpp, the fast Z-bus solver, or auto"
    )

    @field_validator("code")
    @classmethod
    def _known_code(cls, v: str) -> str:
        allowed = _simbench_lv_codes()
        if v not in allowed:
            raise ValueError(f"unknown SimBench LV code {v!r}; e.g. {', '.join(allowed[:6])}")
        return v


@functools.cache
def _simbench_lv_codes() -> list[str]:
    import simbench as sb

    return [c for c in sb.collect_all_simbench_codes() if "-LV-" in c and "HVMV" not in c]


GridSpec = Annotated[SyntheticGridSpec | SimbenchGridSpec, Field(discriminator="kind")]
