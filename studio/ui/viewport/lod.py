"""Lighter triangle lists of the avatar for views where its triangles cover a few pixels, for software GL's sake.

Mesa's llvmpipe shades vertices and sets up triangles on one thread: with two 48k-triangle dancers that is
most of a frame, while at a full-body distance a triangle covers a few pixels. Each lighter level is made
by quadric edge-collapse decimation (``fast_simplification``) and then put back on the ORIGINAL vertices:
every output vertex is drawn through the original vertex, among those collapsed into it, nearest its
optimised position. So a level is only an index buffer over the avatar's own GPU buffers (positions,
normals, joints, weights): skinning is exactly the same, and the shading keeps the full mesh's normals.

Edge collapses never join separate parts of the mesh (the mannequin's wooden pieces), and fingers keep
more of their vertices by themselves: flattening a 1-cm-thick finger costs far more quadric error than
flattening a thigh. The levels are closed and outward-facing like the mesh, so they are drawn with
back-face culling (the triangles that putting the vertices back turned inside out are turned back).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

# Fraction of the triangles each lighter level removes, finest first: medium (~24k triangles of the
# mannequin's 48k) for a full-body view, far (~5k) for a dancer in the distance. Removing 70 % for the
# medium level streaked the shading of the waist bands at the bench's distance (long triangles between
# a band's bevelled rims, shaded with the full mesh's normals; their own normals looked faceted instead).
LEVELS: tuple[tuple[str, float], ...] = (("medium", 0.5), ("far", 0.9))

NORMAL_WEIGHT = 0.02  # m of distance that a representative vertex facing 90 degrees away counts as (see below)
_SIMPLIFY_LOCK = threading.Lock()  # fast_simplification keeps its mesh in module state: one call at a time


@dataclass(frozen=True)
class MeshLevel:
    name: str
    faces: np.ndarray  # (F', 3) uint32 over the original vertex indices
    mean_edge: float  # m, in the rest pose: what the level's triangles look like on screen


def mean_edge(vertices: np.ndarray, faces: np.ndarray) -> float:
    corners = np.asarray(vertices, dtype=np.float64)[np.asarray(faces)]
    return float(np.linalg.norm(corners - np.roll(corners, 1, axis=1), axis=2).mean())


def decimated_faces(
    vertices: np.ndarray, faces: np.ndarray, normals: np.ndarray, reduction: float, normal_weight: float = NORMAL_WEIGHT
) -> np.ndarray:
    """(F', 3) uint32 triangles over the ORIGINAL vertex indices, about ``(1 - reduction) * F`` of them.
    ``normals``: the original vertex normals (the shader's)."""
    import fast_simplification

    from studio.ui.viewport.scene import vertex_normals

    vertices = np.asarray(vertices, dtype=np.float64)
    faces = np.asarray(faces, dtype=np.int64)
    with _SIMPLIFY_LOCK:
        points, simplified, collapses = fast_simplification.simplify(
            vertices, faces, target_reduction=reduction, return_collapses=True
        )
        mapping = np.asarray(fast_simplification.replay_simplification(vertices, faces, collapses)[2], dtype=np.int64)
    # each output vertex drawn through the original vertex, among those collapsed into it, nearest its position
    # and facing its way: a vertex on a bevelled rim, shaded as facing up, would streak a wall's long triangles
    simplified = np.asarray(simplified, dtype=np.int64)
    facing = vertex_normals(points, simplified).astype(np.float64)[mapping]
    mismatch = 1.0 - np.einsum("ij,ij->i", np.asarray(normals, dtype=np.float64), facing)
    cost = np.linalg.norm(vertices - points[mapping], axis=1) + normal_weight * mismatch
    order = np.lexsort((cost, mapping))  # by output vertex, nearest first
    first = np.ones(len(order), dtype=bool)
    first[1:] = mapping[order][1:] != mapping[order][:-1]
    representative = np.full(len(points), -1, dtype=np.int64)
    representative[mapping[order][first]] = order[first]
    result = representative[simplified]
    result = result[(result >= 0).all(axis=1)]
    keep = (result[:, 0] != result[:, 1]) & (result[:, 1] != result[:, 2]) & (result[:, 0] != result[:, 2])
    result, simplified = result[keep], simplified[keep]
    # a triangle that the move back to original positions turned inside out faces out again
    decimated = points[simplified]
    back = vertices[result]
    normal_decimated = np.cross(decimated[:, 1] - decimated[:, 0], decimated[:, 2] - decimated[:, 0])
    normal_back = np.cross(back[:, 1] - back[:, 0], back[:, 2] - back[:, 0])
    flipped = np.einsum("ij,ij->i", normal_decimated, normal_back) < 0
    result[flipped] = result[flipped][:, ::-1]
    _, unique = np.unique(np.sort(result, axis=1), axis=0, return_index=True)
    return result[np.sort(unique)].astype(np.uint32)


def mesh_levels(vertices: np.ndarray, faces: np.ndarray, normals: np.ndarray) -> tuple[MeshLevel, ...]:
    """The full mesh, then each lighter level of ``LEVELS`` (``normals``: the full mesh's vertex normals)."""
    full = np.ascontiguousarray(faces, dtype=np.uint32)
    levels = [MeshLevel("full", full, mean_edge(vertices, full))]
    for name, reduction in LEVELS:
        lighter = decimated_faces(vertices, faces, normals, reduction)
        levels.append(MeshLevel(name, lighter, mean_edge(vertices, lighter)))
    return tuple(levels)


_PREPARED: dict[int, tuple[object, np.ndarray, tuple[MeshLevel, ...]]] = {}  # id(avatar) -> (avatar, normals, levels)
_PREPARED_KEEP = 2  # avatars remembered (the shown one and the one loading)


def prepared_mesh(avatar) -> tuple[np.ndarray, tuple[MeshLevel, ...]]:
    """(vertex normals, mesh levels) of ``avatar``, computed once (~0.2 s for the mannequin). Call it where the
    avatar is loaded (a worker thread): the viewport's upload on the UI thread then finds them ready
    (computing them there froze the window for ~0.3 s on a busy 2-core machine)."""
    from studio.ui.viewport.scene import vertex_normals

    entry = _PREPARED.get(id(avatar))
    if entry is None or entry[0] is not avatar:
        normals = vertex_normals(avatar.vertices, avatar.faces)
        levels = mesh_levels(avatar.vertices, avatar.faces, normals)
        while len(_PREPARED) >= _PREPARED_KEEP:
            _PREPARED.pop(next(iter(_PREPARED)))
        entry = _PREPARED[id(avatar)] = (avatar, normals, levels)
    return entry[1], entry[2]
