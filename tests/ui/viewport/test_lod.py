"""The lighter mesh levels: index buffers over the avatar's own vertices, no degenerate or repeated triangles."""

from __future__ import annotations

import numpy as np

from studio.ui.viewport.lod import LEVELS, prepared_mesh


def test_levels_index_existing_vertices_only(avatar):
    normals, levels = prepared_mesh(avatar)
    assert normals.shape == avatar.vertices.shape
    assert [level.name for level in levels] == ["full", *(name for name, _ in LEVELS)]
    assert np.array_equal(levels[0].faces, avatar.faces)
    for level, (_, reduction) in zip(levels[1:], LEVELS, strict=True):
        faces = level.faces
        assert faces.dtype == np.uint32 and faces.shape[1] == 3
        assert abs(len(faces) - (1 - reduction) * len(avatar.faces)) < 0.05 * len(avatar.faces)
        assert faces.max() < len(avatar.vertices)
        assert np.all((faces[:, 0] != faces[:, 1]) & (faces[:, 1] != faces[:, 2]) & (faces[:, 0] != faces[:, 2]))
        assert len(np.unique(np.sort(faces, axis=1), axis=0)) == len(faces)
    edges = [level.mean_edge for level in levels]
    assert edges == sorted(edges)  # lighter levels have longer edges
