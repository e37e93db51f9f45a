"""Letting go of finished models: mesa 3.3 keeps every model ever built in a class-level registry.

`mesa.Agent._ids` is a `defaultdict` keyed by model (the next agent id of each model), owned by the
`Agent` class, so a model stays alive for the life of the process once one agent was built for it:
`compare`, sweeps, replicates and the GUI grew by a whole model (hundreds of MB at city scale) per run.
Every place that builds a `CityModel` calls `release_model` when it is done with it (its tables built);
the model's arrays stay readable, only mesa's registry lets go.
"""

from __future__ import annotations

import mesa


def release_model(*models: object) -> None:
    """Remove `models` (None and non-models ignored) from mesa's agent-id registry so they can be freed."""
    for model in models:
        if isinstance(model, mesa.Model):  # a baseline run in another process comes back as plain state
            mesa.Agent._ids.pop(model, None)


def registered_models() -> list[object]:
    """The models mesa's registry holds now (tests and diagnostics)."""
    return list(mesa.Agent._ids)
