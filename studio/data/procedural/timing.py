"""Counts and time: a dance is counted on the music's beats (count k = beat k), and eased between keys."""

from __future__ import annotations

import numpy as np

FPS = 30.0


class CountMap:
    """Maps dance counts (beat indices, fractional between beats) to frames and back.

    Outside the beats the last known beat period continues, so counts before the first beat and after
    the last one still have times.
    """

    def __init__(self, beat_seconds: np.ndarray, fps: float = FPS) -> None:
        beats = np.asarray(beat_seconds, dtype=np.float64).reshape(-1)
        if beats.size < 2 or np.any(np.diff(beats) <= 0):
            raise ValueError("a count map needs at least two increasing beat times")
        self.fps = float(fps)
        self.frames = beats * self.fps
        self.first_period = self.frames[1] - self.frames[0]
        self.last_period = self.frames[-1] - self.frames[-2]

    @property
    def num_beats(self) -> int:
        return len(self.frames)

    def frame(self, count: np.ndarray | float) -> np.ndarray:
        c = np.asarray(count, dtype=np.float64)
        inner = np.interp(c, np.arange(self.num_beats), self.frames)
        before = self.frames[0] + c * self.first_period
        after = self.frames[-1] + (c - (self.num_beats - 1)) * self.last_period
        return np.where(c < 0, before, np.where(c > self.num_beats - 1, after, inner))

    def count(self, frame: np.ndarray | float) -> np.ndarray:
        f = np.asarray(frame, dtype=np.float64)
        inner = np.interp(f, self.frames, np.arange(self.num_beats))
        before = (f - self.frames[0]) / self.first_period
        after = self.num_beats - 1 + (f - self.frames[-1]) / self.last_period
        return np.where(f < self.frames[0], before, np.where(f > self.frames[-1], after, inner))


def smoothstep(u: np.ndarray) -> np.ndarray:
    u = np.clip(u, 0.0, 1.0)
    return u * u * (3.0 - 2.0 * u)


def smootherstep(u: np.ndarray) -> np.ndarray:
    """Perlin's quintic ease: lingers longer at both ends (a clearer stop on the beat)."""
    u = np.clip(u, 0.0, 1.0)
    return u * u * u * (u * (6.0 * u - 15.0) + 10.0)


def ease(kind: str, u: np.ndarray) -> np.ndarray:
    """Eased progress between two keys; every kind comes to rest (or nearly) on the key, i.e. on the beat.

    - ``smooth``: ease in and out (speed 0 at both keys);
    - ``hit``: hold, then a fast move that lands just before the key and stops dead (popping, locking);
    - ``flow``: never quite stops, only slows on the key (Chinese classical, lyrical);
    - ``snap``: a quick change at the start of the interval, then hold (finger snaps, head snaps).
    """
    u = np.clip(np.asarray(u, dtype=np.float64), 0.0, 1.0)
    if kind == "smooth":
        return smootherstep(u)
    if kind == "hit":
        return smoothstep((u - 0.3) / 0.62)
    if kind == "flow":
        return 0.3 * u + 0.7 * smootherstep(u)
    if kind == "snap":
        return smoothstep(u / 0.3)
    raise ValueError(f"unknown ease {kind!r}")


EASES = ("smooth", "hit", "flow", "snap")
