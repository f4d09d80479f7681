"""Timing checks: how fast things a person waits for are, on this machine. Not part of the test suite (a busy
CI box or a training job on the same cores makes wall-clock limits flaky); run them on a quiet machine:

    NUMBA_CACHE_DIR=/tmp/numba .venv/bin/pytest benchmarks -q -s

The tests in ``tests/`` check the same behaviour without the clock (the cache hit decodes nothing, the
envelope picks a few buckets per pixel, ``--help`` imports nothing heavy). The figures the project reports
come from ``studio bench``; these limits are the floors those figures must stay above.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
SR = 22050


@pytest.fixture
def click_wav(tmp_path, monkeypatch):
    import soundfile

    from studio.audio.synth import click_track

    monkeypatch.setenv("CHOREO_STUDIO_CACHE", str(tmp_path / "cache"))
    track = click_track(120, 24.0)
    path = tmp_path / "click.wav"
    soundfile.write(path, track.samples, track.sample_rate)
    return path


def test_help_is_instant():
    """About lazy imports, not machine speed: a bare start takes ~0.1 s, torch alone takes seconds."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "studio", "--help"], cwd=REPO, capture_output=True, timeout=60)
    seconds = time.perf_counter() - start
    assert done.returncode == 0
    assert seconds < 3.0, f"--help took {seconds:.2f} s: something imports a heavy library"


def test_a_cached_analysis_is_a_fraction_of_a_computed_one(click_wav):
    from studio.audio.analysis import analyze

    started = time.perf_counter()
    analyze(click_wav)
    computed = time.perf_counter() - started
    started = time.perf_counter()
    analyze(click_wav)
    hit = time.perf_counter() - started
    print(f"\nanalysis computed {computed:.2f} s, cache hit {hit * 1000:.0f} ms")
    assert hit < computed / 3 and hit < 0.5


def test_warm_up_after_librosa_has_run_is_free(click_wav):
    from studio.audio.analysis import analyze, warm_up

    analyze(click_wav)  # librosa has run in this process
    warm_up()
    assert warm_up() < 0.1


def test_the_waveform_envelope_answers_any_zoom_within_10_ms():
    from studio.ui.waveform import WaveformEnvelope

    samples = np.random.default_rng(0).standard_normal(SR * 600).astype(np.float32)  # a 10-minute song
    env = WaveformEnvelope.from_samples(samples, SR)
    for seconds_shown in (600.0, 60.0, 4.0, 0.5):
        started = time.perf_counter()
        env.visible(100.0, 100.0 + seconds_shown, seconds_shown / 1000)
        assert time.perf_counter() - started < 0.01


def test_the_timeline_redraws_a_ten_minute_song_within_250_ms(qtbot):
    from studio.core.document import Project
    from studio.core.segments import Song
    from studio.ui.timeline import Timeline
    from studio.ui.waveform import WaveformEnvelope

    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.resize(1000, 220)
    timeline.show()
    qtbot.waitExposed(timeline)
    beats = np.arange(0.25, 600.0, 0.5)
    spans = tuple((float(a), float(min(a + 4.0, 600.0))) for a in np.arange(0.0, 600.0 - 1e-9, 4.0))
    timeline.set_project(Project(Song("song.wav", "0" * 64, 600.0, 120.0, beats, beats[::4], spans)))
    samples = np.random.default_rng(1).standard_normal(SR * 600).astype(np.float32)
    timeline.set_audio(WaveformEnvelope.from_samples(samples, SR))
    worst = 0.0
    for start, end in ((0, 600), (100, 160), (200, 204), (300, 300.5), (0, 600)):
        began = time.perf_counter()
        timeline.zoom_to(start, end)
        timeline.repaint()
        worst = max(worst, time.perf_counter() - began)
    print(f"\nworst zoom + repaint on a 10-minute song: {worst * 1000:.1f} ms")
    assert worst < 0.25
