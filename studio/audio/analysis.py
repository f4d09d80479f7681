"""``analyze(path)``: decode, check, compute (or fetch from the cache) a song's ``SongAnalysis``.

librosa is imported on first use only.  Its numba kernels compile the first time they run (about 30 s
of CPU once per machine); the first analysis of each process runs under ``numba_cache.first_use()``, so
only one of our processes writes numba's cache at a time (see ``numba_cache`` and docs/startup.md).
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from pathlib import Path

import numpy as np

from studio.audio import numba_cache, rhythm
from studio.audio.cache import AnalysisCache, file_sha256
from studio.audio.decoding import check_file, decode, resample, validate_song
from studio.audio.features import ENVELOPE, FPS, SAMPLE_RATE, TEMPO_SAMPLE_RATE, estimate_start_bpm, music_features
from studio.audio.song import Segment, SongAnalysis


def analyze(
    path: str | Path, snap_bars: bool = False, cache: bool | AnalysisCache = True, *, compute: bool = True
) -> SongAnalysis | None:
    """Analyse the song at ``path``; with ``cache`` a second call on the same bytes is near-instant.

    ``snap_bars`` cuts 3-5 s segments at bar lines instead of the plain 4-s grid.  Raises ``AudioError``
    (with a ``reason``) for files that are missing, empty, of an unsupported type, not audio, damaged,
    silent or shorter than 4 s. ``compute`` False: only what the cache holds (None when it has nothing).
    """
    path = Path(path)
    check_file(path)
    store = cache if isinstance(cache, AnalysisCache) else AnalysisCache() if cache else None
    digest = file_sha256(path)
    analysis = store.get(digest) if store is not None else None
    if analysis is None and not compute:
        return None
    if analysis is None:
        samples, sample_rate = decode(path)
        validate_song(samples, sample_rate, path)
        analysis = analyze_samples(samples, sample_rate, source=str(path), content_hash=digest)
        del samples
        if store is not None:
            store.put(analysis)
    analysis = dataclasses.replace(analysis, source=str(path))
    return analysis.with_segments(segments_for(analysis, snap_bars), snap_bars)


def analyze_samples(
    samples: np.ndarray, sample_rate: int, *, source: str = "", content_hash: str = "", snap_bars: bool = False
) -> SongAnalysis:
    """The analysis of samples already in memory (mono float32), no cache, no checks.

    ``content_hash`` defaults to the sha256 of the samples' bytes, so the result still has an identity.
    """
    samples = np.asarray(samples, dtype=np.float32)
    content_hash = content_hash or hashlib.sha256(samples.tobytes()).hexdigest()
    with numba_cache.first_use():
        return _analyze(samples, sample_rate, source, content_hash, snap_bars)


def _analyze(samples: np.ndarray, sample_rate: int, source: str, content_hash: str, snap_bars: bool) -> SongAnalysis:
    at_22050 = samples if sample_rate == TEMPO_SAMPLE_RATE else resample(samples, sample_rate, TEMPO_SAMPLE_RATE)
    bpm_hint = estimate_start_bpm(at_22050)
    del at_22050
    at_15360 = samples if sample_rate == SAMPLE_RATE else resample(samples, sample_rate, SAMPLE_RATE)
    music = music_features(at_15360, bpm_hint)
    beat_frames = rhythm.steady_beats(music.beat_frames)
    beats = beat_frames / FPS
    phase = rhythm.downbeat_phase(beat_frames, music.features[:, ENVELOPE], music.mel)
    analysis = SongAnalysis(
        source=source,
        content_hash=content_hash,
        duration=len(samples) / sample_rate,
        sample_rate=int(sample_rate),
        tempo=rhythm.beat_tempo(beats, fallback=music.tempo),
        start_bpm=music.start_bpm,
        beats=beats,
        downbeats=rhythm.downbeats(beats, phase),
        features=music.features,
        mel=music.mel,
    )
    return analysis.with_segments(segments_for(analysis, snap_bars), snap_bars)


def segments_for(analysis: SongAnalysis, snap_bars: bool) -> list[Segment]:
    if snap_bars:
        return rhythm.bar_segments(analysis.duration, analysis.beats, analysis.downbeats)
    return rhythm.grid_segments(analysis.duration)


def warm_up() -> float:
    """Import librosa and compile its kernels by analysing a 6-s click track; seconds spent.

    Safe to call from any thread and more than once (later calls, and calls after any analysis in this
    process, return at once). Other processes of ours wait while one compiles (``numba_cache``).
    """
    started = time.perf_counter()
    if not numba_cache.is_loaded():
        from studio.audio.synth import click_track

        song = click_track(120.0, 6.0, sample_rate=44100)
        analyze_samples(song.samples, song.sample_rate)
    return time.perf_counter() - started
