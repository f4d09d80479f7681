import numpy as np
import pytest

from studio.core.errors import InputError
from studio.metrics import genre_matching_score, seam_jumps


def _moving(frames=60):
    t = np.arange(frames)[:, None, None]
    return np.concatenate([0.01 * t * np.ones((1, 1, 3)), 0.02 * np.sin(0.3 * t) + np.zeros((1, 1, 3))], axis=1)


def test_seamless_motion_scores_about_one():
    t = np.arange(60)[:, None, None]
    line = 0.01 * t * np.array([[1.0, 0.0, 0.0]])
    result = seam_jumps(line, [20, 40])
    np.testing.assert_allclose(result.velocity_ratio, 1.0)
    np.testing.assert_allclose(result.acceleration_ratio, 1.0)  # 0 / 0 inside and at the seams


def test_a_pop_at_the_seam():
    t = np.arange(60, dtype=float)
    x = 0.01 * t
    x[30:] += 0.05  # positional pop entering frame 30
    positions = np.stack([x, np.zeros(60), np.zeros(60)], axis=1)[:, None, :]
    result = seam_jumps(positions, [30])
    assert result.velocity_ratio[0] == pytest.approx((0.01 + 0.05) / 0.01)
    assert result.acceleration_ratio[0] == np.inf  # no acceleration anywhere else
    summary = seam_jumps(_moving(), [20, 40]).summary()
    assert set(summary) == {"velocity_ratio_mean", "velocity_ratio_max", "acceleration_ratio_mean",
                            "acceleration_ratio_max"}  # fmt: skip


def test_static_motion_and_bad_boundaries():
    still = np.zeros((30, 4, 3))
    result = seam_jumps(still, [10])
    assert result.velocity_ratio[0] == 1.0 and result.acceleration_ratio[0] == 1.0
    assert seam_jumps(still, []).summary()["velocity_ratio_max"] == 0.0
    with pytest.raises(InputError, match="between 1 and 29"):
        seam_jumps(still, [30])
    with pytest.raises(InputError, match="whole frame numbers"):
        seam_jumps(still, [10.5])


def test_genre_matching_score_takes_a_scorer():
    pairs = [("rock", "m1"), ("jazz", "m2"), ("rock", "m3")]
    assert genre_matching_score(lambda music, motion: 1.0 if music == "rock" else -0.5, pairs) == pytest.approx(0.5)
    with pytest.raises(InputError, match="finite"):
        genre_matching_score(lambda music, motion: float("nan"), pairs)
    with pytest.raises(InputError, match="at least one"):
        genre_matching_score(lambda music, motion: 1.0, [])
