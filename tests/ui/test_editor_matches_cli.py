"""The editor and ``studio generate`` give the same chosen dance for the same song, seed and settings."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def tiny_models(tmp_path, monkeypatch):
    """Untrained tiny FDGN and GCRM (two genres) saved under the names both paths load by default."""
    torch = pytest.importorskip("torch")
    from studio.ml.fdgn import FDGN, preset
    from studio.ml.genre import GCRM, GenrePrototypes, save_gcrm
    from studio.ml.genre import preset as gcrm_preset
    from studio.ml.normalize import Normalizer
    from studio.ml.weights import save_pretrained

    torch.set_num_threads(1)
    torch.manual_seed(0)
    models = tmp_path / "models"
    save_pretrained(models / "fdgn-small", FDGN(preset("tiny")), Normalizer.identity(), {"note": "test"})
    torch.manual_seed(1)
    gcrm = GCRM(gcrm_preset("tiny"))
    d = gcrm.config.embed_dim
    prototypes = GenrePrototypes(("Jazz", "Popping"), torch.randn(2, d), torch.randn(2, d), temperature=0.1)
    save_gcrm(models / "gcrm-small", gcrm, prototypes)
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(models))
    monkeypatch.setenv("CHOREO_STUDIO_CACHE", str(tmp_path / "cache"))
    return models


def test_the_editor_and_generate_choose_the_same_dance(qtbot, tiny_song, tiny_models, tmp_path):
    from studio.audio import analyze
    from studio.choreography.generators import load_generators
    from studio.cli.main import main
    from studio.core.commands import UndoStack
    from studio.core.document import Project, Settings
    from studio.core.finedance import to_array
    from studio.core.segments import Song
    from studio.io import project as project_file
    from studio.ui.dance_generation import DanceGeneration

    out, npy = tmp_path / "cli.choreo", tmp_path / "cli.npy"
    assert main(["generate", str(tiny_song), "-o", str(out), "--npy", str(npy), "-m", "3", "--device", "cpu",
                 "--threads", "1"]) == 0  # fmt: skip
    cli = project_file.load(out)

    analysis = analyze(tiny_song)  # the editor: a new song, filled by its generation worker
    project = Project(Song.from_analysis(analysis), settings=Settings(candidates_per_segment=3))
    generation = DanceGeneration(UndoStack())
    generation.generators = load_generators("cpu")
    try:
        generation.set_song(project, analysis)
        qtbot.waitUntil(lambda: all(t.candidates for t in project.tracks(0)) and not generation.is_busy,
                        timeout=120_000)  # fmt: skip
    finally:
        generation.stop()

    assert cli.num_segments == project.num_segments == 5
    for i in range(project.num_segments):
        assert [c.seed for c in cli.candidates(0, i)] == [c.seed for c in project.candidates(0, i)]
        assert cli.chosen_index(0, i) == project.chosen_index(0, i)
        assert cli.chosen_candidate(0, i).scores == pytest.approx(dict(project.chosen_candidate(0, i).scores))
    np.testing.assert_array_equal(np.load(npy), to_array(project.whole_dance(0)).astype(np.float32))
