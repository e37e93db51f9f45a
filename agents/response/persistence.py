"""Persistence of behavioural effects: attention renewed by each contact, habit formed while the treatment lasts.

The effect of an information lever on a day is its full-attention saving × (H + (1 − H)·A):

- A, attention, jumps to 1 at each contact (a report, a statement, every day with a display) and
  halves every `attention_half_life_days` between contacts: the "action and backsliding" after each
  early report (Allcott & Rogers 2014).
- H, habit, grows while the treatment continues (time constant `habit_formation_days`), so the
  backsliding fades and the effect persists between contacts; once the treatment stops, H decays
  by `habit_decay_per_year` a year (fitted on Allcott & Rogers' 10–20 %/a after discontinuation).

No decay is applied to a treatment that continues, so a result does not depend on the run length
beyond the build-up that the studies themselves show.
"""

from __future__ import annotations

import numpy as np

from agents.response.parameters import BehaviourParameters


class Persistence:
    """Attention and habit of every household (arrays by row), advanced one day at a time."""

    def __init__(self, p: BehaviourParameters, n: int) -> None:
        self.attention = np.zeros(n)
        self.habit = np.zeros(n)
        self._fade = 0.5 ** (1.0 / p.attention_half_life_days)
        self._form = 1.0 - np.exp(-1.0 / p.habit_formation_days)
        self._decay = (1.0 - p.habit_decay_per_year) ** (1.0 / 365.0)

    def day(self, treated: np.ndarray, contact: np.ndarray) -> np.ndarray:
        """Advance a day: attention fades or is renewed, habit forms (treated) or decays; returns the multiplier."""
        self.attention = np.where(contact, 1.0, self.attention * self._fade)
        self.habit = np.where(treated, self.habit + (1.0 - self.habit) * self._form, self.habit * self._decay)
        return self.multiplier()

    def multiplier(self) -> np.ndarray:
        """Share of the full-attention effect each household shows today [-]."""
        return self.habit + (1.0 - self.habit) * self.attention
