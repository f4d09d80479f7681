"""Blender's own FBX importer reads our FBX files back to the same joints and skinned mesh, frame by frame."""

import numpy as np
import pytest

from studio.core.skeleton import JOINT_NAMES, PARENTS
from studio.io import fbx

pytestmark = [pytest.mark.blender, pytest.mark.slow]

# Blender converts the Y-up FBX to its Z-up world: (x, y, z) -> (x, -z, y).
TO_BLENDER = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
HIERARCHY = {name: None if p < 0 else JOINT_NAMES[p] for name, p in zip(JOINT_NAMES, PARENTS, strict=True)}


def _check_armature(view, name, motion, skeleton) -> float:
    armature = view.armature(name)
    assert dict(zip(armature["bones"], armature["parents"], strict=True)) == HIERARCHY
    action = armature["action"]
    # anim_offset=0: our frame 0 is Blender's frame 0; one key per frame on every curve
    assert action["first_key"] == 0 and action["last_key"] == motion.num_frames - 1
    assert action["keys"] == [motion.num_frames, motion.num_frames]
    expected = motion.positions(skeleton) @ TO_BLENDER.T
    return float(np.abs(view.joints(name, list(JOINT_NAMES)) - expected).max())


@pytest.mark.parametrize("kind", ["lively", "fast_spin"])
def test_blender_reads_fbx_skeleton_animation(tmp_path, blender, skeleton, dances, kind):
    motion = getattr(dances, kind)(60)
    path = tmp_path / f"{kind}.fbx"
    fbx.save(path, {"Dancer": motion}, skeleton)
    view = blender(path, "fbx", frames=(0, motion.num_frames - 1))
    assert [a["name"] for a in view.report["armatures"]] == ["Dancer"]
    assert view.report["fps"] == 30 and view.report["fps_base"] == 1.0
    assert view.report["meshes"] == []
    error = _check_armature(view, "Dancer", motion, skeleton)
    print(f"FBX {kind}: max joint error in Blender {error * 1000:.4f} mm")
    assert error <= 1e-3


@pytest.mark.parametrize("pair", ["duet", "learned_duet"])
def test_blender_reads_fbx_duet_with_skinned_meshes(tmp_path, blender, avatar, pair, request):
    duet = request.getfixturevalue(pair)
    path = tmp_path / "duet.fbx"
    fbx.save(path, duet, avatar, mesh=True)
    frames = next(iter(duet.values())).num_frames
    mesh_frames = (0, 37)
    view = blender(path, "fbx", frames=(0, frames - 1), mesh_frames=mesh_frames)
    assert sorted(a["name"] for a in view.report["armatures"]) == sorted(duet)
    meshes = {m["name"]: m for m in view.report["meshes"]}
    assert sorted(meshes) == sorted(f"{name}_body" for name in duet)
    worst_joint = worst_vertex = 0.0
    for dancer, motion in duet.items():
        worst_joint = max(worst_joint, _check_armature(view, dancer, motion, avatar.skeleton))
        mesh = meshes[f"{dancer}_body"]
        assert mesh["parent"] == dancer and mesh["armature_modifiers"] == [dancer]
        assert mesh["vertices"] == len(avatar.vertices)
        assert mesh["materials"] == [f"{dancer}_wood"]
        assert view.armature(dancer)["action"]["name"] == f"{dancer}|Dance"
        expected = avatar.skin(motion, np.array(mesh_frames)) @ TO_BLENDER.T
        for row, frame in enumerate(mesh_frames):
            got = view.arrays[f"mesh/{dancer}_body/{frame}"]
            worst_vertex = max(worst_vertex, float(np.linalg.norm(got - expected[row], axis=1).max()))
    print(f"FBX duet: max joint error {worst_joint * 1000:.4f} mm, max vertex error {worst_vertex * 1000:.4f} mm")
    assert worst_joint <= 1e-3
    assert worst_vertex <= 2e-3


def test_automatic_bone_orientation_keeps_the_motion(tmp_path, blender, avatar, dances):
    """The importer option that points bones along the limbs (nicer in Blender) changes no position."""
    motion = dances.lively(30)
    path = tmp_path / "dance.fbx"
    fbx.save(path, {"Dancer": motion}, avatar)
    view = blender(path, "fbx", frames=(0, 29), mesh_frames=(17,), automatic_bone_orientation=True)
    error = _check_armature(view, "Dancer", motion, avatar.skeleton)
    expected = avatar.skin(motion, np.array([17]))[0] @ TO_BLENDER.T
    vertex_error = float(np.linalg.norm(view.arrays["mesh/Dancer_body/17"] - expected, axis=1).max())
    print(f"FBX automatic bone orientation: joints {error * 1000:.4f} mm, vertices {vertex_error * 1000:.4f} mm")
    assert error <= 1e-3 and vertex_error <= 2e-3


def test_blender_reads_a_procedural_dance(tmp_path, blender, avatar):
    """A dance from the project's own procedural choreographer (genre vocabulary, hand shapes), FBX + BVH."""
    procedural = pytest.importorskip("studio.data.procedural.choreographer")
    from studio.io import bvh

    motion = procedural.choreograph(procedural.regular_beats(120, 0.0, 4.0), "Breaking", seed=3)[:90]
    fbx_path, bvh_path = tmp_path / "breaking.fbx", tmp_path / "breaking.bvh"
    fbx.save(fbx_path, {"Dancer": motion}, avatar)
    bvh.save(bvh_path, motion, avatar.skeleton)
    view = blender(fbx_path, "fbx", frames=(0, 89), mesh_frames=(60,))
    fbx_error = _check_armature(view, "Dancer", motion, avatar.skeleton)
    expected = avatar.skin(motion, np.array([60]))[0] @ TO_BLENDER.T
    vertex_error = float(np.linalg.norm(view.arrays["mesh/Dancer_body/60"] - expected, axis=1).max())
    bvh_view = blender(bvh_path, "bvh", frames=(1, 90))
    (armature,) = bvh_view.report["armatures"]
    bvh_joints = bvh_view.joints(armature["name"], list(JOINT_NAMES))
    bvh_error = float(np.abs(bvh_joints - motion.positions(avatar.skeleton)).max())
    print(f"procedural dance: FBX joints {fbx_error * 1000:.4f} mm, vertices {vertex_error * 1000:.4f} mm,"
          f" BVH joints {bvh_error * 1000:.4f} mm")  # fmt: skip
    assert fbx_error <= 1e-3 and vertex_error <= 2e-3 and bvh_error <= 1e-3
