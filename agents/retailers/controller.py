"""The retailers' price signal: what customers and their HEMS plan the day on, replaceable by dotted path.

`[retail] controller = "my_module:MySignal"` names a subclass of `RetailerController`; the shipped
`TariffPrices` (the default) passes each tariff's prices on unchanged. A signal changes decisions (who
responds, when HEMS move load); bills stay on the tariffs' prices.
"""

from __future__ import annotations

import numpy as np


class RetailerController:
    """Base of retailer controllers: the day's price signal of every tariff row, vectorised."""

    def price_signal(self, day: int, prices: np.ndarray) -> np.ndarray:
        """Signal for today and tomorrow (tariffs × 2 days of steps) [€/kWh] from the tariffs' `prices`."""
        return prices


class TariffPrices(RetailerController):
    """The shipped retailers: the tariff is the signal."""
