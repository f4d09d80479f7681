"""The song plan: which segment comes next, which seeds it gets, and the request that asks for it.

One seed rule for the editor and the command line: the first generation of a song seeds segment ``i`` of a
dancer from the song's content hash, the dancer and the segment (``song_seeds``), shifted by the user's seed
(``studio generate --seed S``; the editor uses 0). So the same song, seed and settings give the same dance in
both, and the same song always opens with the same dance. A regeneration draws fresh seeds (``new_seeds``).
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from typing import Any

import numpy as np

from studio.choreography.requests import GenerationRequest
from studio.core.document import Project

FPS = 30.0
SEED_STRIDE = 7_368_787  # a prime: seed S and S+1 land far apart, away from the segments' own 1009 steps


def song_seeds(content_hash: str, dancer_id: str, segment: int, count: int, seed: int = 0) -> tuple[int, ...]:
    """The seeds of the first generation of a segment: the same song always starts with the same dance.

    ``seed`` 0 gives the seeds the editor has always used (projects that follow a lead with stored seeds are
    unaffected either way: they carry their seeds).
    """
    digest = int(content_hash[:8] or "0", 16) if content_hash else 0
    salt = sum(ord(c) for c in dancer_id) * 7919
    base = (digest + salt + segment * 1009 + int(seed) * SEED_STRIDE) % (2**31 - 1 - count)
    return tuple(base + i for i in range(count))


def new_seeds(count: int, rng: np.random.Generator | None = None) -> tuple[int, ...]:
    """``count`` fresh seeds for a regeneration (different every time)."""
    rng = rng or np.random.default_rng()
    base = int(rng.integers(0, 2**31 - 1 - count))
    return tuple(base + i for i in range(count))


def segment_frames(start: float, end: float) -> tuple[int, int]:
    """A segment of ``start``..``end`` seconds as [start, end) frames at 30 fps (at least one frame)."""
    first, last = round(start * FPS), round(end * FPS)
    return first, max(last, first + 1)


def next_empty(project: Project, dancer_id: str, busy: Container, failed: Container = ()) -> int | None:
    """The first segment of the dancer without candidates that can be made now, or None.

    None also when that segment is ``busy`` (being made: its successor waits for it) or, for a partner, when
    the lead has no dance there yet (the lead comes first). Segments in ``failed`` are skipped.
    """
    role = project.dancer(dancer_id).role
    for i, track in enumerate(project.tracks(dancer_id)):
        if track.candidates or (dancer_id, i) in failed:
            continue
        if (dancer_id, i) in busy:
            return None
        if role == "partner" and project.chosen_motion(project.lead.id, i) is None:
            return None
        return i
    return None


def fill_seeds(project: Project, song: Any, dancer_id: str, segment: int, seed: int = 0) -> tuple[int, ...]:
    """``song_seeds`` for the analysed ``song`` (its content hash: the music as it is now, which a project's
    stored song may no longer be) and the project's candidates-per-segment setting."""
    count = project.settings.candidates_per_segment
    return song_seeds(getattr(song, "content_hash", ""), dancer_id, segment, count, seed)


def request_for(
    project: Project,
    dancer_id: str,
    segment: int,
    seeds: Sequence[int],
    reason: str,
    model_id: str = "",
    next_motion: bool = True,
) -> GenerationRequest:
    """The request for one segment of one dancer, with its seams (the chosen neighbours) and, for a partner,
    the lead's dance there and around it, and the partner's formation. ``next_motion`` False: the successor is
    not a constraint (it is redone next); the lead's next segment is given either way (it is not redone)."""
    start, end = project.song.segments[segment]
    dancer = project.dancer(dancer_id)
    prev = project.chosen_motion(dancer_id, segment - 1) if segment > 0 else None
    nxt = None
    if next_motion and segment + 1 < project.num_segments:
        nxt = project.chosen_motion(dancer_id, segment + 1)
    lead = lead_prev = lead_next = lead_genre = formation = None
    if dancer.role == "partner":
        lead_id = project.lead.id
        lead = project.chosen_motion(lead_id, segment)
        lead_prev = project.chosen_motion(lead_id, segment - 1) if segment > 0 else None
        lead_next = project.chosen_motion(lead_id, segment + 1) if segment + 1 < project.num_segments else None
        formation = dancer.formation
        chosen = project.chosen_candidate(lead_id, segment)
        lead_genre = chosen.genre if chosen is not None else None
    settings = project.settings
    return GenerationRequest(
        dancer_id, segment, start, end, tuple(seeds), role=dancer.role, genre=settings.genre_override,
        weights=settings.weights, model_id=model_id, prev=prev, next=nxt,
        lead=lead, lead_prev=lead_prev, lead_next=lead_next, formation=formation, lead_genre=lead_genre,
        reason=reason,
    )  # fmt: skip
