"""Mesh data the FBX and glTF writers share: smooth normals and per-joint vertex weights."""

from __future__ import annotations

import numpy as np

from studio.body.avatar import Avatar
from studio.core.skeleton import NUM_JOINTS


def vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted smooth normals (V, 3), unit length (a zero vector for unused vertices)."""
    corners = vertices[faces]  # (F, 3, 3)
    face_normals = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])  # length = 2 * area
    normals = np.zeros_like(vertices)
    for axis in range(3):
        weights = np.repeat(face_normals[:, axis], 3)
        normals[:, axis] = np.bincount(faces.ravel(), weights, minlength=len(vertices))
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    return np.divide(normals, length, out=np.zeros_like(normals), where=length > 0)


def joint_influences(avatar: Avatar) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """For each joint that moves vertices: (joint, vertex indices, weights), duplicates summed.

    The avatar's (V, 4) tables may list a joint twice for one vertex or pad with zero weights.
    """
    count = len(avatar.vertices)
    joints = avatar.skin_joints.astype(np.int64).ravel()
    vertices = np.repeat(np.arange(count), avatar.skin_joints.shape[1])
    weights = avatar.skin_weights.astype(np.float64).ravel()
    keep = weights > 0
    key = joints[keep] * count + vertices[keep]
    unique, inverse = np.unique(key, return_inverse=True)
    summed = np.bincount(inverse, weights[keep])
    out = []
    boundaries = np.searchsorted(unique, np.arange(NUM_JOINTS + 1) * count)
    for joint in range(NUM_JOINTS):
        lo, hi = boundaries[joint], boundaries[joint + 1]
        if hi > lo:
            out.append((joint, (unique[lo:hi] - joint * count).astype(np.int32), summed[lo:hi]))
    return out
