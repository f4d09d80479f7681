"""GCRM training on a tiny synthetic genre folder: files, card, evaluation, resume, the command line."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from studio.core import finedance
from studio.core.errors import InputError
from studio.core.motion import Motion
from studio.core.rotations import axis_angle_to_matrix
from studio.ml.genre import GenreRanker, load_gcrm, preset
from studio.training.gcrm import (
    GCRMTrainConfig,
    GenreAnchors,
    mirror_positions,
    read_genre_folder,
    read_genre_label,
    recording_augment,
    run_cli,
    train_gcrm,
)

GENRES = ("Breaking", "Jazz", "Kun")


def make_genre_folder(root: Path, clips_per_genre: int = 2, frames: int = 160, seed: int = 0) -> Path:
    """Each genre: its own mel band and pulse rate, its own moving joints and tempo. One test clip per genre."""
    rng = np.random.default_rng(seed)
    for sub in ("motion", "music_mel", "label_json"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    train, test = [], []
    t = np.arange(frames) / 30.0
    for g, genre in enumerate(GENRES):
        for c in range(clips_per_genre + 1):
            name = f"{g}{c:02d}"
            freq = 1.0 + g + rng.uniform(-0.1, 0.1)
            phase = np.sin(2 * np.pi * freq * t)
            axis_angle = np.zeros((frames, 52, 3))
            axis_angle[:, 16 + g % 2, 2] = 0.8 * phase  # a shoulder
            axis_angle[:, 22 + 3 * g : 25 + 3 * g, 0] = 0.5 * phase[:, None]  # a finger
            trans = np.stack([0.05 * phase, 0.9 + 0.02 * g * phase, np.zeros(frames)], axis=1)
            finedance.save(Motion(trans, axis_angle_to_matrix(axis_angle)), root / "motion" / f"{name}.npy")
            mel = rng.normal(-60, 3, size=(frames, 128)).astype(np.float32)
            pulse = (np.sin(2 * np.pi * freq * t) > 0.5).astype(np.float32)
            mel[:, 30 * g : 30 * g + 20] += 30 * pulse[:, None]
            np.save(root / "music_mel" / f"{name}.npy", mel)
            label = {"genre": genre} if c % 2 == 0 else {"style1": "x", "style2": genre}
            (root / "label_json" / f"{name}.json").write_text(json.dumps(label))
            (test if c == clips_per_genre else train).append(name)
    (root / "split.json").write_text(json.dumps({"train": train, "test": test}))
    return root


TINY = GCRMTrainConfig(steps=6, batch_size=8, min_len=60, max_len=90, checkpoint_every=3, log_every=2, warmup_steps=2)


def test_read_genre_folder(tmp_path):
    folder = make_genre_folder(tmp_path / "data")
    clips = read_genre_folder(folder, "train")
    assert len(clips) == 6 and {c.genre for c in clips} == set(GENRES)
    assert clips[0].mel.shape == (160, 128) and clips[0].positions.shape == (160, 52, 3)
    assert len(read_genre_folder(folder, "test")) == 3


def test_read_genre_label_variants(tmp_path):
    path = tmp_path / "l.json"
    cases = (({"genre": "Jazz"}, "Jazz"), ({"style2": "Kun", "style1": "Classic"}, "Kun"), ("Dai", "Dai"))
    for content, genre in cases:
        path.write_text(json.dumps(content))
        assert read_genre_label(path) == genre
    path.write_text(json.dumps({"bpm": 120}))
    with pytest.raises(InputError, match="genre"):
        read_genre_label(path)
    with pytest.raises(InputError, match="no such file"):
        read_genre_label(tmp_path / "missing.json")


def test_mirror_swaps_sides():
    positions = torch.zeros(1, 2, 52, 3)
    positions[..., 1, 0] = 0.1  # left hip at +x
    mirrored = mirror_positions(positions)
    assert float(mirrored[0, 0, 2, 0]) == pytest.approx(-0.1) and float(mirrored[0, 0, 1, 0]) == 0.0
    torch.testing.assert_close(mirror_positions(mirrored), positions)


def test_training_writes_a_model_folder_and_resumes(tmp_path):
    folder = make_genre_folder(tmp_path / "data")
    out = tmp_path / "gcrm-tiny"
    summary = train_gcrm(folder, out, preset("tiny"), TINY, device="cpu", preset_name="tiny")
    assert summary["step"] == 6
    for name in ("config.json", "model.safetensors", "card.json", "checkpoint.pt"):
        assert (out / name).is_file()
    card = json.loads((out / "card.json").read_text())
    assert card["training"]["steps"] == 6 and card["training"]["wall_time_s"] > 0
    assert card["data"]["train_clips"] == 6 and card["genres"]["names"] == list(GENRES)
    test = card["metrics"]["test"]
    assert test["genres"] == 3 and 0.0 <= test["music_to_dance_top1"] <= 1.0
    loaded = load_gcrm(out)
    assert loaded.prototypes.names == GENRES

    resumed = train_gcrm(folder, out, preset("tiny"), GCRMTrainConfig(steps=8), resume=True, device="cpu")
    assert resumed["step"] == 8
    card = json.loads((out / "card.json").read_text())
    assert card["training"]["steps"] == 8 and card["training"]["batch_size"] == 8  # the checkpoint's settings

    ranker = GenreRanker.from_pretrained(out)
    top = ranker.detect_genres(np.load(folder / "music_mel" / "000.npy"))
    assert len(top) == 3 and {g for g, _ in top} == set(GENRES)


def test_mel_augmentations_keep_shape_and_range():
    rng = np.random.default_rng(0)
    mel = torch.as_tensor(rng.normal(-40, 10, size=(4, 90, 128)).astype(np.float32))
    out = recording_augment(mel, rng)
    assert out.shape == mel.shape and bool(torch.isfinite(out).all())
    assert float((out.amax(dim=(1, 2)) - out.amin(dim=(1, 2))).max()) <= 80.0 + 1e-3  # top_db as power_to_db


def test_genre_anchors_pull_towards_the_own_genre():
    torch.manual_seed(0)
    anchors = GenreAnchors(3, 4, temperature=0.1)
    labels = torch.tensor([0, 1, 2])
    on_target = anchors(anchors.vectors.detach().clone(), labels)
    off_target = anchors(anchors.vectors.detach().roll(1, dims=0), labels)
    assert on_target.item() < off_target.item()


def test_the_papers_loss_alone_also_trains(tmp_path):
    folder = make_genre_folder(tmp_path / "data")
    train = GCRMTrainConfig(steps=2, batch_size=6, min_len=60, max_len=90, anchor_weight=0.0, intra_weight=0.5)
    summary = train_gcrm(folder, tmp_path / "paper", preset("tiny"), train, device="cpu")
    assert summary["step"] == 2 and np.isfinite(summary["loss"])


@pytest.mark.slow
def test_training_separates_easy_genres(tmp_path):
    torch.manual_seed(0)
    folder = make_genre_folder(tmp_path / "data", clips_per_genre=3, frames=200)
    train = GCRMTrainConfig(steps=80, batch_size=12, min_len=60, max_len=90, checkpoint_every=80, warmup_steps=5,
                            lr=3e-3)  # fmt: skip
    summary = train_gcrm(folder, tmp_path / "m", preset("tiny"), train, device="cpu")
    test = summary["metrics"]["test"]
    assert test["dance_to_genre_top1"] >= 0.9
    assert test["music_to_genre_top1"] >= 0.9


def test_command_line(tmp_path, capsys):
    folder = make_genre_folder(tmp_path / "data")
    args = argparse.Namespace(data=str(folder), out=str(tmp_path / "cli"), config="tiny", steps=2, batch_size=4,
                              lr=None, max_minutes=None, checkpoint_every=None, seed=None, device="cpu",
                              resume=False)  # fmt: skip
    assert run_cli(args) == 0
    assert "trained 2 steps" in capsys.readouterr().out
    assert (tmp_path / "cli" / "model.safetensors").is_file()
    with pytest.raises(InputError, match="--config"):
        run_cli(argparse.Namespace(**{**vars(args), "config": "huge"}))


def test_sampler_balances_folders_within_a_genre():
    from studio.training.gcrm import GenreClip, SegmentSampler

    def clip(name, frames, source, mark):  # the mel's value tells which folder a drawn segment came from
        return GenreClip(name, "Jazz", np.full((frames, 128), mark, np.float32), np.zeros((frames, 52, 3), np.float32),
                         source)  # fmt: skip

    clips = [clip("p/1", 200, "procedural", 1.0)] + [clip(f"r/{i}", 2000, "recordings", 0.0) for i in range(30)]
    mel, _, labels = SegmentSampler(clips, ("Jazz",), 150).sample(2000, 120, np.random.default_rng(0))
    procedural = float(mel[:, 0, 0].mean())
    assert 0.45 < procedural < 0.55  # by length alone it would be under 1 %
    assert set(labels.tolist()) == {0}


def test_extra_folders_are_trained_on_and_calibrate(tmp_path):
    first = make_genre_folder(tmp_path / "a", seed=0)
    second = make_genre_folder(tmp_path / "b", seed=1)
    (second / "split.json").write_text(json.dumps({"train": ["000", "100"], "val": ["001", "101"]}))
    train = GCRMTrainConfig(**{**TINY.__dict__, "extra_data": (str(second),)})
    summary = train_gcrm(first, tmp_path / "out", preset("tiny"), train, device="cpu")
    card = json.loads((tmp_path / "out" / "card.json").read_text())
    assert card["data"]["train_clips"] == 6 + 2 and card["data"]["extra_folders"][0]["folder"] == str(second)
    assert card["metrics"]["temperature_fitted_on"] == "val"  # the second folder's val split
    assert summary["step"] == TINY.steps
