"""Pure statistics over run times: median, spread, ratios and their geometric mean."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """The times (in nanoseconds) of the measured runs of one binary, warm-up excluded."""

    samples_ns: tuple[int, ...]

    @property
    def median_ns(self) -> float:
        return float(statistics.median(self.samples_ns))

    @property
    def min_ns(self) -> int:
        return min(self.samples_ns)

    @property
    def max_ns(self) -> int:
        return max(self.samples_ns)

    @property
    def spread(self) -> float:
        """(max - min) / median: how far apart the runs were, as a fraction of the median."""
        median = self.median_ns
        return (self.max_ns - self.min_ns) / median if median else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "median_ns": self.median_ns,
            "min_ns": self.min_ns,
            "max_ns": self.max_ns,
            "spread": round(self.spread, 4),
            "samples_ns": list(self.samples_ns),
        }


def ratio(emulated: Timing, native: Timing) -> float:
    """How many times longer the emulated run took than the native one (medians)."""
    return emulated.median_ns / native.median_ns if native.median_ns else math.inf


def geometric_mean(values: Sequence[float]) -> float:
    """The geometric mean: the right average of ratios (it does not favour the big ones)."""
    if not values:
        raise ValueError("geometric mean of nothing")
    return math.exp(math.fsum(math.log(value) for value in values) / len(values))
