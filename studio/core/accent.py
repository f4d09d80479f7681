"""Beat accents: retime a dance so it slows into every music beat and speeds up between beats.

Dancers hit the beat: in the ground-truth dances of our corpus the mean joint speed, averaged by beat phase,
falls to about 0.4x its mean at the beat and rises to 1.6x half way between beats. A small diffusion net
trained on a CPU learns the moves but not that pulse (its speed is flat over the beat phase), so its motion
beats fall on the music beats no more often than chance.

The accent is a time warp, a function of the song's beats alone: between two beats b0 and b1 (period P),
output frame t shows the dance at source time

    W(t) = t - (a P / 2 pi) sin(2 pi (t - b0) / P),        W'(t) = 1 - a cos(2 pi (t - b0) / P),

so the speed is (1 - a)x at each beat and (1 + a)x half way, W(b) = b at every beat (nothing drifts), and
W'(t) is continuous across beats whatever the periods. Beats further apart than ``MAX_GAP`` x the median
period (a break in the music) and the time before the first and after the last beat are left as they are.
The warp moves a frame by at most a P / (2 pi) frames (under a frame for a = 0.3 at 120 BPM), so a segment
needs only a frame or two of its neighbours to be retimed.

Numpy only (``studio.core``): the generation pipeline applies it to every candidate, tests use it directly.
"""

from __future__ import annotations

import numpy as np

from studio.core.errors import InputError

MAX_GAP = 1.6  # x the median beat period: a longer gap is a break in the music, not a beat to accent
GRID = 1.0 / 32  # frames: the inverse warp's table step (its error is under 0.004 frames at the kinks)
CONTACTS = 4  # the first feature channels are 0/1 foot contacts: taken from the nearest frame, not blended

__all__ = ["accent_times", "release_times", "resample"]


def _periods(beats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The beat intervals that get an accent, as (starts, periods)."""
    beats = np.unique(np.asarray(beats, dtype=np.float64).reshape(-1))
    if not np.all(np.isfinite(beats)):
        raise InputError("beats", expected="finite beat frames", found="NaN or infinity")
    if beats.size < 2:
        return np.zeros(0), np.zeros(0)
    periods = np.diff(beats)
    keep = periods <= MAX_GAP * np.median(periods)
    return beats[:-1][keep], periods[keep]


def accent_times(frames: np.ndarray, beats: np.ndarray, strength: float) -> np.ndarray:
    """W(frames): the source time each output frame shows (float frames; ``beats`` in frames, same clock)."""
    if not 0.0 <= strength < 1.0:
        raise ValueError(f"beat accent strength must be in [0, 1), got {strength}")
    t = np.asarray(frames, dtype=np.float64)
    starts, periods = _periods(beats)
    if strength == 0.0 or starts.size == 0:
        return t.copy()
    index = np.searchsorted(starts, t, side="right") - 1
    inside = index >= 0
    start, period = starts[np.maximum(index, 0)], periods[np.maximum(index, 0)]
    inside &= t < start + period
    phase = (t - start) / period
    shift = strength * period / (2.0 * np.pi) * np.sin(2.0 * np.pi * phase)
    return np.where(inside, t - shift, t)


def release_times(frames: np.ndarray, beats: np.ndarray, strength: float) -> np.ndarray:
    """W^-1(frames): where in the accented dance each unaccented time lies (the inverse warp).

    W is strictly increasing (W' >= 1 - strength > 0), so it is inverted by interpolating a fine table of it.
    """
    t = np.asarray(frames, dtype=np.float64)
    if strength == 0.0 or t.size == 0:
        return t.copy()
    margin = 2.0 + strength * (np.max(np.diff(np.unique(beats))) if np.size(beats) > 1 else 0.0)
    grid = np.arange(t.min() - margin, t.max() + margin + GRID, GRID)
    return np.interp(t, accent_times(grid, beats, strength), grid)


def resample(features: np.ndarray, times: np.ndarray, first: float = 0.0, nearest: int = CONTACTS) -> np.ndarray:
    """(T, C) per-frame features (frame ``i`` at time ``first + i``) at the given float ``times``.

    Channels are interpolated linearly (rotations as 6-D vectors: adjacent frames are close, and readers
    re-orthonormalise them), extrapolated linearly past either end; the first ``nearest`` channels (the
    FineDance features' 0/1 foot contacts) come from the nearest frame.
    """
    array = np.asarray(features)
    if array.ndim != 2 or len(array) < 2:
        raise InputError("motion to retime", expected="(T, C) features with T >= 2", found=f"shape {array.shape}")
    position = np.asarray(times, dtype=np.float64) - first
    lower = np.clip(np.floor(position).astype(np.int64), 0, len(array) - 2)
    weight = (position - lower)[:, None]
    out = (1.0 - weight) * array[lower] + weight * array[lower + 1]
    closest = np.clip(np.rint(position).astype(np.int64), 0, len(array) - 1)
    out[:, :nearest] = array[closest, :nearest]
    return out.astype(array.dtype, copy=False)
