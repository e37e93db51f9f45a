"""Every HEMS of the city in bulk, as the market hub sees them: declare, pause and shift, follow emergencies.

HEMS declare flexibility from their plans, pause planned load when activated (moving it after the window,
not losing it), and follow emergency orders.

Seed 001 ("Load Shifting"): customers declare which loads are flexible, for which time frame, with which
priority; here the HEMS declares its planned EV charging (priority 1) or appliance cycles (priority 2) in
the window asked about. Everything is vectorised over the clients of one message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from agents.dso.limits import ContractedLimits
from agents.households.loads import LoadBook
from market.interfaces import Delivery
from market.messages import ContractedPowerReduction, EmergencyNotice, HemsActivation, RestoreOrder, TariffCalendar

EV_PRIORITY, APPLIANCE_PRIORITY = 1, 2


@dataclass
class BookClock:
    """Where the book's row 0 is in time, and the step being simulated (the engine moves it)."""

    step_s: float
    day_start_s: float = 0.0
    row: int = 0

    def row_of(self, t_s: np.ndarray | float) -> np.ndarray:
        """Book row holding time `t_s` (not before the current one)."""
        return np.maximum(np.floor((np.asarray(t_s) - self.day_start_s) / self.step_s).astype(np.int64), self.row)


class HemsGateway:
    """The HEMS of all managed homes: receivers of hub deliveries, writing into the planned-load book."""

    def __init__(self, book: LoadBook, clock: BookClock, managed: np.ndarray, limits: ContractedLimits) -> None:
        n = managed.size
        self.book = book
        self.clock = clock
        self.managed = managed
        self.limits = limits
        self.shifted_kwh = np.zeros(n)  # paused in a window and moved after it
        self.curtailed_kwh = np.zeros(n)  # paused but with no room left in the book: lost
        self.calendar_at_s = np.full(n, np.nan)
        self.notified_at_s = np.full(n, np.nan)
        self.effective_s: dict[int, float] = {}  # request id → when the last activated HEMS acted
        self.on_book_change: Callable[[int, int], None] = lambda r0, r1: None

    def declare(self, declare: Callable[..., None], ids: np.ndarray, start_s: float, end_s: float) -> None:
        """Declare to a platform (`declare` = `platform.declare`) the planned flexible load of `ids` in the window."""
        ids = ids[self.managed[ids]]
        r0, r1 = self._rows(start_s, end_s)
        ev = self.book.ev_kw[r0:r1, ids].mean(axis=0) if r1 > r0 else np.zeros(ids.size)
        app = self.book.appliance_kw[r0:r1, ids].mean(axis=0) if r1 > r0 else np.zeros(ids.size)
        is_ev = ev >= app
        for mask, kind, prio in ((is_ev, "ev", EV_PRIORITY), (~is_ev, "appliance", APPLIANCE_PRIORITY)):
            if mask.any():
                declare(ids[mask], (ev + app)[mask], start_s, end_s, prio, kind)

    def receive(self, delivery: Delivery) -> np.ndarray | None:
        """Apply a bulk delivery; for an activation, return the mean kW each client took off in the window."""
        msg, ids, at = delivery.message, delivery.client_ids, delivery.arrival_s
        if isinstance(msg, HemsActivation):
            return self._activate(msg, ids, at, delivery.request_id)
        if isinstance(msg, ContractedPowerReduction):
            self.limits.follow(ids, msg.reduction_pct, np.maximum(at, msg.start_s))
        elif isinstance(msg, RestoreOrder):
            self.limits.lift(ids, at, meters=False)
        elif isinstance(msg, EmergencyNotice):
            self.notified_at_s[ids] = at
        elif isinstance(msg, TariffCalendar):
            self.calendar_at_s[ids] = at
        return None

    def _rows(self, start_s: float, end_s: float) -> tuple[int, int]:
        n_rows = self.book.ev_kw.shape[0]
        r0 = int(self.clock.row_of(start_s))
        r1 = int(np.ceil((end_s - self.clock.day_start_s) / self.clock.step_s))
        return min(r0, n_rows), min(max(r1, r0), n_rows)

    def _activate(self, msg: HemsActivation, ids: np.ndarray, at_s: np.ndarray, request_id: int) -> np.ndarray:
        """Pause up to `p_kw` of planned EV, then appliance power, from arrival to the window's end; move it after."""
        clock, book = self.clock, self.book
        n_rows = book.ev_kw.shape[0]
        begin_s = np.maximum(at_s, msg.start_s)
        first = clock.row_of(begin_s)
        _, end_row = self._rows(msg.start_s, msg.end_s)
        width = np.maximum(end_row - first, 0)
        span = np.arange(max(int(width.max(initial=0)), 1))
        rows = first[:, None] + span[None, :]
        valid = span[None, :] < width[:, None]
        share = np.ones(rows.shape)
        share[:, 0] = np.clip((clock.day_start_s + (first + 1) * clock.step_s - begin_s) / clock.step_s, 0.0, 1.0)
        r, c = rows[valid], np.broadcast_to(ids[:, None], rows.shape)[valid]
        p = np.broadcast_to(np.asarray(msg.p_kw)[:, None], rows.shape)[valid]
        full_ev = np.minimum(book.ev_kw[r, c], p)
        full_app = np.minimum(book.appliance_kw[r, c], p - full_ev)
        cut_ev, cut_app = full_ev * share[valid], full_app * share[valid]
        book.ev_kw[r, c] -= cut_ev
        book.appliance_kw[r, c] -= cut_app
        dest = r + np.broadcast_to(width[:, None], rows.shape)[valid]
        fits = dest < n_rows
        book.ev_kw[dest[fits], c[fits]] += cut_ev[fits]
        book.appliance_kw[dest[fits], c[fits]] += cut_app[fits]
        kwh = (cut_ev + cut_app) * clock.step_s / 3600.0
        np.add.at(self.shifted_kwh, c[fits], kwh[fits])
        np.add.at(self.curtailed_kwh, c[~fits], kwh[~fits])
        if r.size:
            self.on_book_change(int(r.min()), int(min(dest.max() + 1, n_rows)))
            self.effective_s[request_id] = float(begin_s.max())
        window_rows = max((msg.end_s - msg.start_s) / clock.step_s, 1.0)
        delivered = np.zeros(ids.size)
        np.add.at(delivered, np.broadcast_to(np.arange(ids.size)[:, None], rows.shape)[valid], cut_ev + cut_app)
        return delivered / window_rows
