"""Recordings paired with composed dances: manifest, files in folders and archives, split by recording, genres."""

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile

from studio.core.errors import InputError
from studio.data.finedance_folder import FineDanceFolder
from studio.data.recordings import (
    STYLE_GENRES,
    excerpts,
    find_recordings,
    pick_genre,
    read_manifest,
    split_of,
    write_recordings_corpus,
)


def _song(seconds: float, seed: int) -> np.ndarray:
    """A synthesised Breaking song at 22050 Hz: a 'recording' whose beats the tracker finds."""
    from studio.data.procedural.music import synthesize

    return synthesize("Breaking", seconds, np.random.default_rng(seed)).samples


def _manifest(tmp_path: Path, sources: list[dict]) -> Path:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"sources": sources}))
    return path


@pytest.fixture(scope="module")
def recordings_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("root")
    (root / "music").mkdir()
    soundfile.write(root / "music" / "a.wav", _song(24.0, 1), 22050)
    soundfile.write(root / "music" / "silence.wav", np.zeros(22050 * 10, np.float32), 22050)
    buffer = root / "b.ogg"
    soundfile.write(buffer, _song(24.0, 2), 22050, format="OGG")
    with zipfile.ZipFile(root / "pack.pk3", "w") as archive:
        archive.write(buffer, "tracks/b.ogg")
        archive.writestr("tracks/readme.txt", "not music")
    buffer.unlink()
    return root


SOURCES = [
    {"name": "folder-src", "style": "electronic", "licence": "CC0", "credit": "Someone", "files": ["music/*.wav"]},
    {"name": "zip-src", "style": "pop", "licence": "GPL-2+", "credit": "Others",
     "archives": [["pack.pk3", "tracks/*.ogg"]]},
]


def test_manifest_errors_name_the_file(tmp_path):
    bad = _manifest(tmp_path, [{"name": "x", "style": "polka", "licence": "CC0", "credit": "c"}])
    with pytest.raises(InputError, match="polka"):
        read_manifest(bad)
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(InputError, match="broken.json"):
        read_manifest(broken)


def test_finds_files_and_archive_members(tmp_path, recordings_root):
    found = find_recordings(read_manifest(_manifest(tmp_path, SOURCES)), recordings_root)
    assert [(r.source.name, r.title) for r in found] == [("folder-src", "a"), ("folder-src", "silence"),
                                                          ("zip-src", "b")]
    assert found[2].read_bytes()[:4] == b"OggS"


def test_split_is_by_recording():
    assert [split_of(k) for k in range(10)] == ["train", "train", "val", "train", "train"] * 2


def test_genre_follows_style_and_tempo():
    assert pick_genre("electronic", 92.0) in ("Hiphop", "Urban")
    assert pick_genre("electronic", 184.0) in ("Hiphop", "Urban")  # double time is half the tempo
    for style, pool in STYLE_GENRES.items():
        for bpm in (70.0, 100.0, 128.0, 170.0):
            assert pick_genre(style, bpm) in pool
    # no Chinese classical or folk genre for electronic, rock, pop or jazz recordings
    chinese = {"ShenYun", "HanTang", "Kun", "DunHuang", "Chinese", "Dai", "Uighur", "Miao"}
    assert not chinese & set(STYLE_GENRES["electronic"] + STYLE_GENRES["rock"] + STYLE_GENRES["pop"]
                             + STYLE_GENRES["jazz"])


def test_excerpts_skip_silence_and_short_tails():
    rate = 1000
    samples = np.r_[np.zeros(3 * rate), np.ones(24 * rate) * 0.5, np.zeros(2 * rate)].astype(np.float32)
    cut = excerpts(samples, rate, 10.0, most=5)
    assert [round(start, 3) for start, _ in cut] == [3.0, 13.0]  # the 4-s tail is under half an excerpt
    assert all(len(piece) == 10 * rate for _, piece in cut)
    assert excerpts(np.zeros(100, np.float32), rate, 10.0, 2) == []


def test_writes_a_finedance_folder(tmp_path, recordings_root):
    out = tmp_path / "corpus"
    meta = write_recordings_corpus(_manifest(tmp_path, SOURCES), out, root=recordings_root, seconds=20.0, most=1,
                                   workers=1)
    assert meta["songs"] == 2 and meta["recordings"] == 3
    assert any(s["title"] == "silence" for s in meta["skipped"])
    data = FineDanceFolder(out)
    assert sorted(data.ids()) == ["001", "003"]  # the silent one keeps its id: ids do not depend on the dancing
    for song in data.ids():
        motion, music = data.load_motion_array(song), data.load_features(song)
        assert motion.shape == (music.shape[0], 315) and 590 <= motion.shape[0] <= 602
        label = json.loads(data.label_path(song).read_text())
        assert label["recording"]["licence"] in ("CC0", "GPL-2+") and label["recording"]["credit"]
        assert label["genre"] in STYLE_GENRES[label["music_style"]]
    assert json.loads((out / "split.json").read_text()) == {"train": ["001", "003"], "val": [], "test": []}
    assert not list(out.rglob("*.part"))


def test_duets_write_a_partner_beside_each_lead(tmp_path, recordings_root):
    out = tmp_path / "duets"
    meta = write_recordings_corpus(_manifest(tmp_path, SOURCES), out, root=recordings_root, seconds=20.0, most=1,
                                   workers=1, duets=True)  # fmt: skip
    assert meta["duets"] is True
    data = FineDanceFolder(out)
    for song in data.ids():
        lead, partner = data.load_motion(song), data.load_partner(song)
        assert partner.num_frames == lead.num_frames
        label = json.loads(data.label_path(song).read_text())
        assert label["duet"]["closest"] > 0.0 and label["duet"]["rule"]
        # the two stand apart: the partner is not the lead
        assert np.linalg.norm(partner.trans[0, [0, 2]] - lead.trans[0, [0, 2]]) > 1.0


def test_no_recordings_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="none of their files"):
        write_recordings_corpus(_manifest(tmp_path, SOURCES), tmp_path / "out", root=tmp_path, workers=1)
