"""Foot locking: a foot on the floor stays where it landed (legs re-posed by two-bone IK).

A generated dance often lets a planted foot drift a few millimetres to centimetres per frame (foot skating).
This pass finds, per side, the runs of frames where the foot is on the floor (its ankle and toe joints low,
as LODGE's foot-skating metric defines contact, with a margin) and holds the ankle's horizontal position and
the foot's orientation at the run's anchor frame (its first, so a foot stays where it landed; its last when
the run reaches fixed frames at the end of a window, so the next segment still joins): with the ankle and the
foot's orientation held, the toe joint holds too. First the pelvis gives back the slide of the planted feet
(``carry_root``: the dancer travels by stepping), then the hip and knee are re-posed by analytic two-bone IK;
heights and everything above the pelvis are untouched. After a run the correction fades out over ``blend``
frames while the foot lifts.

A low foot that moves faster than a planted one can (``step_speed``) is stepping: it is lifted clear of the
floor (``lift_feet``), with the lift eased in and out over ``LIFT_EASE`` frames, so a swing does not sweep the
floor (the metric counts a low, moving foot as skating, and a dancer's stepping foot leaves the floor).

Last, no foot joint is left under the floor (``keep_above_floor``): the body is raised where one is.

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
FOOT_JOINTS = (7, 8, 10, 11)  # ankles and toes: what must stay above the floor
ANKLE_HEIGHT = 0.10  # m above the floor: LODGE counts contact at 8 cm (ankle) and 5 cm (toe); a margin more
TOE_HEIGHT = 0.07
MAX_FLOOR = 0.06  # m: toe joints stand 1.5 cm above the floor on the mannequin; higher is a jump, not a floor
STEP_SPEED = 0.05  # m/frame (1.5 m/s): a low foot moving faster than this is stepping, not planted
# m above the contact heights that a stepping foot is lifted to: a margin for the floor estimate, which a
# viewer or metric that takes the floor from the first frame (LODGE's skating metric) can have 2-3 cm higher
CLEARANCE = 0.02
LIFT_EASE = 3  # frames over which a lift eases in and out
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
    fixed_start: int = 0,
    step_speed: float = STEP_SPEED,
    carry_root: bool = True,
    lift_feet: bool = True,
) -> tuple[Motion, FootLockReport]:
    """``motion`` with its planted feet held still.

    ``floor``: the toe joints' height on the floor (default: the 2nd percentile of the motion's toe heights, in
    [0, ``MAX_FLOOR``]: y = 0 is the floor). ``anchor_end``: a run that reaches the last frame keeps that
    frame's foot (the frames after it are fixed, e.g. the next segment's; a lift then eases out before it).
    ``fixed_start``: the first frames are final already (the previous segment's tail): they are left as they
    are, the pelvis offset starts after them, and a run that began in them stays where their last frame has
    the foot.
    """
    transforms = motion.global_transforms(skeleton)
    positions = transforms[..., :3, 3]
    if floor is None:  # where the toes are when down; neither a window in the air nor a foot through the floor
        toes = positions[:, [LEGS["left"][3], LEGS["right"][3]], 1]  # moves the floor out of [0, MAX_FLOOR]
        floor = float(np.clip(np.percentile(toes, 2), 0.0, MAX_FLOOR))
    if carry_root:
        planted = [_planted(positions, legs, floor, step_speed, fixed_start) for legs in LEGS.values()]
        motion = _carry_root(motion, positions, planted, anchor_end, fixed_start)
        transforms = motion.global_transforms(skeleton)
        positions = transforms[..., :3, 3]
    rotations = motion.rotations.copy()
    locked, worst = {}, 0.0
    for side, (hip, knee, ankle, toe) in LEGS.items():
        planted = _planted(positions, (hip, knee, ankle, toe), floor, step_speed, fixed_start)
        weight, anchor = _hold(planted, blend, anchor_end, fixed_start)
        lift = 0.0
        if lift_feet:
            lift = _lift(positions[:, ankle, 1], positions[:, toe, 1], planted, floor, anchor_end, fixed_start)
        locked[side] = int(planted.sum())
        moved = (weight > 0) | (lift > 0)
        moved[:fixed_start] = False
        if not moved.any():
            continue
        target = positions[:, ankle].copy()
        pinned = positions[anchor, ankle]
        target[:, 0] += weight * (pinned[:, 0] - positions[:, ankle, 0])
        target[:, 2] += weight * (pinned[:, 2] - positions[:, ankle, 2])
        target[:, 1] += lift
        worst = max(worst, float(np.abs(target - positions[:, ankle]).max()))
        foot = _blend_orientation(transforms[:, ankle, :3, :3], transforms[anchor, ankle, :3, :3], weight)
        _solve_leg(rotations, transforms, (hip, knee, ankle), target, foot, moved)
    locked_motion = keep_above_floor(Motion(motion.trans, rotations, motion.fps), skeleton,
                                     fixed_end=anchor_end, fixed_start=fixed_start)  # fmt: skip
    return locked_motion, FootLockReport(locked, worst)


def _planted(positions: np.ndarray, leg: tuple[int, ...], floor: float, step_speed: float, seam: int) -> np.ndarray:
    """Frames where the foot is low and slow. The step into frame ``seam`` (> 0: the first frame after fixed
    ones) is not the foot's own: it is how far the net missed the fixed frames, which the lock takes back."""
    ankle, toe = leg[2], leg[3]
    low = (positions[:, ankle, 1] <= floor + ANKLE_HEIGHT) & (positions[:, toe, 1] <= floor + TOE_HEIGHT)
    return low & (_speed(positions[:, ankle], seam) <= step_speed)


def _lift(ankle_y, toe_y, planted, floor, fixed_end, fixed_start) -> np.ndarray:
    """Per frame, how far (m) to raise a foot that is low but not planted (a step), and a planted foot on
    its take-off frame (the last of its run: it leaves from there), so it clears the contact heights: the
    smaller of what the ankle and the toe need (one clear is off the floor), eased in and out over
    ``LIFT_EASE`` frames (a tent), 0 on fixed frames and eased toward them."""
    takeoff = planted & np.concatenate((~planted[1:], [False]))
    need_ankle = floor + ANKLE_HEIGHT + CLEARANCE - ankle_y
    need_toe = floor + TOE_HEIGHT + CLEARANCE - toe_y
    need = np.where(planted & ~takeoff, 0.0, np.maximum(np.minimum(need_ankle, need_toe), 0.0))
    return _eased(need, fixed_end, fixed_start)


def _eased(need: np.ndarray, fixed_end: bool, fixed_start: int) -> np.ndarray:
    """Per-frame offsets ``need`` (>= 0) widened into tents over ``LIFT_EASE`` frames each side (no pop in or
    out), 0 on fixed frames and eased toward them."""
    frames = len(need)
    out = need.copy()
    for k in range(1, min(LIFT_EASE, frames - 1) + 1):
        share = 1.0 - k / (LIFT_EASE + 1)
        out[k:] = np.maximum(out[k:], share * need[:-k])
        out[:-k] = np.maximum(out[:-k], share * need[k:])
    if fixed_end:
        out *= np.clip((frames - 1 - np.arange(frames)) / (LIFT_EASE + 1), 0.0, 1.0)
    if fixed_start:
        out *= np.clip((np.arange(frames) - (fixed_start - 1)) / (LIFT_EASE + 1), 0.0, 1.0)
    return out


def keep_above_floor(motion: Motion, skeleton: Skeleton, *, fixed_end: bool = False, fixed_start: int = 0) -> Motion:
    """``motion`` with the whole body raised on frames where a foot joint (ankles, toes) is under the floor
    (y = 0), by as much as that foot is under, eased in and out. The re-posed legs of a lock, a lift or the
    net itself can put a toe a few centimetres through the floor; raising the pelvis keeps the pose and
    every other contact."""
    heights = motion.positions(skeleton)[:, list(FOOT_JOINTS), 1]
    need = np.maximum(-heights.min(axis=1), 0.0)
    if not need.any():
        return motion
    trans = motion.trans.copy()
    trans[:, 1] += _eased(need, fixed_end, fixed_start)
    return Motion(trans, motion.rotations, motion.fps)


def _blend_orientation(own: np.ndarray, held: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """World rotations (T, 3, 3) turned from ``own`` toward ``held`` by ``weight`` (0: own, 1: held)."""
    delta = rot.matrix_to_axis_angle(held @ np.swapaxes(own, 1, 2))
    return rot.axis_angle_to_matrix(delta * weight[:, None]) @ own


def _carry_root(motion: Motion, positions, planted: list[np.ndarray], fixed_end: bool, fixed_start: int) -> Motion:
    """Move the body with its planted feet: each frame, the pelvis gives back the mean horizontal slide of
    the feet planted on both that frame and the one before (the dancer travels by stepping, not sliding).
    ``fixed_end``: the offset is ramped back to 0 at the last frame (the frames after it are fixed);
    it starts after the first ``fixed_start`` frames (they are final)."""
    ankles = positions[:, [LEGS["left"][2], LEGS["right"][2]]][..., [0, 2]]  # (T, 2, 2)
    slide = np.diff(ankles, axis=0)  # (T-1, 2 sides, xz)
    both = np.stack([p[1:] & p[:-1] for p in planted], axis=1)  # (T-1, 2)
    count = both.sum(axis=1)
    mean = (slide * both[..., None]).sum(axis=1) / np.maximum(count, 1)[:, None]
    mean[: max(fixed_start - 1, 0)] = 0.0
    offset = np.concatenate((np.zeros((1, 2)), -np.cumsum(mean, axis=0)))
    if fixed_end:
        offset -= np.linspace(0.0, 1.0, len(offset))[:, None] * offset[-1]
    trans = motion.trans.copy()
    trans[:, [0, 2]] += offset
    return Motion(trans, motion.rotations, motion.fps)


def _hold(planted: np.ndarray, blend: int, anchor_end: bool, fixed_start: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Per frame: how much the foot is held (1 in a run, fading after it) and the frame it is held at."""
    frames = len(planted)
    weight = np.zeros(frames)
    anchor = np.arange(frames)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], planted.astype(np.int8), [0]))))
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        from_fixed = fixed_start > 0 and start < fixed_start <= end
        to_fixed = anchor_end and end == frames
        ref = fixed_start - 1 if from_fixed else end - 1 if to_fixed and start > 0 else start
        weight[start:end] = 1.0
        anchor[start:end] = ref
        if from_fixed and to_fixed:  # held at both ends: the foot moves to the end's place in the last frames
            ramp = min(blend + 1, end - fixed_start)
            weight[end - ramp : end] = np.linspace(1.0, 0.0, ramp + 1)[1:]
        for k in range(1, blend + 1):  # fade out while the foot lifts, unless another run takes over
            t = end - 1 + k
            if t >= frames or planted[t]:
                break
            fade = 1.0 - k / (blend + 1)
            if fade > weight[t]:
                weight[t], anchor[t] = fade, ref
    return weight, anchor


def _speed(points: np.ndarray, seam: int = 0) -> np.ndarray:
    """Horizontal speed (m/frame) at each frame, the larger of the steps into and out of it (the step into
    frame ``seam`` > 0 left out)."""
    step = np.linalg.norm(np.diff(points[:, [0, 2]], axis=0), axis=-1)
    if 0 < seam < len(points):
        step[seam - 1] = 0.0
    padded = np.concatenate(([0.0], step, [0.0]))
    return np.maximum(padded[:-1], padded[1:])


def _axis_angle(axis: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotation matrices (N, 3, 3) about unit ``axis`` (N, 3) by ``angle`` (N,)."""
    return rot.axis_angle_to_matrix(axis * np.asarray(angle)[:, None])


def _unit(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    norm = np.linalg.norm(v, axis=-1)
    return v / np.maximum(norm, _EPS)[:, None], norm


def _solve_leg(rotations, transforms, joints, target, foot, frames) -> None:
    """Two-bone IK on the selected frames: bend the knee so hip-ankle has the target's distance, swing the
    hip onto the target, give the foot the world orientation ``foot`` (T, 3, 3)."""
    hip, knee, ankle = joints
    g = transforms[frames]
    a, b, c, t = g[:, hip, :3, 3], g[:, knee, :3, 3], g[:, ankle, :3, 3], target[frames]
    g_hip, g_knee = g[:, hip, :3, :3], g[:, knee, :3, :3]
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
    new_ankle = foot[frames]
    parent = g[:, PELVIS, :3, :3]  # the hips' parent
    rotations[frames, hip] = np.swapaxes(parent, 1, 2) @ new_hip
    rotations[frames, knee] = np.swapaxes(new_hip, 1, 2) @ new_knee
    rotations[frames, ankle] = np.swapaxes(new_knee, 1, 2) @ new_ankle
