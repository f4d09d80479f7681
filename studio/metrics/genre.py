"""GS, the genre-matching score, as an interface: the encoders come from ``studio.ml`` and are passed in.

FineNet's GCRM scores a (music clip, dance) pair by the cosine similarity of a music-style encoder's and a
dance-genre encoder's embeddings (DESIGN.md section 2). Reported GS = mean of that score over the chosen
dances and their music. This module does not import ``studio.ml`` (it sits below it); the caller hands over
a ``scorer(music_segment, motion) -> float``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from studio.core.errors import InputError

Scorer = Callable[[Any, Any], float]

__all__ = ["Scorer", "genre_matching_score"]


def genre_matching_score(scorer: Scorer, pairs: Iterable[tuple[Any, Any]]) -> float:
    """Mean of ``scorer(music_segment, motion)`` over ``(music_segment, motion)`` pairs.

    The scorer's result must be a finite number (cosine similarity: in [-1, 1]).
    """
    total, count = 0.0, 0
    for index, (music, motion) in enumerate(pairs):
        value = float(scorer(music, motion))
        if not math.isfinite(value):
            raise InputError(f"genre scorer, pair {index}", expected="a finite similarity", found=repr(value))
        total += value
        count += 1
    if count == 0:
        raise InputError("genre-matching score", expected="at least one (music, motion) pair", found="none")
    return total / count
