"""Flexible energy planned past the horizon's end: consumed after the run, so billed and counted, never "saved".

A HEMS that moves a dishwasher from 22:00 to 02:00, or an EV's charge into the night, may plan it after
the last simulated step. That energy is not consumed inside the run, but it is not avoided either:
at the end of a run it is billed at the prices of the slots it was planned into and recorded per
household as `deferred_kwh` (the KPIs add it back before calling anything saved).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from simulator.model import CityModel


def settle_after_horizon(model: CityModel) -> None:
    """Bill and record, per household, the planned appliance and EV energy that falls after the last step."""
    sc = model.scenario
    spd, h = sc.steps_per_day, sc.step_h
    last_day, last_in_day = divmod(sc.n_steps - 1, spd)
    tail_kw = model.book.appliance_kw[last_in_day + 1 :] + model.book.ev_kw[last_in_day + 1 :]  # steps × homes
    if not tail_kw.any():
        return
    cols = slice(last_day * spd + last_in_day + 1, (last_day + 2) * spd)  # the same slots on the price rows
    tail_kwh = tail_kw * h
    model.recorder.household["deferred_kwh"] += tail_kwh.sum(axis=0)
    bill = _priced(tail_kwh, model.prices[:, cols], model.household_tariff)
    model.recorder.household["deferred_bill_eur"] += bill
    bills, network = model.bill_eur, model.bill_network_eur  # the fleet's arrays, added to in place
    bills += bill
    network += _priced(tail_kwh, model.network_prices[:, cols], model.household_tariff)
    model.offered_bill_eur += _priced(tail_kwh, model.prices[:, cols], model.offered_tariff)


def _priced(kwh: np.ndarray, prices: np.ndarray, tariff: np.ndarray) -> np.ndarray:
    """Per household: Σ over steps of energy (steps × homes) × the price of its tariff (tariffs × steps)."""
    return np.einsum("sh,hs->h", kwh, prices[tariff])
