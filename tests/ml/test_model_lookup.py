"""Model names resolve through studio.core.resources: the same search for ml.weights and the editor's generators."""

from __future__ import annotations

import pytest

from studio.choreography.generators import model_folder
from studio.core import resources
from studio.core.errors import ModelError
from studio.ml.fdgn import FDGN, preset
from studio.ml.normalize import Normalizer
from studio.ml.weights import resolve, save_pretrained


def test_a_name_is_found_in_the_user_folder_before_the_shipped_one(monkeypatch, tmp_path):
    monkeypatch.delenv(resources.MODELS_ENV, raising=False)
    monkeypatch.setenv(resources.DATA_ENV, str(tmp_path))
    assert resolve("fdgn-small") == resources.shipped_models_dir() / "fdgn-small"
    assert model_folder("fdgn-small") == resolve("fdgn-small")

    mine = save_pretrained(tmp_path / "models" / "fdgn-small", FDGN(preset("tiny")), Normalizer.identity())
    assert resolve("fdgn-small") == mine
    assert model_folder("fdgn-small") == mine


def test_an_unknown_name_lists_every_folder_searched(monkeypatch, tmp_path):
    monkeypatch.delenv(resources.MODELS_ENV, raising=False)
    monkeypatch.setenv(resources.DATA_ENV, str(tmp_path))
    with pytest.raises(ModelError) as caught:
        resolve("no-such-model")
    message = str(caught.value)
    assert message.startswith("no-such-model: expected a model folder")
    assert f"{tmp_path / 'models'} (does not exist)" in message
    assert f"{resources.shipped_models_dir()}: fdgn-small, gcrm-small" in message
