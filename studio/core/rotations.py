"""Rotation conversions, vectorised over any leading dimensions.

Glossary (the conventions every other module relies on):

- **matrix**: 3x3 rotation matrix acting on COLUMN vectors, ``v_world = R @ v_local``. A joint's global
  rotation is ``R_parent_global @ R_local``.
- **axis-angle** (rotvec): a 3-vector whose direction is the axis and whose length is the angle in radians
  (SMPL-X / AMASS ``poses``).
- **quaternion**: scalar-LAST ``(x, y, z, w)``, as scipy's ``Rotation.as_quat``. Note pytorch3d and
  Blender are scalar-first; convert at those boundaries with :func:`quat_xyzw_to_wxyz`.
- **rot6d**: the first two ROWS of the matrix, flattened ``(r00, r01, r02, r10, r11, r12)``: the
  pytorch3d ``matrix_to_rotation_6d`` convention that FineDance and EDGE store. Decoding
  orthonormalises with Gram-Schmidt on those two rows; the third row is their cross product.
- **euler**: intrinsic angles in degrees with an explicit axis order string as scipy understands it
  (upper-case = intrinsic); only the BVH writer needs them.

scipy.spatial.transform does axis-angle and quaternion work; rot6d is a few lines of numpy. scipy's module
is imported on first use: the document layer imports this one, and the editor's window would otherwise pay
0.37 s for scipy.spatial before it is shown.
"""

from __future__ import annotations

from functools import cache

import numpy as np

_EPS = 1e-8


@cache
def _rotation():
    from scipy.spatial.transform import Rotation

    return Rotation


def _flat(x: np.ndarray, tail: tuple[int, ...]) -> tuple[np.ndarray, tuple[int, ...]]:
    x = np.asarray(x, dtype=np.float64)
    lead = x.shape[: x.ndim - len(tail)]
    if x.shape[x.ndim - len(tail) :] != tail:
        raise ValueError(f"expected an array ending in {tail}, got shape {x.shape}")
    return x.reshape((-1, *tail)), lead


def axis_angle_to_matrix(rotvec: np.ndarray) -> np.ndarray:
    flat, lead = _flat(rotvec, (3,))
    return _rotation().from_rotvec(flat).as_matrix().reshape((*lead, 3, 3))


def matrix_to_axis_angle(matrix: np.ndarray) -> np.ndarray:
    flat, lead = _flat(matrix, (3, 3))
    return _rotation().from_matrix(flat).as_rotvec().reshape((*lead, 3))


def quat_to_matrix(quat_xyzw: np.ndarray) -> np.ndarray:
    flat, lead = _flat(quat_xyzw, (4,))
    return _rotation().from_quat(flat).as_matrix().reshape((*lead, 3, 3))


def matrix_to_quat(matrix: np.ndarray) -> np.ndarray:
    """Scalar-last unit quaternions with w >= 0 (a canonical sign, so round trips compare equal)."""
    flat, lead = _flat(matrix, (3, 3))
    quat = _rotation().from_matrix(flat).as_quat(canonical=True)
    return quat.reshape((*lead, 4))


def quat_xyzw_to_wxyz(quat: np.ndarray) -> np.ndarray:
    quat = np.asarray(quat)
    return np.concatenate([quat[..., 3:], quat[..., :3]], axis=-1)


def quat_wxyz_to_xyzw(quat: np.ndarray) -> np.ndarray:
    quat = np.asarray(quat)
    return np.concatenate([quat[..., 1:], quat[..., :1]], axis=-1)


def matrix_to_rot6d(matrix: np.ndarray) -> np.ndarray:
    """First two rows, flattened: (..., 3, 3) -> (..., 6)."""
    matrix = np.asarray(matrix)
    return matrix[..., :2, :].reshape((*matrix.shape[:-2], 6))


def rot6d_to_matrix(rot6d: np.ndarray, *, strict: bool = True) -> np.ndarray:
    """Gram-Schmidt on the two stored rows: (..., 6) -> (..., 3, 3). Degenerate input raises, unless
    ``strict`` is False: then its rows are divided by at least the tolerance and the result stays finite."""
    rot6d = np.asarray(rot6d, dtype=np.float64)
    if rot6d.shape[-1] != 6:
        raise ValueError(f"expected an array ending in 6, got shape {rot6d.shape}")
    a1, a2 = rot6d[..., :3], rot6d[..., 3:]
    n1 = np.linalg.norm(a1, axis=-1, keepdims=True)
    b1 = a1 / np.maximum(n1, _EPS)
    a2 = a2 - np.sum(b1 * a2, axis=-1, keepdims=True) * b1
    n2 = np.linalg.norm(a2, axis=-1, keepdims=True)
    if strict and (np.any(n1 < _EPS) or np.any(n2 < _EPS)):
        raise ValueError("rot6d has a zero or collinear pair of rows: not a rotation")
    b2 = a2 / np.maximum(n2, _EPS)
    b3 = np.cross(b1, b2)
    return np.stack([b1, b2, b3], axis=-2)


def matrix_to_yaw(matrix: np.ndarray) -> np.ndarray:
    """Heading in RADIANS: the angle of the rotation about +Y (up) closest to each matrix, (..., 3, 3) -> (...).

    ``atan2(R02 - R20, R00 + R22)`` maximises ``trace(Ry(yaw)^T R)``, so it is the yaw of a pure turn exactly
    and stays defined when the body also pitches or rolls (where the forward axis alone would not, e.g. a
    pelvis tipped forward 90 degrees). A rotation of 180 degrees about a horizontal axis has no heading: 0.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.shape[-2:] != (3, 3):
        raise ValueError(f"expected an array ending in (3, 3), got shape {matrix.shape}")
    return np.arctan2(matrix[..., 0, 2] - matrix[..., 2, 0], matrix[..., 0, 0] + matrix[..., 2, 2])


def yaw_to_matrix(yaw: np.ndarray | float) -> np.ndarray:
    """Rotations by ``yaw`` RADIANS about +Y: (...) -> (..., 3, 3). +Z turns toward +X."""
    yaw = np.asarray(yaw, dtype=np.float64)
    c, s = np.cos(yaw), np.sin(yaw)
    out = np.zeros((*yaw.shape, 3, 3))
    out[..., 0, 0] = out[..., 2, 2] = c
    out[..., 0, 2] = s
    out[..., 2, 0] = -s
    out[..., 1, 1] = 1.0
    return out


def wrap_angle(angle: np.ndarray | float) -> np.ndarray:
    """Radians into [-pi, pi)."""
    return (np.asarray(angle, dtype=np.float64) + np.pi) % (2 * np.pi) - np.pi


def matrix_to_euler(matrix: np.ndarray, order: str) -> np.ndarray:
    """Euler angles in DEGREES for an intrinsic ``order`` such as ``"ZXY"``; (..., 3, 3) -> (..., 3)."""
    flat, lead = _flat(matrix, (3, 3))
    return _rotation().from_matrix(flat).as_euler(order, degrees=True).reshape((*lead, 3))


def euler_to_matrix(angles_deg: np.ndarray, order: str) -> np.ndarray:
    flat, lead = _flat(angles_deg, (3,))
    return _rotation().from_euler(order, flat, degrees=True).as_matrix().reshape((*lead, 3, 3))


def slerp_quat(q0: np.ndarray, q1: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Spherical interpolation of scalar-last quaternions, elementwise; ``t`` broadcasts against q[..., 0].

    Takes the short way round (flips q1 where the dot product is negative).
    """
    q0 = np.asarray(q0, dtype=np.float64)
    q1 = np.asarray(q1, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)[..., None]
    dot = np.sum(q0 * q1, axis=-1, keepdims=True)
    q1 = np.where(dot < 0, -q1, q1)
    dot = np.clip(np.abs(dot), -1.0, 1.0)
    theta = np.arccos(dot)
    sin_theta = np.sin(theta)
    near = sin_theta < 1e-6
    safe = np.where(near, 1.0, sin_theta)
    w0 = np.where(near, 1.0 - t, np.sin((1.0 - t) * theta) / safe)
    w1 = np.where(near, t, np.sin(t * theta) / safe)
    out = w0 * q0 + w1 * q1
    return out / np.linalg.norm(out, axis=-1, keepdims=True)


def random_rotations(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Uniform random rotation matrices of the given leading shape (for tests and augmentation)."""
    count = int(np.prod(shape)) if shape else 1
    quat = rng.normal(size=(count, 4))
    quat /= np.linalg.norm(quat, axis=-1, keepdims=True)
    return _rotation().from_quat(quat).as_matrix().reshape((*shape, 3, 3))
