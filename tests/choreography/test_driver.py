"""The segment-by-segment driver: a whole song filled in order, seeded by the plan, cancellable."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from studio.choreography.driver import apply_follow, fill_song
from studio.choreography.generators import Generators
from studio.choreography.plan import request_for, song_seeds
from studio.choreography.ranking import Unranked
from studio.core.document import Project, Settings
from studio.core.errors import Cancelled
from studio.core.motion import Motion
from studio.core.segments import Song


class ShiftingSource:
    """Moves the pelvis by the seed; records the requests; stops when interrupted."""

    name, model_id, device = "shifting", "shift", "CPU"

    def __init__(self) -> None:
        self.requests = []

    def motions(self, request, song, progress, interrupt):
        self.requests.append(request)
        out = []
        for i, seed in enumerate(request.seeds):
            if interrupt.is_set():
                raise Cancelled("stop")
            progress(i + 1, request.num_candidates)
            out.append((Motion.rest(120).translated([(seed % 997) * 1e-3, 0.0, 0.0]), None))
        return out


def _project(song_like, candidates: int = 3) -> Project:
    spans = tuple((float(a), float(a + 4.0)) for a in np.arange(0.0, 20.0, 4.0))
    song = Song("s.wav", song_like.content_hash, 20.0, 120.0, song_like.beats, song_like.beats[::4], spans)
    return Project(song, settings=Settings(candidates_per_segment=candidates))


def test_a_song_is_filled_in_order_each_segment_after_its_predecessor(song_like):
    source = ShiftingSource()
    project = _project(song_like)
    steps = []
    fill_song(project, song_like, Generators(source, ranker=Unranked()), seed=2, first_choice=1,
              progress=lambda *a: steps.append(a))  # fmt: skip
    assert [r.segment for r in source.requests] == [0, 1, 2, 3, 4]
    for request in source.requests:
        assert request.seeds == song_seeds(song_like.content_hash, "dancer-1", request.segment, 3, seed=2)
        if request.segment:
            assert request.prev is project.chosen_motion(0, request.segment - 1)
    assert [project.chosen_index(0, i) for i in range(5)] == [1, 0, 0, 0, 0]  # the variant's first choice
    assert steps[0] == (0, 5, 1, 3) and steps[-1] == (4, 5, 3, 3)


def test_a_cancelled_fill_stops_and_keeps_what_was_made(song_like):
    interrupt = threading.Event()

    class StopAfterTwo(ShiftingSource):
        def motions(self, request, song, progress, interrupt_):
            if request.segment == 2:
                interrupt.set()
            return super().motions(request, song, progress, interrupt_)

    project = _project(song_like)
    with pytest.raises(Cancelled):
        fill_song(project, song_like, Generators(StopAfterTwo(), ranker=Unranked()), interrupt=interrupt)
    assert [bool(project.candidates(0, i)) for i in range(5)] == [True, True, False, False, False]


def test_following_keeps_the_choice_on_the_same_seed(song_like):
    project = _project(song_like)
    generators = Generators(ShiftingSource(), ranker=Unranked())
    fill_song(project, song_like, generators)
    project.choose(0, 1, 2)
    seeds = tuple(reversed([c.seed for c in project.candidates(0, 1)]))  # the same seeds in another order
    request = request_for(project, "dancer-1", 1, seeds, "follow", "shift")
    response = generators.generate(request, song_like, lambda d, t: None, threading.Event())
    assert apply_follow(project, response)
    assert project.chosen_candidate(0, 1).seed == seeds[0]  # was candidate 2 of the seed order, now first
