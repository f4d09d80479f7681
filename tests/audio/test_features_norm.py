"""Per-song normalisation of the 35-d music features: what makes recordings and synthesised music comparable."""

import numpy as np
import pytest

from studio.audio.features import BEAT, CONTINUOUS, ONSET, condition_features, song_normalized


def _features(rng, scale: float, offset: float) -> np.ndarray:
    f = rng.normal(size=(300, 35)).astype(np.float32) * scale + offset
    f[:, ONSET] = rng.random(300) < 0.1
    f[:, BEAT] = (np.arange(300) % 15) == 0
    return f


def test_continuous_columns_are_z_scored_over_the_song():
    f = _features(np.random.default_rng(0), 7.0, 40.0)
    n = song_normalized(f)
    assert np.allclose(n[:, CONTINUOUS].mean(0), 0.0, atol=1e-5)
    assert np.allclose(n[:, CONTINUOUS].std(0), 1.0, atol=1e-4)
    assert np.array_equal(n[:, [ONSET, BEAT]], f[:, [ONSET, BEAT]])  # the one-hots are left alone
    assert n.dtype == np.float32


def test_loudness_and_timbre_offsets_vanish():
    rng = np.random.default_rng(1)
    base = _features(rng, 1.0, 0.0)
    recorded = base.copy()
    recorded[:, CONTINUOUS] = base[:, CONTINUOUS] * 3.5 - 12.0  # a louder, differently coloured recording
    assert np.allclose(song_normalized(base), song_normalized(recorded), atol=1e-4)


def test_a_column_that_does_not_move_stays_finite():
    f = _features(np.random.default_rng(2), 1.0, 0.0)
    f[:, 5] = 3.0
    n = song_normalized(f)
    assert np.all(np.isfinite(n)) and np.all(n[:, 5] == 0.0)


def test_condition_features_by_name():
    f = _features(np.random.default_rng(3), 2.0, 1.0)
    assert np.array_equal(condition_features(f, "none"), f)
    assert np.array_equal(condition_features(f, "song"), song_normalized(f))
    with pytest.raises(ValueError, match="music_norm"):
        condition_features(f, "loudness")
