"""The numpy beat tracker gives librosa's beat frames exactly (studio/audio/beats.py)."""

from __future__ import annotations

import librosa
import numpy as np
import pytest

from studio.audio import beats, blockwise
from studio.audio.decoding import resample
from studio.audio.features import HOP_LENGTH, SAMPLE_RATE, TIGHTNESS
from studio.audio.synth import click_track, demo_song


def _envelope(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    samples = resample(samples, sample_rate, SAMPLE_RATE)
    mel_db = librosa.power_to_db(blockwise.mel_power(samples, SAMPLE_RATE))
    return librosa.onset.onset_strength(S=mel_db, sr=SAMPLE_RATE, hop_length=HOP_LENGTH)


@pytest.mark.parametrize("bpm", [92.0, 124.0, 141.0])
def test_same_beats_as_librosa_on_generated_songs(bpm):
    song = demo_song(20.0, bpm=bpm, sample_rate=22050)
    envelope = _envelope(song.samples, song.sample_rate)
    tempo = blockwise.tempo(envelope, SAMPLE_RATE, start_bpm=120.0)
    _, expected = librosa.beat.beat_track(onset_envelope=envelope, sr=SAMPLE_RATE, hop_length=HOP_LENGTH,
                                          start_bpm=120.0, tightness=TIGHTNESS, bpm=tempo)  # fmt: skip
    found = beats.beat_track(envelope, SAMPLE_RATE / HOP_LENGTH, tempo, tightness=TIGHTNESS)
    np.testing.assert_array_equal(found, expected)


def test_same_local_score_as_librosa_bit_for_bit():
    song = click_track(120.0, 6.0, sample_rate=44100)
    envelope = _envelope(song.samples, song.sample_rate)
    onsets = envelope / (envelope.std(ddof=1) + librosa.util.tiny(envelope))
    expected = getattr(librosa.beat, "__beat_local_score")(onsets, np.array([15.0], dtype=np.float32))
    np.testing.assert_array_equal(beats.local_score(onsets, 15.0), expected)


def test_silence_has_no_beats():
    assert len(beats.beat_track(np.zeros(300, np.float32), 30.0, 120.0)) == 0
