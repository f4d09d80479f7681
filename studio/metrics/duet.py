"""Duet metrics: Duolando's duet feature (for FID / Div), the interpenetration share, clearance (the share of
frames with the dancers closer than 0.2 m) and the pose distance to the lead and to its mirror image.

The motion-motion score lives in ``beats.py`` (``motion_motion_score``).

Duet feature, source Duolando ``utils/metrics_duet.py`` (``duet_feature``): the 10 x 10 distances between
10 joints of dancer A (Duolando's follower) and the same 10 joints of dancer B (leader) -- pelvis, ankles,
feet (toe joints), head, shoulders, wrists -- averaged over the common frames: a 100-d vector, entry
``10 * i + j`` = |A_i - B_j|. FID_duet / Div_duet = ``distribution.fid_div`` on these vectors.

Interpenetration (ours; Duolando measures it on SMPL-X meshes with a CUDA BVH we cannot use): each body is
21 capsules around its bones, with the radii in ``CAPSULES`` (a bit slimmer than a body, so that touching is
not counted). Hands and fingers have no capsule: holding hands is normal in partner dance. A frame
interpenetrates when any capsule of A overlaps any capsule of B; the share is such frames / frames.

Clearance (ours, DESIGN.md section 9): the closest distance between any joint of A and any joint of B, per
frame; ``close_share`` = the share of frames where it is under ``CLEARANCE`` (0.2 m). All joints given are
used -- with 52-joint input the fingers too: they reach 10-18 cm past the wrist and are the first part of a
dancer to come near the other, so a clearance on the 22 body joints would pass a hand through a face.
(Interpenetration leaves the hands out for the opposite reason: it counts collisions of bodies.)

Pose distance (ours, for "is the partner a copy?"): both dancers' 22 body joints made root-relative and
heading-normalised per frame (pelvis at the origin, turned about +Y by minus the pelvis yaw of
``vitals.pelvis_yaw`` so that the body faces +Z), then the mean per-joint distance in metres over the common
frames. Per frame rather than per window: a partner who repeats the lead's poses while facing another way,
or while turning on its own, is still a copy, and per-frame normalisation scores it ~0 (it can only make two
dances look closer, never further apart, so a large distance is a safe "not a copy"). The distance to the
mirror image compares B with A's mirror (left and right joints swapped, x negated) in the same normalised
frame; a copy, or a mirror copy, of A scores ~0 on one of them. ``motion_pose_distances`` runs the forward
kinematics on the skeleton made exactly symmetric (``symmetric_skeleton``): the mannequin's rest joints are
0.3-3 cm off symmetric, which alone would give a mirror copy 1.6 cm.
"""

from __future__ import annotations

import numpy as np

from studio.core.errors import InputError
from studio.core.motion import Motion
from studio.core.skeleton import MIRROR, Skeleton
from studio.metrics.joints import BODY22, DUET10, check_positions
from studio.metrics.vitals import pelvis_yaw

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

CLEARANCE = 0.2  # m: no joint of one dancer should come this close to any joint of the other
_CLOSE_CHUNK = 256  # frames per block of the all-joints distance matrix (52 x 52 per frame)
_REFLECT_X = np.array([-1.0, 1.0, 1.0])

__all__ = [
    "CAPSULES",
    "CLEARANCE",
    "close_share",
    "closest_distance",
    "closest_per_frame",
    "duet_features",
    "facing_front",
    "interpenetration",
    "interpenetration_frames",
    "mirrored_positions",
    "motion_pose_distances",
    "pose_distances",
    "symmetric_skeleton",
]


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


def closest_per_frame(positions_a: np.ndarray, positions_b: np.ndarray) -> np.ndarray:
    """(T,) the smallest distance between any joint of A and any joint of B in each common frame, metres."""
    a = check_positions(positions_a, "first dancer")
    b = check_positions(positions_b, "second dancer")
    frames = min(a.shape[0], b.shape[0])
    out = np.empty(frames)
    for start in range(0, frames, _CLOSE_CHUNK):
        block = slice(start, min(start + _CLOSE_CHUNK, frames))
        pa, pb = a[block], b[block]
        # |p - q|^2 = |p|^2 + |q|^2 - 2 p.q: a batched matrix product, ~2x faster than the (T, J, J, 3) gaps;
        # rounding is ~1e-14 m^2 at dancers metres from the origin, far below a centimetre
        square = np.einsum("tic,tic->ti", pa, pa)[:, :, None] + np.einsum("tjc,tjc->tj", pb, pb)[:, None, :]
        square -= 2.0 * np.matmul(pa, pb.transpose(0, 2, 1))
        out[block] = np.sqrt(np.maximum(square.min(axis=(1, 2)), 0.0))
    return out


def close_share(positions_a: np.ndarray, positions_b: np.ndarray, threshold: float = CLEARANCE) -> float:
    """Share of the common frames in [0, 1] in which some joint of A is within ``threshold`` m of some joint of B."""
    closest = closest_per_frame(positions_a, positions_b)
    return float(np.mean(closest < threshold)) if closest.size else 0.0


def closest_distance(positions_a: np.ndarray, positions_b: np.ndarray) -> float:
    """The smallest joint-to-joint distance between the two dancers over all common frames, metres."""
    closest = closest_per_frame(positions_a, positions_b)
    return float(closest.min()) if closest.size else float("inf")


def mirrored_positions(positions: np.ndarray) -> np.ndarray:
    """Joint positions of the left/right mirror image (``Motion.mirrored``'s, on positions): left and right
    joints swapped (``core.skeleton.MIRROR``), x negated. Takes the 52 joints or the first 22 (the body)."""
    p = check_positions(positions, "positions to mirror")
    if p.shape[1] not in (22, len(MIRROR)):
        raise InputError("positions to mirror", expected=f"22 or {len(MIRROR)} joints", found=f"{p.shape[1]}")
    return p[:, MIRROR[: p.shape[1]]] * _REFLECT_X


def facing_front(positions: np.ndarray, rotations: np.ndarray) -> np.ndarray:
    """(T, 22, 3) body joints, pelvis at the origin, turned per frame so that the body faces +Z.

    ``rotations``: the motion's (T, 52, 3, 3) local rotations (joint 0 = the body's world orientation), or
    (T, 3, 3) root rotations; the heading is ``vitals.pelvis_yaw``.
    """
    p = check_positions(positions, "positions to face front")
    if p.shape[1] < 22:
        raise InputError("positions to face front", expected="the 22 body joints", found=f"{p.shape[1]} joints")
    yaw = np.radians(pelvis_yaw(rotations))
    if yaw.shape[0] != p.shape[0]:
        raise InputError("rotations", expected=f"{p.shape[0]} frames, as the positions", found=f"{yaw.shape[0]}")
    body = p[:, BODY22] - p[:, :1]
    c, s = np.cos(yaw), np.sin(yaw)
    # row-vector form of R_y(-yaw) v: x' = c x - s z, z' = s x + c z
    out = body.copy()
    out[..., 0] = c[:, None] * body[..., 0] - s[:, None] * body[..., 2]
    out[..., 2] = s[:, None] * body[..., 0] + c[:, None] * body[..., 2]
    return out


def pose_distances(
    positions_a: np.ndarray, rotations_a: np.ndarray, positions_b: np.ndarray, rotations_b: np.ndarray
) -> tuple[float, float]:
    """(to A, to A's mirror image): B's mean per-joint distance, metres, from A's pose and from A's mirrored
    pose, both facing front (``facing_front``), over the common frames. A copy of A scores ~0 on the first,
    a mirror copy on the second."""
    a = facing_front(positions_a, rotations_a)
    b = facing_front(positions_b, rotations_b)
    frames = min(a.shape[0], b.shape[0])
    a, b = a[:frames], b[:frames]
    to_lead = np.linalg.norm(b - a, axis=-1).mean()
    to_mirror = np.linalg.norm(b - mirrored_positions(a), axis=-1).mean()
    return float(to_lead), float(to_mirror)


def symmetric_skeleton(skeleton: Skeleton) -> Skeleton:
    """The skeleton with each rest joint averaged with its mirror image: FK of ``Motion.mirrored`` on it gives
    exactly the ``mirrored_positions`` of the motion's FK."""
    rest = skeleton.rest_positions
    symmetric = (rest + rest[MIRROR] * _REFLECT_X) / 2.0
    return Skeleton(symmetric, skeleton.names, skeleton.parents, source=f"{skeleton.source} (symmetric)")


def motion_pose_distances(lead: Motion, partner: Motion, skeleton: Skeleton) -> tuple[float, float]:
    """``pose_distances`` of two motions (A = ``lead``), on ``symmetric_skeleton(skeleton)``."""
    symmetric = symmetric_skeleton(skeleton)
    return pose_distances(lead.positions(symmetric), lead.rotations, partner.positions(symmetric), partner.rotations)


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
