"""Bars and segments from beat lists: pure functions, no audio."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.audio import rhythm


def _check_cover(segments, duration):
    assert segments[0][0] == 0.0 and segments[-1][1] == pytest.approx(duration)
    for (_, end), (start, _) in pairwise(segments):
        assert end == start


def test_grid_of_an_exact_multiple():
    assert rhythm.grid_segments(24.0) == [(4.0 * i, 4.0 * i + 4.0) for i in range(6)]


def test_grid_keeps_a_remainder_of_a_second_or_more():
    segments = rhythm.grid_segments(25.5)
    assert segments[-1] == (24.0, 25.5) and len(segments) == 7


def test_grid_merges_a_remainder_under_a_second():
    segments = rhythm.grid_segments(24.5)
    assert segments[-1] == (20.0, 24.5) and len(segments) == 6


def test_grid_of_a_short_song():
    assert rhythm.grid_segments(4.0) == [(0.0, 4.0)]
    assert rhythm.grid_segments(3.2) == [(0.0, 3.2)]


def test_bar_segments_cut_at_downbeats():
    beats = np.arange(0.5, 60.0, 0.5)  # 120 BPM
    downbeats = beats[1::4]
    segments = rhythm.bar_segments(60.0, beats, downbeats)

    _check_cover(segments, 60.0)
    assert all(3.0 <= end - start <= 5.0 for start, end in segments)
    assert all(np.isclose(downbeats, start).any() for start, _ in segments[1:])


def test_bar_segments_without_beats_fall_back_to_a_grid():
    segments = rhythm.bar_segments(30.0, np.zeros(0), np.zeros(0))
    _check_cover(segments, 30.0)
    assert all(3.0 <= end - start <= 5.0 for start, end in segments)


def test_bar_segments_of_a_song_that_cannot_be_cut_into_three_to_five():
    segments = rhythm.bar_segments(5.5, np.zeros(0), np.zeros(0))
    _check_cover(segments, 5.5)
    assert len(segments) == 2


@settings(max_examples=25, deadline=None)
@given(
    duration=st.floats(4.0, 240.0),
    bpm=st.floats(50.0, 200.0),
    offset=st.floats(0.0, 1.0),
    phase=st.integers(0, 3),
)
def test_bar_segments_always_cover_the_song(duration, bpm, offset, phase):
    beats = np.arange(offset, duration, 60.0 / bpm)
    segments = rhythm.bar_segments(duration, beats, beats[phase::4])

    _check_cover(segments, duration)
    assert all(0 < end - start <= 5.0 + 1e-9 for start, end in segments)
    assert all(end - start >= 3.0 - 1e-9 for start, end in segments[:-1])


def test_steady_beats_drops_an_edge_beat_off_the_tempo():
    frames = np.array([8, 28, 48, 68, 88, 104])
    np.testing.assert_array_equal(rhythm.steady_beats(frames), frames[:-1])
    np.testing.assert_array_equal(rhythm.steady_beats(frames[:-1]), frames[:-1])


def test_downbeat_phase_follows_the_accents():
    beat_frames = np.arange(10, 600, 15)
    envelope = np.zeros(620)
    envelope[beat_frames] = 1.0
    envelope[beat_frames[2::4]] = 3.0
    assert rhythm.downbeat_phase(beat_frames, envelope) == 2


def test_beat_tempo_is_finer_than_whole_frames():
    frames = np.cumsum(np.tile([14, 15], 40))  # 124 BPM at 30 fps: 14.52 frames a beat
    assert rhythm.beat_tempo(frames / 30) == pytest.approx(30 * 60 / 14.5, rel=1e-3)
    with_a_break = np.concatenate([np.arange(0, 10, 0.5), np.arange(20, 30, 0.5)])
    assert rhythm.beat_tempo(with_a_break) == pytest.approx(120.0)
    assert rhythm.beat_tempo(np.zeros(1), fallback=99.0) == 99.0
