"""The coarse mesh for far views: a subset of the avatar's own vertices, hands untouched, no new holes."""

from __future__ import annotations

import numpy as np

from studio.ui.viewport.lod import FIRST_HAND_JOINT, cluster_faces


def test_coarse_mesh_keeps_a_subset_of_vertices_and_the_hands(avatar):
    faces = cluster_faces(avatar.vertices, avatar.faces, avatar.skin_joints, avatar.skin_weights, 0.02)
    assert faces.dtype == np.uint32 and faces.shape[1] == 3
    assert 0.3 * len(avatar.faces) < len(faces) < 0.7 * len(avatar.faces)
    assert faces.max() < len(avatar.vertices)
    # no degenerate or repeated triangles
    assert np.all((faces[:, 0] != faces[:, 1]) & (faces[:, 1] != faces[:, 2]) & (faces[:, 0] != faces[:, 2]))
    assert len(np.unique(np.sort(faces, axis=1), axis=0)) == len(faces)
    # hand triangles (all corners on the hands) are all still there
    dominant = avatar.skin_joints[np.arange(len(avatar.vertices)), avatar.skin_weights.argmax(axis=1)]
    hands = dominant >= FIRST_HAND_JOINT
    original = {tuple(f) for f in np.sort(avatar.faces[hands[avatar.faces].all(axis=1)], axis=1)}
    kept = {tuple(f) for f in np.sort(faces.astype(np.int64), axis=1)}
    assert original <= kept


def test_coarse_mesh_never_bridges_separate_parts():
    # two separate 4-cm squares 1 cm apart: a 5 cm cell covers both, yet no triangle joins them
    fine = []
    n = 5
    grid = np.array([[x, y, 0.0] for y in np.linspace(0, 0.04, n) for x in np.linspace(0, 0.04, n)])
    for row in range(n - 1):
        for col in range(n - 1):
            a = row * n + col
            fine += [[a, a + 1, a + n + 1], [a, a + n + 1, a + n]]
    vertices = np.concatenate([grid, grid + np.array([0.05, 0, 0])])
    faces = np.concatenate([np.array(fine), np.array(fine) + len(grid)])
    joints = np.zeros((len(vertices), 4), dtype=np.int32)
    weights = np.tile([1.0, 0, 0, 0], (len(vertices), 1)).astype(np.float32)
    coarse = cluster_faces(vertices, faces, joints, weights, 0.015)
    assert 0 < len(coarse) < len(faces)
    side = coarse >= len(grid)
    assert np.all(side.all(axis=1) | (~side).all(axis=1))
