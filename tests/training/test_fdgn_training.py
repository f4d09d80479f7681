"""FDGN training on a tiny synthetic FineDance folder: loss goes down, checkpoints resume, DDP set-up."""

from __future__ import annotations

import io
import socket

import numpy as np
import pytest
import torch

from studio.core.errors import InputError, ModelError
from studio.ml.fdgn import FDGN, preset
from studio.ml.normalize import Normalizer
from studio.ml.pipeline import Choreographer
from studio.ml.weights import load_pretrained
from studio.training import ddp
from studio.training.checkpoint import load_checkpoint
from studio.training.data import read_folder
from studio.training.fdgn import FDGNLoss, TrainConfig, train_fdgn

from .synthetic import TINY_TRAIN, fixed_loss, make_folder


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_folder(tmp_path_factory.mktemp("fd") / "data", clips=3, frames=90)


def test_twenty_steps_lower_the_loss(data, tmp_path):
    torch.manual_seed(0)
    out = tmp_path / "model"
    train_fdgn(data, out, preset("tiny"), TrainConfig(steps=1, **TINY_TRAIN), stream=io.StringIO())
    state = load_checkpoint(out)
    normalizer = Normalizer.from_state_dict(state["normalizer"])
    first = FDGN(preset("tiny"))
    first.load_state_dict(state["model"])
    before = fixed_loss(first, normalizer, data)

    log = io.StringIO()
    summary = train_fdgn(data, out, preset("tiny"), TrainConfig(steps=21, **TINY_TRAIN), resume=True, stream=log)
    assert summary["step"] == 21
    trained = FDGN(preset("tiny"))
    trained.load_state_dict(load_checkpoint(out)["model"])
    after = fixed_loss(trained, normalizer, data)
    assert after < 0.9 * before, (before, after)
    assert "step 20/21" in log.getvalue() and "ETA" in log.getvalue() and "loss" in log.getvalue()


def test_resume_continues_and_the_model_folder_is_usable(data, tmp_path):
    out = tmp_path / "model"
    train_fdgn(data, out, preset("tiny"), TrainConfig(steps=4, **TINY_TRAIN), stream=io.StringIO())
    first = load_checkpoint(out)
    assert first["step"] == 4
    summary = train_fdgn(data, out, preset("tiny"), TrainConfig(steps=6, **TINY_TRAIN), resume=True,
                         stream=io.StringIO())  # fmt: skip
    assert summary["step"] == 6 and load_checkpoint(out)["step"] == 6
    assert len(load_checkpoint(out)["history"]) >= 1

    loaded = load_pretrained(out)
    card = loaded.card
    assert card["training"]["steps"] == 6 and card["data"]["clips"] == 3 and card["data"]["minutes"] == 0.15
    assert card["training"]["wall_time_s"] > 0 and card["training"]["final_loss"] > 0
    music = np.load(data / "music_npy" / "000.npy")
    result = Choreographer(loaded.model, loaded.normalizer).generate_segment(music, 0, 30, num_candidates=2)
    assert result.features.shape == (2, 30, 319)


def test_resume_without_a_checkpoint_is_a_clear_error(data, tmp_path):
    with pytest.raises(ModelError, match="checkpoint.pt"):
        train_fdgn(data, tmp_path / "none", preset("tiny"), TrainConfig(steps=2, **TINY_TRAIN), resume=True)


def test_a_folder_without_data_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="motion"):
        read_folder(tmp_path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_runs_as_a_one_process_torchrun_group(data, tmp_path, monkeypatch):
    monkeypatch.setenv("WORLD_SIZE", "1")
    monkeypatch.setenv("RANK", "0")
    monkeypatch.setenv("LOCAL_RANK", "0")
    monkeypatch.setenv("MASTER_ADDR", "127.0.0.1")
    monkeypatch.setenv("MASTER_PORT", str(_free_port()))
    summary = train_fdgn(data, tmp_path / "m", preset("tiny"), TrainConfig(steps=2, **TINY_TRAIN), device="cpu",
                         stream=io.StringIO())  # fmt: skip
    assert summary["step"] == 2
    assert not torch.distributed.is_initialized()  # cleaned up
    info = ddp.DistInfo()
    assert info.is_main and not info.distributed


def test_train_command_trains_then_puts_test_metrics_in_the_card(tmp_path, capsys):
    import json

    from studio.cli.main import main

    data = make_folder(tmp_path / "data", clips=3, frames=100, seed=1)
    (data / "split.json").write_text(json.dumps({"train": ["000", "001"], "test": ["002"]}))
    out = tmp_path / "models" / "tiny-cli"
    code = main(["train", "fdgn", "--data", str(data), "--out", str(out), "--config", "tiny", "--steps", "3",
                 "--batch-size", "2"])  # fmt: skip
    assert code == 0
    card = json.loads((out / "card.json").read_text())
    assert card["preset"] == "tiny" and card["training"]["steps"] == 3 and card["data"]["clips"] == 2
    assert card["metrics"]["split"] == "test" and card["metrics"]["clips"] == 1
    assert "foot_skating" in card["metrics"]["metrics"]
    assert "trained 3 steps" in capsys.readouterr().out


def test_context_training_gives_clean_head_and_tail_frames():
    from studio.body.provider import default_skeleton

    config = preset("tiny")  # context_frames = 4
    seen = {}

    def spy(x_t, t, music, keep=None, return_parts=False):
        seen["x_t"] = x_t
        return x_t, x_t

    loss = FDGNLoss(config, TrainConfig(context_prob=1.0), Normalizer.identity(), default_skeleton())
    x0, music = torch.randn(3, 20, 319), torch.randn(3, 20, 35)
    loss(spy, x0, music, torch.Generator().manual_seed(0))
    k = config.context_frames
    assert torch.equal(seen["x_t"][:, :k], x0[:, :k]) and torch.equal(seen["x_t"][:, -k:], x0[:, -k:])
    assert not torch.allclose(seen["x_t"][:, k:-k], x0[:, k:-k])
