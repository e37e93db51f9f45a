"""The DSO agent: the distribution system operator, a view onto the DSO fleet (what it saw, how it acts)."""

from __future__ import annotations

import mesa

from agents.dso.acting import Congestion
from agents.dso.fleet import Violation


class Dso(mesa.Agent):
    """The distribution system operator; its state lives in `model.fleet["dso"]`."""

    @property
    def loading_threshold_pct(self) -> float:
        """Transformer loading above which it records an overload [%]."""
        return self.model.fleet["dso"].loading_threshold_pct

    @property
    def violations(self) -> list[Violation]:
        """Every constraint it has seen so far."""
        return self.model.fleet["dso"].violations

    @property
    def congestion(self) -> Congestion | None:
        """Its acting half when a market hub lets it act."""
        return self.model.fleet["dso"].congestion
