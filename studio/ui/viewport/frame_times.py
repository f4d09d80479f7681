"""Paint times of the viewport's recent frames (ms), for ``studio bench ui`` and the GL tests."""

from __future__ import annotations

import statistics
from collections import deque

import numpy as np


class FrameTimes:
    def __init__(self, kept: int) -> None:
        self._times: deque[float] = deque(maxlen=kept)

    def add(self, milliseconds: float) -> None:
        self._times.append(float(milliseconds))

    def clear(self) -> None:
        self._times.clear()

    def stats(self) -> dict[str, float]:
        """count, median, mean, p95, max, last (NaN for each but count when there is none yet)."""
        times = list(self._times)
        if not times:
            return {"count": 0, **dict.fromkeys(("median", "mean", "p95", "max", "last"), float("nan"))}
        return {
            "count": len(times),
            "median": statistics.median(times),
            "mean": statistics.fmean(times),
            "p95": float(np.percentile(times, 95)),
            "max": max(times),
            "last": times[-1],
        }
