"""Errors the market package raises; callers catch `MarketError` only and show `str(exc)`.

Tree::

    MarketError
    ├── HubConfigError       the hub or network configuration is inconsistent (unknown component, retailer)
    ├── UnknownMessageError  a message type has no flow in the hub
    ├── AccessDenied         a stakeholder asked for something its rights do not cover (raised only by
    │                        `AccessControl.require`; inside a run a denial is logged and counted instead)
    ├── TimeSeriesCSVError   a time-series CSV breaks the convention: names the file and line (`market.timeseries_csv`)
    │   └── PriceSeriesError a dynamic-price CSV cannot be read (`market.tariff_dynamic`)
    └── TariffDesignError    an option cannot be made revenue-neutral (`market.tariff_design`)

The last three live next to the code that raises them; they are listed here so the tree stays whole.

A component that is down, a lost message or a full queue is not an exception: it is an event of the
run, recorded in the message log and ending its request in the `lost` or `failed` state.
"""

from __future__ import annotations


class MarketError(Exception):
    """Base of every market error the user should see as a message."""


class HubConfigError(MarketError):
    """The hub configuration names something that does not exist or contradicts itself."""


class UnknownMessageError(MarketError):
    """A message was sent that no hub flow handles."""


class AccessDenied(MarketError):
    """A stakeholder lacks the right for an operation."""

    def __init__(self, party: str, operation: str, reason: str) -> None:
        self.party = party
        self.operation = operation
        self.reason = reason
        super().__init__(f"{party} may not {operation}: {reason}")
