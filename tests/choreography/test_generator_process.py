"""The editor's generators in a child process give what the same generators give here."""

from __future__ import annotations

import threading

import pytest

from studio.audio import analyze_samples
from studio.audio.synth import click_track
from studio.choreography import generator_process, plan
from studio.choreography.generator_process import GeneratorProcess, SongRef
from studio.choreography.generators import load_generators
from studio.core.document import Project, Settings
from studio.core.errors import Cancelled
from studio.core.segments import Song


@pytest.fixture(scope="module")
def song():
    clicks = click_track(120.0, 12.0, sample_rate=22050)
    return analyze_samples(clicks.samples, clicks.sample_rate, source="clicks.wav")


@pytest.fixture
def no_models(tmp_path, monkeypatch):
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path))  # the procedural baseline, here and in the child


def _request(song, segment: int):
    project = Project(Song.from_analysis(song, "clicks.wav"), settings=Settings(candidates_per_segment=3))
    dancer = project.lead.id
    seeds = plan.fill_seeds(project, song, dancer, segment)
    return plan.request_for(project, dancer, segment, seeds, "song", "procedural", True)


def test_the_child_makes_the_same_candidates_as_this_process(song, no_models):
    here = load_generators("cpu", threads=1)
    process = GeneratorProcess("cpu", threads=1).wait_ready()
    try:
        assert (process.name, process.device, process.lead.model_id) == (here.name, here.device, here.lead.model_id)
        request = _request(song, 1)
        steps = []
        response = process.generate(request, song, lambda done, total: steps.append(done), threading.Event())
        expected = here.generate(request, song, lambda done, total: None, threading.Event())
        assert response.request is request  # the caller's own object: the editor matches answers by identity
        assert list(response.candidates) == list(expected.candidates)
        assert [c.scores for c in response.candidates] == [c.scores for c in expected.candidates]
        assert process.guess(song) == here.guess(song)
        assert isinstance(process._songs.ref(song), SongRef)  # the analysis crossed once; now named by its hash
    finally:
        process.close()


def test_a_cancelled_request_raises_and_the_next_one_runs(song, no_models):
    process = GeneratorProcess("cpu", threads=1).wait_ready()
    try:
        stop = threading.Event()
        stop.set()
        with pytest.raises(Cancelled):
            process.generate(_request(song, 0), song, lambda done, total: None, stop)
        response = process.generate(_request(song, 0), song, lambda done, total: None, threading.Event())
        assert len(response.candidates) == 3
    finally:
        process.close()


def test_a_child_started_ahead_is_taken_once(no_models):
    generator_process.start("cpu", threads=1)
    ahead = generator_process._started[("cpu", 1, 0)]
    taken = generator_process.take("cpu", threads=1)
    again = generator_process.take("cpu", threads=1)  # the started one went to the first taker
    try:
        assert taken is ahead and again is not ahead
        assert taken.wait_ready().name == again.wait_ready().name
    finally:
        taken.close()
        again.close()
    generator_process.start("cpu", threads=1)
    generator_process._started[("cpu", 1, 0)].close()  # died before it was taken: a new one instead
    fresh = generator_process.take("cpu", threads=1)
    try:
        assert fresh.alive and fresh.wait_ready().name == taken.name
    finally:
        fresh.close()
