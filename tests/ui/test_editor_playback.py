"""Playback: the transport's clock drives the playhead from a ~16-ms timer; loops; the silent clock."""

from __future__ import annotations

import numpy as np
import pytest

from studio.audio.transport import Transport
from studio.ui.playback import Playback, make_transport


@pytest.fixture
def playback(qapp):
    made = Playback()
    yield made
    made.close()


def _silent(duration: float = 5.0) -> Transport:
    return make_transport(np.zeros(int(22050 * duration), np.float32), 22050, duration, audio="off")


def test_the_playhead_follows_the_clock(qtbot, playback):
    positions = []
    playback.position_changed.connect(positions.append)
    playback.set_transport(_silent())
    assert playback.silent_reason == "sound output turned off"
    playback.play()
    qtbot.wait(400)
    playback.pause()
    assert playback.position() == pytest.approx(0.4, abs=0.15)
    ticks = [p for p in positions if p > 0]
    assert len(ticks) >= 10  # ~16 ms ticks: more than 10 in 400 ms even on a busy machine
    assert ticks == sorted(ticks)
    stopped = playback.position()
    qtbot.wait(100)
    assert playback.position() == stopped


def test_loop_returns_to_the_start_of_the_span(qtbot, playback):
    playback.set_transport(_silent())
    playback.set_loop((1.0, 1.3))
    playback.play()  # outside the loop: starts at its beginning
    assert playback.position() == pytest.approx(1.0, abs=0.05)
    qtbot.wait(700)
    assert 1.0 <= playback.position() <= 1.35
    assert playback.is_playing


def test_a_loop_that_ends_with_the_song_keeps_playing(qtbot, playback):
    playback.set_transport(_silent(1.0))
    playback.set_loop((0.6, 1.0))
    playback.play()
    qtbot.wait(900)
    assert playback.is_playing and 0.6 <= playback.position() <= 1.0


def test_the_end_of_the_song_stops_playback(qtbot, playback):
    states = []
    playback.playing_changed.connect(states.append)
    playback.set_transport(_silent(0.3))
    playback.play()
    qtbot.waitUntil(lambda: not playback.is_playing, timeout=3000)
    assert states == [True, False] and playback.position() == pytest.approx(0.3)


def test_a_new_transport_closes_the_old_one(playback):
    first, second = _silent(), _silent()
    playback.set_transport(first)
    playback.play()
    playback.set_transport(second)
    assert not first.is_playing and not playback.is_playing and playback.position() == 0.0


def test_without_a_song_nothing_plays(playback):
    playback.play()
    playback.seek(3.0)
    assert not playback.is_playing and playback.position() == 0.0 and playback.silent_reason == "no song"
