"""Calls into seconds: the timers, the median and the ratio the benchmark's parts share."""

# Only the standard library: bench.png and bench.factsheets time their own imports in a fresh process.
from __future__ import annotations

import statistics
import time


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    """Seconds a call took, and its result."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def seconds(fn, *args, **kwargs) -> float:
    """Seconds a call took."""
    return timed(fn, *args, **kwargs)[0]


def median(values):
    """Median of the values that are not None (None if there are none)."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(a, b):
    """a / b, or None when either is missing or zero."""
    return a / b if a and b else None
