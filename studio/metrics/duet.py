"""Duet metrics: Duolando's duet feature (for FID / Div) and the interpenetration share.

The motion-motion score lives in ``beats.py`` (``motion_motion_score``).

Duet feature, source Duolando ``utils/metrics_duet.py`` (``duet_feature``): the 10 x 10 distances between
10 joints of dancer A (Duolando's follower) and the same 10 joints of dancer B (leader) -- pelvis, ankles,
feet (toe joints), head, shoulders, wrists -- averaged over the common frames: a 100-d vector, entry
``10 * i + j`` = |A_i - B_j|. FID_duet / Div_duet = ``distribution.fid_div`` on these vectors.

Interpenetration (ours; Duolando measures it on SMPL-X meshes with a CUDA BVH we cannot use): each body is
21 capsules around its bones, with the radii in ``CAPSULES`` (a bit slimmer than a body, so that touching is
not counted). Hands and fingers have no capsule: holding hands is normal in partner dance. A frame
interpenetrates when any capsule of A overlaps any capsule of B; the share is such frames / frames.
"""

from __future__ import annotations

import numpy as np

from studio.metrics.joints import DUET10, check_positions

# (name, joint, joint, radius in metres); joints are our body indices.
CAPSULES: tuple[tuple[str, int, int, float], ...] = (
    ("pelvis", 0, 3, 0.10),
    ("lower_spine", 3, 6, 0.10),
    ("upper_spine", 6, 9, 0.10),
    ("chest", 9, 12, 0.09),
    ("head", 12, 15, 0.09),
    ("left_hip", 0, 1, 0.08),
    ("right_hip", 0, 2, 0.08),
    ("left_thigh", 1, 4, 0.07),
    ("right_thigh", 2, 5, 0.07),
    ("left_shin", 4, 7, 0.05),
    ("right_shin", 5, 8, 0.05),
    ("left_foot", 7, 10, 0.04),
    ("right_foot", 8, 11, 0.04),
    ("left_collar", 9, 13, 0.05),
    ("right_collar", 9, 14, 0.05),
    ("left_shoulder", 13, 16, 0.05),
    ("right_shoulder", 14, 17, 0.05),
    ("left_upper_arm", 16, 18, 0.045),
    ("right_upper_arm", 17, 19, 0.045),
    ("left_forearm", 18, 20, 0.035),
    ("right_forearm", 19, 21, 0.035),
)
_START = np.array([c[1] for c in CAPSULES])
_END = np.array([c[2] for c in CAPSULES])
_RADIUS = np.array([c[3] for c in CAPSULES])
_CHUNK = 1024  # frames per vectorised block (bounds memory on long dances)
_EPS = 1e-12

__all__ = ["CAPSULES", "duet_features", "interpenetration", "interpenetration_frames"]


def duet_features(positions_a: np.ndarray, positions_b: np.ndarray) -> np.ndarray:
    """(T, >=22, 3) x 2 -> (100,) mean pairwise distances of the 10 Duolando joints (A's rows, B's columns)."""
    a = check_positions(positions_a, "first dancer")
    b = check_positions(positions_b, "second dancer")
    frames = min(a.shape[0], b.shape[0])
    pa, pb = a[:frames, DUET10], b[:frames, DUET10]
    distance = np.linalg.norm(pa[:, :, None, :] - pb[:, None, :, :], axis=-1)
    return distance.reshape(frames, -1).mean(axis=0)


def interpenetration_frames(positions_a: np.ndarray, positions_b: np.ndarray) -> np.ndarray:
    """(T,) booleans: frames in which some capsule of A overlaps some capsule of B (common frames only)."""
    a = check_positions(positions_a, "first dancer")
    b = check_positions(positions_b, "second dancer")
    if a.shape[1] < 22 or b.shape[1] < 22:
        raise ValueError("interpenetration needs the 22 body joints of both dancers")
    frames = min(a.shape[0], b.shape[0])
    a_start, a_end = a[:frames, _START], a[:frames, _END]  # (T, N, 3)
    b_start, b_end = b[:frames, _START], b[:frames, _END]
    # broad phase: a bounding sphere per capsule; only pairs whose spheres meet get the exact test
    a_centre, b_centre = (a_start + a_end) / 2, (b_start + b_end) / 2
    a_reach = np.linalg.norm(a_end - a_start, axis=-1) / 2 + _RADIUS
    b_reach = np.linalg.norm(b_end - b_start, axis=-1) / 2 + _RADIUS
    out = np.zeros(frames, dtype=bool)
    for start in range(0, frames, _CHUNK):
        block = slice(start, min(start + _CHUNK, frames))
        gap = np.linalg.norm(a_centre[block, :, None] - b_centre[block, None], axis=-1)
        frame, i, j = np.nonzero(gap < a_reach[block, :, None] + b_reach[block, None])
        if frame.size == 0:
            continue
        frame = frame + start
        distance = _segment_distance(a_start[frame, i], a_end[frame, i], b_start[frame, j], b_end[frame, j])
        out[np.unique(frame[distance < _RADIUS[i] + _RADIUS[j]])] = True
    return out


def interpenetration(positions_a: np.ndarray, positions_b: np.ndarray) -> float:
    """Share of frames in [0, 1] in which the two bodies' capsules overlap."""
    frames = interpenetration_frames(positions_a, positions_b)
    return float(frames.mean()) if frames.size else 0.0


def _segment_distance(p1: np.ndarray, q1: np.ndarray, p2: np.ndarray, q2: np.ndarray) -> np.ndarray:
    """Closest distance between segments p1-q1 and p2-q2, broadcast (Ericson, Real-Time Collision Detection 5.1.9)."""
    p1, q1, p2, q2 = np.broadcast_arrays(p1, q1, p2, q2)
    d1, d2, r = q1 - p1, q2 - p2, p1 - p2
    a = np.einsum("...c,...c->...", d1, d1)
    e = np.einsum("...c,...c->...", d2, d2)
    f = np.einsum("...c,...c->...", d2, r)
    c = np.einsum("...c,...c->...", d1, r)
    b = np.einsum("...c,...c->...", d1, d2)
    a_ok, e_ok = a > _EPS, e > _EPS
    safe_a, safe_e = np.where(a_ok, a, 1.0), np.where(e_ok, e, 1.0)
    denom = a * e - b * b
    s = np.where(denom > _EPS, np.clip((b * f - c * e) / np.where(denom > _EPS, denom, 1.0), 0.0, 1.0), 0.0)
    t = (b * s + f) / safe_e
    s = np.where(t < 0.0, np.clip(-c / safe_a, 0.0, 1.0), np.where(t > 1.0, np.clip((b - c) / safe_a, 0.0, 1.0), s))
    t = np.clip(t, 0.0, 1.0)
    # degenerate segments (points)
    s = np.where(a_ok, s, 0.0)
    t = np.where(a_ok, t, np.clip(f / safe_e, 0.0, 1.0))
    s = np.where(a_ok & ~e_ok, np.clip(-c / safe_a, 0.0, 1.0), s)
    t = np.where(e_ok, t, 0.0)
    closest1 = p1 + d1 * s[..., None]
    closest2 = p2 + d2 * t[..., None]
    return np.linalg.norm(closest1 - closest2, axis=-1)
