"""The analysis cache: keyed by content, near-instant on a hit, never trusts a damaged entry."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from studio.audio import analysis as analysis_module
from studio.audio.analysis import analyze
from studio.audio.cache import AnalysisCache, file_sha256
from studio.audio.song import SongAnalysis
from studio.core.errors import AudioError


@pytest.fixture
def song(click_song, tmp_path):
    """A private copy of the 120 BPM click track (tests here modify files)."""
    path = tmp_path / "song.wav"
    shutil.copy(click_song(120)[0], path)
    return path


def _same(a: SongAnalysis, b: SongAnalysis) -> None:
    assert (a.content_hash, a.duration, a.tempo, a.segments) == (b.content_hash, b.duration, b.tempo, b.segments)
    for name in ("beats", "downbeats", "features", "mel"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def _no_decoding(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("decoded although the analysis was cached")

    monkeypatch.setattr(analysis_module, "decode", fail)


def test_second_analysis_is_an_equal_cache_hit(song, monkeypatch, _private_cache):
    """Without decoding (how fast: benchmarks/test_timings.py)."""
    first = analyze(song)
    assert list(_private_cache.rglob("*.npz")), "nothing written under CHOREO_STUDIO_CACHE"

    _no_decoding(monkeypatch)
    second = analyze(song)
    _same(first, second)


def test_the_same_bytes_elsewhere_are_a_hit(song, tmp_path, monkeypatch):
    analyze(song)
    moved = tmp_path / "renamed.wav"
    shutil.copy(song, moved)
    _no_decoding(monkeypatch)

    assert analyze(moved).source == str(moved)


def test_changed_bytes_are_a_miss(song):
    first = analyze(song)
    data = bytearray(song.read_bytes())
    data[-1] ^= 1
    song.write_bytes(bytes(data))

    second = analyze(song)

    assert second.content_hash == file_sha256(song) != first.content_hash


def test_a_damaged_entry_is_recomputed(song, _private_cache):
    first = analyze(song)
    entry = next(_private_cache.rglob("*.npz"))
    entry.write_bytes(entry.read_bytes()[:100])

    second = analyze(song)

    _same(first, second)
    SongAnalysis.load(entry)  # replaced by a whole one


def test_snap_bars_reuses_the_cached_entry(song, monkeypatch):
    analyze(song)
    _no_decoding(monkeypatch)

    snapped = analyze(song, snap_bars=True)

    assert snapped.snap_bars and all(3.0 <= end - start <= 5.0 for start, end in snapped.segments)


def test_save_load_round_trip_leaves_no_temporary_files(click_analysis, tmp_path):
    original = click_analysis(150)[1]
    path = tmp_path / "sub" / "analysis.npz"

    original.save(path)
    loaded = SongAnalysis.load(path)

    _same(original, loaded)
    assert loaded.snap_bars and loaded.start_bpm == original.start_bpm
    assert [p.name for p in path.parent.iterdir()] == ["analysis.npz"]


def test_loading_something_else_is_an_audio_error(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, x=np.zeros(3))
    with pytest.raises(AudioError, match="song analysis file"):
        SongAnalysis.load(path)


def test_an_unwritable_cache_only_costs_speed(song, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")

    analysis = analyze(song, cache=AnalysisCache(blocker))

    assert analysis.features.shape[1] == 35
