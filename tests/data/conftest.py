"""Tiny songs and dances for the data tests: a few 20-s songs of 2-3 genres, written once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

TINY_GENRES = ("Breaking", "Kun", "Dai")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the user's real analysis cache."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CHOREO_STUDIO_CACHE", str(folder))
    return folder


@pytest.fixture(scope="session")
def tiny_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three ~20-s songs (Breaking, Kun, Dai) with partners, seed 11, one process."""
    from studio.data.procedural.writer import write_corpus

    out = tmp_path_factory.mktemp("corpus")
    write_corpus(out, 1.0, seed=11, duets=True, workers=1, song_seconds=(20.0, 21.0), genres=TINY_GENRES)
    return out
