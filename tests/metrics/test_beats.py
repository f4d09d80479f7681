import numpy as np
import pytest

from studio.core.errors import InputError
from studio.metrics import (
    bas,
    beat_align_score,
    motion_beats,
    motion_motion_score,
    music_beats_from_features,
    music_beats_from_times,
)

PERIOD = 15  # frames: 120 BPM at 30 fps


def _pulsing(frames=300, period=PERIOD, delay=0):
    """One joint whose speed step k is 1 - cos(2 pi (k - delay) / period): slowest at k = delay + m * period."""
    k = np.arange(frames - 1)
    speed = 0.01 * (1.05 - np.cos(2 * np.pi * (k - delay) / period))
    x = np.concatenate([[0.0], np.cumsum(speed)])
    return np.stack([x, np.zeros(frames), np.zeros(frames)], axis=1)[:, None, :]


def test_motion_beats_are_the_speed_minima():
    beats = motion_beats(_pulsing())
    interior = beats[(beats > 30) & (beats < 260)]
    np.testing.assert_array_equal(interior, np.arange(45, 260, PERIOD))


def test_bas_is_one_when_the_beats_coincide():
    grid = np.arange(45, 260, PERIOD)
    assert bas(_pulsing(), grid) == pytest.approx(1.0)


@pytest.mark.parametrize("shift", [1, 2, 3, 5])
def test_bas_of_a_shifted_grid(shift):
    grid = np.arange(45, 250, PERIOD) + shift
    assert bas(_pulsing(), grid) == pytest.approx(np.exp(-(shift**2) / (2 * 3**2)))


def test_beat_align_score_by_hand():
    assert beat_align_score([10, 20], [12]) == pytest.approx((np.exp(-4 / 18) + np.exp(-64 / 18)) / 2)
    assert beat_align_score([10, 20], []) == 0.0
    with pytest.raises(InputError):
        beat_align_score([], [1, 2])


def test_static_motion_has_no_beats_and_scores_zero():
    still = np.zeros((100, 24, 3))
    assert motion_beats(still).size == 0
    assert bas(still, [10, 40]) == 0.0
    assert motion_motion_score(still, still) == 0.0


def test_music_beats_outside_the_motion_are_ignored():
    with pytest.raises(InputError, match="at least one beat"):
        bas(_pulsing(60), [100, 200])


def test_motion_motion_score():
    dance = _pulsing()
    assert motion_motion_score(dance, dance.copy()) == pytest.approx(1.0)
    late = _pulsing(delay=3)
    # every beat of each dancer is 3 frames from the other's nearest beat
    assert motion_motion_score(dance, late) == pytest.approx(np.exp(-9 / 18))


def test_music_beats_from_features_and_times():
    features = np.zeros((90, 35))
    features[[0, 15, 30], 34] = 1.0
    np.testing.assert_array_equal(music_beats_from_features(features), [0, 15, 30])
    with pytest.raises(InputError, match="35"):
        music_beats_from_features(np.zeros((90, 20)))
    np.testing.assert_array_equal(music_beats_from_times([0.0, 0.5, 1.01]), [0, 15, 30])
    with pytest.raises(InputError):
        music_beats_from_times([np.nan])


def test_nan_motion():
    dance = _pulsing()
    dance[5, 0, 0] = np.nan
    with pytest.raises(InputError, match="frame 5"):
        bas(dance, [30])
