import numpy as np
import pytest

from studio.core import finedance
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
