import numpy as np
import pytest

from studio.core.errors import MotionFormatError
from studio.io import smplx_npz


def test_round_trip(tmp_path, skeleton, dances):
    motion = dances.lively(40)
    path = tmp_path / "ana.npz"
    smplx_npz.save(path, motion, skeleton, name="Ana")
    back = smplx_npz.load(path)
    assert back.allclose(motion, atol=1e-9)


def test_layout_is_the_amass_smplx_convention(tmp_path, skeleton, dances):
    motion = dances.fast_spin(20)
    path = tmp_path / "spin.npz"
    smplx_npz.save(path, motion, skeleton)
    with np.load(path) as data:
        poses, trans = data["poses"], data["trans"]
        assert poses.shape == (20, 165) and trans.shape == (20, 3)
        assert str(data["gender"]) == "neutral" and float(data["mocap_framerate"]) == 30.0
        assert data["betas"].shape == (10,) and not data["betas"].any()
        assert not poses[:, 66:75].any()  # jaw and eyes
        axis_angle = motion.axis_angle()
        assert np.allclose(poses[:, :3], axis_angle[:, 0])  # global_orient = pelvis
        assert np.allclose(poses[:, 3:66].reshape(20, 21, 3), axis_angle[:, 1:22])
        assert np.allclose(poses[:, 75:120].reshape(20, 15, 3), axis_angle[:, 22:37])  # left hand
        assert np.allclose(poses[:, 120:].reshape(20, 15, 3), axis_angle[:, 37:52])  # right hand
        assert np.allclose(data["pose_hand"], poses[:, 75:]) and np.allclose(data["root_orient"], poses[:, :3])
        # SMPL-X transl: the pelvis minus the rest pelvis J0
        assert np.allclose(trans, motion.trans - skeleton.rest_positions[0])


def test_amass_file_without_rest_pelvis_uses_the_given_skeleton(tmp_path, skeleton, dances):
    motion = dances.lively(10)
    contents = smplx_npz.arrays(motion, skeleton)
    del contents["rest_pelvis"]
    path = tmp_path / "amass.npz"
    np.savez(path, **contents)
    assert smplx_npz.load(path, skeleton).allclose(motion, atol=1e-9)


def test_load_rejects_wrong_shapes(tmp_path):
    path = tmp_path / "smpl.npz"
    np.savez(path, poses=np.zeros((5, 72)), trans=np.zeros((5, 3)))
    with pytest.raises(MotionFormatError, match=r"poses \(T, 165\)"):
        smplx_npz.load(path)
    with pytest.raises(MotionFormatError, match="SMPL-X NPZ"):
        smplx_npz.load(tmp_path / "missing.npz")


def test_an_smplx_style_model_poses_the_file_like_our_kinematics(tmp_path, skeleton, dances):
    """mannequin-x takes SMPL-X parameters (global orient, 21 body + 30 hand joints, transl about J0)."""
    mannequin = pytest.importorskip("mannequin")
    from studio.body.mannequin import OURS_TO_MANNEQUIN

    motion = dances.lively(8)
    path = tmp_path / "dance.npz"
    smplx_npz.save(path, motion, skeleton)
    with np.load(path) as data:
        poses, transl = data["poses"], data["trans"]
    model = mannequin.Mannequin("wooden", flat_hand_mean=True)
    transforms = model.forward_skeleton(
        body_pose=poses[:, 3:66].reshape(8, 21, 3),
        hand_pose=poses[:, 75:].reshape(8, 30, 3),
        head_pose=np.zeros((8, 3, 3)),
        pelvis_rotation=poses[:, :3],
        global_rotation=np.zeros((8, 3)),
        global_translation=transl,
    )
    positions = np.asarray(transforms)[:, OURS_TO_MANNEQUIN][..., :3, 3]
    assert np.abs(positions - motion.positions(skeleton)).max() < 1e-5
