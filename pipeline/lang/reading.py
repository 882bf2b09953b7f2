"""The one value type every number reader returns.

A numeral read from text is a `Reading`: `low` and `high` bounds, `approx` when the
writer gave an estimate.  An exact "30,439" is (30439, 30439); "several hundred"
is (200, 900, approx); an open bound is None ("at least 20,000" -> (20000, None)
once its qualifier is applied, see `pipeline.extract.quantities.bounds`).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reading:
    low: float | None
    high: float | None
    approx: bool = False

    @classmethod
    def exact(cls, value: float) -> "Reading":
        return cls(float(value), float(value))

    @property
    def value(self) -> float | None:
        """The single value of an exact reading, else None."""
        return self.low if self.low is not None and self.low == self.high and not self.approx else None

    def scaled(self, factor: float) -> "Reading":
        return Reading(None if self.low is None else self.low * factor,
                       None if self.high is None else self.high * factor, self.approx)

    def to(self, other: "Reading") -> "Reading | None":
        """The range from this reading to `other` ("10 to 20"); None when it runs backwards."""
        lo, hi = self.low, other.high
        if lo is None or hi is None or lo > hi:
            return None
        return Reading(lo, hi, self.approx or other.approx)
