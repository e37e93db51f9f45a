"""The household agent: a view onto its row in the household fleet's arrays, plus who it is."""

from __future__ import annotations

from typing import Any

import mesa

from agents.households.spec import APPLIANCES


class Household(mesa.Agent):
    """A home: its consumption, PV, appliances and EV live in the household fleet's arrays at `row`."""

    def __init__(self, model: mesa.Model, row: int) -> None:
        super().__init__(model)
        self.row = row

    def _pop(self, name: str) -> Any:
        return getattr(self.model.fleet["households"].population, name)[self.row]

    @property
    def substation(self) -> int:
        """Index of the secondary substation it hangs off."""
        return int(self._pop("substation"))

    @property
    def annual_kwh(self) -> float:
        """Annual consumption it was drawn with [kWh/a]."""
        return float(self._pop("annual_kwh"))

    @property
    def pv_kwp(self) -> float:
        """Rooftop PV size, 0 without PV [kWp]."""
        return float(self._pop("pv_kwp"))

    @property
    def appliances(self) -> list[str]:
        """The flexible appliances it owns."""
        owned = self.model.fleet["households"].population.owns_appliance[self.row]
        return [a for a, has in zip(APPLIANCES, owned, strict=True) if has]

    @property
    def bill_eur(self) -> float:
        """What it has paid so far in this run [€]."""
        return float(self.model.fleet["households"].bill_eur[self.row])

    @property
    def has_hems(self) -> bool:
        """Whether it has a home energy manager."""
        return bool(self._pop("has_hems"))

    @property
    def has_ev(self) -> bool:
        """Whether it has an EV by the end of the run (some join later: `ev_from_day`)."""
        return bool(self._pop("has_ev"))

    @property
    def tariff(self) -> str:
        """The tariff it pays now (opting out moves it to the baseline's)."""
        return self.model.tariff_names[int(self.model.fleet["households"].tariff[self.row])]

    @property
    def load_kw(self) -> float:
        """Its consumption in the last step, before PV [kW] (0 before the first step)."""
        homes = self.model.fleet["households"]
        return float(homes.load_kw[self.row]) if hasattr(homes, "load_kw") else 0.0

    @property
    def shifted_kwh(self) -> float:
        """Flexible energy moved so far, by its HEMS or by hand [kWh]."""
        return float(self.model.fleet["households"].running["shifted_kwh"][self.row])
