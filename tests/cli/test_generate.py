"""``studio generate`` in-process, with a tiny untrained model in a temporary models folder."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile
import torch

from studio.audio.synth import click_track
from studio.cli.main import main
from studio.ml.fdgn import FDGN, preset
from studio.ml.normalize import Normalizer
from studio.ml.weights import save_pretrained


@pytest.fixture
def song(tmp_path, monkeypatch):
    monkeypatch.setenv("CHOREO_STUDIO_CACHE", str(tmp_path / "cache"))
    track = click_track(120, 12.0)
    path = tmp_path / "song.wav"
    soundfile.write(path, track.samples, track.sample_rate)
    return path


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
    assert [c.seed for c in project.candidates(0, 1)] == [6, 7]
    assert project.chosen_index(0, 2) == 0 and project.candidates(0, 0)[0].model_id == "tiny-test"
    whole = project.whole_dance(0)
    np.testing.assert_allclose(whole.trans, dance[:, :3], atol=1e-5)
    assert "3 segments x 2 candidates" in capsys.readouterr().out


def test_generate_needs_an_output_and_a_known_model(song, model, tmp_path, capsys):
    assert main(["generate", str(song), "--model", model]) == 2
    assert "-o OUT.choreo" in capsys.readouterr().err
    assert main(["generate", str(song), "--npy", str(tmp_path / "x.npy"), "--model", "no-such-model"]) == 2
    assert "no-such-model" in capsys.readouterr().err
