"""Every building energy manager (BEM) of the city as the market hub sees it: a HEMS-like client of a retailer.

Seed 001 ("Load Shifting") has customers declare their flexible loads, time frame and priority to their
retailer platform, which activates them when the DSO asks; seed 000 has the City Hall's SEMS manage its
flexible loads. Here each BEM declares the HVAC power a set-point shift can still shed in the window asked
about (`agents.buildings.bem.flexibility_offer_kw`), and on activation sheds it from arrival to the window's end and
pays the energy back, with its pre-conditioning loss, over as many steps after the window (as
`agents.buildings.bem.answer_request` does for a district request). Buildings are hub clients after the households:
client id = `first_id` + building row. Everything is vectorised over the buildings of one message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from agents.buildings.bem import BuildingParams, flexibility_offer_kw
from agents.hems.gateway import BookClock
from market.messages import HemsActivation

HVAC_PRIORITY = 2  # assumption: a comfort-band shift ranks with appliance cycles, after EV charging (priority 1)


class BuildingDay(Protocol):
    """Today's building arrays (steps × buildings) the BEM plans in; the building fleet fits."""

    n: int
    params: BuildingParams
    base_kw: np.ndarray
    shift_kw: np.ndarray


class BemGateway:
    """The BEMs of all buildings: declare HVAC flexibility to a platform, answer activations in today's plan."""

    def __init__(self, day: BuildingDay, clock: BookClock, first_id: int) -> None:
        self.day = day
        self.clock = clock
        self.first_id = first_id
        self.shifted_kwh = np.zeros(day.n)  # shed in a window and paid back after it
        self.curtailed_kwh = np.zeros(day.n)  # shed with no step left today to pay it back
        self.effective_s: dict[int, float] = {}  # request id → when the last activated BEM acted

    def is_building(self, ids: np.ndarray) -> np.ndarray:
        """Which client ids are buildings."""
        return ids >= self.first_id

    def declare(self, declare: Callable[..., None], ids: np.ndarray, start_s: float, end_s: float) -> None:
        """Declare to a platform the HVAC power buildings `ids` (client ids) can shed all through the window."""
        if ids.size == 0:
            return
        r0, r1 = self._rows(start_s, end_s)
        offer = flexibility_offer_kw(self.day.base_kw, self.day.shift_kw, self.day.params)[r0:r1]
        p_kw = offer[:, ids - self.first_id].min(axis=0) if r1 > r0 else np.zeros(ids.size)
        declare(ids, p_kw, start_s, end_s, HVAC_PRIORITY, "hvac")

    def activate(self, msg: HemsActivation, ids: np.ndarray, at_s: np.ndarray, request_id: int) -> np.ndarray:
        """Shed up to `p_kw` of HVAC from arrival to the window's end; return the mean kW each took off in it."""
        day, clock = self.day, self.clock
        spd = day.shift_kw.shape[0]
        b = ids - self.first_id
        begin_s = np.maximum(at_s, msg.start_s)
        first = np.minimum(clock.row_of(begin_s), spd)
        _, end_row = self._rows(msg.start_s, msg.end_s)
        width = np.maximum(end_row - first, 0)
        span = np.arange(max(int(width.max(initial=0)), 1))
        rows = np.minimum(first[:, None] + span[None, :], spd - 1)
        valid = span[None, :] < width[:, None]
        offer = flexibility_offer_kw(day.base_kw, day.shift_kw, day.params)
        cut = np.where(valid, np.minimum(offer[rows, b[:, None]], np.asarray(msg.p_kw)[:, None]), 0.0)
        cut[:, 0] *= np.clip((clock.day_start_s + (first + 1) * clock.step_s - begin_s) / clock.step_s, 0.0, 1.0)
        cols = np.broadcast_to(b[:, None], rows.shape)
        np.add.at(day.shift_kw, (rows[valid], cols[valid]), -cut[valid])
        kwh = cut.sum(axis=1) * clock.step_s / 3600.0
        self._pay_back(b, end_row, width, kwh)
        if kwh.any():
            self.effective_s[request_id] = float(begin_s.max())
        window_rows = max((msg.end_s - msg.start_s) / clock.step_s, 1.0)
        return cut.sum(axis=1) / window_rows

    def _pay_back(self, b: np.ndarray, end_row: int, width: np.ndarray, kwh: np.ndarray) -> None:
        """Spread the shed energy × (1 + pre-conditioning loss) over `width` steps after the window (today only)."""
        spd = self.day.shift_kw.shape[0]
        n_after = np.minimum(width, spd - end_row)
        fits = n_after > 0
        self.curtailed_kwh[b[~fits]] += kwh[~fits]
        if not fits.any():
            return
        b, n_after, kwh = b[fits], n_after[fits], kwh[fits]
        self.shifted_kwh[b] += kwh
        back_kw = kwh * (1 + self.day.params.preheat_loss[b]) / (n_after * self.clock.step_s / 3600.0)
        span = np.arange(int(n_after.max()))
        valid = span[None, :] < n_after[:, None]
        rows = np.broadcast_to(end_row + span[None, :], valid.shape)
        cols = np.broadcast_to(b[:, None], valid.shape)
        np.add.at(self.day.shift_kw, (rows[valid], cols[valid]), np.broadcast_to(back_kw[:, None], valid.shape)[valid])

    def _rows(self, start_s: float, end_s: float) -> tuple[int, int]:
        spd = self.day.shift_kw.shape[0]
        r0 = int(self.clock.row_of(start_s))
        r1 = int(np.ceil((end_s - self.clock.day_start_s) / self.clock.step_s))
        return min(r0, spd), min(max(r1, r0), spd)
