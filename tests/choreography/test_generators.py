"""The generators behind one request/response interface: requests, seeds, rankers, motion sources, loading."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from studio.choreography.generators import load_generators
from studio.choreography.partner import PartnerSource
from studio.choreography.plan import new_seeds, song_seeds
from studio.choreography.ranking import FallbackRanker, GCRMRanker, tempo_genre_guess
from studio.choreography.requests import GenerationRequest, GenreGuess
from studio.choreography.sources import FDGNSource
from studio.core.errors import Cancelled
from studio.core.motion import Motion
from studio.core.ranking import ScoreWeights


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
    # seed 0 keeps the seeds the editor has always drawn; another seed moves every segment's
    assert song_seeds("ab" * 32, "dancer-1", 3, 4) == (738336008, 738336009, 738336010, 738336011)
    assert song_seeds("ab" * 32, "dancer-1", 3, 4, seed=1) != song_seeds("ab" * 32, "dancer-1", 3, 4)


def test_fallback_ranking_prefers_the_likely_genre_and_the_smooth_seam(song_like):
    ranker = FallbackRanker()
    rest = Motion.rest(120, ranker.skeleton)
    far = rest.translated([0.1, 0.0, 0.0])
    guess = GenreGuess((("Jazz", 0.6), ("Kun", 0.3)), "tempo")
    request = GenerationRequest("d", 1, 4.0, 8.0, (1, 2, 3), prev=rest)
    rows = ranker.rank([(far, "Jazz"), (rest, "Jazz"), (rest, "Kun")], request, song_like, guess)
    assert [i for i, _, _ in rows] == [1, 0, 2]
    assert rows[0][1] == {"score": pytest.approx(1.0), "gs": pytest.approx(1.0), "cs": pytest.approx(0.0)}
    assert rows[1][1]["cs"] == pytest.approx(-0.1 * np.sqrt(52))  # every joint 10 cm off
    first = GenerationRequest("d", 0, 0.0, 4.0, (1,))
    assert ranker.rank([(far, "Jazz")], first, song_like, guess)[0][1]["cs"] == 0.0


def test_partner_rules_stand_beside_the_lead_and_canon_follows_it(song_like):
    lead = Motion.rest(120)
    lead = Motion(lead.trans + np.arange(120)[:, None] * [0.0, 0.0, 0.01], lead.rotations)
    request = GenerationRequest("p", 1, 4.0, 8.0, tuple(range(6)), role="partner", lead=lead,
                                lead_prev=Motion.rest(120), lead_genre="Jazz")  # fmt: skip
    source = PartnerSource()
    out = source.motions(request, song_like, lambda d, t: None, threading.Event())
    rules = [label for _, _, label in out]
    assert sorted(rules) == sorted(PartnerSource.RULES)
    for motion, genre, _rule in out:
        assert len(motion) == 120 and genre == "Jazz"
        assert motion.trans[:, 0].mean() == pytest.approx(1.4, abs=0.05)
    canon = dict((label, m) for m, _, label in out)["canon-2"]  # two beats (30 frames) behind the lead
    assert np.allclose(canon.trans[30:, 2], lead.trans[:90, 2])


def test_cuda_out_of_memory_falls_back_to_the_cpu(song_like):
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
    out = source.motions(GenerationRequest("d", 0, 0.0, 4.0, (1, 2)), song_like, lambda d, t: None,
                         threading.Event())  # fmt: skip
    assert moved and len(out) == 2
    assert "out of memory" in source.notes[0] and "CPU" in source.notes[0]


def test_gcrm_ranker_adapter(song_like):
    class FakeRanked:
        def __init__(self, index, gs):
            self.index, self.gs, self.cs = index, gs, -0.2

    class FakeGenreRanker:
        weights = None

        def rank(self, mel, candidates, prev=None, genre=None, weights=None):
            assert mel.shape == (120, 128) and len(candidates) == 2
            self.weights = weights
            return [FakeRanked(1, 0.9), FakeRanked(0, 0.1)]

        def detect_genres(self, mel, top=3):
            return [("Popping", 0.7), ("Locking", 0.2), ("Urban", 0.1)]

    ranker = GCRMRanker(FakeGenreRanker())
    request = GenerationRequest("d", 1, 4.0, 8.0, (1, 2), weights=ScoreWeights(gs=1.0, cs=0.5))
    rows = ranker.rank([(Motion.rest(120), None), (Motion.rest(120), None)], request, song_like,
                       ranker.guess(song_like))  # fmt: skip
    assert [(i, genre) for i, _, genre in rows] == [(1, "Popping"), (0, "Popping")]
    assert rows[0][1] == {"score": pytest.approx(0.9 - 0.1), "gs": 0.9, "cs": -0.2}  # combined here, by the weights
    assert ranker.ranker.weights == ScoreWeights(gs=1.0, cs=0.5)  # the request's weights, not the ranker's


def test_load_generators_without_models_is_the_procedural_baseline(monkeypatch, tmp_path, song_like):
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path))
    generators = load_generators("cpu")
    assert generators.name == "procedural baseline" and generators.device == "CPU" and not generators.notes
    guess = tempo_genre_guess(120.0)
    assert len(guess.top) == 3 and guess.source == "tempo"
    request = GenerationRequest("d", 0, 0.0, 4.0, (1, 2), genre="Jazz")
    response = generators.generate(request, song_like, lambda d, t: None, threading.Event())
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


def test_fdgn_is_chosen_when_its_model_folder_exists(tiny_fdgn, song_like):
    generators = load_generators("cpu")
    assert generators.name == "FDGN fdgn-small" and generators.device == "CPU"
    assert generators.lead.warm_result.num_candidates == 1  # torch's first-call set-up done while loading
    steps = []
    prev = Motion.rest(120)
    request = GenerationRequest("d", 1, 4.0, 8.0, (7, 8), prev=prev)
    response = generators.generate(request, song_like, lambda d, t: steps.append((d, t)), threading.Event())
    assert [c.seed for c in sorted(response.candidates, key=lambda c: c.seed)] == [7, 8]
    assert all(len(c.motion) == 120 and c.model_id == "fdgn-small" for c in response.candidates)
    assert steps[-1][0] == steps[-1][1] == 4  # one progress report per denoising step (tiny: 4 steps)
    interrupt = threading.Event()
    interrupt.set()
    with pytest.raises(Cancelled):
        generators.generate(request, song_like, lambda d, t: None, interrupt)


def test_gcrm_ranks_when_its_model_folder_exists(tmp_path, monkeypatch, song_like):
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
    song = song_like
    assert generators.guess(song).source == "tempo"  # no prototypes: no detection, and no crash
    request = GenerationRequest("d", 1, 4.0, 8.0, (1, 2, 3), prev=Motion.rest(120))
    response = generators.generate(request, song, lambda d, t: None, threading.Event())
    scores = [c.scores for c in response.candidates]
    assert all(set(s) == {"score", "gs", "cs"} for s in scores)
    assert [s["score"] for s in scores] == sorted((s["score"] for s in scores), reverse=True)
