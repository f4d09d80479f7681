"""The FineDance-layout reader: what it reads, and the errors it gives for what it cannot."""

import json

import numpy as np
import pytest

from studio.core.errors import InputError
from studio.core.finedance_layout import GENRE_TEST_SONGS
from studio.data.finedance_folder import DatasetError, FineDanceFolder


def _motion(frames=10):
    array = np.zeros((frames, 315), dtype=np.float32)
    array[:, 3:] = np.tile([1, 0, 0, 0, 1, 0], 52)  # identity rotations in rot6d
    return array


@pytest.fixture
def folder(tmp_path):
    for sub in ("motion", "music_npy", "label_json"):
        (tmp_path / sub).mkdir()
    for song in ("001", "012", "063"):
        np.save(tmp_path / "motion" / f"{song}.npy", _motion())
        np.save(tmp_path / "music_npy" / f"{song}.npy", np.zeros((10, 35), dtype=np.float32))
        label = {"name": song, "style1": "Folk", "style2": "Dai"}
        (tmp_path / "label_json" / f"{song}.json").write_text(json.dumps(label))
    return tmp_path


def test_reads_a_folder(folder):
    data = FineDanceFolder(folder)
    assert data.ids() == ["001", "012", "063"] and len(data) == 3
    assert data.load_motion("001").num_frames == 10
    assert data.load_features("012").shape == (10, 35)
    label = data.load_label("063")
    assert (label.genre, label.coarse, label.bpm) == ("Dai", "Folk", None)


def test_without_split_json_uses_finedance_at_genre(folder):
    split = FineDanceFolder(folder).split()
    assert split["test"] == ["012", "063"] and split["train"] == ["001"] and split["val"] == []
    assert len(GENRE_TEST_SONGS) == 20


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DatasetError, match="no such folder"):
        FineDanceFolder(tmp_path / "nowhere")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(DatasetError, match="found a file"):
        FineDanceFolder(tmp_path / "file.txt")
    with pytest.raises(DatasetError, match="no motion/ folder .*file.txt"):
        FineDanceFolder(tmp_path)
    (tmp_path / "motion").mkdir()
    with pytest.raises(DatasetError, match="no .npy files"):
        FineDanceFolder(tmp_path)


def test_wrong_shapes_and_values_name_the_file(folder):
    np.save(folder / "motion" / "001.npy", np.zeros((10, 312), dtype=np.float32))
    np.save(folder / "music_npy" / "012.npy", np.zeros((10, 34), dtype=np.float32))
    bad = np.zeros((10, 35), dtype=np.float32)
    bad[3, 3] = np.nan
    np.save(folder / "music_npy" / "063.npy", bad)
    data = FineDanceFolder(folder)
    with pytest.raises(InputError, match=r"001\.npy.*\(T, 315\).*\(10, 312\)"):
        data.load_motion("001")
    with pytest.raises(DatasetError, match=r"012\.npy.*\(T, 35\).*\(10, 34\)"):
        data.load_features("012")
    with pytest.raises(DatasetError, match="NaN"):
        data.load_features("063")
    (folder / "music_npy" / "001.npy").write_bytes(b"not numpy")
    with pytest.raises(DatasetError, match="unreadable"):
        data.load_features("001")


def test_labels_split_ids_and_partners(folder):
    data = FineDanceFolder(folder)
    (folder / "label_json" / "001.json").write_text("{broken")
    with pytest.raises(DatasetError, match="001.json.*JSON"):
        data.load_label("001")
    (folder / "label_json" / "012.json").unlink()
    with pytest.raises(DatasetError, match="012.json.*no such file"):
        data.load_label("012")
    with pytest.raises(DatasetError, match="song id.*'999'"):
        data.load_motion("999")
    with pytest.raises(DatasetError, match="partner.*without --duets"):
        data.load_partner("001")
    with pytest.raises(DatasetError, match="music_wav"):
        data.music_path("001")
    (folder / "split.json").write_text(json.dumps({"train": ["001", "777"], "test": ["012"]}))
    with pytest.raises(DatasetError, match="split.json.*1 missing, e.g. 777"):
        data.split()
