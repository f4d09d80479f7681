"""Blender's own glTF importer reads our GLB back to the same joints and skinned mesh."""

import numpy as np
import pytest

from studio.core.skeleton import JOINT_NAMES
from studio.io import gltf

pytestmark = [pytest.mark.blender, pytest.mark.slow]

TO_BLENDER = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])  # glTF Y up -> Blender Z up


@pytest.mark.parametrize("pair", ["duet", "learned_duet"])
def test_blender_reads_glb_duet(tmp_path, blender, avatar, pair, request):
    pytest.importorskip("pygltflib")
    duet = request.getfixturevalue(pair)
    path = tmp_path / "duet.glb"
    gltf.save(path, duet, avatar)
    frames = next(iter(duet.values())).num_frames
    # Blender's glTF importer turns seconds into frames at the scene's rate: set it to the dance's first.
    view = blender(path, "gltf", frames=(0, frames - 1), mesh_frames=(23,), scene_fps=30)
    assert sorted(a["name"] for a in view.report["armatures"]) == sorted(duet)
    worst_joint = worst_vertex = 0.0
    for dancer, motion in duet.items():
        armature = view.armature(dancer)
        assert sorted(armature["bones"]) == sorted(JOINT_NAMES)
        assert armature["action"]["frame_range"] == [0.0, frames - 1]
        expected = motion.positions(avatar.skeleton) @ TO_BLENDER.T
        worst_joint = max(worst_joint, float(np.abs(view.joints(dancer, list(JOINT_NAMES)) - expected).max()))
        skinned = avatar.skin(motion, np.array([23]))[0] @ TO_BLENDER.T
        got = view.arrays[f"mesh/{dancer}_body/23"]
        worst_vertex = max(worst_vertex, float(np.linalg.norm(got - skinned, axis=1).max()))
    print(f"glTF duet in Blender: max joint error {worst_joint * 1000:.4f} mm, vertex {worst_vertex * 1000:.4f} mm")
    assert worst_joint <= 1e-3 and worst_vertex <= 2e-3
