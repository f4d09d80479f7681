"""From placed moves to a ``Motion``: keys blended by slerp on counts, footwork, pelvis, leg IK, floor.

Order of work: (1) every key becomes local rotations of the upper body and fingers plus a pelvis tilt
and three linear values (level, sway, shift); frames between keys slerp with the key's ease, so moves
join by the same blend that runs within them; (2) the steps become foot tracks; (3) the pelvis sits over
the feet (leaning toward the supporting one), lowered by the level and the per-count bounce, and never
so high that a planted leg would have to stretch; (4) an analytic IK bends the legs to reach the feet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.ndimage import gaussian_filter1d, maximum_filter1d

from studio.core import rotations as rot
from studio.core.motion import Motion
from studio.core.skeleton import LEFT_HAND, NUM_JOINTS, RIGHT_HAND
from studio.data.procedural import pose as P
from studio.data.procedural.feet import FootEvent, build_tracks, place
from studio.data.procedural.genres import DanceStyle
from studio.data.procedural.hands import hand_rotations
from studio.data.procedural.legs import ANKLE, HIP, KNEE, LegModel, allowed_pitch, hip_positions, solve_legs
from studio.data.procedural.moves import Move
from studio.data.procedural.timing import CountMap, ease

STANDING_SOFTNESS = 0.02  # m below the straight-leg pelvis height: knees never lock
PELVIS_AHEAD = 0.065  # m: the rest pelvis is this far in front of the ankles (the feet's support centre)
SIT_BACK = 0.3  # share of the level by which the pelvis moves back (a squat sits back, shins stay steep)
WEIGHT_SHIFT = 0.35  # share of the half-stance the pelvis moves toward a single supporting foot


@dataclass(frozen=True)
class Placement:
    move: Move
    start: int  # count where the move begins
    mirror: bool = False
    amplitude: float = 1.0
    level: float = 0.0  # added to every key's level (metres)
    backward: bool = False  # travel flipped front to back


@dataclass(frozen=True)
class DancerState:
    """Where a dancer stands: ankle x, z of both feet, and the facing of each (degrees, 0 = +Z)."""

    feet: np.ndarray = field(default_factory=lambda: np.array([[0.08, 0.0], [-0.08, 0.0]]))
    facing: np.ndarray = field(default_factory=lambda: np.zeros(2))

    @classmethod
    def standing(cls, stance: float, at: tuple[float, float] = (0.0, 0.0), facing: float = 0.0) -> DancerState:
        origin = np.asarray(at, dtype=np.float64)
        feet = np.stack([place(origin, facing, (stance / 2, 0.0)), place(origin, facing, (-stance / 2, 0.0))])
        return cls(feet, np.full(2, float(facing)))


@dataclass(frozen=True)
class Keyframes:
    frames: np.ndarray  # (K,) float frame positions
    rotations: np.ndarray  # (K, 52, 3, 3) local, legs and pelvis identity
    tilt: np.ndarray  # (K, 3, 3) pelvis relative to the facing
    linear: np.ndarray  # (K, 3) level, sway, shift
    eases: tuple[str, ...]  # (K,) how each key is reached


def key_poses(placement: Placement, style: DanceStyle) -> list[tuple[float, np.ndarray, tuple[str, str], str]]:
    """(count, pose vector, (left hand, right hand), ease) of every key of a placed move."""
    base = P.vector(style.base)
    out = []
    for k in placement.move.keys:
        whole = np.floor(k.at)
        at = whole + (style.swing if abs(k.at - whole - 0.5) < 1e-9 else k.at - whole)
        vec = P.vector(k.pose, base)
        vec = base + placement.amplitude * (vec - base)
        vec[P.INDEX["level"]] = vec[P.INDEX["level"]] + placement.level
        hands = (k.hands[0] or style.hand, k.hands[1] or style.hand)
        if placement.mirror:
            vec = P.mirror(vec)
            hands = (hands[1], hands[0])
        ease_kind = k.ease if k.ease != "smooth" or style.ease == "smooth" else style.ease
        out.append((placement.start + at, P.clamp(vec), hands, ease_kind))
    return out


def keyframes(placements: list[Placement], style: DanceStyle, counts: CountMap) -> Keyframes:
    entries = [e for p in placements for e in key_poses(p, style)]
    if not entries:
        raise ValueError("a dance needs at least one key")
    entries.sort(key=lambda e: e[0])
    frames = counts.frame(np.array([e[0] for e in entries]))
    poses = np.stack([e[1] for e in entries])
    rotations = P.upper_rotations(poses)
    for i, (_, _, (left, right), _) in enumerate(entries):
        rotations[i, LEFT_HAND] = hand_rotations(left, "left")
        rotations[i, RIGHT_HAND] = hand_rotations(right, "right")
    return Keyframes(frames, rotations, P.pelvis_tilt(poses), poses[:, P.LINEAR], tuple(e[3] for e in entries))


def prepend_key(keys: Keyframes, rotations: np.ndarray, tilt: np.ndarray, linear: np.ndarray) -> Keyframes:
    """A key at frame 0 holding a given pose (the end of the previous segment), blended into the rest."""
    first = min(0.0, keys.frames[0] - 1.0)
    return Keyframes(
        np.concatenate([[first], keys.frames]),
        np.concatenate([rotations[None], keys.rotations]),
        np.concatenate([tilt[None], keys.tilt]),
        np.concatenate([linear[None], keys.linear]),
        ("smooth", *keys.eases),
    )


def sample(keys: Keyframes, frames: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-frame (rotations (T, 52, 3, 3), tilt (T, 3, 3), linear (T, 3)) by eased slerp between keys."""
    f = np.arange(frames, dtype=np.float64)
    k = keys.frames
    i = np.clip(np.searchsorted(k, f, side="right") - 1, 0, len(k) - 1)
    j = np.minimum(i + 1, len(k) - 1)
    span = np.maximum(k[j] - k[i], 1e-9)
    u = np.where(j > i, np.clip((f - k[i]) / span, 0.0, 1.0), 0.0)
    u = np.where(f < k[0], 0.0, u)
    eased = np.empty_like(u)
    for kind in set(keys.eases):
        mask = np.array([keys.eases[jj] == kind for jj in j])
        eased[mask] = ease(kind, u[mask])
    quats = rot.matrix_to_quat(np.concatenate([keys.rotations, keys.tilt[:, None]], axis=1))  # (K, 53, 4)
    q = rot.slerp_quat(quats[i], quats[j], np.repeat(eased[:, None], NUM_JOINTS + 1, axis=1))
    matrices = rot.quat_to_matrix(q)
    linear = keys.linear[i] + (keys.linear[j] - keys.linear[i]) * eased[:, None]
    return matrices[:, :NUM_JOINTS], matrices[:, NUM_JOINTS], linear


def foot_events(
    placements: list[Placement], style: DanceStyle, counts: CountMap, state: DancerState
) -> tuple[list[FootEvent], DancerState]:
    """World foot events of the placed moves, walking the dancer through them; and where it ends up."""
    feet = state.feet.astype(np.float64).copy()
    facing = state.facing.astype(np.float64).copy()
    busy = np.full(2, -np.inf)
    events: list[FootEvent] = []
    half = style.stance / 2.0
    for p in placements:
        origin = feet.mean(axis=0)
        heading = float(facing.mean())
        for s in sorted(p.move.steps, key=lambda s: s.at):
            sides = {"L": (0,), "R": (1,), "LR": (0, 1)}[s.foot]
            if p.mirror:
                sides = tuple(1 - side for side in sides)
            turn = -s.turn if p.mirror else s.turn
            heading += turn
            dx = -s.dx if p.mirror else s.dx
            dz = -s.dz if p.backward else s.dz
            land = float(counts.frame(p.start + s.at))
            lift = float(counts.frame(p.start + s.at - s.dur))
            for side in sides:
                neutral = half if side == 0 else -half
                target = place(origin, heading, (neutral + dx, dz))
                start = max(lift, busy[side])
                events.append(FootEvent(side, start, land, target, heading, s.lift, s.point))
                feet[side], facing[side], busy[side] = target, heading, land
    return events, DancerState(feet, facing)


def _yaw(degrees: np.ndarray) -> np.ndarray:
    return rot.axis_angle_to_matrix(np.radians(degrees)[..., None] * np.array([0.0, 1.0, 0.0]))


def bounce_curve(style: DanceStyle, counts: CountMap, frames: int, first: float, last: float) -> np.ndarray:
    """Pelvis dip (m) per frame: a cosine per count, lowest (or highest) on the beat, only while dancing."""
    if style.bounce <= 0:
        return np.zeros(frames)
    c = counts.count(np.arange(frames, dtype=np.float64))
    wave = 0.5 + 0.5 * np.cos(2 * np.pi * (c - np.floor(c)))
    dip = style.bounce * (wave if style.bounce_on == "down" else 1.0 - wave)
    envelope = np.clip(np.minimum(c - first + 1.0, last - c + 1.0), 0.0, 1.0)
    return dip * envelope


def assemble(
    model: LegModel,
    style: DanceStyle,
    upper: np.ndarray,  # (T, 52, 3, 3)
    tilt: np.ndarray,  # (T, 3, 3)
    linear: np.ndarray,  # (T, 3)
    events: list[FootEvent],
    state: DancerState,
    bounce: np.ndarray,  # (T,)
) -> Motion:
    """Pelvis over the feet, legs by IK, everything into a Motion (fps 30)."""
    frames = len(upper)
    tracks = build_tracks(events, frames, state.feet, state.facing)
    sign = np.array([1.0, -1.0])
    heading = tracks.facing.mean(axis=1)
    level, sway, shift = linear[:, 0], linear[:, 1], linear[:, 2]

    # lean toward the supporting foot while the other one is in the air
    support = gaussian_filter1d(tracks.planted[:, 0].astype(float) - tracks.planted[:, 1], 3.0)
    mid = tracks.xz.mean(axis=1)
    half = (tracks.xz[:, 0] - tracks.xz[:, 1]) / 2.0
    forward = np.stack([np.sin(np.radians(heading)), np.cos(np.radians(heading))], axis=1)
    left = np.stack([forward[:, 1], -forward[:, 0]], axis=1)
    xz = mid + WEIGHT_SHIFT * support[:, None] * half
    xz = xz + sway[:, None] * left + (shift + PELVIS_AHEAD - SIT_BACK * level)[:, None] * forward

    airborne = ~tracks.planted.any(axis=1)
    jump = np.where(airborne, tracks.lift.min(axis=1), 0.0)
    height = model.pelvis_height - STANDING_SOFTNESS - level - bounce + jump
    pelvis_rot = _yaw(heading) @ tilt
    ankle_y = model.flat_ankle[None, :] + tracks.lift
    ankles = np.stack([tracks.xz[..., 0], ankle_y, tracks.xz[..., 1]], axis=-1)  # (T, 2, 3)

    # never higher than the planted legs can reach (smoothly, then exactly)
    hip_drop = np.einsum("tij,sj->tsi", pelvis_rot, model.hip)[..., 1]  # (T, 2) hip y relative to the pelvis
    pelvis = np.stack([xz[:, 0], height, xz[:, 1]], axis=1)
    hips = hip_positions(model, pelvis_rot, pelvis)
    flat = np.linalg.norm((ankles - hips)[..., [0, 2]], axis=-1)
    room = np.sqrt(np.maximum(model.reach[None] ** 2 - flat**2, 0.0))
    ceiling = (ankle_y + room - hip_drop).min(axis=1)
    excess = np.maximum(height - ceiling, 0.0)
    excess = gaussian_filter1d(maximum_filter1d(excess, 9), 2.0)
    pelvis[:, 1] = np.minimum(height - excess, ceiling)

    # a foot in the air that cannot be reached is pulled toward its hip
    hips = hip_positions(model, pelvis_rot, pelvis)
    reach_vec = ankles - hips
    dist = np.linalg.norm(reach_vec, axis=-1, keepdims=True)
    ankles = hips + reach_vec * np.minimum(1.0, model.reach[None, :, None] / np.maximum(dist, 1e-9))

    feet_yaw = tracks.facing + sign[None] * style.turnout
    pitch = allowed_pitch(model, ankles[..., 1], tracks.point)
    feet = _yaw(feet_yaw) @ rot.axis_angle_to_matrix(np.radians(pitch)[..., None] * np.array([1.0, 0.0, 0.0]))
    knee_hint = (_yaw(feet_yaw) @ np.array([0.0, 0.0, 1.0]))
    legs = solve_legs(model, pelvis_rot, pelvis, ankles, feet, knee_hint)

    rotations = upper.copy()
    rotations[:, 0] = pelvis_rot
    for s in range(2):
        rotations[:, HIP[s]] = legs[:, s, 0]
        rotations[:, KNEE[s]] = legs[:, s, 1]
        rotations[:, ANKLE[s]] = legs[:, s, 2]
    return Motion(pelvis, rotations, 30.0)
