"""Value objects of the choreography document: the ``Song`` and what a dancer has in each of its segments.

All are immutable: the ``Project`` replaces them instead of changing them, which makes undo a matter of
putting the old object back, and lets views keep a reference without it changing under them.

Glossary
- segment: one span of the song, ``(start, end)`` seconds, index ``0 .. song.num_segments - 1``; the
  model dances one segment at a time (4 s = 120 frames at 30 fps in FineNet).
- candidate: one generated dance for one segment (its motion, the seed that made it, its ranking scores).
- track: one dancer's candidates for one segment, the chosen one and whether the user locked it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import numpy as np

from studio.core.motion import Motion
from studio.core.ranking import ScoreWeights, best_first

_SHA256 = re.compile(r"[0-9a-f]{64}")


def _finite_float(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"{what} must be a number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value}")
    return value


def _times(values: Any, what: str) -> np.ndarray:
    array = np.array(values, dtype=np.float64)  # a copy: the caller keeps theirs
    if array.ndim != 1:
        raise ValueError(f"{what} must be a 1-D list of times, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{what} must be finite")
    if np.any(np.diff(array) < 0):
        raise ValueError(f"{what} must be in increasing order")
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Song:
    """The music: where it is, which content it had (sha256 hex), its beats and its segments.

    Features are not kept here: they are re-derived from the audio cache keyed by ``content_hash``.
    """

    path: str
    content_hash: str
    duration: float
    tempo: float
    beats: np.ndarray = field(default_factory=lambda: np.zeros(0))
    downbeats: np.ndarray = field(default_factory=lambda: np.zeros(0))
    segments: tuple[tuple[float, float], ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.path, str) or not self.path:
            raise ValueError("song path must be a non-empty string")
        if not isinstance(self.content_hash, str) or not _SHA256.fullmatch(self.content_hash):
            raise ValueError(f"content_hash must be 64 lowercase hex digits (sha256), got {self.content_hash!r}")
        duration = _finite_float(self.duration, "song duration")
        tempo = _finite_float(self.tempo, "tempo")
        if duration <= 0:
            raise ValueError(f"song duration must be positive, got {duration}")
        if tempo < 0:
            raise ValueError(f"tempo must not be negative, got {tempo}")
        object.__setattr__(self, "duration", duration)
        object.__setattr__(self, "tempo", tempo)
        object.__setattr__(self, "beats", _times(self.beats, "beats"))
        object.__setattr__(self, "downbeats", _times(self.downbeats, "downbeats"))
        object.__setattr__(self, "segments", _spans(self.segments))

    @classmethod
    def from_analysis(cls, analysis: Any, path: str | None = None) -> Song:
        """From a ``studio.audio`` ``SongAnalysis`` (duck-typed: core does not import audio).

        Reads ``source`` (unless ``path`` is given), ``content_hash``, ``duration``, ``tempo``, ``beats``,
        ``downbeats`` and ``segments`` (``(start, end)`` pairs, or objects with ``start``/``end``).
        """
        spans = [(seg.start, seg.end) if hasattr(seg, "start") else tuple(seg) for seg in analysis.segments]
        return cls(
            str(path if path is not None else analysis.source), analysis.content_hash, analysis.duration,
            analysis.tempo, analysis.beats, analysis.downbeats, tuple(spans),
        )  # fmt: skip

    @property
    def num_segments(self) -> int:
        return len(self.segments)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Song):
            return NotImplemented
        return (
            (self.path, self.content_hash, self.duration, self.tempo, self.segments)
            == (other.path, other.content_hash, other.duration, other.tempo, other.segments)
            and np.array_equal(self.beats, other.beats)
            and np.array_equal(self.downbeats, other.downbeats)
        )

    __hash__ = None  # type: ignore[assignment]


def _spans(segments: Iterable[Sequence[float]]) -> tuple[tuple[float, float], ...]:
    spans: list[tuple[float, float]] = []
    for i, pair in enumerate(segments):
        if len(pair) != 2:
            raise ValueError(f"segment {i} must be a (start, end) pair, got {pair!r}")
        start, end = _finite_float(pair[0], f"segment {i} start"), _finite_float(pair[1], f"segment {i} end")
        if not 0 <= start < end:
            raise ValueError(f"segment {i} must have 0 <= start < end, got ({start}, {end})")
        if spans and start < spans[-1][1] - 1e-9:
            raise ValueError(f"segment {i} starts at {start} s, before segment {i - 1} ends ({spans[-1][1]} s)")
        spans.append((start, end))
    return tuple(spans)


@dataclass(frozen=True, eq=False)
class Candidate:
    """One generated dance for one segment. ``scores`` are the ranker's numbers, e.g. score, gs, cs."""

    motion: Motion
    seed: int
    scores: Mapping[str, float] = field(default_factory=dict)
    genre: str | None = None
    model_id: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.motion, Motion):
            raise TypeError(f"candidate motion must be a Motion, got {type(self.motion).__name__}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int | np.integer) or self.seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")
        if self.genre is not None and (not isinstance(self.genre, str) or not self.genre):
            raise ValueError(f"genre must be a non-empty string or None, got {self.genre!r}")
        if not isinstance(self.model_id, str):
            raise ValueError(f"model_id must be a string, got {self.model_id!r}")
        if not isinstance(self.scores, Mapping):
            raise TypeError(f"scores must be a mapping of name -> number, got {type(self.scores).__name__}")
        scores = {}
        for name, value in self.scores.items():
            if not isinstance(name, str) or not name:
                raise ValueError(f"score names must be non-empty strings, got {name!r}")
            scores[name] = _finite_float(value, f"score {name!r}")
        object.__setattr__(self, "seed", int(self.seed))
        object.__setattr__(self, "scores", MappingProxyType(scores))

    def __reduce__(self):  # the read-only scores view does not pickle: rebuilt from a plain dict
        return Candidate, (self.motion, self.seed, dict(self.scores), self.genre, self.model_id)

    @property
    def score(self) -> float | None:
        """The ranking score (``studio.core.ranking``: alpha*GS + beta*CS) when the ranker gave one."""
        return self.scores.get("score")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Candidate):
            return NotImplemented
        if self is other:
            return True
        a, b = self.motion, other.motion
        return (
            (self.seed, dict(self.scores), self.genre, self.model_id, a.fps)
            == (other.seed, dict(other.scores), other.genre, other.model_id, b.fps)
            and np.array_equal(a.trans, b.trans)
            and np.array_equal(a.rotations, b.rotations)
        )

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class SegmentTrack:
    """One dancer's material for one segment: its candidates, the chosen one, and the user's lock.

    ``chosen`` is None exactly when there are no candidates.
    """

    candidates: tuple[Candidate, ...] = ()
    chosen: int | None = None
    locked: bool = False

    def __post_init__(self) -> None:
        candidates = tuple(self.candidates)
        for i, candidate in enumerate(candidates):
            if not isinstance(candidate, Candidate):
                raise TypeError(f"candidate {i} must be a Candidate, got {type(candidate).__name__}")
        object.__setattr__(self, "candidates", candidates)
        if not isinstance(self.locked, bool):
            raise TypeError(f"locked must be True or False, got {self.locked!r}")
        if not candidates:
            if self.chosen is not None:
                raise ValueError(f"cannot choose candidate {self.chosen}: the segment has no candidates")
            return
        if self.chosen is None:
            raise ValueError("a segment with candidates must have a chosen one")
        if isinstance(self.chosen, bool) or not isinstance(self.chosen, int | np.integer):
            raise TypeError(f"chosen must be an integer index, got {self.chosen!r}")
        if not 0 <= self.chosen < len(candidates):
            raise IndexError(
                f"candidate {self.chosen} does not exist: the segment has {len(candidates)} (0..{len(candidates) - 1})"
            )
        object.__setattr__(self, "chosen", int(self.chosen))

    @property
    def chosen_candidate(self) -> Candidate | None:
        return None if self.chosen is None else self.candidates[self.chosen]


def reranked(track: SegmentTrack, weights: ScoreWeights) -> SegmentTrack:
    """The track with its candidates re-scored with ``weights`` (``studio.core.ranking``) and put best first.

    The chosen dance stays chosen (its index follows it): new weights re-order the choices offered, they do
    not undo a person's pick. A track with a candidate lacking one of the terms (not ranked) is returned as it is.
    """
    if not track.candidates or not all(weights.can_score(c.scores) for c in track.candidates):
        return track
    rescored = [replace(c, scores=weights.scored(c.scores)) for c in track.candidates]
    order = best_first([c.scores for c in rescored])
    chosen = order.index(track.chosen) if track.chosen is not None else None
    return SegmentTrack(tuple(rescored[i] for i in order), chosen, track.locked)
