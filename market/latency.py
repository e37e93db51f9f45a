"""Latency models: a small protocol with plain implementations, every draw from a numpy `Generator`.

A model returns seconds. `sample(rng)` gives one draw, `sample_many(rng, n)` an array of `n` draws;
the caller owns the generator, so runs stay reproducible (no module-level randomness here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class LatencyModel(Protocol):
    """A distribution of delays in seconds."""

    @property
    def mean_s(self) -> float:
        """Expected delay [s]."""
        ...

    def sample(self, rng: np.random.Generator) -> float:
        """One delay [s]."""
        ...

    def sample_many(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """`n` delays [s] as a float array."""
        ...


@dataclass(frozen=True, slots=True)
class ZeroLatency:
    """No delay; draws nothing from the generator."""

    @property
    def mean_s(self) -> float:
        """Expected delay [s]."""
        return 0.0

    def sample(self, rng: np.random.Generator) -> float:
        """Always 0 s."""
        return 0.0

    def sample_many(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """`n` zeros."""
        return np.zeros(n)


@dataclass(frozen=True, slots=True)
class Constant:
    """A fixed delay `value_s`; draws nothing from the generator."""

    value_s: float

    def __post_init__(self) -> None:
        if not self.value_s >= 0:
            raise ValueError(f"Constant latency must be >= 0 s (got {self.value_s})")

    @property
    def mean_s(self) -> float:
        """Expected delay [s]."""
        return self.value_s

    def sample(self, rng: np.random.Generator) -> float:
        """Always `value_s`."""
        return self.value_s

    def sample_many(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """`n` copies of `value_s`."""
        return np.full(n, self.value_s)


@dataclass(frozen=True, slots=True)
class Uniform:
    """A delay uniform in [low_s, high_s), e.g. the UPGRID retailer-platform delay [0.100, 0.110) s."""

    low_s: float
    high_s: float

    def __post_init__(self) -> None:
        if not 0 <= self.low_s <= self.high_s:
            raise ValueError(f"Uniform latency needs 0 <= low_s <= high_s (got {self.low_s}, {self.high_s})")

    @property
    def mean_s(self) -> float:
        """Expected delay [s]."""
        return 0.5 * (self.low_s + self.high_s)

    def sample(self, rng: np.random.Generator) -> float:
        """One draw in [low_s, high_s)."""
        return self.low_s + (self.high_s - self.low_s) * rng.random()

    def sample_many(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """`n` draws in [low_s, high_s)."""
        return self.low_s + (self.high_s - self.low_s) * rng.random(n)


@dataclass(frozen=True, slots=True)
class LogNormal:
    """A right-skewed delay: `shift_s` plus a log-normal with median `median_s` and log-sd `sigma`."""

    median_s: float
    sigma: float
    shift_s: float = 0.0

    def __post_init__(self) -> None:
        if not (self.median_s > 0 and self.sigma >= 0 and self.shift_s >= 0):
            raise ValueError(
                f"LogNormal latency needs median_s > 0, sigma >= 0, shift_s >= 0 "
                f"(got {self.median_s}, {self.sigma}, {self.shift_s})"
            )

    @property
    def mean_s(self) -> float:
        """Expected delay [s]."""
        return self.shift_s + self.median_s * math.exp(0.5 * self.sigma**2)

    def sample(self, rng: np.random.Generator) -> float:
        """One draw [s]."""
        return self.shift_s + self.median_s * math.exp(self.sigma * rng.standard_normal())

    def sample_many(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """`n` draws [s]."""
        return self.shift_s + self.median_s * np.exp(self.sigma * rng.standard_normal(n))
