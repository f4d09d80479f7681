"""A tiny synthetic FineDance-layout folder: smooth periodic motions with music features that follow them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

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
