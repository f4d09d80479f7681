"""What a generator is asked for, and what comes back: plain, immutable Python (no Qt, no torch).

``studio.choreography.plan`` builds a ``GenerationRequest`` from the document (which segment, which seeds, the
seam constraints, the genre, the model); ``Generators.generate`` answers with a ``GenerationResponse`` (the
ranked candidates); the driver (the editor's worker or the command line's loop) applies it to the document.
Nothing in a request refers to the live document, so the editor's worker thread never reads state that the
user is editing.

A request's ``key`` is (dancer, segment): a newer request with the same key supersedes (cancels) an
older one that is still waiting or running.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

from studio.core.formation import Formation
from studio.core.motion import Motion
from studio.core.ranking import ScoreWeights
from studio.core.segments import Candidate

REASONS = ("song", "regenerate", "regenerate-all", "partner", "follow")

_ids = itertools.count(1)
_ids_lock = threading.Lock()


def _next_id() -> int:
    with _ids_lock:
        return next(_ids)


@dataclass(frozen=True, eq=False)
class GenerationRequest:
    """Make ``len(seeds)`` candidates for one segment of one dancer.

    ``prev`` / ``next``: the chosen motions of the neighbouring segments (the seams to join), or None.
    ``lead``: for a partner, the lead dancer's chosen motion in this segment (and ``lead_prev`` the one
    before it, for canons that start before the segment; ``lead_next`` the one after it, for a partner model
    that sees the lead past the segment's end); ``formation``: where the partner stands beside the lead.
    """

    dancer_id: str
    segment: int
    start: float  # seconds into the song
    end: float
    seeds: tuple[int, ...]
    role: str = "lead"
    genre: str | None = None  # the user's override; None: follow the music
    weights: ScoreWeights = field(default_factory=ScoreWeights)  # how the rankers' score terms count
    model_id: str = ""
    prev: Motion | None = None
    next: Motion | None = None
    lead: Motion | None = None
    lead_prev: Motion | None = None
    lead_next: Motion | None = None
    formation: Formation | None = None  # a partner's (None for a lead)
    lead_genre: str | None = None  # the genre the lead dances in this segment (a partner follows it)
    reason: str = "song"
    id: int = field(default_factory=_next_id)

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"a request needs start < end, got {self.start}..{self.end}")
        if not self.seeds or any(int(s) < 0 for s in self.seeds):
            raise ValueError(f"a request needs one non-negative seed per candidate, got {self.seeds!r}")
        if self.reason not in REASONS:
            raise ValueError(f"reason must be one of {REASONS}, got {self.reason!r}")
        object.__setattr__(self, "seeds", tuple(int(s) for s in self.seeds))

    @property
    def key(self) -> tuple[str, int]:
        return (self.dancer_id, self.segment)

    @property
    def num_candidates(self) -> int:
        return len(self.seeds)

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, eq=False)
class GenerationResponse:
    """The candidates for ``request``, ranked best first (``candidates[0]`` is the one to choose)."""

    request: GenerationRequest
    candidates: tuple[Candidate, ...]
    seconds: float = 0.0
    device: str = "cpu"
    notes: tuple[str, ...] = ()  # things the user should hear about (a fallback to the CPU, ...)

    def __post_init__(self) -> None:
        object.__setattr__(self, "candidates", tuple(self.candidates))
        if not self.candidates:
            raise ValueError("a response needs at least one candidate")


# a detected genre below this probability is shown as a guess for the user to confirm or override
UNSURE_BELOW = 0.5


@dataclass(frozen=True)
class GenreGuess:
    """The music's genres, most likely first, with probabilities; ``source`` says how they were found."""

    top: tuple[tuple[str, float], ...]
    source: str = ""

    @property
    def best(self) -> str | None:
        return self.top[0][0] if self.top else None

    @property
    def unsure(self) -> bool:
        """Music unlike what the detector knows: its best genre is under ``UNSURE_BELOW``."""
        return bool(self.top) and self.top[0][1] < UNSURE_BELOW

    def probability(self, genre: str | None) -> float:
        return next((p for g, p in self.top if g == genre), 0.0)
