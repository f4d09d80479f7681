"""A coarser triangle list of the avatar for far views (vertex clustering), for software GL's sake.

Mesa's llvmpipe assembles, clips and bins triangles on one thread: with two 48k-triangle dancers that is
most of a frame, while at a full-body distance most triangles cover a pixel or two. The coarse level keeps
a SUBSET of the original vertices, so it shares their GPU buffers (positions, normals, joints, weights)
and only has its own index buffer: skinning is exactly the same.

Vertices are grouped by (rest-pose grid cell, connected part of the mesh), so clusters never bridge the
gap between two wooden parts of the mannequin; each cluster is drawn through its vertex nearest the
cluster's centre. Hands (vertices moved mostly by a wrist or finger joint) keep every vertex: fingers are
thinner than a cell. Triangles whose corners land in fewer than three clusters vanish; the rest keep
their winding.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

LOD_CELL = 0.02  # m: vertex clustering cell of the coarse mesh, about 30 % of the triangles
FIRST_HAND_JOINT = 20  # left_wrist, right_wrist, then the 30 finger joints


def _parts(count: int, faces: np.ndarray) -> np.ndarray:
    """The connected part of the mesh each vertex belongs to."""
    edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(count, count))
    return connected_components(graph, directed=False)[1].astype(np.int64)


def cluster_faces(
    vertices: np.ndarray, faces: np.ndarray, skin_joints: np.ndarray, skin_weights: np.ndarray, cell: float
) -> np.ndarray:
    """(F', 3) triangles over the original vertex indices, with vertices merged within ``cell`` metres."""
    vertices = np.asarray(vertices, dtype=np.float64)
    faces = np.asarray(faces, dtype=np.int64)
    dominant = np.asarray(skin_joints)[np.arange(len(vertices)), np.asarray(skin_weights).argmax(axis=1)]
    cells = np.floor(vertices / cell).astype(np.int64)
    hands = dominant >= FIRST_HAND_JOINT
    cells[hands] = -1 - np.arange(int(hands.sum()))[:, None]  # a cluster of its own per hand vertex
    keys = np.concatenate([cells, _parts(len(vertices), faces)[:, None]], axis=1)
    _, cluster = np.unique(keys, axis=0, return_inverse=True)
    cluster = cluster.reshape(-1)
    count = int(cluster.max()) + 1

    centre = np.zeros((count, 3))
    np.add.at(centre, cluster, vertices)
    centre /= np.bincount(cluster, minlength=count)[:, None]
    distance = np.linalg.norm(vertices - centre[cluster], axis=1)
    order = np.lexsort((distance, cluster))  # by cluster, nearest first
    first = np.ones(len(order), dtype=bool)
    first[1:] = cluster[order][1:] != cluster[order][:-1]
    representative = np.empty(count, dtype=np.int64)
    representative[cluster[order][first]] = order[first]

    merged = representative[cluster[faces]]
    keep = (merged[:, 0] != merged[:, 1]) & (merged[:, 1] != merged[:, 2]) & (merged[:, 0] != merged[:, 2])
    merged = merged[keep]
    _, unique = np.unique(np.sort(merged, axis=1), axis=0, return_index=True)
    return merged[np.sort(unique)].astype(np.uint32)


_PREPARED: dict[int, tuple[object, np.ndarray, np.ndarray]] = {}  # id(avatar) -> (avatar, normals, coarse faces)
_PREPARED_KEEP = 2  # avatars remembered (the shown one and the one loading)


def prepared_mesh(avatar, cell: float) -> tuple[np.ndarray, np.ndarray]:
    """(vertex normals, coarse faces) of ``avatar``, computed once. Call it where the avatar is loaded (a worker
    thread): the viewport's upload on the UI thread then finds them ready (computing them there froze the
    window for ~0.3 s on a busy 2-core machine)."""
    from studio.ui.viewport.scene import vertex_normals

    entry = _PREPARED.get(id(avatar))
    if entry is None or entry[0] is not avatar:
        normals = vertex_normals(avatar.vertices, avatar.faces)
        coarse = cluster_faces(avatar.vertices, avatar.faces, avatar.skin_joints, avatar.skin_weights, cell)
        while len(_PREPARED) >= _PREPARED_KEEP:
            _PREPARED.pop(next(iter(_PREPARED)))
        entry = _PREPARED[id(avatar)] = (avatar, normals, coarse)
    return entry[1], entry[2]
