"""The domain gap: a classifier that tells two kinds of music apart, and per-song normalisation closing it."""

import numpy as np
import pytest

from studio.audio.features import song_normalized
from studio.core.errors import InputError
from studio.metrics.domain import domain_gap, window_descriptors


def _songs(rng, count: int, loudness: float) -> list[np.ndarray]:
    songs = []
    for _ in range(count):
        f = rng.normal(size=(600, 35)) + rng.normal(size=35) * 0.3
        f[:, :21] += loudness  # a recording chain that shifts the envelope and MFCC levels
        songs.append(f.astype(np.float32))
    return songs


def test_windows_are_mean_and_std_per_column():
    f = np.arange(240 * 35, dtype=np.float64).reshape(240, 35)
    d = window_descriptors(f)
    assert d.shape == (3, 70)  # windows at 0, 60, 120
    assert np.allclose(d[0, :35], f[:120].mean(0)) and np.allclose(d[0, 35:], f[:120].std(0))
    assert window_descriptors(f[:50]).shape == (0, 70)


def test_a_level_shift_is_told_apart_and_song_normalisation_hides_it():
    rng = np.random.default_rng(0)
    synthetic, recorded = _songs(rng, 10, 0.0), _songs(rng, 10, 3.0)
    assert domain_gap(synthetic, recorded)["balanced_accuracy"] > 0.95
    normalised = domain_gap([song_normalized(s) for s in synthetic], [song_normalized(s) for s in recorded])
    assert normalised["balanced_accuracy"] < 0.75
    assert normalised["songs"] == [10, 10] and normalised["windows"] == [90, 90]


def test_too_few_songs_is_a_clear_error():
    rng = np.random.default_rng(1)
    with pytest.raises(InputError, match="at least 5 songs"):
        domain_gap(_songs(rng, 2, 0.0), _songs(rng, 2, 1.0))
