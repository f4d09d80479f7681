"""Entry points for the CLI, the metrics and the UI: the shipped ranker, genre detection, the GS scorer."""

from __future__ import annotations

import threading
from typing import Any

from studio.ml.genre.ranker import GenreRanker
from studio.ml.genre.weights import DEFAULT_MODEL

_lock = threading.Lock()
_cache: dict[str, GenreRanker] = {}


def default_ranker(name_or_path: str = DEFAULT_MODEL, device: str | None = None) -> GenreRanker:
    """The ranker of a model folder (default ``models/gcrm-small``), loaded once per process and name."""
    key = f"{name_or_path}|{device}"
    with _lock:
        if key not in _cache:
            _cache[key] = GenreRanker.from_pretrained(name_or_path, device)
        return _cache[key]


def detect_genres(mel: Any, top: int = 3, ranker: GenreRanker | None = None) -> list[tuple[str, float]]:
    """The song's ``top`` most likely genres ``[(genre, probability), ...]`` from its (T, 128) log-mel.

    Probabilities: softmax(cosine / temperature) of each 4-s window's music embedding against the genre
    prototypes, averaged over the windows. ``ranker``: default :func:`default_ranker`.
    """
    return (ranker or default_ranker()).detect_genres(mel, top)


def gs_scorer(ranker: GenreRanker | None = None):
    """A ``studio.metrics.genre.Scorer``: ``scorer(music_segment, motion) -> float``.

    ``music_segment``: the (T, 128) log-mel of the music (``SongAnalysis.mel[start:end]``); ``motion``: the
    dance over the same frames (``Motion``, (T, 319) features, (T, 315) array or (T, 52, 3) positions).
    The value is the mean GS over aligned 4-s windows (one window for a segment). Use with
    ``studio.metrics.genre_matching_score(gs_scorer(), pairs)``.
    """
    use = ranker or default_ranker()

    def scorer(music_segment: Any, motion: Any) -> float:
        return use.genre_score(music_segment, motion)

    return scorer
