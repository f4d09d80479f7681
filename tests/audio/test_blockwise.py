"""Block-wise spectral steps give librosa's one-shot numbers (blocks made tiny to cross many borders)."""

from __future__ import annotations

import numpy as np
import pytest

from studio.audio import blockwise
from studio.audio.synth import demo_song


@pytest.fixture(scope="module")
def song() -> np.ndarray:
    return demo_song(20.0, bpm=110.0, sample_rate=22050).samples


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch):
    monkeypatch.setattr(blockwise, "BLOCK_FRAMES", 97)


def test_mel_power(song):
    import librosa

    expected = librosa.feature.melspectrogram(y=song, sr=22050, pad_mode="reflect")
    np.testing.assert_allclose(blockwise.mel_power(song, 22050), expected, rtol=1e-5, atol=1e-9 * expected.max())


def test_tuning(song):
    import librosa

    assert blockwise.tuning(song, 22050) == librosa.estimate_tuning(y=song, sr=22050, pad_mode="reflect")


def test_tempogram_and_tempo(song):
    import librosa

    envelope = librosa.onset.onset_strength(y=song, sr=22050, pad_mode="reflect")
    win = blockwise.mean_tempogram(envelope, 22050).shape[0]
    expected = librosa.feature.tempogram(onset_envelope=envelope, sr=22050, win_length=win).mean(axis=1)

    np.testing.assert_allclose(blockwise.mean_tempogram(envelope, 22050)[:, 0], expected, atol=1e-12)
    for start_bpm in (80.0, 120.0):
        want = librosa.feature.tempo(onset_envelope=envelope, sr=22050, start_bpm=start_bpm)[0]
        assert blockwise.tempo(envelope, 22050, start_bpm) == want
