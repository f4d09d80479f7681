"""Training a partner model (an FDGN conditioned on the lead) on a tiny synthetic duet folder."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch

from studio.core.errors import InputError
from studio.core.finedance import MUSIC_DIM
from studio.ml.duet import LEAD_DIM
from studio.ml.fdgn import FDGN, partner_config, preset
from studio.ml.normalize import Normalizer
from studio.ml.weights import load_pretrained
from studio.training.checkpoint import load_checkpoint
from studio.training.data import read_folder
from studio.training.fdgn import TrainConfig, train_fdgn

from .synthetic import TINY_TRAIN, fixed_loss, make_folder


@pytest.fixture(scope="module")
def duets(tmp_path_factory):
    return make_folder(tmp_path_factory.mktemp("duets") / "data", clips=3, frames=90, duets=True)


def test_duet_clips_carry_the_partner_and_the_leads_joints(duets):
    clips = read_folder(duets, duets=True)
    assert clips[0].features.shape[1] == 319
    assert clips[0].music.shape[1] == MUSIC_DIM + LEAD_DIM
    # the partner is the dancer trained: its root is 1.2 m beside the lead's pelvis (the condition's first joint)
    assert clips[0].features[0, 4] - clips[0].music[0, MUSIC_DIM] == pytest.approx(1.2, abs=1e-4)


def test_a_folder_without_partners_is_a_clear_error(tmp_path):
    solo = make_folder(tmp_path / "solo", clips=1)
    with pytest.raises(InputError, match="partner"):
        read_folder(solo, duets=True)


def test_twenty_steps_lower_the_partner_loss(duets, tmp_path):
    torch.manual_seed(0)
    config = partner_config(preset("tiny"), LEAD_DIM)
    out = tmp_path / "partner"
    train_fdgn(duets, out, config, TrainConfig(steps=1, **TINY_TRAIN), stream=io.StringIO())
    state = load_checkpoint(out)
    normalizer = Normalizer.from_state_dict(state["normalizer"])
    assert len(normalizer.music_mean) == MUSIC_DIM + LEAD_DIM
    first = FDGN(config)
    first.load_state_dict(state["model"])
    before = fixed_loss(first, normalizer, duets, duets=True, crop_seed=5)
    train_fdgn(duets, out, config, TrainConfig(steps=21, **TINY_TRAIN), resume=True, stream=io.StringIO())
    trained = FDGN(config)
    trained.load_state_dict(load_checkpoint(out)["model"])
    assert fixed_loss(trained, normalizer, duets, duets=True, crop_seed=5) < 0.9 * before


def test_train_partner_starts_from_a_solo_model(duets, tmp_path, capsys):
    from studio.cli.main import main

    solo = tmp_path / "solo"
    train_fdgn(duets, solo, preset("tiny"), TrainConfig(steps=2, **TINY_TRAIN), stream=io.StringIO())
    out = tmp_path / "partner"
    code = main(["train", "partner", "--data", str(duets), "--out", str(out), "--init", str(solo), "--steps", "2",
                 "--batch-size", "4", "--threads", "1"])  # fmt: skip
    assert code == 0
    loaded = load_pretrained(out)
    assert loaded.config.lead_dim == LEAD_DIM and loaded.config.context_yaw
    assert "duet" in capsys.readouterr().out
    start = load_pretrained(solo)
    # the start model's music statistics are kept for its channels (its weights expect them)
    assert np.allclose(loaded.normalizer.music_mean[:MUSIC_DIM], start.normalizer.music_mean)
