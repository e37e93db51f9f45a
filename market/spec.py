"""Base class for every scenario section (shared by market/, agents/ and simulator/): strict, frozen, documented.

Numbers are finite (NaN and ±inf, which TOML can spell, are errors) and every numeric field has
physical bounds in the schema (tests/test_schema_bounds.py checks it).

Each field carries a `description` (one line, with its unit) that the JSON Schema, the CLI's
`schema` command and the GUI's parameter editor show as the explanation of the parameter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Share = Annotated[float, Field(ge=0, le=1)]
"""A share or probability [-]."""
EurPerKwh = Annotated[float, Field(ge=0, le=10)]
"""A price component [€/kWh] (ten times the dearest retail price in DOMAIN.md's tables: a typo guard)."""


def duplicates(values: Iterable[Hashable]) -> list[Hashable]:
    """The values that occur more than once (for "must be unique" checks on lists of names)."""
    counts = Counter(values)
    return [v for v, n in counts.items() if n > 1]


class Spec(BaseModel):
    """A strict, immutable scenario section."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False)
