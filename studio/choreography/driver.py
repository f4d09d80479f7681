"""The segment-by-segment driver: how responses land in the document, and a whole song filled in one go.

The editor runs the same steps one job at a time on its worker thread (``studio.ui.dance_generation``), so that a
person's regeneration can go before the rest of the fill; the command line runs ``fill_song`` in a loop.
Both build each request with ``plan.request_for`` after the previous segment's choice is in the document,
use ``plan.fill_seeds`` and apply with ``apply_fill``: the same song, seed and settings give the same dance.

Landing rules (one per request reason):
- **fill** (``song``, ``partner``): an empty segment gets the ranked candidates, the best chosen; a segment
  the user filled meanwhile is kept. Not undoable: it is the document's starting content.
- **follow** (a partner after the lead changed): the candidates are replaced and the choice stays on the
  same seed; a locked segment is kept.
- **regenerate** / **regenerate-all**: undoable edits, made by the editor (``studio.ui.dance_generation``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from studio.choreography.generators import Generators
from studio.choreography.plan import fill_seeds, next_empty, request_for
from studio.choreography.requests import GenerationResponse
from studio.core.document import Project

SongProgress = Callable[[int, int, int, int], None]  # segment, segments, step, steps


def fill_reason(project: Project, dancer_id: str) -> str:
    return "partner" if project.dancer(dancer_id).role == "partner" else "song"


def apply_fill(project: Project, response: GenerationResponse, chosen: int = 0) -> bool:
    """Put a fill's candidates into their empty segment, ``chosen`` (the best: 0) chosen. False: kept as it was."""
    dancer_id, segment = response.request.key
    if project.track(dancer_id, segment).candidates:  # the user filled it meanwhile
        return False
    chosen = min(max(int(chosen), 0), len(response.candidates) - 1)
    project.set_candidates(dancer_id, segment, response.candidates, chosen=chosen)
    return True


def apply_follow(project: Project, response: GenerationResponse) -> bool:
    """A partner made again after its lead: new candidates, the choice kept on the same seed."""
    dancer_id, segment = response.request.key
    track = project.track(dancer_id, segment)
    if track.locked or track.chosen_candidate is None:
        return False
    seeds = [c.seed for c in response.candidates]
    seed = track.chosen_candidate.seed
    project.set_candidates(dancer_id, segment, response.candidates, chosen=seeds.index(seed) if seed in seeds else 0)
    return True


def fill_song(
    project: Project,
    song: Any,
    generators: Generators,
    *,
    dancer_id: str | None = None,
    seed: int = 0,
    first_choice: int = 0,
    progress: SongProgress | None = None,
    interrupt: threading.Event | None = None,
) -> None:
    """Every empty segment of a dancer (default: the lead), in song order, each after its predecessor's choice.

    ``song``: the ``SongAnalysis`` (features, mel, tempo) the project's song was analysed as; ``seed``: the
    user's seed (``plan.song_seeds``); ``first_choice``: which ranked candidate of the first segment continues
    (``studio generate --variants``: different first choices, different whole dances).
    """
    dancer_id = project.dancer(dancer_id if dancer_id is not None else project.lead.id).id
    interrupt = interrupt or threading.Event()
    reason = fill_reason(project, dancer_id)
    while (segment := next_empty(project, dancer_id, busy=())) is not None:
        seeds = fill_seeds(project, song, dancer_id, segment, seed)
        request = request_for(project, dancer_id, segment, seeds, reason, generators.lead.model_id)

        def step(done: int, total: int, segment: int = segment) -> None:
            if progress is not None:
                progress(segment, project.num_segments, done, total)

        response = generators.generate(request, song, step, interrupt)
        apply_fill(project, response, chosen=first_choice if segment == 0 else 0)
