"""The corpus writer: FineDance layout, shapes, labels, split, partners, and the same bytes for a seed."""

import json
from pathlib import Path

import numpy as np

from studio.data.finedance_folder import FineDanceFolder
from studio.data.procedural.genres import GENRES
from studio.data.procedural.writer import plan_corpus, split_of, write_corpus

TINY_GENRES = ("Breaking", "Kun", "Dai")  # as conftest's tiny_corpus


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_layout_and_shapes(tiny_corpus):
    root = tiny_corpus
    ids = sorted(p.stem for p in (root / "motion").glob("*.npy"))
    assert ids == ["001", "002", "003"]
    for folder, suffix in (("music_wav", ".wav"), ("music_npy", ".npy"), ("label_json", ".json"), ("partner", ".npy")):
        assert sorted(p.stem for p in (root / folder).glob(f"*{suffix}")) == ids
    assert not list(root.rglob("*.part"))  # atomic writes left nothing behind
    import soundfile

    for song in ids:
        motion = np.load(root / "motion" / f"{song}.npy")
        music = np.load(root / "music_npy" / f"{song}.npy")
        partner = np.load(root / "partner" / f"{song}.npy")
        assert motion.dtype == music.dtype == partner.dtype == np.float32
        assert motion.shape[1] == 315 and music.shape[1] == 35 and partner.shape == motion.shape
        assert motion.shape[0] == music.shape[0]  # one motion frame per music frame at 30 fps
        info = soundfile.info(root / "music_wav" / f"{song}.wav")
        assert info.samplerate == 22050 and info.channels == 1 and info.subtype == "PCM_16"
        assert 20.0 <= info.duration <= 90.0
        assert abs(info.duration * 30 - motion.shape[0]) <= 1
        assert set(np.unique(music[:, 34])) <= {0.0, 1.0} and music[:, 34].sum() > 5  # beat one-hot


def test_labels_follow_finedance_plus_our_fields(tiny_corpus):
    genres = []
    for path in sorted((tiny_corpus / "label_json").glob("*.json")):
        label = json.loads(path.read_text())
        assert {"name", "style1", "style2"} <= set(label)
        assert label["style2"] == label["genre"] and label["style1"] in ("Modern", "Classic", "Folk")
        assert label["bpm"] > 0 and len(label["beats"]) >= 25 and label["fps"] == 30
        assert label["duet"]["rule"] and 1.2 <= label["duet"]["spacing"] <= 2.0
        assert label["moves"] and label["source"] == "studio.data.procedural"
        genres.append(label["genre"])
    assert genres == ["Breaking", "Kun", "Dai"]  # round-robin over the genres asked for


def test_split_and_reader_round_trip(tiny_corpus):
    folder = FineDanceFolder(tiny_corpus)
    split = folder.split()
    assert sorted(split["train"] + split["val"] + split["test"]) == folder.ids()
    label = folder.load_label("002")
    assert label.genre == "Kun" and label.coarse == "Classic" and label.bpm
    motion = folder.load_motion("001")
    assert motion.num_frames == folder.load_features("001").shape[0]
    assert folder.load_partner("003").num_frames == folder.load_motion("003").num_frames
    meta = json.loads((tiny_corpus / "corpus.json").read_text())
    assert meta["songs"] == 3 and meta["seed"] == 11 and meta["duets"] is True


def test_same_seed_same_bytes(tiny_corpus, tmp_path):
    write_corpus(tmp_path, 1.0, seed=11, duets=True, workers=1, song_seconds=(20.0, 21.0), genres=TINY_GENRES)
    assert _files(tmp_path) == _files(tiny_corpus)


def test_round_robin_lengths_and_split_rule():
    jobs = plan_corpus(60.0, seed=0, duets=False, out="x")
    assert [j.genre for j in jobs[:16]] == list(GENRES)
    assert all(20.0 <= j.seconds <= 90.0 for j in jobs)
    assert 60 * 60 <= sum(j.seconds for j in jobs) < 60 * 60 + 90
    splits = [split_of(j) for j in jobs]
    assert splits[16:32] == ["test"] * 16  # the second song of every genre
    assert splits.count("train") > splits.count("test")


def test_report_measures_a_corpus(tiny_corpus, capsys):
    from studio.cli.main import main

    assert main(["corpus", "--report", str(tiny_corpus)]) == 0
    out = capsys.readouterr().out
    assert "foot skating" in out and "frames with a foot > 1 cm under the floor: 0" in out and "duets:" in out


def test_workers_start_after_the_kernels_are_compiled(tmp_path, monkeypatch):
    """Worker processes that compile librosa's guvectorized kernels at once can corrupt numba's on-disk cache
    (every later analysis segfaults); the parent compiles them before it forks."""
    import multiprocessing

    import studio.audio

    events = []
    monkeypatch.setattr(studio.audio, "warm_up", lambda: events.append("warm") or 0.0)
    real_context = multiprocessing.get_context

    def context(method=None):
        events.append("pool")
        return real_context(method)

    monkeypatch.setattr(multiprocessing, "get_context", context)
    write_corpus(tmp_path, 0.5, seed=3, workers=2, song_seconds=(20.0, 20.0), genres=("Breaking", "Dai"))
    assert events[:2] == ["warm", "pool"]
