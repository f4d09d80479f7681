"""Generated songs for the audio tests: click tracks with known beats, written and analysed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
import soundfile

from studio.audio.analysis import analyze
from studio.audio.cache import AnalysisCache
from studio.audio.synth import ClickTrack, click_track

CLICK_SECONDS = 24.0  # six 4-s segments exactly


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the user's real cache."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CHOREO_STUDIO_CACHE", str(folder))
    return folder


@pytest.fixture(scope="session")
def click_song(tmp_path_factory: pytest.TempPathFactory):
    """``click_song(bpm)`` -> (a 24-s 22.05 kHz wav, the truth about it), written once per session."""
    folder = tmp_path_factory.mktemp("songs")
    made: dict[int, tuple[Path, ClickTrack]] = {}

    def make(bpm: int) -> tuple[Path, ClickTrack]:
        if bpm not in made:
            track = click_track(bpm, CLICK_SECONDS)
            path = folder / f"click_{bpm}.wav"
            soundfile.write(path, track.samples, track.sample_rate)
            made[bpm] = (path, track)
        return made[bpm]

    return make


@pytest.fixture(scope="session")
def click_analysis(click_song, tmp_path_factory: pytest.TempPathFactory):
    """``click_analysis(bpm)`` -> (grid analysis, bar-snapped analysis, truth); computed once per session."""
    cache = AnalysisCache(tmp_path_factory.mktemp("session-cache"))
    done = {}

    def make(bpm: int):
        if bpm not in done:
            path, track = click_song(bpm)
            done[bpm] = (analyze(path, cache=cache), analyze(path, snap_bars=True, cache=cache), track)
        return done[bpm]

    return make
