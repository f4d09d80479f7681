"""Dance vitals: is a dance alive, and does it break the body? Plain per-dance figures (ours, numpy only).

The papers' metrics compare sets of dances; these describe one dance in units a person can check by eye,
so that a still, jittery, skating, spinning or sinking dance shows up in ``studio eval --songs``. Joint
positions come from forward kinematics (``Motion.global_transforms``) with the default skeleton unless one
is given; Y is up, metres, frames at the motion's frame rate. Definitions (docs/metrics.md, "Dance vitals"):

- per-joint speed v[t, j] = |p[t+1, j] - p[t, j]| * fps over the 22 body joints (``BODY22``), t = 0 .. T-2;
- **still share**: share of the steps t whose mean over the body joints of v[t, j] is under 0.15 m/s;
- **mean speed**: mean of v over steps and body joints (m/s); **p99 speed**: its 99th percentile (m/s);
- **finger activity**: per finger joint (22..51) the angle of its LOCAL rotation, arccos((trace - 1) / 2)
  in degrees, its standard deviation over the frames (population, ddof 0), mean over the 30 joints;
- **pelvis path per minute**: sum of the horizontal (x, z) pelvis step lengths divided by the time the
  steps span, (T - 1) / fps, in minutes (m/min); **pelvis extent**: the larger side of the pelvis's x/z
  bounding box (m);
- **snap frames**: frames t >= 1 where the pelvis yaw changes by more than 30 degrees from frame t - 1; yaw of
  the root rotation R = atan2(R02 - R20, R00 + R22), the turn about +Y closest to R (it maximises
  trace(Ry^T R); 0 = facing +Z; for R = Ry Rx or Ry Rz it is Ry's angle, and it stays defined for a pelvis
  pitched 90 degrees), the change wrapped to [-180, 180);
- **lowest foot**: min over frames of the lowest of the foot joints 7, 8, 10, 11 (ankles, feet) heights (m;
  negative = under the floor y = 0); ``vitals`` reports it as ``under_floor_cm`` = -100 x lowest foot;
- **BAS**: ``studio.metrics.beats.bas`` against the music beats given (frames at the motion's rate).
"""

from __future__ import annotations

import numpy as np

from studio.core import finedance
from studio.core.errors import InputError
from studio.core.motion import Motion
from studio.core.skeleton import Skeleton
from studio.metrics.beats import bas
from studio.metrics.feet import LEFT_ANKLE, LEFT_TOE, RIGHT_ANKLE, RIGHT_TOE, UP
from studio.metrics.joints import BODY22, LEFT_HAND, RIGHT_HAND, check_positions

STILL_SPEED = 0.15  # m/s: a step whose mean body-joint speed is below this is still
SNAP_DEGREES = 30.0  # pelvis yaw change per frame above this is a snap
PEAK_PERCENTILE = 99.0
FINGERS = np.concatenate([LEFT_HAND, RIGHT_HAND])  # joints 22..51
FEET = np.array([LEFT_ANKLE, RIGHT_ANKLE, LEFT_TOE, RIGHT_TOE])  # 7, 8, 10, 11
HORIZONTAL = [0, 2]  # x, z

# key -> what it is, in its unit (the report's legend; docs/metrics.md has the formulas)
FIGURES: dict[str, str] = {
    "still_share": "share of steps with mean body-joint speed < 0.15 m/s",
    "mean_speed": "mean body-joint speed, m/s",
    "p99_speed": "99th percentile of body-joint speed, m/s",
    "finger_activity_deg": "finger joints' local rotation angle: std over time, mean over 30 joints, degrees",
    "pelvis_path_m_per_min": "horizontal pelvis path per minute, m/min",
    "pelvis_extent_m": "larger side of the pelvis's x/z bounding box, m",
    "snap_frames": "frames whose pelvis yaw changes by more than 30 degrees",
    "under_floor_cm": "how far the lowest foot joint goes under y = 0, cm (negative: never reaches it)",
    "bas": "beat-align score against the music beats",
}

__all__ = [
    "FIGURES",
    "body_joint_speeds",
    "finger_activity",
    "lowest_foot",
    "mean_speed",
    "p99_speed",
    "pelvis_extent",
    "pelvis_path_per_minute",
    "pelvis_yaw",
    "snap_frames",
    "still_share",
    "vitals",
]


def body_joint_speeds(positions: np.ndarray, fps: float = 30.0) -> np.ndarray:
    """(T - 1, 22) speeds of the body joints, m/s, from (T >= 2, >= 22, 3) positions."""
    p = check_positions(positions, "motion for joint speeds", min_frames=2)
    if p.shape[1] < len(BODY22):
        raise InputError("motion for joint speeds", expected="at least the 22 body joints", found=f"{p.shape[1]}")
    body = p[:, BODY22]
    return np.linalg.norm(body[1:] - body[:-1], axis=-1) * float(fps)


def still_share(positions: np.ndarray, fps: float = 30.0, threshold: float = STILL_SPEED) -> float:
    """Share of the steps whose mean body-joint speed is under ``threshold`` m/s (1.0: a statue)."""
    return float(np.mean(body_joint_speeds(positions, fps).mean(axis=1) < threshold))


def mean_speed(positions: np.ndarray, fps: float = 30.0) -> float:
    """Mean body-joint speed over steps and joints, m/s."""
    return float(body_joint_speeds(positions, fps).mean())


def p99_speed(positions: np.ndarray, fps: float = 30.0, percentile: float = PEAK_PERCENTILE) -> float:
    """The 99th percentile of the per-step, per-joint body speeds, m/s (spikes and pops show here)."""
    return float(np.percentile(body_joint_speeds(positions, fps), percentile))


def _rotations(rotations: np.ndarray, what: str, joints: int) -> np.ndarray:
    r = np.asarray(rotations, dtype=np.float64)
    if r.ndim != 4 or r.shape[1] < joints or r.shape[2:] != (3, 3) or r.shape[0] == 0:
        raise InputError(what, expected=f"(frames, >= {joints}, 3, 3) rotation matrices", found=f"shape {r.shape}")
    if not np.all(np.isfinite(r)):
        raise InputError(what, expected="finite rotations", found="NaN or infinity")
    return r


def finger_activity(rotations: np.ndarray) -> float:
    """Mean over the 30 finger joints of the std over time of their local rotation angle, degrees.

    ``rotations``: (T, 52, 3, 3) LOCAL rotation matrices (``Motion.rotations``).
    """
    r = _rotations(rotations, "finger rotations", FINGERS[-1] + 1)[:, FINGERS]
    cosine = np.clip((np.trace(r, axis1=-2, axis2=-1) - 1.0) / 2.0, -1.0, 1.0)
    angles = np.degrees(np.arccos(cosine))  # (T, 30)
    return float(angles.std(axis=0).mean())


def pelvis_path_per_minute(positions: np.ndarray, fps: float = 30.0) -> float:
    """Horizontal pelvis path (sum of x/z step lengths) per minute of the steps' span, m/min.

    ``positions``: (T >= 2, J, 3) joint positions (joint 0 = pelvis) or (T, 3) pelvis positions.
    """
    pelvis = _pelvis(positions, min_frames=2)
    steps = np.linalg.norm(np.diff(pelvis[:, HORIZONTAL], axis=0), axis=-1)
    minutes = (len(pelvis) - 1) / float(fps) / 60.0
    return float(steps.sum() / minutes)


def pelvis_extent(positions: np.ndarray) -> float:
    """The larger side of the pelvis's horizontal (x/z) bounding box, m."""
    pelvis = _pelvis(positions, min_frames=1)[:, HORIZONTAL]
    return float(np.ptp(pelvis, axis=0).max())


def _pelvis(positions: np.ndarray, min_frames: int) -> np.ndarray:
    array = np.asarray(positions, dtype=np.float64)
    if array.ndim == 2:
        array = array[:, None]
    return check_positions(array, "pelvis positions", min_frames=min_frames)[:, 0]


def pelvis_yaw(rotations: np.ndarray) -> np.ndarray:
    """(T,) heading about +Y of the root rotation, degrees in [-180, 180]; 0 = facing +Z, +90 = facing +X.

    The angle of the turn about +Y closest to each root rotation R (maximising trace(Ry^T R)):
    atan2(R02 - R20, R00 + R22). ``rotations``: (T, 52, 3, 3) local rotations (joint 0 = the body's world
    orientation) or (T, 3, 3).
    """
    r = np.asarray(rotations, dtype=np.float64)
    if r.ndim == 3:
        r = r[:, None]
    root = _rotations(r, "root rotations", 1)[:, 0]
    return np.degrees(np.arctan2(root[:, 0, 2] - root[:, 2, 0], root[:, 0, 0] + root[:, 2, 2]))


def snap_frames(rotations: np.ndarray, threshold: float = SNAP_DEGREES) -> int:
    """Frames where the pelvis yaw turns more than ``threshold`` degrees since the frame before (wrapped)."""
    yaw = pelvis_yaw(rotations)
    change = (np.diff(yaw) + 180.0) % 360.0 - 180.0  # in [-180, 180): 179 -> -179 is +2, not -358
    return int(np.count_nonzero(np.abs(change) > threshold))


def lowest_foot(positions: np.ndarray) -> float:
    """Min over frames of the lowest foot joint's (7, 8, 10, 11) height, m; negative = under y = 0."""
    p = check_positions(positions, "motion for foot heights")
    if p.shape[1] <= FEET.max():
        raise InputError("motion for foot heights", expected="at least 12 joints", found=f"{p.shape[1]}")
    return float(p[:, FEET, UP].min())


def vitals(
    dance: Motion | np.ndarray,
    skeleton: Skeleton | None = None,
    music_beats: np.ndarray | None = None,
    fps: float | None = None,
) -> dict[str, float | int | None]:
    """Every figure of one dance as a dict (keys of ``FIGURES`` plus ``frames`` and ``seconds``).

    ``dance``: a ``Motion``, a (T, 315) FineDance array or a (T, 319) training feature (contacts ignored);
    ``skeleton``: for the forward kinematics (default: ``studio.body.provider.default_skeleton()``);
    ``music_beats``: beat frames at the dance's frame rate (None, or none inside the dance: ``bas`` is None);
    ``fps``: the frame rate of an array (default 30; a ``Motion`` has its own).
    """
    motion = _motion(dance, fps)
    if motion.num_frames < 2:
        raise InputError("dance", expected="at least 2 frames", found=f"{motion.num_frames}")
    if skeleton is None:
        from studio.body.provider import default_skeleton

        skeleton = default_skeleton()
    positions = motion.global_transforms(skeleton)[..., :3, 3]
    rate = motion.fps
    score = None
    if music_beats is not None:
        beats = np.asarray(music_beats, dtype=np.float64).reshape(-1)
        if np.any((beats >= 0) & (beats < motion.num_frames - 1)):
            score = bas(positions, beats)
    return {
        "frames": motion.num_frames,
        "seconds": motion.duration,
        "still_share": still_share(positions, rate),
        "mean_speed": mean_speed(positions, rate),
        "p99_speed": p99_speed(positions, rate),
        "finger_activity_deg": finger_activity(motion.rotations),
        "pelvis_path_m_per_min": pelvis_path_per_minute(positions, rate),
        "pelvis_extent_m": pelvis_extent(positions),
        "snap_frames": snap_frames(motion.rotations),
        "under_floor_cm": -100.0 * lowest_foot(positions),
        "bas": score,
    }


def _motion(dance: Motion | np.ndarray, fps: float | None) -> Motion:
    if isinstance(dance, Motion):
        return dance
    array = np.asarray(dance)
    if array.ndim == 2 and array.shape[1] == finedance.FEATURE_DIM:
        array = array[:, 4:]
    return finedance.from_array(array, finedance.FPS if fps is None else fps, source="dance")
