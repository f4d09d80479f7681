"""Legs from feet: an analytic two-bone IK, flat or pointed feet, and the soles measured on the avatar mesh.

The choreographer decides where each ankle is (planted feet never move, so nothing slides) and where the
pelvis is; :func:`solve_legs` turns that into hip, knee and ankle rotations. Soles are a handful of points
on the bottom of each foot taken from the mannequin mesh (heel, toe tip, edges), carried by the ankle or
toe joint they are skinned to: the floor is where the lowest of them is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from studio.core.motion import Motion
from studio.core.skeleton import Skeleton

SIDES = ("left", "right")
HIP = (1, 2)
KNEE = (4, 5)
ANKLE = (7, 8)
TOE = (10, 11)
KNEE_MAX = np.radians(150.0)
REACH = 0.998  # never ask a leg for more than this share of its length: a locked knee snaps


@dataclass(frozen=True, eq=False)
class LegModel:
    skeleton: Skeleton
    hip: np.ndarray  # (2, 3) pelvis -> hip, pelvis frame
    thigh: np.ndarray  # (2, 3) hip -> knee
    shin: np.ndarray  # (2, 3) knee -> ankle
    reach: np.ndarray  # (2,) longest hip-ankle distance without hyper-extending the knee
    shortest: np.ndarray  # (2,) hip-ankle distance at full knee flexion
    flat_ankle: np.ndarray  # (2,) ankle height above the floor when the foot is flat
    sole_heel: np.ndarray  # (2, S, 3) sole points in the ankle's frame
    sole_toe: np.ndarray  # (2, S, 3) sole points in the toe joint's frame
    pelvis_height: float  # rest pelvis height above the soles
    pitch_table: np.ndarray  # (N, 2): toe-down pitch (deg) -> ankle height that keeps the sole above 0


def _knee_solve(a: np.ndarray, b: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Knee flexion (radians, about +X) with |a + R_x(theta) b| = d."""
    c = a[1] * b[1] + a[2] * b[2]
    s = a[2] * b[1] - a[1] * b[2]
    m, psi = np.hypot(c, s), np.arctan2(s, c)
    k = (d**2 - a @ a - b @ b) / 2.0 - a[0] * b[0]
    return psi + np.arccos(np.clip(k / m, -1.0, 1.0))


def _length(a: np.ndarray, b: np.ndarray, theta: float) -> float:
    c, s = np.cos(theta), np.sin(theta)
    rb = np.array([b[0], c * b[1] - s * b[2], s * b[1] + c * b[2]])
    return float(np.linalg.norm(a + rb))


def leg_model(avatar) -> LegModel:
    skeleton = avatar.skeleton
    off = skeleton.offsets
    rest = skeleton.rest_positions
    dominant = avatar.skin_joints[np.arange(len(avatar.skin_joints)), avatar.skin_weights.argmax(axis=1)]
    floor = float(avatar.vertices[:, 1].min())
    heel, toe, flat = [], [], []
    for side in range(2):
        foot = avatar.vertices[np.isin(dominant, [ANKLE[side], TOE[side]])]
        bottom = foot[:, 1].min()
        flat.append(rest[ANKLE[side], 1] - bottom)
        for joint, out in ((ANKLE[side], heel), (TOE[side], toe)):
            v = avatar.vertices[dominant == joint]
            v = v[v[:, 1] < bottom + 0.012]
            angles = np.radians(np.arange(0, 360, 30))
            picks = {int(np.argmax(v[:, [0, 2]] @ np.array([np.cos(t), np.sin(t)]))) for t in angles}
            out.append(v[sorted(picks)] - rest[joint])
    count = min(len(p) for p in heel + toe)  # equal sizes so they stack
    heel = np.stack([p[:count] for p in heel])
    toe = np.stack([p[:count] for p in toe])
    thigh = np.stack([off[KNEE[s]] for s in range(2)])
    shin = np.stack([off[ANKLE[s]] for s in range(2)])
    reach = np.array([_length(thigh[s], shin[s], 0.0) * REACH for s in range(2)])
    shortest = np.array([_length(thigh[s], shin[s], KNEE_MAX) for s in range(2)])
    model = LegModel(
        skeleton=skeleton,
        hip=np.stack([off[HIP[s]] for s in range(2)]),
        thigh=thigh,
        shin=shin,
        reach=reach,
        shortest=shortest,
        flat_ankle=np.array(flat),
        sole_heel=heel,
        sole_toe=toe,
        pelvis_height=float(rest[0, 1] - floor),
        pitch_table=np.zeros((1, 2)),
    )
    return _with_pitch_table(model)


def _with_pitch_table(model: LegModel) -> LegModel:
    """How high the ankle must be for each toe-down pitch so that no sole point dips under the floor."""
    pitches = np.arange(0.0, 91.0, 5.0)
    need = []
    toe_offset = model.skeleton.offsets[TOE[0]]
    for pitch in np.radians(pitches):
        c, s = np.cos(pitch), np.sin(pitch)
        r = np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
        points = np.concatenate([model.sole_heel[0] @ r.T, (model.sole_toe[0] + toe_offset) @ r.T])
        need.append(-points[:, 1].min())
    object.__setattr__(model, "pitch_table", np.stack([pitches, np.maximum.accumulate(need)], axis=1))
    return model


@lru_cache(maxsize=1)
def default_leg_model() -> LegModel:
    from studio.body.provider import load_avatar

    return leg_model(load_avatar())


def allowed_pitch(model: LegModel, ankle_height: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The toe-down pitch (deg) closest to ``wanted`` that keeps the foot above the floor at that height."""
    limit = np.interp(ankle_height, model.pitch_table[:, 1], model.pitch_table[:, 0], left=0.0, right=90.0)
    return np.minimum(wanted, limit)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def _frame(first: np.ndarray, hint: np.ndarray) -> np.ndarray:
    """Orthonormal frames (T, 3, 3) whose columns are first, hint made orthogonal, and their cross."""
    e1 = _unit(first)
    e2 = _unit(hint - np.sum(hint * e1, axis=-1, keepdims=True) * e1)
    return np.stack([e1, e2, np.cross(e1, e2)], axis=-1)


def _rot_x(theta: np.ndarray) -> np.ndarray:
    c, s = np.cos(theta), np.sin(theta)
    out = np.zeros((*np.shape(theta), 3, 3))
    out[..., 0, 0] = 1.0
    out[..., 1, 1], out[..., 1, 2], out[..., 2, 1], out[..., 2, 2] = c, -s, s, c
    return out


def hip_positions(model: LegModel, pelvis_rot: np.ndarray, pelvis_pos: np.ndarray) -> np.ndarray:
    """(T, 2, 3) world hip positions."""
    return pelvis_pos[:, None] + np.einsum("tij,sj->tsi", pelvis_rot, model.hip)


def solve_legs(
    model: LegModel,
    pelvis_rot: np.ndarray,  # (T, 3, 3) world
    pelvis_pos: np.ndarray,  # (T, 3)
    ankles: np.ndarray,  # (T, 2, 3) world ankle targets
    feet: np.ndarray,  # (T, 2, 3, 3) world foot orientations
    knee_hint: np.ndarray,  # (T, 2, 3) where the knees should point
) -> np.ndarray:
    """Local rotations (T, 2, 3, 3, 3): [frame, side, (hip, knee, ankle)]. Targets must be reachable."""
    hips = hip_positions(model, pelvis_rot, pelvis_pos)
    out = np.empty((len(pelvis_pos), 2, 3, 3, 3))
    up = np.array([0.0, 1.0, 0.0])
    for s in range(2):
        v = ankles[:, s] - hips[:, s]
        d = np.clip(np.linalg.norm(v, axis=-1), model.shortest[s] + 1e-6, model.reach[s])
        theta = _knee_solve(model.thigh[s], model.shin[s], d)
        knee = _rot_x(theta)
        u = model.thigh[s] + knee @ model.shin[s]
        local = _frame(u, np.broadcast_to([0.0, 0.0, 1.0], u.shape))
        world = _frame(v, knee_hint[:, s] + 0.5 * up)
        hip_global = world @ np.swapaxes(local, -1, -2)
        out[:, s, 0] = np.swapaxes(pelvis_rot, -1, -2) @ hip_global
        out[:, s, 1] = knee
        out[:, s, 2] = np.swapaxes(hip_global @ knee, -1, -2) @ feet[:, s]
    return out


def sole_heights(model: LegModel, motion: Motion) -> np.ndarray:
    """(T, 2) height of the lowest sole point of each foot above y = 0."""
    transforms = motion.global_transforms(model.skeleton)
    out = np.empty((motion.num_frames, 2))
    for s in range(2):
        lowest = []
        for joint, points in ((ANKLE[s], model.sole_heel[s]), (TOE[s], model.sole_toe[s])):
            m = transforms[:, joint]
            world_y = np.einsum("tj,sj->ts", m[:, 1, :3], points) + m[:, 1, 3:4]
            lowest.append(world_y.min(axis=1))
        out[:, s] = np.minimum(*lowest)
    return out
