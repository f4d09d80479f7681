"""Blender's own BVH importer reads our BVH files back to the same joint positions, frame by frame."""

import numpy as np
import pytest

from studio.core.skeleton import JOINT_NAMES, PARENTS
from studio.io import bvh

pytestmark = [pytest.mark.blender, pytest.mark.slow]


@pytest.mark.parametrize(("kind", "units"), [("lively", "m"), ("fast_spin", "m"), ("lively", "cm")])
def test_blender_reads_bvh_joint_positions(tmp_path, blender, skeleton, dances, kind, units):
    motion = getattr(dances, kind)(60)
    path = tmp_path / f"{kind}.bvh"
    bvh.save(path, motion, skeleton, units=units)
    # Blender puts BVH frame 1 at scene frame 1 (frame_start); axis Y forward / Z up = no axis change.
    view = blender(path, "bvh", frames=(1, motion.num_frames), bvh_scale=1.0 / bvh.UNITS[units])
    (armature,) = view.report["armatures"]
    hierarchy = dict(zip(armature["bones"], armature["parents"], strict=True))
    assert hierarchy == {name: None if p < 0 else JOINT_NAMES[p] for name, p in zip(JOINT_NAMES, PARENTS, strict=True)}
    assert view.report["fps"] == 30 and view.report["fps_base"] == 1.0
    action = armature["action"]
    assert action["first_key"] == 1 and action["last_key"] == motion.num_frames
    assert action["keys"] == [motion.num_frames, motion.num_frames]
    error = np.abs(view.joints(armature["name"], list(JOINT_NAMES)) - motion.positions(skeleton)).max()
    print(f"BVH {kind} ({units}): max joint error in Blender {error * 1000:.4f} mm")
    assert error <= 1e-3


def test_blender_reads_each_dancer_of_a_learned_duet(tmp_path, blender, skeleton, learned_duet):
    # BVH holds one skeleton: a duet is one file per dancer, as `studio export --dancer all` writes them
    for name, motion in learned_duet.items():
        path = tmp_path / f"{name}.bvh"
        bvh.save(path, motion, skeleton)
        view = blender(path, "bvh", frames=(1, motion.num_frames))
        (armature,) = view.report["armatures"]
        error = np.abs(view.joints(armature["name"], list(JOINT_NAMES)) - motion.positions(skeleton)).max()
        print(f"BVH learned duet, {name}: max joint error in Blender {error * 1000:.4f} mm")
        assert error <= 1e-3


def test_blender_default_axes_stand_the_dancer_up(tmp_path, blender, skeleton, dances):
    """What an animator gets with the importer's defaults (Forward -Z, Up Y): Y-up turned to Z-up."""
    motion = dances.lively(30)
    path = tmp_path / "dance.bvh"
    bvh.save(path, motion, skeleton)
    view = blender(path, "bvh", frames=(1, 30), axis_forward="-Z", axis_up="Y", rotate_mode="QUATERNION")
    (armature,) = view.report["armatures"]
    to_blender = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])  # (x, y, z) -> (x, -z, y)
    expected = motion.positions(skeleton) @ to_blender.T
    error = np.abs(view.joints(armature["name"], list(JOINT_NAMES)) - expected).max()
    print(f"BVH default axes: max joint error in Blender {error * 1000:.4f} mm")
    assert error <= 1e-3
