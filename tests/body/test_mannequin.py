import numpy as np
import pytest

from studio.body.mannequin import mannequin_avatar, mannequin_joint_transforms, mannequin_vertices
from studio.body.provider import default_skeleton, load_avatar
from studio.core.motion import Motion


@pytest.fixture(scope="module")
def avatar():
    return mannequin_avatar()


def _random_motion(frames, seed):
    rng = np.random.default_rng(seed)
    aa = rng.normal(scale=0.6, size=(frames, 52, 3))
    trans = rng.normal(size=(frames, 3))
    return Motion.from_axis_angle(trans, aa)


def test_rest_skeleton_is_smplx_like(avatar):
    rest = avatar.skeleton.rest_positions
    assert rest.shape == (52, 3)
    assert rest[20, 0] > 0.5 and rest[21, 0] < -0.5  # left wrist on +X, right on -X
    assert rest[15, 1] > rest[12, 1] > rest[0, 1] > rest[7, 1]  # head > neck > pelvis > ankle
    assert 0.85 < avatar.pelvis_height < 1.05
    assert default_skeleton() is avatar.skeleton and load_avatar() is avatar


def test_forward_kinematics_matches_mannequin(avatar):
    motion = _random_motion(16, seed=7)
    ours = motion.global_transforms(avatar.skeleton)
    theirs = mannequin_joint_transforms(motion)
    assert np.max(np.abs(ours[..., :3, 3] - theirs[..., :3, 3])) < 1e-5
    assert np.max(np.abs(ours[..., :3, :3] - theirs[..., :3, :3])) < 1e-5


def test_skinning_matches_mannequin(avatar):
    motion = _random_motion(2, seed=9)
    ours = avatar.skin(motion)
    theirs = mannequin_vertices(motion)
    assert ours.shape == theirs.shape
    assert np.max(np.linalg.norm(ours - theirs, axis=-1)) < 1e-4


def test_skin_tables(avatar):
    assert avatar.skin_joints.shape == avatar.skin_weights.shape == (avatar.vertices.shape[0], 4)
    assert avatar.skin_joints.min() >= 0 and avatar.skin_joints.max() < 52
    assert np.allclose(avatar.skin_weights.sum(axis=1), 1, atol=1e-5)
    assert avatar.faces.max() < avatar.vertices.shape[0]
