"""A tiny synthetic FineDance-layout folder: smooth periodic motions with music features that follow them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from studio.core import finedance
from studio.core.motion import Motion
from studio.core.rotations import axis_angle_to_matrix


def make_folder(root: Path, clips: int = 3, frames: int = 90, seed: int = 0, duets: bool = False) -> Path:
    """``duets``: also ``partner/NNN.npy``, a dancer 1.2 m to the lead's side that answers it half a cycle later."""
    rng = np.random.default_rng(seed)
    (root / "motion").mkdir(parents=True, exist_ok=True)
    (root / "music_npy").mkdir(parents=True, exist_ok=True)
    if duets:
        (root / "partner").mkdir(parents=True, exist_ok=True)
    names = []
    for c in range(clips):
        t = np.arange(frames) / 30.0
        freq = rng.uniform(1.0, 2.5)
        phase = np.sin(2 * np.pi * freq * t)
        amplitude = rng.uniform(0.1, 0.5, size=(52, 3)) * (rng.random((52, 1)) < 0.5)
        axis_angle = amplitude[None] * phase[:, None, None]
        trans = np.stack([0.1 * phase, 0.9 + 0.02 * phase, 0.05 * t], axis=1)
        motion = Motion(trans, axis_angle_to_matrix(axis_angle))
        name = f"{c:03d}"
        np.save(root / "motion" / f"{name}.npy", finedance.to_array(motion))
        if duets:
            answer = np.roll(axis_angle, frames // 4, axis=0)
            partner = Motion(trans + np.array([1.2, 0.0, 0.0]), axis_angle_to_matrix(answer))
            np.save(root / "partner" / f"{name}.npy", finedance.to_array(partner))
        music = rng.normal(0, 0.1, size=(frames, 35)).astype(np.float32)
        music[:, 0] = phase
        np.save(root / "music_npy" / f"{name}.npy", music)
        names.append(name)
    (root / "split.json").write_text(json.dumps({"train": names, "test": []}))
    return root


# a training config for tiny runs on these folders
TINY_TRAIN = dict(batch_size=4, min_len=24, max_len=40, stride=10, log_every=5, checkpoint_every=10, lr=2e-3)


def fixed_loss(model, normalizer, data: Path, *, duets: bool = False, crop_seed: int = 123) -> float:
    """The training loss of ``model`` on one fixed batch of ``data`` (8 windows of 40 frames cropped to 32, four
    noise draws), in eval mode: the yardstick for "training lowered the loss"."""
    from studio.body.provider import default_skeleton
    from studio.training.data import WindowDataset, crop, read_folder
    from studio.training.fdgn import FDGNLoss, TrainConfig

    skeleton = default_skeleton()
    dataset = WindowDataset(read_folder(data, skeleton=skeleton, duets=duets), 40, 10)
    features = torch.stack([dataset[i][0] for i in range(8)])
    music = torch.stack([dataset[i][1] for i in range(8)])
    generator = torch.Generator().manual_seed(crop_seed)
    context = model.config.context_frames if duets else None
    features, music = crop(features, music, 32, generator, duet_context=context)
    loss = FDGNLoss(model.config, TrainConfig(**TINY_TRAIN), normalizer, skeleton)
    model.eval()
    with torch.no_grad():
        values = [loss(model, normalizer.normalize_motion(features), normalizer.normalize_music(music),
                       torch.Generator().manual_seed(s)).total.item() for s in range(4)]  # fmt: skip
    return float(np.mean(values))
