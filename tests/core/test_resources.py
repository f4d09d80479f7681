"""studio.core.resources: shipped files from the checkout or from a wheel's package data; the model search."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from studio.core import resources

REPO = Path(__file__).resolve().parents[2]


def _model(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    return folder


@pytest.fixture
def no_overrides(monkeypatch, tmp_path):
    monkeypatch.delenv(resources.MODELS_ENV, raising=False)
    monkeypatch.setenv(resources.DATA_ENV, str(tmp_path / "data"))
    return tmp_path / "data"


def test_a_checkout_reads_the_files_where_they_are():
    assert not resources.is_installed()
    assert resources.shipped_root() == REPO
    assert resources.demo_song() == REPO / "resources" / "demo" / "demo.wav"
    assert resources.demo_song().is_file() and resources.app_icon().is_file()
    assert {"fdgn-small", "gcrm-small"} <= set(resources.model_names(resources.shipped_models_dir()))


def test_an_installed_wheel_reads_its_package_data(monkeypatch, tmp_path):
    package = tmp_path / "site-packages" / "studio"
    (package / resources.PACKAGED_DATA / "resources" / "demo").mkdir(parents=True)
    monkeypatch.setattr(resources, "files", lambda name: package)

    assert resources.is_installed()
    assert resources.shipped_root() == package / "_data"
    assert resources.demo_song() == package / "_data" / "resources" / "demo" / "demo.wav"
    assert resources.shipped_models_dir() == package / "_data" / "models"


def test_models_are_searched_in_the_user_folder_then_the_shipped_one(no_overrides):
    assert resources.model_dirs() == [no_overrides / "models", resources.shipped_models_dir()]
    assert resources.find_model("fdgn-small") == resources.shipped_models_dir() / "fdgn-small"
    assert resources.find_model("no-such-model") is None

    (no_overrides / "models" / "fdgn-small").mkdir(parents=True)  # no config.json: not a model, not chosen
    assert resources.find_model("fdgn-small") == resources.shipped_models_dir() / "fdgn-small"
    (no_overrides / "models" / "fdgn-small" / "config.json").write_text("{}")  # a person's own: it wins
    assert resources.find_model("fdgn-small") == no_overrides / "models" / "fdgn-small"


def test_the_user_folder_follows_the_platform_without_an_override(monkeypatch, tmp_path):
    monkeypatch.delenv(resources.DATA_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resources.user_models_dir() == tmp_path / "xdg" / "choreo-studio" / "models"


def test_the_environment_variable_is_the_only_place_searched_when_set(monkeypatch, tmp_path):
    first, second = _model(tmp_path / "a" / "mine").parent, _model(tmp_path / "b" / "theirs").parent
    monkeypatch.setenv(resources.MODELS_ENV, f"{first}{os.pathsep}{second}")

    assert resources.model_dirs() == [first, second]
    assert resources.find_model("theirs") == second / "theirs"
    assert resources.find_model("fdgn-small") is None  # the shipped one is not searched


def test_the_search_description_names_every_folder(no_overrides):
    _model(no_overrides / "models" / "my-model")
    text = resources.describe_model_search()
    assert f"{no_overrides / 'models'}: my-model" in text
    assert f"{resources.shipped_models_dir()}: fdgn-small, gcrm-small" in text


def test_the_search_description_says_which_folders_do_not_exist(monkeypatch, tmp_path):
    monkeypatch.setenv(resources.MODELS_ENV, str(tmp_path / "nowhere"))
    text = resources.describe_model_search()
    assert f"{tmp_path / 'nowhere'} (does not exist)" in text and resources.MODELS_ENV in text
