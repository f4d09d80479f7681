"""The song's waveform for the timeline: a min/max envelope precomputed at several levels of detail, so that at
any zoom only the visible buckets of the level nearest one bucket per pixel are drawn (a 10-minute song
scrolls and zooms smoothly). Numpy only: it is built on a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class WaveformEnvelope:
    """Min/max of the samples over buckets of ``sizes[k]`` samples, for each level of detail ``k``."""

    sample_rate: int
    num_samples: int
    sizes: tuple[int, ...]
    mins: tuple[np.ndarray, ...]
    maxs: tuple[np.ndarray, ...]

    @classmethod
    def from_samples(
        cls, samples: np.ndarray, sample_rate: int, base: int = 32, factor: int = 4, levels: int = 8
    ) -> WaveformEnvelope:
        """Build the pyramid (numpy only: safe on a worker thread). Peaks are normalised to 1."""
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        peak = float(np.max(np.abs(samples))) if samples.size else 0.0
        scale = 1.0 / peak if peak > 0 else 1.0
        sizes, mins, maxs = [], [], []
        n = len(samples) // base * base
        lo = samples[:n].reshape(-1, base).min(axis=1) * scale if n else np.zeros(0, np.float32)
        hi = samples[:n].reshape(-1, base).max(axis=1) * scale if n else np.zeros(0, np.float32)
        size = base
        for _ in range(levels):
            sizes.append(size)
            mins.append(lo.astype(np.float32))
            maxs.append(hi.astype(np.float32))
            m = len(lo) // factor * factor
            if m == 0:
                break
            lo = lo[:m].reshape(-1, factor).min(axis=1)
            hi = hi[:m].reshape(-1, factor).max(axis=1)
            size *= factor
        return cls(int(sample_rate), len(samples), tuple(sizes), tuple(mins), tuple(maxs))

    @property
    def duration(self) -> float:
        return self.num_samples / self.sample_rate if self.sample_rate else 0.0

    def level_for(self, seconds_per_pixel: float) -> int:
        """The coarsest level whose buckets are still at most one pixel wide (the finest when zoomed in)."""
        best = 0
        for k, size in enumerate(self.sizes):
            if size / self.sample_rate <= seconds_per_pixel:
                best = k
        return best

    def visible(self, t0: float, t1: float, seconds_per_pixel: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(times, mins, maxs) of the buckets between ``t0`` and ``t1`` seconds, at a fitting level."""
        if not self.sizes:
            empty = np.zeros(0)
            return empty, empty, empty
        k = self.level_for(seconds_per_pixel)
        bucket = self.sizes[k] / self.sample_rate
        count = len(self.mins[k])
        a = max(int(np.floor(t0 / bucket)) - 1, 0)
        b = min(int(np.ceil(t1 / bucket)) + 1, count)
        if b <= a:
            empty = np.zeros(0)
            return empty, empty, empty
        times = (np.arange(a, b) + 0.5) * bucket
        return times, self.mins[k][a:b], self.maxs[k][a:b]


# -- segment lanes ------------------------------------------------------------------------------------------------
