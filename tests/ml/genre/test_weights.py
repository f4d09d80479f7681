"""GCRM model folders: save -> load round trip, and clear errors for foreign or damaged folders."""

from __future__ import annotations

import json

import pytest
import torch

from studio.core.errors import InputError, ModelError
from studio.ml.genre import GCRM, GenrePrototypes, GenreRanker, load_gcrm, preset, save_gcrm


def _model_and_prototypes():
    torch.manual_seed(0)
    config = preset("tiny")
    model = GCRM(config).eval()
    names = ("Breaking", "Jazz", "Kun")
    prototypes = GenrePrototypes(names, torch.randn(3, config.embed_dim), torch.randn(3, config.embed_dim), 0.07)
    return model, prototypes


def test_save_load_round_trip(tmp_path):
    model, prototypes = _model_and_prototypes()
    card = {"data": {"clips": 3}, "training": {"steps": 5}, "metrics": {"test": {"music_to_dance_top1": 0.5}}}
    folder = save_gcrm(tmp_path / "gcrm-test", model, prototypes, card)
    assert {p.name for p in folder.iterdir()} == {"config.json", "model.safetensors", "card.json"}
    loaded = load_gcrm(folder)
    assert loaded.config == model.config and loaded.card == card and loaded.model_id == "gcrm-test"
    assert loaded.prototypes.names == prototypes.names
    assert loaded.prototypes.temperature == pytest.approx(0.07)
    torch.testing.assert_close(loaded.prototypes.music, prototypes.music)
    torch.testing.assert_close(loaded.prototypes.dance, prototypes.dance)
    mel = torch.randn(2, 120, 128)
    positions = torch.randn(2, 120, 52, 3)
    with torch.no_grad():
        torch.testing.assert_close(loaded.model.embed_music(mel), model.embed_music(mel))
        torch.testing.assert_close(loaded.model.embed_dance(positions), model.embed_dance(positions))
    ranker = GenreRanker.from_pretrained(folder)
    assert ranker.genres == prototypes.names and ranker.model_id == "gcrm-test"


def test_a_model_without_prototypes_loads_but_cannot_detect(tmp_path):
    model, _ = _model_and_prototypes()
    folder = save_gcrm(tmp_path / "bare", model)
    loaded = load_gcrm(folder)
    assert loaded.prototypes is None
    ranker = GenreRanker(loaded.model)
    with pytest.raises(InputError, match="prototypes"):
        ranker.detect_genres(torch.zeros(120, 128))


def test_foreign_and_damaged_folders(tmp_path):
    model, prototypes = _model_and_prototypes()
    folder = save_gcrm(tmp_path / "m", model, prototypes)
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "format": "choreo-studio/fdgn"}))
    with pytest.raises(ModelError, match="gcrm"):
        load_gcrm(folder)
    (folder / "config.json").write_text(json.dumps({**config, "version": 99}))
    with pytest.raises(ModelError, match="newer"):
        load_gcrm(folder)
    (folder / "config.json").write_text(json.dumps({**config, "config": {**config["config"], "embed_dim": 32}}))
    with pytest.raises(ModelError, match="matching config.json"):
        load_gcrm(folder)
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelError, match="safetensors"):
        load_gcrm(folder)
    with pytest.raises(ModelError, match="no such folder"):
        load_gcrm(tmp_path / "missing")
