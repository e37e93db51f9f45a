"""Scenario section `[grid]`: a synthetic MV/LV district, a SimBench LV or MV grid, or a network from a file.

How the loads of an imported network become households is documented in `simulator.grid.importer`
and on the user's page `docs/data/your-own-grid.md`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from market.spec import Spec

POWER_FLOW_BACKENDS = ("auto", "pandapower", "zbus")


@functools.cache
def _std_types(element: str) -> list[str]:
    """Standard type names pandapower knows for an element (cached: building the lookup net costs ~0.1 s)."""
    import pandapower as pp
    import pandapower.std_types as st

    return list(st.available_std_types(pp.create_empty_network(), element).index)


class UnbalancedSpec(Spec):
    """Households on one phase each, solved by pandapower's `runpp_3ph`; zero-sequence data where the net lacks it.

    The defaults fill what pandapower's standard types do not give; they are assumptions (a warning says
    when they are used) and matter only when the phases are unbalanced.
    """

    connection: Literal["single_phase"] = Field(
        "single_phase", description="Households connect on phase a, b, c in turn down the load rows"
    )
    line_r0_over_r1: float = Field(4.0, gt=0, le=20, description="Line zero- over positive-sequence resistance [-]")
    line_x0_over_x1: float = Field(4.0, gt=0, le=20, description="Line zero- over positive-sequence reactance [-]")
    line_c0_over_c1: float = Field(1.0, gt=0, le=20, description="Line zero- over positive-sequence capacitance [-]")
    trafo_mag0_percent: float = Field(100.0, gt=0, le=1000, description="Transformer zero-sequence magnetising [%]")
    trafo_si0_hv_partial: float = Field(0.9, ge=0, le=1, description="Share of the zero-sequence leakage on HV [-]")
    ext_grid_s_sc_max_mva: float = Field(
        1000.0, gt=0, le=100_000, description="Short-circuit power at the external grid [MVA]"
    )
    ext_grid_rx_max: float = Field(0.1, gt=0, le=10, description="External grid R/X [-]")
    ext_grid_r0x0_max: float = Field(0.1, gt=0, le=10, description="External grid R0/X0 [-]")
    ext_grid_x0x_max: float = Field(1.0, gt=0, le=10, description="External grid X0/X [-]")
    source: str = Field(
        "assumption: round values, not from a source; they matter only when the phases are unbalanced",
        description="Where the zero-sequence numbers come from",
    )


class _GridBase(Spec):
    """What every kind of grid has: the power-flow backend, and the optional unbalanced three-phase flow."""

    power_flow: Literal["auto", "pandapower", "zbus"] = Field(
        "auto", description="Power-flow backend: pandapower's runpp, the fast Z-bus solver, or auto"
    )
    unbalanced: UnbalancedSpec | None = Field(
        None, description="Single-phase households and pandapower's runpp_3ph (slow: small LV grids)"
    )


class SyntheticGridSpec(_GridBase):
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


class SimbenchGridSpec(_GridBase):
    """A SimBench grid shipped in the `simbench` wheel (LV, MV, or MV with LV): its residential loads become households.

    H0 loads are one household each; an MV load standing for a whole LV grid (profile `lv_*`) becomes as
    many households as that LV grid has H0 loads (`simulator.grid.importer.SIMBENCH_LV_HOUSEHOLDS`).
    """

    kind: Literal["simbench"]
    code: str = Field(
        description="SimBench code of an LV, MV or MV+LV grid, e.g. '1-LV-semiurb4--0-sw', '1-MV-rural--0-sw'"
    )
    slack_vm_pu: float = Field(1.0, ge=0.9, le=1.1, description="Voltage set-point at the external grid [p.u.]")

    @field_validator("code")
    @classmethod
    def _known_code(cls, v: str) -> str:
        allowed = _simbench_lv_codes()
        if v not in allowed:
            raise ValueError(f"unknown SimBench LV or MV code {v!r}; e.g. {', '.join(allowed[:6])}")
        return v


@functools.cache
def _simbench_lv_codes() -> list[str]:
    """SimBench codes whose grids start at MV or below (LV, MV, MV+LV); HV and EHV grids are out of scope."""
    import simbench as sb

    return [c for c in sb.collect_all_simbench_codes() if c.split("-")[1] in ("LV", "MV", "MVLV")]


GRID_FILE_SUFFIXES = (".json", ".xlsx", ".m", ".mat")


class FileGridSpec(_GridBase):
    """A network from a file: a pandapower net (.json, .xlsx) or a MATPOWER case (.m, .mat); loads become households."""

    kind: Literal["file"]
    path: Path = Field(description="Network file (.json/.xlsx pandapower, .m/.mat MATPOWER), relative to the scenario")
    households: Literal["per_load", "by_peak"] = Field(
        "per_load",
        description="How loads become households: one per load, or round(p_mw / household_peak_kw) per load (≥ 1)",
    )
    household_peak_kw: float | None = Field(
        None, gt=0, le=100, description="Peak of one household [kW], needed by households = 'by_peak'"
    )
    household_peak_source: str = Field("", description="Where household_peak_kw comes from")
    f_hz: float = Field(50.0, gt=0, le=100, description="Grid frequency of a MATPOWER case [Hz]")
    slack_vm_pu: float | None = Field(
        None, ge=0.9, le=1.1, description="Voltage set-point at the external grid [p.u.]; default: the file's"
    )

    @field_validator("path")
    @classmethod
    def _resolve(cls, v: Path, info: ValidationInfo) -> Path:
        base = (info.context or {}).get("base_dir")
        v = (Path(base) / v).resolve() if base is not None and not v.is_absolute() else v
        if v.suffix.lower() not in GRID_FILE_SUFFIXES:
            raise ValueError(f"{v.name}: a network file must end in one of {', '.join(GRID_FILE_SUFFIXES)}")
        if not v.is_file():
            raise ValueError(f"{v}: file not found")
        return v

    @model_validator(mode="after")
    def _peak_given(self) -> FileGridSpec:
        if self.households == "by_peak" and self.household_peak_kw is None:
            raise ValueError("households = 'by_peak' needs household_peak_kw (and household_peak_source)")
        return self


GridSpec = Annotated[SyntheticGridSpec | SimbenchGridSpec | FileGridSpec, Field(discriminator="kind")]
