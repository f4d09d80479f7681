"""Model folders: save -> load round trip, and clear errors for bad folders."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from studio.core.errors import ModelError
from studio.ml.fdgn import FDGN, preset
from studio.ml.normalize import Normalizer
from studio.ml.weights import load_pretrained, resolve, save_pretrained


def _model_and_stats():
    torch.manual_seed(0)
    model = FDGN(preset("tiny"))
    with torch.no_grad():
        model.refine.gate.fill_(0.3)  # not the init value, so the round trip really carries it
    rng = np.random.default_rng(0)
    stats = Normalizer(rng.normal(size=319), rng.uniform(0.5, 2, 319), rng.normal(size=35), rng.uniform(1, 3, 35))
    return model, stats


def test_save_then_load_gives_the_same_model(tmp_path):
    model, stats = _model_and_stats()
    card = {"data": {"minutes": 1.5}, "training": {"steps": 20}, "metrics": {"fid_k": 12.5}}
    folder = save_pretrained(tmp_path / "m", model, stats, card)
    assert sorted(p.name for p in folder.iterdir()) == ["card.json", "config.json", "model.safetensors"]

    loaded = load_pretrained(folder)
    assert loaded.config == model.config
    assert loaded.card == card
    assert loaded.model_id == "m"
    for name, value in model.state_dict().items():
        assert torch.equal(loaded.model.state_dict()[name], value), name
    for name in ("motion_mean", "motion_std", "music_mean", "music_std"):
        np.testing.assert_array_equal(getattr(loaded.normalizer, name), getattr(stats, name))
    x, music, t = torch.randn(2, 12, 319), torch.randn(2, 12, 35), torch.tensor([1, 700])
    with torch.no_grad():
        torch.testing.assert_close(loaded.model(x, t, music), model.eval()(x, t, music))


def test_a_name_is_looked_up_in_the_models_folder(tmp_path, monkeypatch):
    model, stats = _model_and_stats()
    save_pretrained(tmp_path / "tiny-one", model, stats)
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path))
    assert resolve("tiny-one") == tmp_path / "tiny-one"
    with pytest.raises(ModelError, match="tiny-one"):  # the message lists what there is
        resolve("no-such-model")


def test_bad_folders_are_refused_with_the_file_named(tmp_path):
    model, stats = _model_and_stats()
    folder = save_pretrained(tmp_path / "m", model, stats)
    config = json.loads((folder / "config.json").read_text())

    (folder / "config.json").write_text(json.dumps({**config, "version": 99}))
    with pytest.raises(ModelError, match="newer"):
        load_pretrained(folder)
    (folder / "config.json").write_text(json.dumps({**config, "format": "something-else"}))
    with pytest.raises(ModelError, match="config.json"):
        load_pretrained(folder)
    bigger = json.loads(json.dumps(config))
    bigger["config"]["body"]["latent_dim"] = 64
    (folder / "config.json").write_text(json.dumps(bigger))
    with pytest.raises(ModelError, match="model.safetensors"):
        load_pretrained(folder)
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "model.safetensors").write_bytes(b"\x00" * 20)
    with pytest.raises(ModelError, match="model.safetensors"):
        load_pretrained(folder)
    (folder / "model.safetensors").unlink()
    with pytest.raises(ModelError, match="model.safetensors"):
        load_pretrained(folder)
