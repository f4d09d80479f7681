import numpy as np
import pytest

from studio.core.errors import InputError
from studio.metrics import kinetic_features, kinetic_frame_time


def _line(frames, step, start=(0.0, 0.0, 0.0)):
    """One joint moving ``step`` metres per frame from ``start``: (T, 1, 3)."""
    t = np.arange(frames)[:, None]
    return (np.asarray(start) + t * np.asarray(step))[:, None, :]


def test_constant_speed_gives_known_kinetic_energy():
    # 0.01 m/frame along x and 0.02 m/frame up at 30 fps: v = (0.3, 0.6, 0) m/s
    h, v, e = kinetic_features(_line(20, (0.01, 0.02, 0.0)), fps=30)
    assert h == pytest.approx(0.3**2)
    assert v == pytest.approx(0.6**2)
    assert e == pytest.approx(0.0, abs=1e-9)


def test_constant_acceleration_gives_its_magnitude():
    fps, accel = 30.0, np.array([0.0, -9.81, 3.0])  # m/s^2
    t = np.arange(25)[:, None] / fps
    positions = (0.5 * accel * t**2)[:, None, :]
    _, _, e = kinetic_features(positions, fps=fps)
    assert e == pytest.approx(np.linalg.norm(accel), rel=1e-9)


def test_compat_reproduces_the_precedence_bug_on_a_still_joint():
    # published: ((p[k+1]-p[k])/dt - (p[k] - p[k-1]/dt)) / dt; still at height c: c * (1/dt - 1) / dt
    still = _line(10, (0.0, 0.0, 0.0), start=(0.0, 1.0, 0.0))
    h, v, e = kinetic_features(still, compat=True)
    assert (h, v) == (0.0, 0.0)
    assert e == pytest.approx((60 - 1) * 60)  # 3540, dt = 1/60
    assert kinetic_features(still)[2] == 0.0  # the correct formula: no acceleration


def test_pinned_values_on_a_fixed_motion():
    """Change these numbers only on purpose. The compat row equals the published Bailando code (float64)."""
    t = np.arange(12)[:, None]
    p = np.stack(
        [
            np.concatenate([0.1 * np.sin(0.5 * t), 0.9 + 0.05 * np.cos(0.3 * t), 0.02 * t], 1),
            np.concatenate([0.3 + 0.01 * t**2 / 10, 0.2 * np.sin(0.2 * t), -0.1 + 0 * t], 1),
        ],
        1,
    )
    correct = [0.8814703586304681, 0.08800298380361778, 14.412157225314603,
               0.13655454545454546, 0.48645744873905233, 5.893496095349335]  # fmt: skip
    compat = [3.5258814345218723, 0.3520119352144711, 3202.5417297746403,
              0.5462181818181818, 1.9458297949562093, 1380.282848826382]  # fmt: skip
    np.testing.assert_allclose(kinetic_features(p), correct, rtol=1e-12)
    np.testing.assert_allclose(kinetic_features(p, compat=True), compat, rtol=1e-12)


def test_frame_time_choice():
    assert kinetic_frame_time(30, compat=True) == pytest.approx(1 / 60)
    assert kinetic_frame_time(30) == pytest.approx(1 / 30)
    positions = _line(8, (0.01, 0.0, 0.0))
    assert kinetic_features(positions, frame_time=0.1)[0] == pytest.approx(0.1**2)


def test_layout_is_per_joint_triplets():
    positions = np.concatenate([_line(6, (0.0, 0.01, 0.0)), _line(6, (0.01, 0.0, 0.0))], axis=1)
    features = kinetic_features(positions).reshape(2, 3)
    assert features[0, 0] == 0.0 and features[0, 1] > 0
    assert features[1, 0] > 0 and features[1, 1] == 0.0


def test_short_and_static_motion_are_defined():
    two = kinetic_features(_line(2, (0.01, 0.0, 0.0)))
    assert np.all(np.isfinite(two)) and two[2] == 0.0
    assert np.array_equal(kinetic_features(np.zeros((5, 3, 3))), np.zeros(9))
    with pytest.raises(InputError, match="at least 2 frames"):
        kinetic_features(np.zeros((1, 3, 3)))


def test_nan_is_a_clear_error():
    positions = np.zeros((5, 22, 3))
    positions[3, 20, 1] = np.nan
    with pytest.raises(InputError, match=r"frame 3, joint 20"):
        kinetic_features(positions)
