"""Fixtures shared by the CLI tests."""

import pytest
import soundfile

from studio.audio.synth import click_track


@pytest.fixture
def song(tmp_path, monkeypatch):
    monkeypatch.setenv("CHOREO_STUDIO_CACHE", str(tmp_path / "cache"))
    track = click_track(120, 12.0)
    path = tmp_path / "song.wav"
    soundfile.write(path, track.samples, track.sample_rate)
    return path
