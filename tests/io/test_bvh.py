import numpy as np
import pytest

from studio.core import rotations as rot
from studio.core.errors import MotionFormatError
from studio.core.skeleton import JOINT_NAMES
from studio.io import bvh


@pytest.mark.parametrize("units", ["m", "cm"])
def test_round_trip_gives_same_rotations_and_positions(tmp_path, skeleton, dances, units):
    motion = dances.lively(60, seed=3)
    path = tmp_path / "dance.bvh"
    bvh.save(path, motion, skeleton, units=units)
    back, back_skeleton = bvh.load(path, units=units)
    assert back.num_frames == 60 and back.fps == 30.0
    assert np.allclose(back.rotations, motion.rotations, atol=1e-6)
    # the root OFFSET is zero, so the rest pelvis moves into the trans channels; FK agrees to 1e-5 m
    assert np.abs(back.positions(back_skeleton) - motion.positions(skeleton)).max() < 1e-5


def test_header_names_every_joint_with_documented_channels(tmp_path, skeleton, dances):
    path = tmp_path / "dance.bvh"
    bvh.save(path, dances.lively(5), skeleton)
    text = path.read_text()
    assert text.startswith("HIERARCHY\nROOT pelvis\n{\n  OFFSET 0.000000 0.000000 0.000000")
    assert "CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation" in text
    for name in JOINT_NAMES:
        assert f"JOINT {name}\n" in text or f"ROOT {name}\n" in text
    assert text.count("End Site") == 2 + 1 + 10  # feet, head, finger tips
    assert "Frames: 5\nFrame Time: 0.03333333333333333\n" in text


def test_fast_spins_give_continuous_angles(tmp_path, skeleton, dances):
    motion = dances.fast_spin(90)
    path = tmp_path / "spin.bvh"
    bvh.save(path, motion, skeleton)
    text = path.read_text()
    file_order = [
        JOINT_NAMES.index(line.split()[1]) for line in text.splitlines() if line.split()[0] in ("ROOT", "JOINT")
    ]
    values = np.array([[float(x) for x in line.split()] for line in text.split("Frame Time:")[1].splitlines()[1:]])
    angles = np.empty((90, 52, 3))
    angles[:, file_order] = values[:, 3:].reshape(90, 52, 3)
    steps = np.abs(np.diff(angles, axis=0)).max(axis=-1)  # (89, 52) largest angle change per frame
    # the pelvis makes 2 turns a second (24 degrees a frame): its yaw grows steadily past 360, no wrap
    pelvis_yaw = angles[:, 0, 2]  # Z X Y order: the third angle is about Y
    assert pelvis_yaw[-1] - pelvis_yaw[0] > 700
    # A flip or wrap changes an angle by ~180 or 360 while the joint barely turns. Away from gimbal lock
    # (|cos middle| > 0.5) no angle may change by more than twice the joint's true rotation that frame.
    relative = np.einsum("tjki,tjkl->tjil", motion.rotations[:-1], motion.rotations[1:])
    turned = np.degrees(np.linalg.norm(rot.matrix_to_axis_angle(relative), axis=-1))
    calm = np.abs(np.cos(np.radians(angles[:, :, 1]))).clip(max=1.0)
    calm = np.minimum(calm[1:], calm[:-1]) > 0.5
    assert turned[calm].max() > 30  # the test dance really is fast
    assert (steps[calm] <= 2.0 * turned[calm] + 1e-4).all()
    back, _ = bvh.load(path)
    assert np.allclose(back.rotations, motion.rotations, atol=1e-6)


def test_load_rejects_a_foreign_file(tmp_path):
    path = tmp_path / "other.bvh"
    path.write_text("HIERARCHY\nROOT Hips\n{\n OFFSET 0 0 0\n CHANNELS 3 Zrotation Xrotation Yrotation\n}\nMOTION\n")
    with pytest.raises(MotionFormatError, match="52 SMPL-X joints"):
        bvh.load(path)
