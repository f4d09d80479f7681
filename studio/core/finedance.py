"""FineDance array formats.

- **motion file** ``(T, 315)``: 3 root translation (pelvis, metres) + 52 x rot6d (first two ROWS of each
  local rotation matrix). SMPL-X neutral body, zero betas, ``flat_hand_mean=True``. 30 fps.
- **training feature** ``(T, 319)``: 4 foot contacts (joints 7, 8, 10, 11; contact when the joint moves less
  than 0.01 m to the next frame; the last frame copies the zero-velocity convention of EDGE, i.e. contact)
  + 3 root + 312 rot6d. The body part is the first 139 dims (4 + 3 + 22 x 6), the hands the last 180.
- **music feature** ``(T, 35)`` at 30 fps: onset envelope, 20 MFCC, 12 chroma_cens, onset and beat one-hots
  (``studio.audio.features`` computes it).
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import numpy as np

from studio.core import rotations as rot
from studio.core.atomic import save_npy
from studio.core.errors import MotionFormatError
from studio.core.motion import Motion
from studio.core.skeleton import FOOT_JOINTS, NUM_JOINTS, Skeleton

MOTION_DIM = 3 + NUM_JOINTS * 6  # 315
FEATURE_DIM = 4 + MOTION_DIM  # 319
BODY_FEATURE_DIM = 4 + 3 + 22 * 6  # 139
HAND_FEATURE_DIM = 30 * 6  # 180
MUSIC_DIM = 35
CONTACT_SPEED = 0.01  # metres per frame
FPS = 30.0


def to_array(motion: Motion) -> np.ndarray:
    """Motion -> (T, 315) float32."""
    rot6d = rot.matrix_to_rot6d(motion.rotations).reshape(motion.num_frames, NUM_JOINTS * 6)
    return np.concatenate([motion.trans, rot6d], axis=1).astype(np.float32)


def from_array(array: np.ndarray, fps: float = FPS, source: str | PathLike | None = None) -> Motion:
    """(T, 315) -> Motion, with a clear error for anything else."""
    array = np.asarray(array)
    _check(array, MOTION_DIM, source)
    rotations = rot.rot6d_to_matrix(array[:, 3:].reshape(-1, NUM_JOINTS, 6).astype(np.float64))
    return Motion(array[:, :3], rotations, fps)


def foot_contacts(positions: np.ndarray) -> np.ndarray:
    """(T, 52, 3) world positions -> (T, 4) float contacts, 1.0 where the foot joint is (nearly) still."""
    feet = positions[:, list(FOOT_JOINTS)]
    speed = np.zeros(feet.shape[:2])
    speed[:-1] = np.linalg.norm(feet[1:] - feet[:-1], axis=-1)
    return (speed < CONTACT_SPEED).astype(np.float32)


def to_feature(motion: Motion, skeleton: Skeleton) -> np.ndarray:
    """Motion -> (T, 319) float32 training feature: contacts + root + rot6d."""
    contacts = foot_contacts(motion.positions(skeleton))
    return np.concatenate([contacts, to_array(motion)], axis=1).astype(np.float32)


def from_feature(feature: np.ndarray, fps: float = FPS) -> tuple[Motion, np.ndarray]:
    """(T, 319) -> (Motion, (T, 4) contacts)."""
    feature = np.asarray(feature)
    _check(feature, FEATURE_DIM, None)
    return from_array(feature[:, 4:], fps), feature[:, :4].astype(np.float32)


def _root_channels(array: np.ndarray) -> int:
    """Where the root translation starts: 0 in a (..., 315) motion array, 4 in a (..., 319) feature."""
    width = np.shape(array)[-1]
    if width not in (MOTION_DIM, FEATURE_DIM):
        raise ValueError(f"expected a (..., {MOTION_DIM}) or (..., {FEATURE_DIM}) array, got {np.shape(array)}")
    return 0 if width == MOTION_DIM else 4


def root_yaw(array: np.ndarray) -> np.ndarray:
    """Heading of the root (pelvis) in each frame, radians about +Y: (..., 315 or 319) -> (...)."""
    first = _root_channels(array) + 3
    return rot.matrix_to_yaw(rot.rot6d_to_matrix(np.asarray(array)[..., first : first + 6], strict=False))


def heading(array: np.ndarray) -> float:
    """One heading for (T, 315 or 319) frames, radians: the turn about +Y closest to all their root rotations
    together (it maximises the summed ``trace(Ry^T R_t)``; a robust mean, not thrown by a frame facing back)."""
    first = _root_channels(array) + 3
    matrices = rot.rot6d_to_matrix(np.asarray(array)[..., first : first + 6], strict=False)
    return float(rot.matrix_to_yaw(matrices.reshape(-1, 3, 3).sum(0)))


def rotate_about_y(array: np.ndarray, yaw: float, pivot: np.ndarray | tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """The whole body turned by ``yaw`` radians about the vertical line through ``pivot`` (x, z): a new array.

    (..., 315 or 319) frames: the root rotation becomes ``Ry(yaw) @ R`` (stored orthonormalised) and the root
    x/z turns around ``pivot``; root height, the other joints' local rotations and the contacts are unchanged.
    The pelvis is the skeleton's origin, so every joint moves rigidly. ``rotate_about_y(rotate_about_y(a, y, p),
    -y, p)`` gives back ``a`` (for a root rotation given as non-orthonormal rows, their orthonormalised value).
    """
    array = np.asarray(array)
    t = _root_channels(array)
    out = np.array(array, copy=True)
    c, s = np.cos(yaw), np.sin(yaw)
    px, pz = (float(v) for v in pivot)
    dx, dz = array[..., t].astype(np.float64) - px, array[..., t + 2].astype(np.float64) - pz
    out[..., t] = px + c * dx + s * dz
    out[..., t + 2] = pz - s * dx + c * dz
    root = rot.rot6d_to_matrix(array[..., t + 3 : t + 9], strict=False)
    out[..., t + 3 : t + 9] = rot.matrix_to_rot6d(rot.yaw_to_matrix(yaw) @ root)
    return out


def load(path: str | PathLike, fps: float = FPS) -> Motion:
    """Read a FineDance ``motion/NNN.npy`` file."""
    path = Path(path)
    if not path.is_file():
        raise MotionFormatError(path, expected="a FineDance motion .npy file", found="no such file")
    try:
        array = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as error:
        raise MotionFormatError(path, expected="a NumPy .npy array", found=f"unreadable data ({error})") from None
    return from_array(array, fps, source=path)


def save(motion: Motion, path: str | PathLike) -> None:
    """Write a FineDance ``(T, 315)`` .npy file atomically."""
    save_npy(path, to_array(motion))


def _check(array: np.ndarray, width: int, source: str | PathLike | None) -> None:
    if array.ndim != 2 or array.shape[1] != width:
        raise MotionFormatError(source, expected=f"a (T, {width}) array", found=f"shape {array.shape}")
    if array.shape[0] == 0:
        raise MotionFormatError(source, expected=f"a (T, {width}) array with T >= 1", found="no frames")
    if not np.issubdtype(array.dtype, np.floating):
        raise MotionFormatError(source, expected="floating-point values", found=f"dtype {array.dtype}")
    if not np.all(np.isfinite(array)):
        bad = int(np.argmax(~np.all(np.isfinite(array), axis=1)))
        raise MotionFormatError(source, expected="finite values", found=f"NaN or infinity at frame {bad}")
