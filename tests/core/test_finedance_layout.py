"""The FineDance layout's facts have one owner, and every reader of a label_json agrees with it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from studio.core import finedance
from studio.core.finedance_layout import GENRE_IGNORED_SONGS, GENRE_TEST_SONGS, LABEL_KEYS, genre_in_label, genre_split
from studio.core.motion import Motion


def test_the_genre_split_and_the_label_keys():
    assert len(GENRE_TEST_SONGS) == len(set(GENRE_TEST_SONGS)) == 20
    split = genre_split(["001", "063", "116", "132", "300"])
    assert split == {"train": ["001", "300"], "val": [], "test": ["063", "132"]}  # 116 is ignored
    assert "116" in GENRE_IGNORED_SONGS and LABEL_KEYS[0] == "style2"  # FineDance's own field first
    assert genre_in_label({"genre": "Popping", "style2": "Jazz"}) == "Jazz"
    assert genre_in_label({"style": " Kun "}) == "Kun" and genre_in_label("Miao") == "Miao"
    assert genre_in_label({"name": "x"}) is None and genre_in_label(3) is None


@pytest.fixture
def ambiguous_clip(tmp_path):
    """A clip whose label names one genre under FineDance's key and another under ours."""
    for sub in ("motion", "label_json", "music_npy"):
        (tmp_path / sub).mkdir()
    np.save(tmp_path / "motion" / "001.npy", finedance.to_array(Motion.rest(30)))
    (tmp_path / "label_json" / "001.json").write_text(json.dumps({"name": "001", "style2": "Jazz", "genre": "Popping"}))
    return tmp_path


def test_the_dataset_reader_takes_the_layouts_genre(ambiguous_clip):
    from studio.data.finedance_folder import FineDanceFolder

    assert FineDanceFolder(ambiguous_clip).genre_of("001") == "Jazz"


def test_the_genre_trainer_reads_the_same_genre_as_the_dataset_reader(ambiguous_clip):
    pytest.importorskip("torch")
    from studio.data.finedance_folder import FineDanceFolder
    from studio.training.gcrm import read_genre_label

    label = ambiguous_clip / "label_json" / "001.json"
    assert read_genre_label(label) == FineDanceFolder(ambiguous_clip).genre_of("001")
