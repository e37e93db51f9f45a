"""Base class for every scenario section (shared by market/, agents/ and simulator/): strict, frozen, documented.

Each field carries a `description` (one line, with its unit) that the JSON Schema, the CLI's
`schema` command and the GUI's parameter editor show as the explanation of the parameter.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Spec(BaseModel):
    """A strict, immutable scenario section."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
