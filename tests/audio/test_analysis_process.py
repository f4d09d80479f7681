"""Song analysis in the child process: the same analysis as here, the same cache, errors that name the file."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from studio.audio import analysis_process
from studio.audio.analysis import analyze
from studio.audio.cache import AnalysisCache
from studio.core.errors import AudioError


@pytest.fixture
def fresh_child():
    analysis_process.stop()
    yield
    analysis_process.stop()


def test_the_child_gives_this_process_analysis_and_fills_the_cache(click_song, _private_cache, fresh_child):
    path, _truth = click_song(120)
    there = analysis_process.analyze(path, snap_bars=True)
    here = analyze(path, snap_bars=True, cache=False)
    assert np.array_equal(there.features, here.features) and np.array_equal(there.beats, here.beats)
    assert list(there.segments) == list(here.segments)
    assert there.source == str(path)
    assert AnalysisCache(_private_cache / "analysis").get(here.content_hash) is not None  # the child stored it

    analysis_process.stop()  # a cached song is read here: no child is started for it
    again = analysis_process.analyze(path, snap_bars=True)
    assert analysis_process._child is None
    assert np.array_equal(again.features, here.features)


def test_a_song_the_child_cannot_use_is_an_audio_error_naming_it(tmp_path, fresh_child):
    short = tmp_path / "short.wav"
    soundfile.write(short, np.zeros(22050, np.float32), 22050)  # one second: shorter than a segment
    with pytest.raises(AudioError) as caught:
        analysis_process.analyze(short)
    assert caught.value.source == str(short) and "short.wav" in str(caught.value)
    assert analysis_process._child is not None and analysis_process._child.alive  # still serving
