"""How a pipeline uses the ranker: rank each segment's candidates, keep the best, greedily through the song.

Greedy whole-song picking: segment 0's candidates are ranked with CS = 0 and the ``first_rank``-th best is
kept (0 = the best); every later segment is generated after the kept dance of its predecessor, ranked with CS
against it, and its best candidate is kept. ``--variants K`` = K pickers with ``first_rank`` 0..K-1: different
first choices, hence (the next segments being generated after them) different whole dances.

    picker = GreedyPicker(ranker, analysis.mel, genre=None)        # or genre="Jazz"
    results, chosen = choreographer.generate_song(features, frames, choose=picker, ...)
    picker.rankings[i]  # segment i's candidates best first, each with score, gs, cs
"""

from __future__ import annotations

from typing import Any

import numpy as np

from studio.ml.genre.ranker import GenreRanker, RankedCandidate


def segment_mel(mel: Any, result: Any) -> np.ndarray:
    """The song's log-mel cut to ``result.start:result.end`` (clamped to the song); ``mel`` as is otherwise."""
    mel = np.asarray(mel, dtype=np.float32)
    start, end = getattr(result, "start", None), getattr(result, "end", None)
    if start is None or end is None:
        return mel
    start = min(int(start), len(mel) - 1)
    return mel[start : max(int(end), start + 1)]


def rank_and_pick(
    ranker: GenreRanker, mel: Any, result: Any, prev: Any = None, genre: str | None = None, rank: int = 0
) -> tuple[int, list[RankedCandidate]]:
    """Rank one segment's candidates and pick the ``rank``-th best (clamped to the last).

    ``mel``: the whole song's (T, 128) log-mel when ``result`` has ``start``/``end`` (a ``SegmentResult``),
    else the segment's; ``result``: the M candidates (``SegmentResult`` or any form the ranker takes);
    ``prev``: the previous segment's kept dance or None. Returns (index of the pick, the ranking).
    """
    use_mel = None if genre not in (None, "auto") else segment_mel(mel, result)
    ranked = ranker.rank(use_mel, result, prev=prev, genre=genre)
    return ranked[min(max(int(rank), 0), len(ranked) - 1)].index, ranked


class GreedyPicker:
    """A ``choose(index, result) -> int`` for ``Choreographer.generate_song`` that ranks as it goes."""

    def __init__(self, ranker: GenreRanker, mel: Any, genre: str | None = None, first_rank: int = 0) -> None:
        self.ranker, self.genre, self.first_rank = ranker, genre, int(first_rank)
        self.mel = np.asarray(mel, dtype=np.float32)
        self.rankings: list[list[RankedCandidate]] = []
        self._prev = None

    def __call__(self, index: int, result: Any) -> int:
        if index == 0:
            self.rankings, self._prev = [], None
        rank = self.first_rank if index == 0 else 0
        pick, ranked = rank_and_pick(self.ranker, self.mel, result, self._prev, self.genre, rank)
        del self.rankings[index:]
        self.rankings.append(ranked)
        self._prev = result.features[pick] if hasattr(result, "features") else result[pick]
        return pick


def scored_candidates(result: Any, ranked: list[RankedCandidate], genre: str | None = None) -> list:
    """``result.candidates()`` (document ``Candidate`` objects, in seed order) with their scores filled in."""
    from dataclasses import replace

    by_index = {r.index: r for r in ranked}
    return [
        replace(c, scores=by_index[i].as_scores(), genre=genre if genre not in (None, "auto") else c.genre)
        for i, c in enumerate(result.candidates())
    ]
