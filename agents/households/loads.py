"""The planned flexible load of every household for today and tomorrow, in rolling 2-day arrays.

Plans for a day may run past midnight (a dishwasher started at 23:30, a car charging overnight),
so the book holds two days; at each new day it rolls by one day.
"""

from __future__ import annotations

import numpy as np


class LoadBook:
    """Planned appliance and EV power (2 days of steps × households), written by planners, read each step.

    Time-major, so that the row a step reads is contiguous in memory.
    """

    def __init__(self, n_households: int, steps_per_day: int) -> None:
        self.steps_per_day = steps_per_day
        self.appliance_kw = np.zeros((2 * steps_per_day, n_households))
        self.ev_kw = np.zeros((2 * steps_per_day, n_households))

    def roll(self) -> None:
        """Move tomorrow's plans to today and clear tomorrow."""
        d = self.steps_per_day
        for book in (self.appliance_kw, self.ev_kw):
            book[:d] = book[d:]
            book[d:] = 0.0
