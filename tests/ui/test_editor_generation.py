"""Background work: the worker thread, requests and their cancellation, the generators behind one interface."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from studio.core.commands import UndoStack
from studio.core.document import Project
from studio.core.errors import Cancelled
from studio.core.motion import Motion
from studio.core.segments import Song
from studio.ui.generation import (
    FallbackRanker,
    FDGNSource,
    GCRMRanker,
    Generators,
    PartnerSource,
    load_generators,
    tempo_genre_guess,
)
from studio.ui.requests import GenerationRequest, GenreGuess, new_seeds, song_seeds
from studio.ui.workers import DanceGeneration, TaskWorker


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


# -- the worker thread ----------------------------------------------------------------------------------------
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


# -- requests ---------------------------------------------------------------------------------------------------
def test_requests_are_checked_and_seeds_are_stable():
    with pytest.raises(ValueError):
        GenerationRequest("d", 0, 4.0, 4.0, (1,))
    with pytest.raises(ValueError):
        GenerationRequest("d", 0, 0.0, 4.0, ())
    request = GenerationRequest("d", 2, 8.0, 12.0, (5, 6))
    assert request.key == ("d", 2) and request.num_candidates == 2
    with pytest.raises(AttributeError):
        request.segment = 3  # immutable
    assert song_seeds("ab" * 32, "dancer-1", 3, 4) == song_seeds("ab" * 32, "dancer-1", 3, 4)
    assert song_seeds("ab" * 32, "dancer-1", 3, 4) != song_seeds("ab" * 32, "dancer-1", 4, 4)
    assert len(set(new_seeds(8))) == 8 and new_seeds(4) != new_seeds(4)


# -- generation on a document ----------------------------------------------------------------------------------
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


# -- generators --------------------------------------------------------------------------------------------------
def test_fallback_ranking_prefers_the_likely_genre_and_the_smooth_seam():
    ranker = FallbackRanker()
    rest = Motion.rest(120, ranker.skeleton)
    far = rest.translated([0.1, 0.0, 0.0])
    guess = GenreGuess((("Jazz", 0.6), ("Kun", 0.3)), "tempo")
    request = GenerationRequest("d", 1, 4.0, 8.0, (1, 2, 3), prev=rest)
    rows = ranker.rank([(far, "Jazz"), (rest, "Jazz"), (rest, "Kun")], request, FakeSong(), guess)
    assert [i for i, _, _ in rows] == [1, 0, 2]
    assert rows[0][1] == {"score": pytest.approx(1.0), "gs": pytest.approx(1.0), "cs": pytest.approx(0.0)}
    assert rows[1][1]["cs"] == pytest.approx(-0.1 * np.sqrt(52))  # every joint 10 cm off
    first = GenerationRequest("d", 0, 0.0, 4.0, (1,))
    assert ranker.rank([(far, "Jazz")], first, FakeSong(), guess)[0][1]["cs"] == 0.0


def test_partner_rules_stand_beside_the_lead_and_canon_follows_it():
    lead = Motion.rest(120)
    lead = Motion(lead.trans + np.arange(120)[:, None] * [0.0, 0.0, 0.01], lead.rotations)
    request = GenerationRequest("p", 1, 4.0, 8.0, tuple(range(6)), role="partner", lead=lead,
                                lead_prev=Motion.rest(120), lead_genre="Jazz")  # fmt: skip
    source = PartnerSource()
    out = source.motions(request, FakeSong(), lambda d, t: None, threading.Event())
    rules = [label for _, _, label in out]
    assert sorted(rules) == sorted(PartnerSource.RULES)
    for motion, genre, _rule in out:
        assert len(motion) == 120 and genre == "Jazz"
        assert motion.trans[:, 0].mean() == pytest.approx(1.4, abs=0.05)
    canon = dict((label, m) for m, _, label in out)["canon-2"]  # two beats (30 frames) behind the lead
    assert np.allclose(canon.trans[30:, 2], lead.trans[:90, 2])


def test_cuda_out_of_memory_falls_back_to_the_cpu():
    class FakeDevice:
        type = "cuda"

    class FakePipeline:
        device = FakeDevice()
        model_id = "fdgn-small"
        calls = 0

        def generate_segment(self, music, start, end, **kwargs):
            FakePipeline.calls += 1
            if FakePipeline.calls == 1:
                raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
            return type("R", (), {"motions": lambda self: [Motion.rest(end - start)] * 2})()

    source = FDGNSource.__new__(FDGNSource)
    source.pipeline, source.model_id, source.notes = FakePipeline(), "fdgn-small", []
    moved = []
    source._move_to_cpu = lambda: moved.append(True)
    out = source.motions(GenerationRequest("d", 0, 0.0, 4.0, (1, 2)), FakeSong(), lambda d, t: None,
                         threading.Event())  # fmt: skip
    assert moved and len(out) == 2
    assert "out of memory" in source.notes[0] and "CPU" in source.notes[0]


def test_gcrm_ranker_adapter():
    class FakeRanked:
        def __init__(self, index, score):
            self.index, self.score = index, score

        def as_scores(self):
            return {"score": self.score, "gs": self.score, "cs": 0.0}

    class FakeGenreRanker:
        alpha = beta = 0.0

        def rank(self, mel, candidates, prev=None, genre=None):
            assert mel.shape == (120, 128) and len(candidates) == 2
            return [FakeRanked(1, 0.9), FakeRanked(0, 0.1)]

        def detect_genres(self, mel, top=3):
            return [("Popping", 0.7), ("Locking", 0.2), ("Urban", 0.1)]

    ranker = GCRMRanker(FakeGenreRanker())
    request = GenerationRequest("d", 1, 4.0, 8.0, (1, 2), alpha=1.0, beta=0.5)
    rows = ranker.rank([(Motion.rest(120), None), (Motion.rest(120), None)], request, FakeSong(),
                       ranker.guess(FakeSong()))  # fmt: skip
    assert [(i, genre) for i, _, genre in rows] == [(1, "Popping"), (0, "Popping")]
    assert (ranker.ranker.alpha, ranker.ranker.beta) == (1.0, 0.5)


def test_load_generators_without_models_is_the_procedural_baseline(monkeypatch, tmp_path):
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path))
    generators = load_generators("cpu")
    assert generators.name == "procedural baseline" and generators.device == "CPU" and not generators.notes
    guess = tempo_genre_guess(120.0)
    assert len(guess.top) == 3 and guess.source == "tempo"
    request = GenerationRequest("d", 0, 0.0, 4.0, (1, 2), genre="Jazz")
    response = generators.generate(request, _analysis_like(), lambda d, t: None, threading.Event())
    assert len(response.candidates) == 2 and all(c.genre == "Jazz" for c in response.candidates)
    assert all(len(c.motion) == 120 for c in response.candidates)
    scores = [c.score for c in response.candidates]
    assert scores == sorted(scores, reverse=True)


def test_a_model_folder_that_does_not_load_falls_back_with_a_note(monkeypatch, tmp_path):
    folder = tmp_path / "fdgn-small"
    folder.mkdir()
    (folder / "config.json").write_text("{not json")
    (folder / "model.safetensors").write_bytes(b"junk")
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path))
    generators = load_generators("cpu")
    assert generators.name == "procedural baseline"
    assert "did not load" in generators.notes[0] and "procedural baseline" in generators.notes[0]


def _analysis_like():
    class Analysis(FakeSong):
        duration = 20.0

    return Analysis()


@pytest.fixture
def tiny_fdgn(tmp_path, monkeypatch):
    """An untrained tiny FDGN saved as models/fdgn-small (the generator the editor prefers when it exists)."""
    torch = pytest.importorskip("torch")
    from studio.ml.fdgn import FDGN, preset
    from studio.ml.normalize import Normalizer
    from studio.ml.weights import save_pretrained

    torch.manual_seed(0)
    save_pretrained(tmp_path / "fdgn-small", FDGN(preset("tiny")), Normalizer.identity())
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path))
    return tmp_path / "fdgn-small"


def test_fdgn_is_chosen_when_its_model_folder_exists(tiny_fdgn):
    generators = load_generators("cpu")
    assert generators.name == "FDGN fdgn-small" and generators.device == "CPU"
    assert generators.lead.warm_result.num_candidates == 1  # torch's first-call set-up done while loading
    steps = []
    prev = Motion.rest(120)
    request = GenerationRequest("d", 1, 4.0, 8.0, (7, 8), prev=prev)
    response = generators.generate(request, FakeSong(), lambda d, t: steps.append((d, t)), threading.Event())
    assert [c.seed for c in sorted(response.candidates, key=lambda c: c.seed)] == [7, 8]
    assert all(len(c.motion) == 120 and c.model_id == "fdgn-small" for c in response.candidates)
    assert steps[-1][0] == steps[-1][1] == 4  # one progress report per denoising step (tiny: 4 steps)
    interrupt = threading.Event()
    interrupt.set()
    with pytest.raises(Cancelled):
        generators.generate(request, FakeSong(), lambda d, t: None, interrupt)


def test_the_window_generates_with_fdgn(qtbot, make_main_window, tiny_song, tiny_fdgn):
    from PySide6.QtWidgets import QLabel

    window = make_main_window(generators_factory=lambda: load_generators("cpu"))
    with qtbot.waitSignal(window.dance_ready, timeout=120_000):
        window.open_song(tiny_song)
    assert window.statusBar().findChild(QLabel, "model").text() == "Model: FDGN fdgn-small"
    assert window.statusBar().findChild(QLabel, "device").text() == "Device: CPU"
    project = window.project
    assert all(t.chosen_candidate.model_id == "fdgn-small" for t in project.tracks(project.lead.id))


def test_gcrm_ranks_when_its_model_folder_exists(tmp_path, monkeypatch):
    """An untrained tiny GCRM without genre prototypes: it ranks; genre detection falls back to the tempo."""
    torch = pytest.importorskip("torch")
    from studio.ml.genre.config import preset
    from studio.ml.genre.model import GCRM
    from studio.ml.genre.weights import save_gcrm

    torch.manual_seed(0)
    save_gcrm(tmp_path / "gcrm-small", GCRM(preset("tiny")))
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path))
    generators = load_generators("cpu")
    assert isinstance(generators.ranker, GCRMRanker) and not generators.notes
    song = _analysis_like()
    assert generators.guess(song).source == "tempo"  # no prototypes: no detection, and no crash
    request = GenerationRequest("d", 1, 4.0, 8.0, (1, 2, 3), prev=Motion.rest(120))
    response = generators.generate(request, song, lambda d, t: None, threading.Event())
    scores = [c.scores for c in response.candidates]
    assert all(set(s) == {"score", "gs", "cs"} for s in scores)
    assert [s["score"] for s in scores] == sorted((s["score"] for s in scores), reverse=True)
