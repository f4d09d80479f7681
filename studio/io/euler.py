"""Euler angle curves without flips, for the formats that store Euler angles (BVH, FBX).

A rotation has two Tait-Bryan solutions, ``(a, b, c)`` and ``(a + 180, 180 - b, c + 180)``, each up to
whole turns per angle. Taking the canonical one (``|b| <= 90``) frame by frame makes angles jump by 360
(wrap) or flip branches near gimbal lock, which interpolating readers (Unity, Unreal, Blender between
keys) turn into spins. Here each frame takes the solution closest to the previous frame.

Order strings follow scipy: upper case = intrinsic (``"ZXY"``: ``R = Rz @ Rx @ Ry``), lower case =
extrinsic (``"xyz"``: ``R = Rz @ Ry @ Rx``, FBX's eEulerXYZ).
"""

from __future__ import annotations

import warnings

import numpy as np

from studio.core import rotations as rot

_AXES = {"x": 0, "y": 1, "z": 2}
_LOCK = 1e-6  # |cos b| below this: gimbal lock, where the closed form loses a + c; scipy handles those
_NEAR_LOCK = 0.5  # |cos b| above this on both frames: the branches are too far apart to swap


def _intrinsic_angles(matrices: np.ndarray, order: str) -> np.ndarray:
    """Canonical intrinsic Tait-Bryan angles (radians), closed form: R = R_i(a) R_j(b) R_k(c)."""
    i, j, k = (_AXES[axis] for axis in order.lower())
    sign = 1.0 if (j - i) % 3 == 1 else -1.0  # cyclic (xyz, yzx, zxy) or not
    cos_b = np.hypot(matrices[..., i, i], matrices[..., i, j])
    b = np.arctan2(sign * matrices[..., i, k], cos_b)
    a = np.arctan2(-sign * matrices[..., j, k], matrices[..., k, k])
    c = np.arctan2(-sign * matrices[..., i, j], matrices[..., i, i])
    return np.stack([a, b, c], axis=-1)


def euler_angles(matrices: np.ndarray, order: str) -> np.ndarray:
    """Canonical Euler angles in degrees (middle angle within +-90) for a scipy-style order string."""
    matrices = np.asarray(matrices, dtype=np.float64)
    if len(set(order.lower())) != 3 or len(order) != 3:
        raise ValueError(f"need a Tait-Bryan order with three different axes, got {order!r}")
    if order.isupper():
        angles = _intrinsic_angles(matrices, order)
    else:  # extrinsic abc = intrinsic CBA with the angles reversed
        angles = _intrinsic_angles(matrices, order[::-1].upper())[..., ::-1]
    angles = np.degrees(angles)
    locked = np.cos(np.radians(angles[..., 1])) < _LOCK
    if locked.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "Gimbal lock detected": the matrix is still exact
            angles[locked] = rot.matrix_to_euler(matrices[locked], order)
    return angles


def _wrap(degrees: np.ndarray) -> np.ndarray:
    return degrees - 360.0 * np.round(degrees / 360.0)


def continuous_euler(matrices: np.ndarray, order: str) -> np.ndarray:
    """(T, J, 3, 3) rotation matrices -> (T, J, 3) Euler angles in degrees, continuous over T."""
    canonical = euler_angles(matrices, order)
    other = canonical + np.array([180.0, 0.0, 180.0])
    other[..., 1] = 180.0 - canonical[..., 1]
    branches = np.stack([canonical, other], axis=-2)  # (T, J, 2, 3)
    frames, joints = canonical.shape[:2]
    # best_next[t, j, a]: the branch at frame t + 1 closest (modulo whole turns) to branch a at frame t.
    # Away from gimbal lock the two branches are far apart, so a joint stays on its branch there.
    best_next = np.broadcast_to(np.arange(2), (frames - 1, joints, 2)).copy()
    near = np.abs(np.cos(np.radians(canonical[..., 1]))) < _NEAR_LOCK
    near = near[1:] | near[:-1]
    if near.any():
        step = branches[1:][near][:, None, :, :] - branches[:-1][near][:, :, None, :]  # (N, from, to, 3)
        best_next[near] = np.argmin(np.abs(_wrap(step)).sum(axis=-1), axis=-1)
    # Follow the chain from the canonical branch at frame 0; only this walk is sequential.
    rows = np.arange(joints)
    states = np.zeros((frames, joints), dtype=np.intp)
    for frame in range(1, frames):
        states[frame] = best_next[frame - 1, rows, states[frame - 1]]
    chosen = np.take_along_axis(branches, states[:, :, None, None], axis=2)[:, :, 0]
    # unwrap: shift every angle by whole turns to within 180 degrees of the previous frame's
    turns = np.cumsum(np.round(np.diff(chosen, axis=0) / 360.0), axis=0)
    chosen[1:] -= 360.0 * turns
    return chosen
