import numpy as np
import pytest

from studio.core import rotations as rot
from studio.core.motion import Motion, concatenate
from studio.core.skeleton import JOINT_NAMES, MIRROR, PARENTS, Skeleton, joint_index


def _skeleton():
    rng = np.random.default_rng(3)
    rest = np.zeros((52, 3))
    for j, p in enumerate(PARENTS):
        if p >= 0:
            rest[j] = rest[p] + rng.normal(scale=0.1, size=3)
    return Skeleton(rest)


def _random_motion(frames=6, seed=0, scale=0.5):
    rng = np.random.default_rng(seed)
    aa = rng.normal(scale=scale, size=(frames, 52, 3))
    return Motion.from_axis_angle(rng.normal(size=(frames, 3)), aa)


def test_skeleton_tables():
    assert len(JOINT_NAMES) == 52 and len(PARENTS) == 52
    assert all(p < j for j, p in enumerate(PARENTS))
    assert JOINT_NAMES[20] == "left_wrist" and PARENTS[joint_index("left_index1")] == 20
    assert PARENTS[joint_index("right_thumb3")] == joint_index("right_thumb2")
    assert MIRROR[joint_index("left_pinky2")] == joint_index("right_pinky2")
    assert np.array_equal(MIRROR[MIRROR], np.arange(52))


def test_rest_pose_gives_rest_positions():
    skeleton = _skeleton()
    motion = Motion.rest(3, skeleton)
    assert np.allclose(motion.positions(skeleton), skeleton.rest_positions[None])


def test_fk_single_joint_rotation_by_hand():
    skeleton = _skeleton()
    aa = np.zeros((1, 52, 3))
    elbow = joint_index("left_elbow")
    aa[0, elbow] = [0, np.pi / 2, 0]
    motion = Motion.from_axis_angle(skeleton.rest_positions[:1, :], aa)
    positions = motion.positions(skeleton)
    wrist = joint_index("left_wrist")
    offset = skeleton.offsets[wrist]
    expected = skeleton.rest_positions[elbow] + rot.axis_angle_to_matrix(aa[0, elbow]) @ offset
    assert np.allclose(positions[0, wrist], expected)
    # the elbow itself and the other arm do not move
    assert np.allclose(positions[0, elbow], skeleton.rest_positions[elbow])
    assert np.allclose(positions[0, 21], skeleton.rest_positions[21])


def test_global_transforms_consistent_with_positions():
    skeleton = _skeleton()
    motion = _random_motion()
    transforms = motion.global_transforms(skeleton)
    assert transforms.shape == (6, 52, 4, 4)
    assert np.allclose(transforms[..., :3, 3], motion.positions(skeleton))
    child, parent = 5, PARENTS[5]
    expected = transforms[:, parent, :3, :3] @ motion.rotations[:, child]
    assert np.allclose(transforms[:, child, :3, :3], expected)


def test_slicing_and_concatenation():
    motion = _random_motion(10)
    joined = concatenate([motion[:4], motion[4:]])
    assert joined.allclose(motion)
    with pytest.raises(ValueError, match="frame rates"):
        concatenate([motion, Motion(motion.trans, motion.rotations, fps=60)])


def test_resample_keeps_duration_and_endpoints():
    motion = _random_motion(31, scale=0.3)
    up = motion.resampled(60)
    assert up.num_frames == 61 and up.fps == 60
    assert np.allclose(up.rotations[::2], motion.rotations, atol=1e-9)
    assert np.allclose(up.trans[::2], motion.trans)
    down = up.resampled(30)
    assert down.allclose(motion, atol=1e-9)


def test_resample_midpoint_is_slerp():
    aa = np.zeros((2, 52, 3))
    aa[1, 3] = [0, 0, 1.0]
    motion = Motion.from_axis_angle(np.zeros((2, 3)), aa, fps=1)
    up = motion.resampled(2)
    assert np.allclose(rot.matrix_to_axis_angle(up.rotations[1, 3]), [0, 0, 0.5])


def test_mirror_reflects_positions_of_symmetric_skeleton():
    rest = np.zeros((52, 3))
    for j, p in enumerate(PARENTS):
        if p >= 0 and JOINT_NAMES[j].startswith("right_"):
            continue
        if p >= 0:
            rest[j] = rest[p] + np.random.default_rng(j).normal(scale=0.1, size=3)
    for j, name in enumerate(JOINT_NAMES):
        if name.startswith("right_"):
            rest[j] = rest[MIRROR[j]] * [-1, 1, 1]
        elif not name.startswith("left_"):
            rest[j, 0] = 0.0
    skeleton = Skeleton(rest)
    motion = _random_motion(4)
    mirrored = motion.mirrored()
    expected = motion.positions(skeleton)[:, MIRROR] * [-1, 1, 1]
    assert np.allclose(mirrored.positions(skeleton), expected, atol=1e-9)
    assert mirrored.mirrored().allclose(motion, atol=1e-9)


def test_bad_shapes_and_nan_raise():
    with pytest.raises(ValueError, match="rotations"):
        Motion(np.zeros((3, 3)), np.zeros((3, 51, 3, 3)))
    rotations = np.broadcast_to(np.eye(3), (2, 52, 3, 3)).copy()
    rotations[1, 4, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        Motion(np.zeros((2, 3)), rotations)
    with pytest.raises(TypeError):
        _random_motion()[3]
