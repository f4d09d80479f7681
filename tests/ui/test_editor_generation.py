"""Background work: the worker thread, requests and their cancellation, generation on a document (the generators
themselves: tests/choreography)."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from studio.choreography.generators import Generators
from studio.choreography.requests import GenerationRequest
from studio.core.commands import UndoStack
from studio.core.document import Project
from studio.core.errors import Cancelled
from studio.core.motion import Motion
from studio.core.segments import Song
from studio.ui.dance_generation import DanceGeneration
from studio.ui.workers import TaskWorker


class FakeSong:
    content_hash = "ab" * 32
    tempo = 120.0
    beats = np.arange(0.25, 20.0, 0.5)
    mel = np.zeros((600, 128), np.float32)
    features = np.zeros((600, 35), np.float32)


def _project() -> Project:
    beats = FakeSong.beats
    spans = tuple((float(a), float(a + 4.0)) for a in np.arange(0.0, 20.0, 4.0))
    return Project(Song("s.wav", FakeSong.content_hash, 20.0, 120.0, beats, beats[::4], spans))


class RecordingSource:
    """Moves the pelvis by the seed, records what it was asked."""

    name, model_id, device = "recording", "rec", "CPU"

    def __init__(self, fail_on: int | None = None, delay: float = 0.0) -> None:
        self.requests: list[GenerationRequest] = []
        self.fail_on, self.delay = fail_on, delay

    def motions(self, request, song, progress, interrupt):
        self.requests.append(request)
        if request.segment == self.fail_on:
            raise RuntimeError("boom")
        out = []
        for i, seed in enumerate(request.seeds):
            end = time.monotonic() + self.delay
            while time.monotonic() < end:
                if interrupt.is_set():
                    raise Cancelled("stop")
                time.sleep(0.005)
            progress(i + 1, len(request.seeds))
            out.append((Motion.rest(120).translated([(seed % 1000) * 1e-3, 0.0, 0.0]), "Jazz"))
        return out


def test_results_progress_and_errors_come_back_on_the_main_thread(qtbot):
    worker = TaskWorker("test")
    main = threading.get_ident()
    seen = []

    def job(progress, interrupt):
        for i in range(3):
            progress(i + 1, 3)
        return threading.get_ident()

    worker.submit(job, on_progress=lambda d, t: seen.append(("p", d, threading.get_ident() == main)),
                  on_done=lambda r: seen.append(("done", r != main, threading.get_ident() == main)))  # fmt: skip
    worker.call(lambda: 1 / 0, on_error=lambda e: seen.append(("error", type(e).__name__, True)))
    qtbot.waitUntil(lambda: len(seen) == 5, timeout=5000)
    assert seen == [("p", 1, True), ("p", 2, True), ("p", 3, True), ("done", True, True),
                    ("error", "ZeroDivisionError", True)]  # fmt: skip
    assert worker.stop()
    assert not worker.thread.is_alive()


def test_a_newer_job_with_the_same_key_interrupts_the_older(qtbot):
    worker = TaskWorker("test")
    started = threading.Event()
    outcome = []

    def slow(progress, interrupt):
        started.set()
        while not interrupt.is_set():
            time.sleep(0.005)
        raise Cancelled("superseded")

    worker.submit(slow, key=("d", 1), on_done=lambda r: outcome.append("old done"),
                  on_cancel=lambda: outcome.append("old cancelled"))  # fmt: skip
    assert started.wait(5)
    worker.submit(lambda p, i: "new", key=("d", 1), on_done=outcome.append)
    qtbot.waitUntil(lambda: len(outcome) == 2, timeout=5000)
    assert outcome == ["old cancelled", "new"]
    worker.stop()


def test_waiting_jobs_run_by_priority(qtbot):
    worker = TaskWorker("test")
    gate = threading.Event()
    order = []
    worker.submit(lambda p, i: gate.wait(5))  # occupies the thread while the others queue
    for priority, name in ((10, "fill"), (0, "user"), (-10, "load")):
        worker.submit(lambda p, i, name=name: name, priority=priority, on_done=order.append)
    gate.set()
    qtbot.waitUntil(lambda: len(order) == 3, timeout=5000)
    assert order == ["load", "user", "fill"]
    worker.stop()


@pytest.fixture
def generation(qtbot):
    made = []

    def make(source=None):
        gen = DanceGeneration(UndoStack())
        gen.generators = Generators(source or RecordingSource())
        made.append(gen)
        return gen

    yield make
    for gen in made:
        gen.stop()


def test_fill_goes_in_song_order_each_after_its_predecessor(qtbot, generation):
    source = RecordingSource()
    gen = generation(source)
    project = _project()
    gen.set_song(project, FakeSong())
    qtbot.waitUntil(lambda: all(t.candidates for t in project.tracks(0)), timeout=10_000)
    assert [r.segment for r in source.requests] == [0, 1, 2, 3, 4]
    assert source.requests[0].prev is None
    for request in source.requests[1:]:  # the seam: the chosen motion of the segment before
        assert request.prev is project.chosen_motion(0, request.segment - 1)
    assert not gen.undo_stack.can_undo  # the starting point is not an undo step
    assert all(len(t.candidates) == 4 for t in project.tracks(0))


def test_regenerate_is_undoable_and_refused_when_locked(qtbot, generation):
    gen = generation()
    project = _project()
    gen.set_song(project, FakeSong())
    qtbot.waitUntil(lambda: not gen.is_busy, timeout=10_000)
    errors = []
    gen.error.connect(errors.append)
    old = project.candidates(0, 2)
    assert gen.regenerate(project.lead.id, 2)
    qtbot.waitUntil(lambda: not gen.is_busy, timeout=10_000)
    assert project.candidates(0, 2) != old and gen.undo_stack.undo_text == "new candidates for segment 3"
    request = gen.generators.lead.requests[-1]
    assert request.prev is project.chosen_motion(0, 1) and request.next is project.chosen_motion(0, 3)
    gen.undo_stack.undo()
    assert project.candidates(0, 2) == old
    project.lock(0, 2)
    assert not gen.regenerate(project.lead.id, 2)
    assert "locked" in errors[-1]


def test_a_failing_segment_reaches_the_user_and_the_rest_still_comes(qtbot, generation):
    gen = generation(RecordingSource(fail_on=1))
    errors = []
    gen.error.connect(errors.append)
    project = _project()
    gen.set_song(project, FakeSong())
    qtbot.waitUntil(lambda: not gen.is_busy, timeout=10_000)
    assert errors and "Segment 2" in errors[0] and "boom" in errors[0]
    assert project.candidates(0, 0) and not project.candidates(0, 1)
    assert all(project.candidates(0, i) for i in (2, 3, 4))  # the rest of the dance still comes
    assert len(errors) == 1  # no endless retries; R on the segment tries again


def test_cancel_all_interrupts_running_work(qtbot, generation):
    gen = generation(RecordingSource(delay=0.5))
    project = _project()
    gen.set_song(project, FakeSong())
    qtbot.waitUntil(lambda: gen.in_flight(project.lead.id, 0), timeout=5000)
    gen.cancel_all()
    assert not gen.is_busy
    qtbot.wait(200)
    assert not project.candidates(0, 0)


def test_the_window_generates_with_fdgn(qtbot, make_main_window, tiny_song, tiny_fdgn):
    from PySide6.QtWidgets import QLabel

    from studio.choreography.generators import load_generators

    window = make_main_window(generators_factory=lambda: load_generators("cpu"))
    with qtbot.waitSignal(window.dance_ready, timeout=120_000):
        window.session.open_song(tiny_song)
    assert window.statusBar().findChild(QLabel, "model").text() == "Model: FDGN fdgn-small"
    assert window.statusBar().findChild(QLabel, "device").text() == "Device: CPU"
    project = window.project
    assert all(t.chosen_candidate.model_id == "fdgn-small" for t in project.tracks(project.lead.id))


