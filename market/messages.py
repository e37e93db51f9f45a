"""Typed, immutable messages for every flow of the UPGRID market hub (seeds 001 and 004).

Sign convention, stated once for the whole package: power is consumption-positive (`p_kw > 0` draws
from the grid), and a reduction or flexibility amount is a positive number of kW *less* consumption.
Units are in the names: `_kw`, `_kwh`, `_s` (seconds since scenario start), `_pct`, `_eur`.
Clients are identified by their row in the engine's arrays (`ClientIds`: a read-only int64 array),
so one message addressed to a thousand clients is one object, handled in bulk.

Flows (→ is one network hop through the hub, see `market.flows`):

- TariffCalendar: DSO → hub → retailer platforms → HEMS; answered by a DeliveryReport.
- LoadInformation: DSO → hub → the clients concerned (through their platforms) → DeliveryReport.
- BillingRequest → BillingResponse: retailer platform → hub → storage → hub → platform, own clients only.
- ConsumptionProfileRequest → ConsumptionProfileResponse: individual (own retailer, consenting clients)
  or aggregated (regulator, researcher).
- ActivePowerMeasurement: retailer platform → hub → DSO → DeliveryReport.
- FlexibilityRequest → AvailabilityQuery / AvailabilityAnswer (per platform aggregate of the flexibility
  its HEMS declared) → FlexibilityConfirmation → FlexibilityActivation → HemsActivation → HemsFeedback →
  FlexibilityFeedback (platform aggregate) → DSO.
- EmergencyNotice, ContractedPowerReduction (smart-meter channel and, in parallel, hub → platform → HEMS),
  RestoreOrder: DSO → clients → DeliveryReport.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import numpy.typing as npt

ClientIds = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def client_ids(ids: Iterable[int] | np.ndarray) -> ClientIds:
    """A read-only int64 array of client rows (a copy, so the sender cannot change a sent message)."""
    arr = np.array(ids, dtype=np.int64).reshape(-1)
    arr.flags.writeable = False
    return arr


def frozen_floats(values: Iterable[float] | np.ndarray) -> FloatArray:
    """A read-only float64 array copy."""
    arr = np.array(values, dtype=np.float64)
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, slots=True, eq=False)
class Message:
    """Base of every hub message; `kind` names it in the message log."""

    kind: ClassVar[str] = "message"


@dataclass(frozen=True, slots=True, eq=False)
class TariffCalendar(Message):
    """Network-use tariff calendar: a price per period from `period_start_s` onwards, for these clients."""

    kind: ClassVar[str] = "tariff_calendar"
    calendar_id: str
    client_ids: ClientIds
    period_start_s: tuple[float, ...]
    network_price_eur_per_kwh: tuple[float, ...]


@dataclass(frozen=True, slots=True, eq=False)
class LoadInformation(Message):
    """Expected load of an area in a window, sent to its clients so their HEMS can shift consumption."""

    kind: ClassVar[str] = "load_information"
    area: str
    client_ids: ClientIds
    start_s: float
    end_s: float
    area_load_kw: float
    area_limit_kw: float


@dataclass(frozen=True, slots=True, eq=False)
class BillingRequest(Message):
    """A retailer asks for the energy its clients consumed in [start_s, end_s)."""

    kind: ClassVar[str] = "billing_request"
    retailer_id: str
    client_ids: ClientIds
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True, eq=False)
class BillingResponse(Message):
    """Energy per released client; `n_denied` clients were withheld by access control."""

    kind: ClassVar[str] = "billing_response"
    retailer_id: str
    client_ids: ClientIds
    energy_kwh: FloatArray
    n_denied: int


@dataclass(frozen=True, slots=True, eq=False)
class ConsumptionProfileRequest(Message):
    """Average power per interval of these clients, individually or summed (`aggregate`)."""

    kind: ClassVar[str] = "consumption_profile_request"
    client_ids: ClientIds
    start_s: float
    end_s: float
    interval_s: float
    aggregate: bool


@dataclass(frozen=True, slots=True, eq=False)
class ConsumptionProfileResponse(Message):
    """`p_kw` is clients × intervals (individual) or 1 × intervals (aggregate over `n_clients`)."""

    kind: ClassVar[str] = "consumption_profile_response"
    client_ids: ClientIds
    interval_s: float
    p_kw: FloatArray
    aggregate: bool
    n_clients: int
    n_denied: int


@dataclass(frozen=True, slots=True, eq=False)
class ActivePowerMeasurement(Message):
    """Active power of a retailer's clients measured by their HEMS at `measured_at_s`, for the DSO."""

    kind: ClassVar[str] = "active_power_measurement"
    retailer_id: str
    client_ids: ClientIds
    p_kw: FloatArray
    measured_at_s: float


@dataclass(frozen=True, slots=True, eq=False)
class FlexibilityRequest(Message):
    """The DSO asks for `p_kw` less consumption from these clients of an area in [start_s, end_s)."""

    kind: ClassVar[str] = "flexibility_request"
    area: str
    client_ids: ClientIds
    p_kw: float
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True, eq=False)
class AvailabilityQuery(Message):
    """Hub → one platform: how much of `p_kw` can your clients among `client_ids` provide in the window."""

    kind: ClassVar[str] = "availability_query"
    request_id: int
    retailer_id: str
    client_ids: ClientIds
    p_kw: float
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class FlexibilityBlock:
    """An aggregate of declared flexibility: `n_clients` offering `p_kw` of one load kind and priority."""

    load_kind: str
    p_kw: float
    start_s: float
    end_s: float
    priority: int
    n_clients: int


@dataclass(frozen=True, slots=True, eq=False)
class AvailabilityAnswer(Message):
    """Platform → hub: the flexibility available, aggregated per load kind and priority (no client data)."""

    kind: ClassVar[str] = "availability_answer"
    request_id: int
    retailer_id: str
    available_p_kw: float
    blocks: tuple[FlexibilityBlock, ...]


@dataclass(frozen=True, slots=True, eq=False)
class FlexibilityConfirmation(Message):
    """Hub → DSO: whether the platforms' available flexibility covers the request."""

    kind: ClassVar[str] = "flexibility_confirmation"
    request_id: int
    requested_p_kw: float
    available_p_kw: float
    covered: bool


@dataclass(frozen=True, slots=True, eq=False)
class FlexibilityActivation(Message):
    """Hub → one platform: activate `p_kw` of reduction among `client_ids` in [start_s, end_s)."""

    kind: ClassVar[str] = "flexibility_activation"
    request_id: int
    retailer_id: str
    client_ids: ClientIds
    p_kw: float
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True, eq=False)
class HemsActivation(Message):
    """Platform → HEMS: each selected client reduces by `p_kw[i]` in [start_s, end_s)."""

    kind: ClassVar[str] = "hems_activation"
    request_id: int
    client_ids: ClientIds
    p_kw: FloatArray
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True, eq=False)
class HemsFeedback(Message):
    """HEMS → platform: the reduction each client actually applied."""

    kind: ClassVar[str] = "hems_feedback"
    request_id: int
    client_ids: ClientIds
    delivered_p_kw: FloatArray


@dataclass(frozen=True, slots=True, eq=False)
class FlexibilityFeedback(Message):
    """Platform → hub → DSO: the aggregated reduction delivered (`retailer_id` "" for the hub's total)."""

    kind: ClassVar[str] = "flexibility_feedback"
    request_id: int
    retailer_id: str
    requested_p_kw: float
    delivered_p_kw: float
    n_clients: int


@dataclass(frozen=True, slots=True, eq=False)
class EmergencyNotice(Message):
    """DSO → clients: emergency mode starts at `starts_at_s` with contracted power cut by `reduction_pct`."""

    kind: ClassVar[str] = "emergency_notice"
    area: str
    client_ids: ClientIds
    starts_at_s: float
    reduction_pct: float


@dataclass(frozen=True, slots=True, eq=False)
class ContractedPowerReduction(Message):
    """DSO order: contracted power of these clients reduced by `reduction_pct` from `start_s`."""

    kind: ClassVar[str] = "contracted_power_reduction"
    area: str
    client_ids: ClientIds
    reduction_pct: float
    start_s: float


@dataclass(frozen=True, slots=True, eq=False)
class RestoreOrder(Message):
    """DSO → clients: the constraint is gone; contracted power and loads return to normal."""

    kind: ClassVar[str] = "restore_order"
    area: str
    client_ids: ClientIds


@dataclass(frozen=True, slots=True, eq=False)
class DeliveryReport(Message):
    """Reply to a one-way flow: how many of the addressed clients were reached."""

    kind: ClassVar[str] = "delivery_report"
    n_clients: int
    n_delivered: int
    n_denied: int
