"""How a candidate's named score terms make its ranking score: the one place the weights are applied.

FineNet ranks the M candidates of a segment by ``alpha * GS + beta * CS`` (alpha 1.0, beta 0.5 in the paper):

- ``gs``: genre score, how well the candidate's dance matches the music's genre (or the user's override);
- ``cs``: coherence score, minus the distance between the previous segment's chosen pose ``CS_FRAME`` frames
  before its end and the candidate's pose at frame ``CS_FRAME`` (0 for a song's first segment).

A partner's candidates (``studio.choreography.ranking.DuetRanker``) have two duet terms as well:

- ``mm``: the motion-motion score with the lead's dance in the segment (OpenDance-3D, both directions), 0..1;
- ``clear``: 0 when no joint of the candidate comes within 0.2 m (``studio.metrics.duet.CLEARANCE``) of a
  joint of the lead's, -1 when one does. Its weight (100) is far above what the other terms span (GS and MM
  within 0..1, CS a few metres at worst), so a candidate that touches the lead ranks below every clear one.

Duet terms count only where a candidate has them (solo candidates never do), so one ``ScoreWeights`` ranks
both, and re-ranking a document after a weight change re-scores partner segments with all four terms.

Rankers (``studio.ml.genre.GenreRanker``, ``studio.choreography.ranking``) compute the terms; this module combines
them, so the GCRM ranker, the fallback ranker and re-ranking a document after a weight change cannot disagree.
A new term is a field of ``ScoreWeights`` here (its weight) and its computation in a ranker.

Lives in ``studio.core`` because the document re-ranks stored candidates (``segments.reranked``) and the ml
ranker ranks fresh ones, and both sit above it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

import numpy as np

CS_FRAME = 5  # Y_prev[-5] vs Y_i[5]: the paper's frames for the coherence score
SCORE = "score"  # the key of the combined score in a candidate's scores
_DUET = {"duet": True}  # field metadata: a term only partner candidates have


@dataclass(frozen=True)
class ScoreWeights:
    """The weight of each named score term; a term's name is its key in a candidate's ``scores``."""

    gs: float = 1.0  # alpha
    cs: float = 0.5  # beta
    mm: float = field(default=1.0, metadata=_DUET)  # motion-motion score with the lead
    clear: float = field(default=100.0, metadata=_DUET)  # clearance: -1 when touching the lead, else 0

    def __post_init__(self) -> None:
        for term in fields(self):
            value = getattr(self, term.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(f"the weight of {term.name} must be a finite number, got {value!r}")
            object.__setattr__(self, term.name, float(value))

    @property
    def terms(self) -> tuple[str, ...]:
        """The terms every ranked candidate has (GS, CS)."""
        return tuple(term.name for term in fields(self) if not term.metadata.get("duet"))

    @property
    def duet_terms(self) -> tuple[str, ...]:
        """The terms only a partner's candidates have (MM, clearance)."""
        return tuple(term.name for term in fields(self) if term.metadata.get("duet"))

    def terms_of(self, scores: Mapping[str, float]) -> tuple[str, ...]:
        """The terms that count for a candidate with these ``scores``: every term, and the duet terms it has."""
        return self.terms + tuple(name for name in self.duet_terms if name in scores)

    def combine(self, scores: Mapping[str, float]) -> float:
        """The weighted sum of the terms (every term must be there; duet terms count where they are)."""
        return float(sum(getattr(self, name) * float(scores[name]) for name in self.terms_of(scores)))

    def scored(self, scores: Mapping[str, float]) -> dict[str, float]:
        """``scores`` with the combined ``score`` put first (the candidate panel shows it first)."""
        terms = {name: float(scores[name]) for name in self.terms_of(scores)}
        return {SCORE: self.combine(terms), **{k: v for k, v in scores.items() if k != SCORE}, **terms}

    def can_score(self, scores: Mapping[str, float]) -> bool:
        return all(name in scores for name in self.terms)


def best_first(scores: Sequence[Mapping[str, float]]) -> list[int]:
    """Indices by combined score, highest first; ties keep the given order (the lower seed index first)."""
    return sorted(range(len(scores)), key=lambda i: (-scores[i][SCORE], i))


def coherence(prev_end: np.ndarray, start: np.ndarray) -> float:
    """CS of one candidate: minus the Frobenius norm of the (J, 3) joint-position difference, in metres."""
    return -float(np.linalg.norm(np.asarray(start, np.float64) - np.asarray(prev_end, np.float64)))
