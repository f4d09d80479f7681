import numpy as np
import pytest

from studio.core import finedance
from studio.core import rotations as rot
from studio.core.errors import MotionFormatError
from studio.core.motion import Motion
from studio.core.skeleton import PARENTS, Skeleton


def _motion(frames=20, seed=1):
    rng = np.random.default_rng(seed)
    return Motion.from_axis_angle(rng.normal(size=(frames, 3)), rng.normal(scale=0.8, size=(frames, 52, 3)))


def test_315_round_trip_exact():
    rng = np.random.default_rng(0)
    motion = _motion()
    array = finedance.to_array(motion)
    assert array.shape == (20, 315) and array.dtype == np.float32
    back = finedance.to_array(finedance.from_array(array))
    assert np.max(np.abs(back - array)) <= 1e-6
    # and arbitrary (non-orthonormal-looking but valid) rot6d from a file survives a second trip
    noisy = array.copy()
    noisy[:, 3:] += rng.normal(scale=1e-3, size=noisy[:, 3:].shape).astype(np.float32)
    once = finedance.to_array(finedance.from_array(noisy))
    twice = finedance.to_array(finedance.from_array(once))
    assert np.max(np.abs(twice - once)) <= 1e-6


def test_319_feature_layout_and_contacts():
    rest = np.zeros((52, 3))
    for j, p in enumerate(PARENTS):
        if p >= 0:
            rest[j] = rest[p] + [0.0, -0.1, 0.01]
    skeleton = Skeleton(rest)
    frames = 10
    trans = np.zeros((frames, 3))
    trans[5:, 0] = np.arange(5) * 0.05  # still for 5 frames, then sliding 5 cm per frame
    motion = Motion(trans, np.broadcast_to(np.eye(3), (frames, 52, 3, 3)))
    feature = finedance.to_feature(motion, skeleton)
    assert feature.shape == (frames, 319)
    contacts = feature[:, :4]
    assert np.all(contacts[:4] == 1) and np.all(contacts[5:9] == 0) and np.all(contacts[9] == 1)
    assert finedance.BODY_FEATURE_DIM + finedance.HAND_FEATURE_DIM == 319
    back, back_contacts = finedance.from_feature(feature)
    assert back.allclose(motion, atol=1e-6)
    assert np.array_equal(back_contacts, contacts)


def test_file_round_trip_and_errors(tmp_path):
    motion = _motion(8)
    path = tmp_path / "001.npy"
    finedance.save(motion, path)
    assert finedance.load(path).allclose(motion, atol=1e-6)
    with pytest.raises(MotionFormatError, match="no such file"):
        finedance.load(tmp_path / "missing.npy")
    np.save(tmp_path / "wide.npy", np.zeros((4, 300), np.float32))
    with pytest.raises(MotionFormatError, match=r"wide.npy: expected a \(T, 315\) array, found shape \(4, 300\)"):
        finedance.load(tmp_path / "wide.npy")
    bad = finedance.to_array(motion)
    bad[3, 7] = np.nan
    np.save(tmp_path / "nan.npy", bad)
    with pytest.raises(MotionFormatError, match="frame 3"):
        finedance.load(tmp_path / "nan.npy")
    (tmp_path / "text.npy").write_text("hello")
    with pytest.raises(MotionFormatError, match="text.npy"):
        finedance.load(tmp_path / "text.npy")


def _turned(degrees, frames=6, seed=3):
    """(frames, 319) features whose root faces ``degrees`` about +Y in every frame (random other joints)."""
    rng = np.random.default_rng(seed)
    motion = _motion(frames, seed)
    rotations = motion.rotations.copy()
    rotations[:, 0] = rot.axis_angle_to_matrix(np.outer(np.radians(np.broadcast_to(degrees, frames)), [0, 1, 0]))
    features = np.zeros((frames, 319), np.float32)
    features[:, :4] = rng.integers(0, 2, size=(frames, 4))
    features[:, 4:] = finedance.to_array(Motion(rng.normal(size=(frames, 3)), rotations))
    return features


def test_root_yaw_and_heading():
    features = _turned([140.0, 150.0, 160.0, 170.0, -170.0, 150.0])
    np.testing.assert_allclose(np.degrees(finedance.root_yaw(features)), [140, 150, 160, 170, -170, 150], atol=1e-4)
    np.testing.assert_allclose(finedance.root_yaw(features[:, 4:]), finedance.root_yaw(features))  # (T, 315)
    assert np.degrees(finedance.heading(features)) == pytest.approx(159.84, abs=0.01)  # across +-180, not ~0
    assert np.degrees(finedance.heading(_turned(150.0))) == pytest.approx(150.0, abs=1e-4)
    with pytest.raises(ValueError, match="319"):
        finedance.heading(np.zeros((3, 300)))


def test_rotate_about_y_turns_the_whole_body_rigidly_and_back():
    skeleton = Skeleton(np.random.default_rng(0).normal(0, 0.2, size=(52, 3)))
    features = _turned(150.0)
    pivot = features[0, [4, 6]]
    turned = finedance.rotate_about_y(features, np.radians(-150.0), pivot)
    assert turned.dtype == np.float32 and turned.shape == features.shape
    np.testing.assert_allclose(np.degrees(finedance.root_yaw(turned)), 0.0, atol=1e-4)  # faces front
    np.testing.assert_array_equal(turned[:, :4], features[:, :4])  # contacts
    np.testing.assert_array_equal(turned[:, [5]], features[:, [5]])  # root height
    np.testing.assert_array_equal(turned[:, 13:], features[:, 13:])  # the other joints' local rotations
    np.testing.assert_allclose(turned[0, [4, 6]], pivot, atol=1e-6)  # the pivot frame stays where it was
    # every joint moves rigidly: positions turned by -150 degrees about the vertical through the pivot
    spin = rot.yaw_to_matrix(np.radians(-150.0))
    before = finedance.from_feature(features)[0].positions(skeleton)
    after = finedance.from_feature(turned)[0].positions(skeleton)
    centre = np.array([pivot[0], 0.0, pivot[1]])
    np.testing.assert_allclose(after, (before - centre) @ spin.T + centre, atol=1e-5)
    back = finedance.rotate_about_y(turned, np.radians(150.0), pivot)
    np.testing.assert_allclose(back, features, atol=1e-6)  # and back is the identity
    # batched (M, T, 319), and (T, 315) motion arrays
    batch = finedance.rotate_about_y(np.stack([features, features]), 0.7, (1.0, -2.0))
    np.testing.assert_allclose(batch[1], finedance.rotate_about_y(features, 0.7, (1.0, -2.0)), atol=1e-7)
    np.testing.assert_allclose(
        finedance.rotate_about_y(features[:, 4:], 0.7), finedance.rotate_about_y(features, 0.7)[:, 4:]
    )
