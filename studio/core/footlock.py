"""Foot locking: a foot on the floor stays where it landed (legs re-posed by two-bone IK).

A generated dance often lets a planted foot drift a few millimetres to centimetres per frame (foot skating).
This pass finds, per side, the runs of frames where the foot is on the floor (its ankle and toe joints low,
as LODGE's foot-skating metric defines contact, with a margin) and holds the ankle's horizontal position and
the foot's heading at the run's anchor frame (its first, so a foot stays where it landed; its last when the
run reaches fixed frames at the end of a window, so the next segment still joins). First the pelvis gives
back the slide of the planted feet (``carry_root``: the dancer travels by stepping), then the hip and knee
are re-posed by analytic two-bone IK; heights and everything above the pelvis are untouched. After a run the
correction fades out over ``blend`` frames while the foot lifts.

Numpy only (``studio.core``): used by the generation pipeline on every candidate and by tests directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studio.core import rotations as rot
from studio.core.motion import Motion
from studio.core.skeleton import Skeleton

PELVIS = 0
# (hip, knee, ankle, toe) joints of each side, SMPL-X order
LEGS = {"left": (1, 4, 7, 10), "right": (2, 5, 8, 11)}
ANKLE_HEIGHT = 0.10  # m above the floor: LODGE counts contact at 8 cm (ankle) and 5 cm (toe); a margin more
TOE_HEIGHT = 0.07
MAX_FLOOR = 0.06  # m: toe joints stand 1.5 cm above the floor on the mannequin; higher is a jump, not a floor
STEP_SPEED = 0.05  # m/frame (1.5 m/s): a low foot moving faster than this is stepping, not planted
_EPS = 1e-9


@dataclass(frozen=True)
class FootLockReport:
    """How much was locked: frames held per side and the largest ankle correction (m)."""

    locked_frames: dict[str, int]
    max_correction: float


def lock_feet(
    motion: Motion,
    skeleton: Skeleton,
    *,
    floor: float | None = None,
    blend: int = 4,
    anchor_end: bool = False,
    step_speed: float = STEP_SPEED,
    carry_root: bool = True,
) -> tuple[Motion, FootLockReport]:
    """``motion`` with its planted feet held still.

    ``floor``: the toe joints' height on the floor (default: the 2nd percentile of the motion's toe heights, at
    most ``MAX_FLOOR``). ``anchor_end``: a run that reaches the last frame keeps that frame's foot (the frames
    after it are fixed, e.g. the next segment's).
    """
    transforms = motion.global_transforms(skeleton)
    positions = transforms[..., :3, 3]
    if floor is None:  # where the toes are when down; a window spent in the air does not lift the floor
        floor = min(float(np.percentile(positions[:, [LEGS["left"][3], LEGS["right"][3]], 1], 2)), MAX_FLOOR)
    if carry_root:
        planted = [_planted(positions, legs, floor, step_speed) for legs in LEGS.values()]
        motion = _carry_root(motion, positions, planted, anchor_end)
        transforms = motion.global_transforms(skeleton)
        positions = transforms[..., :3, 3]
    rotations = motion.rotations.copy()
    locked, worst = {}, 0.0
    for side, (hip, knee, ankle, toe) in LEGS.items():
        planted = _planted(positions, (hip, knee, ankle, toe), floor, step_speed)
        weight, anchor = _hold(planted, blend, anchor_end)
        locked[side] = int(planted.sum())
        if not weight.any():
            continue
        held = weight > 0
        target = positions[:, ankle].copy()
        pinned = positions[anchor, ankle]
        target[:, 0] += weight * (pinned[:, 0] - positions[:, ankle, 0])
        target[:, 2] += weight * (pinned[:, 2] - positions[:, ankle, 2])
        heading = _heading(positions[:, toe] - positions[:, ankle])
        turn = weight * _wrap(heading[anchor] - heading)
        worst = max(worst, float(np.abs(target - positions[:, ankle]).max()))
        _solve_leg(rotations, transforms, (hip, knee, ankle), target, turn, held)
    return Motion(motion.trans, rotations, motion.fps), FootLockReport(locked, worst)


def _planted(positions: np.ndarray, leg: tuple[int, ...], floor: float, step_speed: float) -> np.ndarray:
    ankle, toe = leg[2], leg[3]
    low = (positions[:, ankle, 1] <= floor + ANKLE_HEIGHT) & (positions[:, toe, 1] <= floor + TOE_HEIGHT)
    return low & (_speed(positions[:, ankle]) <= step_speed)


def _carry_root(motion: Motion, positions: np.ndarray, planted: list[np.ndarray], fixed_end: bool) -> Motion:
    """Move the body with its planted feet: each frame, the pelvis gives back the mean horizontal slide of
    the feet planted on both that frame and the one before (the dancer travels by stepping, not sliding).
    ``fixed_end``: the offset is ramped back to 0 at the last frame (the frames after it are fixed)."""
    ankles = positions[:, [LEGS["left"][2], LEGS["right"][2]]][..., [0, 2]]  # (T, 2, 2)
    slide = np.diff(ankles, axis=0)  # (T-1, 2 sides, xz)
    both = np.stack([p[1:] & p[:-1] for p in planted], axis=1)  # (T-1, 2)
    count = both.sum(axis=1)
    mean = (slide * both[..., None]).sum(axis=1) / np.maximum(count, 1)[:, None]
    offset = np.concatenate((np.zeros((1, 2)), -np.cumsum(mean, axis=0)))
    if fixed_end:
        offset -= np.linspace(0.0, 1.0, len(offset))[:, None] * offset[-1]
    trans = motion.trans.copy()
    trans[:, [0, 2]] += offset
    return Motion(trans, motion.rotations, motion.fps)


def _hold(planted: np.ndarray, blend: int, anchor_end: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per frame: how much the foot is held (1 in a run, fading after it) and the frame it is held at."""
    frames = len(planted)
    weight = np.zeros(frames)
    anchor = np.arange(frames)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], planted.astype(np.int8), [0]))))
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        ref = end - 1 if anchor_end and end == frames and start > 0 else start
        weight[start:end] = 1.0
        anchor[start:end] = ref
        for k in range(1, blend + 1):  # fade out while the foot lifts, unless another run takes over
            t = end - 1 + k
            if t >= frames or planted[t]:
                break
            fade = 1.0 - k / (blend + 1)
            if fade > weight[t]:
                weight[t], anchor[t] = fade, ref
    return weight, anchor


def _speed(points: np.ndarray) -> np.ndarray:
    """Horizontal speed (m/frame) at each frame, the larger of the steps into and out of it."""
    step = np.linalg.norm(np.diff(points[:, [0, 2]], axis=0), axis=-1)
    padded = np.concatenate(([0.0], step, [0.0]))
    return np.maximum(padded[:-1], padded[1:])


def _heading(vectors: np.ndarray) -> np.ndarray:
    return np.arctan2(vectors[:, 0], vectors[:, 2])  # angle about +Y of the horizontal part


def _wrap(angle: np.ndarray) -> np.ndarray:
    return (angle + np.pi) % (2 * np.pi) - np.pi


def _axis_angle(axis: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotation matrices (N, 3, 3) about unit ``axis`` (N, 3) by ``angle`` (N,)."""
    return rot.axis_angle_to_matrix(axis * np.asarray(angle)[:, None])


def _unit(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    norm = np.linalg.norm(v, axis=-1)
    return v / np.maximum(norm, _EPS)[:, None], norm


def _solve_leg(rotations, transforms, joints, target, turn, frames) -> None:
    """Two-bone IK on the selected frames: bend the knee so hip-ankle has the target's distance, swing the
    hip onto the target, keep the foot's world orientation (turned by ``turn`` about +Y)."""
    hip, knee, ankle = joints
    g = transforms[frames]
    a, b, c, t = g[:, hip, :3, 3], g[:, knee, :3, 3], g[:, ankle, :3, 3], target[frames]
    g_hip, g_knee, g_ankle = g[:, hip, :3, :3], g[:, knee, :3, :3], g[:, ankle, :3, :3]
    thigh, shin = np.linalg.norm(b - a, axis=-1), np.linalg.norm(c - b, axis=-1)
    reach = np.clip(np.linalg.norm(t - a, axis=-1), np.abs(thigh - shin) + 1e-4, thigh + shin - 1e-4)
    # 1. the knee: from its angle now to the one that puts the ankle at the target's distance from the hip
    u_ba, _ = _unit(a - b)
    u_bc, _ = _unit(c - b)
    now = np.arccos(np.clip((u_ba * u_bc).sum(-1), -1, 1))
    wanted = np.arccos(np.clip((thigh**2 + shin**2 - reach**2) / (2 * thigh * shin), -1, 1))
    hinge, size = _unit(np.cross(a - b, c - b))
    straight = size < 1e-6  # no bend plane: the knee's own hinge axis (local x)
    hinge[straight] = g_knee[straight, :, 0]
    bend = _axis_angle(hinge, wanted - now)
    c1 = b + np.einsum("nij,nj->ni", bend, c - b)
    # 2. the hip: the smallest rotation taking hip->ankle onto hip->target
    u_now, _ = _unit(c1 - a)
    u_want, _ = _unit(t - a)
    axis, sin = _unit(np.cross(u_now, u_want))
    swing = _axis_angle(axis, np.arctan2(sin, (u_now * u_want).sum(-1)))
    new_hip = swing @ g_hip
    new_knee = swing @ bend @ g_knee
    new_ankle = _axis_angle(np.tile([0.0, 1.0, 0.0], (len(a), 1)), turn[frames]) @ g_ankle
    parent = g[:, PELVIS, :3, :3]  # the hips' parent
    rotations[frames, hip] = np.swapaxes(parent, 1, 2) @ new_hip
    rotations[frames, knee] = np.swapaxes(new_hip, 1, 2) @ new_knee
    rotations[frames, ankle] = np.swapaxes(new_knee, 1, 2) @ new_ankle
