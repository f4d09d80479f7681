"""Footwork: where each foot is on every frame, from the steps of the placed moves.

A planted foot does not move at all (no sliding, by construction). A stepping foot first rises, then
travels while it is in the air (so it is off the floor before it moves sideways), then comes down on
the count. The dancer's facing turns only with feet that are in the air.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studio.data.procedural.timing import smoothstep

MIN_LIFT_TRAVELLING = 0.08  # m: a foot that travels rises at least this much (LODGE counts a toe < 5 cm as down)


@dataclass(frozen=True)
class FootEvent:
    side: int  # 0 left, 1 right
    lift_frame: float
    land_frame: float
    target: np.ndarray  # (2,) x, z of the ankle when it lands
    facing: float  # degrees, the foot's facing once landed (without turnout)
    lift: float  # m
    point: float  # toe-down pitch in the air, degrees


@dataclass(frozen=True)
class FootTracks:
    xz: np.ndarray  # (T, 2, 2) ankle x, z
    facing: np.ndarray  # (T, 2) degrees
    lift: np.ndarray  # (T, 2) m above the flat-foot height
    point: np.ndarray  # (T, 2) wanted toe-down pitch, degrees
    planted: np.ndarray  # (T, 2) bool


def _yaw_vec(degrees: float) -> np.ndarray:
    r = np.radians(degrees)
    return np.array([np.sin(r), np.cos(r)])  # (x, z) of the facing direction; 0 deg = +Z


def place(origin: np.ndarray, facing: float, local: tuple[float, float]) -> np.ndarray:
    """World x, z of a point given in a frame at ``origin`` facing ``facing`` (x = dancer's left)."""
    forward = _yaw_vec(facing)
    left = np.array([forward[1], -forward[0]])
    return origin + local[0] * left + local[1] * forward


def build_tracks(
    events: list[FootEvent], frames: int, start_xz: np.ndarray, start_facing: np.ndarray
) -> FootTracks:
    xz = np.broadcast_to(start_xz, (frames, 2, 2)).astype(np.float64).copy()
    facing = np.broadcast_to(start_facing, (frames, 2)).astype(np.float64).copy()
    lift = np.zeros((frames, 2))
    point = np.zeros((frames, 2))
    planted = np.ones((frames, 2), dtype=bool)
    for e in sorted(events, key=lambda e: e.land_frame):
        s = e.side
        first = max(0, int(np.floor(e.lift_frame)) + 1)
        land = int(np.round(e.land_frame))
        if land < first or first >= frames:
            continue
        span = max(e.land_frame - e.lift_frame, 1e-6)
        f = np.arange(first, min(land, frames - 1) + 1)
        u = np.clip((f - e.lift_frame) / span, 0.0, 1.0)
        ease = smoothstep((u - 0.2) / 0.6)  # travel only while well off the floor
        start, start_facing_ = xz[first - 1 if first > 0 else 0, s].copy(), facing[max(first - 1, 0), s]
        moving = np.linalg.norm(e.target - start) > 0.03 or abs(e.facing - start_facing_) > 1.0
        height = max(e.lift, MIN_LIFT_TRAVELLING) if moving else e.lift
        xz[f, s] = start + (e.target - start) * ease[:, None]
        facing[f, s] = start_facing_ + (e.facing - start_facing_) * ease
        lift[f, s] = height * np.sin(np.pi * u)
        point[f, s] = e.point * np.sin(np.pi * u)
        planted[f, s] = u >= 1.0
        rest = slice(min(land, frames - 1) + 1, frames)
        xz[rest, s] = e.target
        facing[rest, s] = e.facing
    return FootTracks(xz, facing, lift, point, planted)
