"""``studio generate`` in-process, with a tiny untrained model in a temporary models folder."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.choreography.plan import song_seeds
from studio.cli.main import main
from studio.ml.fdgn import FDGN, preset
from studio.ml.normalize import Normalizer
from studio.ml.weights import save_pretrained


@pytest.fixture
def model(tmp_path, monkeypatch):
    torch.set_num_threads(1)
    torch.manual_seed(0)
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path / "models"))
    save_pretrained(tmp_path / "models" / "tiny-test", FDGN(preset("tiny")), Normalizer.identity(), {"note": "test"})
    return "tiny-test"


def test_generate_writes_a_project_and_the_chosen_dance(song, model, tmp_path, capsys):
    from studio.io import project as project_file

    out, npy = tmp_path / "dance.choreo", tmp_path / "dance.npy"
    code = main(["generate", str(song), "-o", str(out), "--candidates", "2", "--seed", "4", "--model", model,
                 "--device", "cpu", "--npy", str(npy)])  # fmt: skip
    assert code == 0
    dance = np.load(npy)
    assert dance.shape == (360, 315) and np.isfinite(dance).all()

    project = project_file.load(out)
    assert project.num_segments == 3
    assert [len(project.candidates(0, i)) for i in range(3)] == [2, 2, 2]
    # the editor's seed rule (studio.choreography.plan), shifted by --seed: the same dance as the editor's
    seeds = song_seeds(project.song.content_hash, "dancer-1", 1, 2, seed=4)
    assert [c.seed for c in project.candidates(0, 1)] == list(seeds)
    assert project.chosen_index(0, 2) == 0 and project.candidates(0, 0)[0].model_id == "tiny-test"
    whole = project.whole_dance(0)
    np.testing.assert_allclose(whole.trans, dance[:, :3], atol=1e-5)
    assert "3 segments x 2 candidates" in capsys.readouterr().out


def test_generate_needs_an_output_and_a_known_model(song, model, tmp_path, capsys):
    assert main(["generate", str(song), "--model", model]) == 2
    assert "-o OUT.choreo" in capsys.readouterr().err
    assert main(["generate", str(song), "--npy", str(tmp_path / "x.npy"), "--model", "no-such-model"]) == 2
    assert "no-such-model" in capsys.readouterr().err


@pytest.fixture
def ranker(tmp_path, model):
    """A tiny untrained genre ranker with two genres, saved next to the tiny FDGN as models/gcrm-tiny."""
    from studio.ml.genre import GCRM, GenrePrototypes, save_gcrm
    from studio.ml.genre import preset as gcrm_preset

    torch.manual_seed(1)
    gcrm = GCRM(gcrm_preset("tiny"))
    d = gcrm.config.embed_dim
    prototypes = GenrePrototypes(("Jazz", "Popping"), torch.randn(2, d), torch.randn(2, d), temperature=0.1)
    save_gcrm(tmp_path / "models" / "gcrm-tiny", gcrm, prototypes)
    return "gcrm-tiny"


def test_generate_without_the_default_ranker_goes_on_unranked(song, model, tmp_path, capsys):
    from studio.io import project as project_file

    out = tmp_path / "plain.choreo"
    assert main(["generate", str(song), "-o", str(out), "-m", "2", "--model", model, "--device", "cpu"]) == 0
    assert "no genre ranking" in capsys.readouterr().err
    project = project_file.load(out)
    assert all(project.chosen_index(0, i) == 0 for i in range(3))
    assert not project.candidates(0, 0)[0].scores


def test_generate_ranks_greedily_and_writes_variants(song, model, ranker, tmp_path, capsys):
    from studio.io import project as project_file

    out, npy = tmp_path / "dance.choreo", tmp_path / "dance.npy"
    code = main(["generate", str(song), "-o", str(out), "--npy", str(npy), "-m", "3", "--model", model,
                 "--ranker", ranker, "--variants", "2", "--device", "cpu"])  # fmt: skip
    assert code == 0
    assert "genres: " in capsys.readouterr().err
    first, second = project_file.load(out), project_file.load(tmp_path / "dance-2.choreo")
    a, b = np.load(npy), np.load(tmp_path / "dance-2.npy")
    assert a.shape == b.shape == (360, 315) and not np.allclose(a, b)
    assert first.chosen_index(0, 0) != second.chosen_index(0, 0)
    # segment 0 has the same candidates (same seeds) in both; variant 2 keeps the 2nd best of them
    scores = [c.scores["score"] for c in first.candidates(0, 0)]
    assert first.chosen_index(0, 0) == int(np.argmax(scores))
    assert scores[second.chosen_index(0, 0)] == sorted(scores)[-2]
    for project in (first, second):
        for i in range(3):
            candidates = project.candidates(0, i)
            assert all(set(c.scores) == {"score", "gs", "cs"} for c in candidates)
            best = max(range(3), key=lambda j: (candidates[j].scores["score"], -j))
            assert project.chosen_index(0, i) == best or (project is second and i == 0)
            assert all((c.scores["cs"] == 0.0) == (i == 0) for c in candidates)
    np.testing.assert_allclose(first.whole_dance(0).trans, a[:, :3], atol=1e-5)
    assert first.settings.genre_override is None


def test_generate_genre_override_is_stored(song, model, ranker, tmp_path, capsys):
    from studio.io import project as project_file

    out = tmp_path / "jazz.choreo"
    code = main(["generate", str(song), "-o", str(out), "-m", "2", "--model", model, "--ranker", ranker,
                 "--genre", "Jazz", "--device", "cpu"])  # fmt: skip
    assert code == 0
    project = project_file.load(out)
    assert project.settings.genre_override == "Jazz"
    assert all(c.genre == "Jazz" and "gs" in c.scores for c in project.candidates(0, 1))
    assert main(["generate", str(song), "-o", str(out), "--model", model, "--ranker", ranker,
                 "--genre", "NoSuchGenre", "--device", "cpu"]) == 2  # fmt: skip
    assert "NoSuchGenre" in capsys.readouterr().err
    assert main(["generate", str(song), "-o", str(out), "--model", model, "--ranker", "none", "--genre", "Jazz"]) == 2


def test_generate_unranked_variants_start_from_other_candidates(song, model, tmp_path, capsys):
    npy = tmp_path / "plain.npy"
    assert main(["generate", str(song), "--npy", str(npy), "-m", "2", "--model", model, "--ranker", "none",
                 "--variants", "2", "--device", "cpu"]) == 0  # fmt: skip
    a, b = np.load(npy), np.load(tmp_path / "plain-2.npy")
    assert a.shape == b.shape and not np.allclose(a[:120], b[:120])
    assert main(["generate", str(song), "--npy", str(npy), "-m", "2", "--model", model, "--variants", "3"]) == 2
    assert "at most --candidates" in capsys.readouterr().err


def test_generate_ranking_weights_are_settable(song, model, ranker, tmp_path, capsys):
    from studio.io import project as project_file

    out = tmp_path / "dance.choreo"
    assert main(["generate", str(song), "-o", str(out), "-m", "3", "--model", model, "--ranker", ranker,
                 "--alpha", "0", "--beta", "2", "--device", "cpu"]) == 0  # fmt: skip
    project = project_file.load(out)
    for i in range(1, 3):  # only coherence counts: score = 2 CS
        for c in project.candidates(0, i):
            assert c.scores["score"] == pytest.approx(2.0 * c.scores["cs"])


def test_generate_with_rule_partner_writes_a_duet_in_its_formation(song, model, tmp_path, capsys):
    from studio.core.formation import Formation
    from studio.io import project as project_file

    out = tmp_path / "duet.choreo"
    code = main(["generate", str(song), "-o", str(out), "-m", "2", "--model", model, "--device", "cpu",
                 "--ranker", "none", "--partner", "rules", "--formation", "facing", "--spacing", "2"])  # fmt: skip
    assert code == 0
    captured = capsys.readouterr()
    assert "partner segment 3/3" in captured.err and "partner: duet rules" in captured.err
    assert "with a partner (face to face, 2.0 m)" in captured.out
    project = project_file.load(out)
    lead, partner = project.dancers
    assert partner.role == "partner" and partner.formation == Formation("facing", 2.0)
    assert all(len(t.candidates) == 2 for t in project.tracks(partner.id))
    assert all(c.model_id.startswith("duet-rules:") for t in project.tracks(partner.id) for c in t.candidates)
    # the editor's seed rule for the partner too (unranked: the candidates in seed order)
    seeds = song_seeds(project.song.content_hash, partner.id, 1, 2)
    assert [c.seed for c in project.candidates(partner.id, 1)] == list(seeds)
    first = project.chosen_motion(partner.id, 0)
    lead_first = project.chosen_motion(lead.id, 0)
    assert first.num_frames == lead_first.num_frames
    assert 1.0 < np.linalg.norm(first.trans[0, [0, 2]] - lead_first.trans[0, [0, 2]]) < 3.0  # in front, ~2 m


def test_generate_with_the_model_partner_but_no_model_falls_back_to_the_rules(song, model, tmp_path, capsys):
    from studio.io import project as project_file

    out = tmp_path / "duet.choreo"
    code = main(["generate", str(song), "-o", str(out), "-m", "4", "--model", model, "--device", "cpu",
                 "--ranker", "none", "--partner", "model"])  # fmt: skip
    assert code == 0
    assert "No partner model (partner-small) is installed: the duet rules make the partner." in capsys.readouterr().err
    project = project_file.load(out)
    assert len(project.dancers) == 2 and project.dancers[1].formation.kind == "side"  # the default formation
    assert all(c.model_id.startswith("duet-rules:") for c in project.candidates(1, 0))


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--formation", "facing"], "--formation: expected a partner to place"),
        (["--partner", "none", "--spacing", "2"], "--spacing: expected a partner to place"),
        (["--partner", "rules", "--spacing", "9"], "0.8 to 4 metres"),
        (["--partner", "rules", "--formation", "circle"], "invalid choice: 'circle'"),
    ],
)
def test_generate_partner_options_are_checked(song, model, tmp_path, capsys, extra, message):
    with pytest.raises(SystemExit) if "circle" in extra else _no_raise():
        code = main(["generate", str(song), "-o", str(tmp_path / "x.choreo"), "--model", model, *extra])
        assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.choreo").exists()


def _no_raise():
    import contextlib

    return contextlib.nullcontext()
