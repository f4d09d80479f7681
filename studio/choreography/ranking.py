"""Rankers: each puts a segment's candidate motions best first by named score terms, combined in one place
(``studio.core.ranking.ScoreWeights``, the request's weights).

- ``GCRMRanker``: the trained genre ranker (``studio.ml.genre.GenreRanker``): GS = cosine of the music and
  dance embeddings, CS on its forward kinematics.
- ``FallbackRanker`` (until GCRM weights exist in ``models/gcrm-small``): GS is the probability of the
  candidate's genre under the song's genre guess relative to the likeliest genre's (so 1 for the best guess;
  1 when the candidate dances the user's override; 0 when its genre is unknown); CS as GCRM's, on the avatar.
- ``Unranked``: the candidates in seed order, without scores (``studio generate --ranker none``).
- ``DuetRanker``: a partner's candidates (model and rule partners alike): GS and CS from the solo ranker it
  wraps, and against the lead's dance in the segment the motion-motion score (``mm``) and the clearance
  (``clear``, with ``closest_m`` for the candidate panel); ``Generators.generate`` uses it for partner requests.

Interface: ``rank(motions, request, song, guess) -> [(index, scores, genre), ...]`` best first, ``motions``
being ``(motion, genre or None)`` pairs; a ranker with a ``guess(song)`` detects the song's genres.
A new term: its weight in ``ScoreWeights``, its value here in each ranker's ``scores``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from studio.choreography.plan import segment_frames
from studio.choreography.requests import GenerationRequest, GenreGuess
from studio.core.motion import Motion
from studio.core.ranking import CS_FRAME, best_first, coherence
from studio.metrics.beats import motion_motion_score
from studio.metrics.duet import CLEARANCE, closest_distance

Row = tuple[int, dict[str, float], str | None]


def tempo_genre_guess(tempo: float, top: int = 3) -> GenreGuess:
    """A stand-in for GCRM's genre detection: which genres' music usually has this tempo.

    Each genre of the procedural corpus has a tempo range; the closer the song's tempo (or its half or
    double) is to a genre's range, the likelier the genre.
    """
    try:
        from studio.data.procedural.genres import GENRE_SPECS
    except ImportError:  # the corpus package is not there: no guess
        return GenreGuess((), "none")
    scores = {}
    for name, genre in GENRE_SPECS.items():
        low, high = genre.music.tempo
        best = min(max(low - t, 0.0, t - high) for t in (tempo, tempo * 2, tempo / 2)) if tempo > 0 else 30.0
        width = max(high - low, 1.0)
        scores[name] = np.exp(-0.5 * (best / 8.0) ** 2) / np.sqrt(width)
    names = sorted(scores, key=lambda n: -scores[n])
    total = sum(scores.values()) or 1.0
    return GenreGuess(tuple((n, float(scores[n] / total)) for n in names[:top]), "tempo")


class FallbackRanker:
    """GS from the genre guess, CS from forward kinematics (see the module docstring)."""

    name = "fallback ranking"

    def __init__(self, skeleton=None) -> None:
        self._skeleton = skeleton

    @property
    def skeleton(self):
        if self._skeleton is None:
            from studio.body.provider import default_skeleton

            self._skeleton = default_skeleton()
        return self._skeleton

    def coherence(self, prev: Motion | None, motion: Motion) -> float:
        if prev is None or len(prev) == 0:
            return 0.0
        end = prev[len(prev) - min(CS_FRAME, len(prev)) :][:1].positions(self.skeleton)[0]
        frame = min(CS_FRAME, len(motion) - 1)
        return coherence(end, motion[frame : frame + 1].positions(self.skeleton)[0])

    def genre_score(self, genre: str | None, request: GenerationRequest, guess: GenreGuess) -> float:
        if request.genre is not None:
            return 1.0 if genre in (None, request.genre) else 0.0
        best = guess.top[0][1] if guess.top else 0.0  # relative to the likeliest genre: it scores 1
        return guess.probability(genre) / best if genre is not None and best > 0 else 0.0

    def rank(
        self, motions: Sequence[tuple[Motion, str | None]], request: GenerationRequest, song: Any, guess: GenreGuess
    ) -> list[Row]:
        weights = request.weights
        scores = [
            weights.scored({"gs": self.genre_score(genre, request, guess), "cs": self.coherence(request.prev, m)})
            for m, genre in motions
        ]
        genres = [genre or request.genre for _, genre in motions]
        return [(i, scores[i], genres[i]) for i in best_first(scores)]


class GCRMRanker:
    """``studio.ml.genre.GenreRanker`` behind the fallback's interface."""

    name = "GCRM"

    def __init__(self, ranker) -> None:
        self.ranker = ranker

    def rank(self, motions, request: GenerationRequest, song: Any, guess: GenreGuess) -> list[Row]:
        start, end = segment_frames(request.start, request.end)
        mel = np.asarray(song.mel)[min(start, len(song.mel) - 1) : max(end, start + 1)]
        ranked = self.ranker.rank(mel, [m for m, _ in motions], prev=request.prev, genre=request.genre,
                                  weights=request.weights)  # fmt: skip
        terms = {r.index: {"gs": r.gs, "cs": r.cs} for r in ranked}  # GCRM's terms; others would join here
        scores = [request.weights.scored(terms[i]) for i in range(len(motions))]
        label = request.genre or guess.best
        return [(i, scores[i], motions[i][1] or label) for i in best_first(scores)]

    def guess(self, song: Any) -> GenreGuess:
        return GenreGuess(tuple(self.ranker.detect_genres(song.mel, top=3)), "GCRM")


class Unranked:
    """The candidates as made (seed order), no scores: the first one is kept."""

    name = "unranked"

    def rank(self, motions, request: GenerationRequest, song: Any, guess: GenreGuess) -> list[Row]:
        return [(i, {}, genre or request.genre) for i, (_, genre) in enumerate(motions)]


def duet_terms(lead_positions: np.ndarray, partner_positions: np.ndarray) -> dict[str, float]:
    """A partner candidate's duet terms against the lead (joint positions (T, 52, 3) each, common frames):
    ``mm`` (motion-motion score, both directions), ``clear`` (-1 when some joint of one comes within
    ``CLEARANCE`` of a joint of the other, else 0) and ``closest_m`` (that closest distance; not weighted)."""
    closest = closest_distance(lead_positions, partner_positions)
    return {
        "mm": motion_motion_score(lead_positions, partner_positions),
        "clear": 0.0 if closest >= CLEARANCE else -1.0,
        "closest_m": closest,
    }


class DuetRanker:
    """A partner's candidates ranked by GS and CS (the wrapped solo ranker's, unchanged) and, against the
    request's ``lead`` (the lead's chosen motion of the segment), MM and clearance: every term weighted by the
    request's ``ScoreWeights``. Without a lead, or behind an unranked solo ranker, the solo ranking stands."""

    name = "duet ranking"

    def __init__(self, solo: Any, skeleton=None) -> None:
        self.solo = solo
        self._skeleton = skeleton

    @property
    def skeleton(self):
        if self._skeleton is None:
            # the fallback ranker's avatar when it has one (the same FK as its CS), else the default avatar
            self._skeleton = getattr(self.solo, "skeleton", None)
            if self._skeleton is None:
                from studio.body.provider import default_skeleton

                self._skeleton = default_skeleton()
        return self._skeleton

    def rank(self, motions, request: GenerationRequest, song: Any, guess: GenreGuess) -> list[Row]:
        rows = self.solo.rank(motions, request, song, guess)
        weights = request.weights
        if request.lead is None or not all(weights.can_score(scores) for _, scores, _ in rows):
            return rows
        lead = request.lead.positions(self.skeleton)
        scored = [
            (i, weights.scored({**scores, **duet_terms(lead, motions[i][0].positions(self.skeleton))}), genre)
            for i, scores, genre in rows
        ]
        return [scored[k] for k in best_first([scores for _, scores, _ in scored])]
