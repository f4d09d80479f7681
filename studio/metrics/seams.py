"""Seam quality of long dances stitched from segments (ours; no published counterpart).

For segment boundaries b (the first frame of a new segment), compare what happens across the seam with
what is normal inside the segments:

- step speed s_t = mean over joints of |p[t+1] - p[t]| (step t goes from frame t to t+1); the seam step of
  b is t = b-1; ``velocity_ratio`` = s_{b-1} / median of the steps that cross no boundary;
- acceleration q_t = mean over joints of |p[t+1] - 2 p[t] + p[t-1]|; the seam touches t = b-1 and t = b;
  ``acceleration_ratio`` = max(q_{b-1}, q_b) / median of the q_t whose three frames cross no boundary.

A seamless join scores about 1; a pop or a sudden change of direction scores far above 1. When the inside
median is 0 (below 1e-9 m: a still dance) the ratio is 1.0 if the seam is still too, else infinity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from studio.core.errors import InputError
from studio.metrics.joints import check_positions

STILL = 1e-9  # metres per frame (or per frame^2): below this counts as no motion (rounding)

__all__ = ["SeamJumps", "seam_jumps"]


@dataclass(frozen=True)
class SeamJumps:
    boundaries: np.ndarray  # (B,) frames
    velocity_ratio: np.ndarray  # (B,)
    acceleration_ratio: np.ndarray  # (B,)

    def summary(self) -> dict[str, float]:
        """Mean and max of both ratios over the boundaries (0.0 for no boundaries)."""
        if self.boundaries.size == 0:
            return {"velocity_ratio_mean": 0.0, "velocity_ratio_max": 0.0, "acceleration_ratio_mean": 0.0,
                    "acceleration_ratio_max": 0.0}  # fmt: skip
        return {
            "velocity_ratio_mean": float(self.velocity_ratio.mean()),
            "velocity_ratio_max": float(self.velocity_ratio.max()),
            "acceleration_ratio_mean": float(self.acceleration_ratio.mean()),
            "acceleration_ratio_max": float(self.acceleration_ratio.max()),
        }


def seam_jumps(positions: np.ndarray, boundaries: Sequence[int] | np.ndarray) -> SeamJumps:
    """Velocity and acceleration jump ratios at each boundary of a (T >= 3, J, 3) motion."""
    p = check_positions(positions, "motion for seams", min_frames=3)
    frames = p.shape[0]
    raw = np.asarray(boundaries)
    whole = np.issubdtype(raw.dtype, np.integer) or (np.all(np.isfinite(raw)) and np.all(raw == np.round(raw)))
    if raw.size and not whole:
        raise InputError("seam boundaries", expected="whole frame numbers", found=f"{raw.tolist()}")
    bounds = np.unique(raw.astype(np.int64).reshape(-1))
    if bounds.size and (bounds.min() < 1 or bounds.max() > frames - 1):
        raise InputError("seam boundaries", expected=f"frames between 1 and {frames - 1}", found=f"{bounds.tolist()}")
    speed = np.linalg.norm(p[1:] - p[:-1], axis=-1).mean(axis=1)  # index t = 0 .. T-2
    accel = np.zeros(frames)
    accel[1:-1] = np.linalg.norm(p[2:] - 2.0 * p[1:-1] + p[:-2], axis=-1).mean(axis=1)  # valid t = 1 .. T-2

    step_crosses = np.zeros(frames - 1, dtype=bool)
    step_crosses[bounds - 1] = True
    accel_touches = np.zeros(frames, dtype=bool)
    accel_touches[[0, frames - 1]] = True  # no second difference at the ends
    accel_touches[bounds - 1] = True
    accel_touches[np.minimum(bounds, frames - 1)] = True
    speed_inside = speed[~step_crosses]
    accel_inside = accel[~accel_touches]
    speed_median = float(np.median(speed_inside)) if speed_inside.size else 0.0
    accel_median = float(np.median(accel_inside)) if accel_inside.size else 0.0

    seam_accel = np.maximum(accel[bounds - 1], accel[np.minimum(bounds, frames - 2)])
    return SeamJumps(
        boundaries=bounds,
        velocity_ratio=_ratio(speed[bounds - 1], speed_median),
        acceleration_ratio=_ratio(seam_accel, accel_median),
    )


def _ratio(values: np.ndarray, median: float) -> np.ndarray:
    if median > STILL:
        return values / median
    return np.where(values > STILL, np.inf, 1.0)
