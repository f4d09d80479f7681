"""``studio eval --songs``: tiny untrained models in a temporary models folder, a 12-s click song."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import torch

from studio.cli import eval_songs
from studio.cli.main import main
from studio.core import finedance
from studio.metrics.vitals import FIGURES


@pytest.fixture
def models(tmp_path, monkeypatch):
    """models/tiny-test (FDGN) and models/gcrm-tiny (two genres), both untrained and seeded."""
    from studio.ml.fdgn import FDGN, preset
    from studio.ml.genre import GCRM, GenrePrototypes, save_gcrm
    from studio.ml.genre import preset as gcrm_preset
    from studio.ml.normalize import Normalizer
    from studio.ml.weights import save_pretrained

    torch.set_num_threads(1)
    torch.manual_seed(0)
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path / "models"))
    save_pretrained(tmp_path / "models" / "tiny-test", FDGN(preset("tiny")), Normalizer.identity(), {"note": "test"})
    torch.manual_seed(1)
    gcrm = GCRM(gcrm_preset("tiny"))
    d = gcrm.config.embed_dim
    prototypes = GenrePrototypes(("Jazz", "Popping"), torch.randn(2, d), torch.randn(2, d), temperature=0.1)
    save_gcrm(tmp_path / "models" / "gcrm-tiny", gcrm, prototypes)
    return ["--model", "tiny-test", "--ranker", "gcrm-tiny", "--device", "cpu", "--threads", "1"]


@pytest.fixture
def songs(song, tmp_path):
    folder = tmp_path / "songs"
    folder.mkdir()
    shutil.copy(song, folder / "b_click.wav")
    (folder / "notes.txt").write_text("not a song")
    return folder


@pytest.fixture
def reference(tmp_path):
    """A FineDance-layout folder: three dances, music beats every 15 frames, a test split of two."""
    from studio.metrics.bench import synthetic_dances

    root = tmp_path / "reference"
    for sub in ("motion", "music_npy"):
        (root / sub).mkdir(parents=True)
    for i, dance in enumerate(synthetic_dances(3, 60, seed=5)):
        np.save(root / "motion" / f"00{i + 1}.npy", finedance.to_array(dance))
        music = np.zeros((60, 35), dtype=np.float32)
        music[3::15, 34] = 1.0
        np.save(root / "music_npy" / f"00{i + 1}.npy", music)
    (root / "split.json").write_text(json.dumps({"train": ["001"], "val": [], "test": ["002", "003"]}))
    return root


def test_eval_songs_reports_every_song_medians_and_the_built_reference(songs, models, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(eval_songs, "REFERENCE_MINUTES", 0.3)  # one 20-s procedural song
    monkeypatch.setattr(eval_songs, "REFERENCE_SONG_SECONDS", (20.0, 20.0))
    (songs / "a_broken.ogg").write_bytes(b"\x00\x01 this is no ogg" * 64)
    out = tmp_path / "report.json"
    sheets = tmp_path / "sheets"
    code = main(["eval", "--songs", str(songs), "--json", str(out), "-m", "2", "--max-seconds", "4", *models,
                 "--sheets", str(sheets)])  # fmt: skip
    assert code == 0
    assert [p.name for p in sheets.iterdir()] == ["b_click.png"]  # a sheet per danced song
    report = json.loads(out.read_text())
    captured = capsys.readouterr()

    assert [row["song"] for row in report["songs"]] == ["b_click.wav"]
    row = report["songs"][0]
    assert row["segments"] == 1 and row["frames"] == 120  # --max-seconds 4: one 4-s segment
    assert row["song_seconds"] == pytest.approx(12.0, abs=0.05)
    for key in FIGURES:
        assert row[key] is not None, key
    assert 0.0 <= row["still_share"] <= 1.0 and 0.0 <= row["bas"] <= 1.0
    assert [g["genre"] for g in row["genres"]] and {g["genre"] for g in row["genres"]} <= {"Jazz", "Popping"}
    assert report["medians"]["count"] == 1
    assert report["medians"]["mean_speed"] == pytest.approx(row["mean_speed"])

    assert report["skipped"][0]["song"] == "a_broken.ogg" and "a_broken.ogg" in report["skipped"][0]["error"]
    reference = report["reference"]
    assert reference["built"] == {"minutes": 0.3, "seed": 0}
    assert reference["medians"]["count"] == len(reference["dances"]) >= 1
    for key in FIGURES:
        assert reference["medians"][key] is not None, key
    assert reference["medians"]["still_share"] < 1.0  # the procedural dancer dances

    assert "song 1/2 a_broken.ogg: skipped" in captured.err and "song 2/2 b_click.wav: segment 1/1" in captured.err
    table = captured.out
    assert "b_click.wav" in table and "median (1)" in table and "ref. (" in table and "skipped a_broken.ogg" in table


def test_eval_songs_dances_exactly_as_generate_does(songs, models, reference, tmp_path):
    npy = tmp_path / "generated.npy"
    song = songs / "b_click.wav"
    assert main(["generate", str(song), "--npy", str(npy), "-m", "2", "--seed", "3", *models[:6]]) == 0
    dances, out = tmp_path / "dances", tmp_path / "report.json"
    code = main(["eval", "--songs", str(songs), "--json", str(out), "-m", "2", "--seed", "3", "--reference",
                 str(reference), "--dances", str(dances), *models])  # fmt: skip
    assert code == 0
    np.testing.assert_array_equal(np.load(dances / "b_click.npy"), np.load(npy))
    report = json.loads(out.read_text())
    assert report["songs"][0]["frames"] == 360 and report["songs"][0]["segments"] == 3
    assert report["reference"]["split"] == "test"
    assert [d["dance"] for d in report["reference"]["dances"]] == ["002", "003"]
    assert report["reference"]["folder"] == str(reference) and "built" not in report["reference"]
    assert all(d["bas"] is not None for d in report["reference"]["dances"])


def test_eval_songs_with_a_partner_measures_the_partner_and_the_duet(songs, models, reference, tmp_path, capsys):
    out, sheets = tmp_path / "report.json", tmp_path / "sheets"
    code = main(["eval", "--songs", str(songs), "--json", str(out), "-m", "2", "--max-seconds", "8", "--partner",
                 "rules", "--reference", str(reference), "--sheets", str(sheets), *models])  # fmt: skip
    assert code == 0
    report = json.loads(out.read_text())
    partner = report["songs"][0]["partner"]
    for key in (*FIGURES, *eval_songs.PARTNER_FIGURES):
        assert partner[key] is not None, key
    assert partner["learned_share"] == 0.0  # the rules made it
    assert partner["closest_m"] > 0.0 and 0.0 <= partner["close_share"] <= 1.0
    assert report["partner"]["source"] == "rules" and report["partner"]["medians"]["count"] == 1
    assert sorted(p.name for p in sheets.iterdir()) == ["b_click-duet.png", "b_click.png"]
    assert "partners (rules):" in capsys.readouterr().out


def test_eval_songs_bad_folders_are_clear_errors(tmp_path, models, reference, songs, capsys):
    assert main(["eval", "--songs", str(songs), "--reference", str(tmp_path / "no-corpus"), *models]) == 2
    err = capsys.readouterr().err
    assert "no-corpus: expected a data folder, found no such folder" in err and "segment" not in err  # before dancing
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["eval", "--songs", str(empty), *models]) == 2
    assert f"{empty}: expected audio files (wav flac ogg mp3 opus), found an empty folder" in capsys.readouterr().err
    (empty / "readme.md").write_text("x")
    assert main(["eval", "--songs", str(empty), *models]) == 2
    assert "found 1 other entries (.md)" in capsys.readouterr().err
    assert main(["eval", "--songs", str(tmp_path / "nowhere"), *models]) == 2
    assert "expected a folder of songs, found no such folder" in capsys.readouterr().err

    (empty / "silence.wav").write_bytes(b"RIFF\x00\x00")
    code = main(["eval", "--songs", str(empty), "--reference", str(reference), *models])
    assert code == 2
    err = capsys.readouterr().err
    assert "expected at least one song that can be danced" in err and "silence.wav" in err

    assert main(["eval", "--songs", str(empty), "--max-seconds", "0.5", *models]) == 2
    assert "--max-seconds: expected at least 1 second" in capsys.readouterr().err


def test_generated_still_needs_data(tmp_path, capsys):
    assert main(["eval", "--generated", str(tmp_path)]) == 2
    assert "--data" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["eval", "--generated", str(tmp_path), "--songs", str(tmp_path)])
