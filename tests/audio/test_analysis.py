"""Analysis of click tracks whose beats and bars are known: beats, bars, segments, features."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from studio.audio import features as F
from studio.audio.analysis import analyze_samples
from studio.audio.synth import demo_song

FRAME = 1.0 / 30
TEMPI = (120, 90, 150)


def _nearest(times: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Distance of each time to the nearest true time."""
    return np.abs(np.asarray(times)[:, None] - np.asarray(truth)[None, :]).min(axis=1)


@pytest.mark.parametrize("bpm", TEMPI)
def test_beats_are_within_one_frame_of_the_truth(click_analysis, bpm):
    analysis, _, truth = click_analysis(bpm)

    assert np.all(_nearest(analysis.beats, truth.beats) <= FRAME)
    assert len(analysis.beats) >= len(truth.beats) - 4  # the tracker may trim a beat or two at the ends
    assert analysis.tempo == pytest.approx(bpm, rel=0.02)


@pytest.mark.parametrize("bpm", TEMPI)
def test_downbeats_are_every_fourth_beat_on_the_accents(click_analysis, bpm):
    analysis, _, truth = click_analysis(bpm)

    phase = int(np.flatnonzero(np.isin(analysis.beats, analysis.downbeats))[0])
    assert phase < 4
    np.testing.assert_array_equal(analysis.downbeats, analysis.beats[phase::4])
    assert np.all(_nearest(analysis.downbeats, truth.downbeats) <= FRAME)


@pytest.mark.parametrize("bpm", TEMPI)
def test_default_segments_are_four_seconds(click_analysis, bpm):
    analysis, _, _ = click_analysis(bpm)

    assert analysis.duration == 24.0 and len(analysis.segments) == 6
    for i, (start, end) in enumerate(analysis.segments):
        assert (start, end) == pytest.approx((4.0 * i, 4.0 * i + 4.0), abs=1e-9)
    assert analysis.segment_frames()[1] == (120, 240)


@pytest.mark.parametrize("bpm", TEMPI)
def test_bar_snapped_segments_are_three_to_five_seconds_on_bar_lines(click_analysis, bpm):
    _, snapped, _ = click_analysis(bpm)
    starts = np.array([start for start, _ in snapped.segments])

    assert snapped.snap_bars
    assert snapped.segments[0][0] == 0.0 and snapped.segments[-1][1] == pytest.approx(snapped.duration)
    assert all(a[1] == b[0] for a, b in pairwise(snapped.segments))
    assert all(3.0 - 1e-9 <= end - start <= 5.0 + 1e-9 for start, end in snapped.segments)
    # 90 BPM bars last 2.67 s: no two bar lines are 3-5 s apart, so cuts fall on beats instead.
    lines = snapped.beats if bpm == 90 else snapped.downbeats
    assert np.all(_nearest(starts[1:], lines) < 1e-9)


@pytest.mark.parametrize("bpm", TEMPI)
def test_features_have_the_finedance_shape_and_sane_columns(click_analysis, bpm):
    analysis, _, truth = click_analysis(bpm)
    features = analysis.features
    frames = 1 + int(analysis.duration * F.SAMPLE_RATE) // F.HOP_LENGTH  # centred frames at 30 fps

    assert features.shape == (frames, 35) and features.dtype == np.float32
    assert analysis.mel.shape == (frames, F.N_MELS) and analysis.mel.dtype == np.float32
    assert np.all(np.isfinite(features))
    assert np.all(features[:, F.ENVELOPE] >= 0)
    chroma = features[:, F.CHROMA]
    assert np.all((chroma >= 0) & (chroma <= 1 + 1e-6))
    for column in (F.ONSET, F.BEAT):
        assert set(np.unique(features[:, column])) <= {0.0, 1.0}
    beat_times = np.flatnonzero(features[:, F.BEAT]) / 30
    assert set(np.round(analysis.beats * 30).astype(int)) <= set(np.flatnonzero(features[:, F.BEAT]))
    assert np.all(_nearest(np.flatnonzero(features[:, F.ONSET]) / 30, truth.beats) <= 2 * FRAME)
    assert len(beat_times) >= len(truth.beats) - 4


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # audioread, imported by librosa.load
def test_features_follow_the_finedance_recipe_exactly(click_song, click_analysis):
    """The recipe written out with librosa calls, as FineDance's script does (plus 0.7.2's padding)."""
    import librosa

    path, _ = click_song(120)
    analysis = click_analysis(120)[0]
    y, sr = librosa.load(path, sr=F.SAMPLE_RATE)
    envelope = librosa.onset.onset_strength(y=y, sr=sr, pad_mode="reflect")
    mfcc = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20, pad_mode="reflect").T
    start_bpm = librosa.feature.tempo(
        onset_envelope=librosa.onset.onset_strength(y=librosa.load(path)[0], pad_mode="reflect")
    )[0]
    _, beats = librosa.beat.beat_track(
        onset_envelope=envelope, sr=sr, hop_length=512, start_bpm=start_bpm, tightness=100
    )
    onsets = librosa.onset.onset_detect(onset_envelope=envelope.copy(), sr=sr, hop_length=512)

    np.testing.assert_array_equal(analysis.features[:, F.ENVELOPE], envelope)
    np.testing.assert_array_equal(analysis.features[:, F.MFCC], mfcc)
    np.testing.assert_array_equal(np.flatnonzero(analysis.features[:, F.BEAT]), beats)
    np.testing.assert_array_equal(np.flatnonzero(analysis.features[:, F.ONSET]), onsets)
    assert analysis.start_bpm == pytest.approx(start_bpm)


def test_downbeats_of_a_pop_song_follow_the_chord_changes():
    """Kick on 1 and 3, snare on 2 and 4: accents alone cannot tell beat 1 from beat 3."""
    song = demo_song(30.0, bpm=128.0, sample_rate=22050)
    cut = int(0.3 * song.sample_rate)  # start mid-bar
    analysis = analyze_samples(song.samples[cut:], song.sample_rate)

    bars = song.downbeats - 0.3
    assert np.all(_nearest(analysis.downbeats, bars[bars > 0]) <= 2 * FRAME)
    assert len(analysis.content_hash) == 64


def test_warm_up_is_done_once(click_analysis, monkeypatch):
    from studio.audio import analysis
    from studio.audio.analysis import warm_up

    click_analysis(120)  # librosa has run in this process
    warm_up()

    def again(*args, **kwargs):
        raise AssertionError("warmed up twice")

    monkeypatch.setattr(analysis, "analyze_samples", again)
    warm_up()  # returns at once (how fast: benchmarks/test_timings.py)
