"""A stub GCRM whose embeddings are known by construction, and helpers to build inputs for it."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from studio.ml.genre import GCRMConfig, GenrePrototypes, GenreRanker


class StubGCRM(nn.Module):
    """Music embedding = the mean of the first 3 mel bands; dance embedding = the mean pelvis position."""

    def __init__(self) -> None:
        super().__init__()
        self.config = GCRMConfig(embed_dim=3, music_dim=32, music_heads=2, music_layers=1, dance_channels=(8,),
                                 dance_strides=(1,))  # fmt: skip

    def embed_music(self, mel: torch.Tensor) -> torch.Tensor:
        return F.normalize(mel[..., :3].mean(dim=1), dim=-1)

    def embed_dance(self, positions: torch.Tensor) -> torch.Tensor:
        return F.normalize(positions[:, :, 0, :].mean(dim=1), dim=-1)


def music_along(direction, frames: int = 120) -> np.ndarray:
    mel = np.zeros((frames, 128), dtype=np.float32)
    mel[:, :3] = np.asarray(direction, dtype=np.float32)
    return mel


def dance_along(direction, frames: int = 120, offset=(0.0, 0.0, 0.0)) -> np.ndarray:
    """(frames, 52, 3) positions: every joint at the same point ``direction`` (+ ``offset`` from frame 5 on)."""
    positions = np.zeros((frames, 52, 3), dtype=np.float32)
    positions[:] = np.asarray(direction, dtype=np.float32)
    positions[5:] += np.asarray(offset, dtype=np.float32)
    return positions


def stub_ranker(**kwargs) -> GenreRanker:
    names = ("Breaking", "Jazz", "Kun")
    table = torch.eye(3)
    prototypes = GenrePrototypes(names, table, table, temperature=0.1)
    return GenreRanker(StubGCRM(), prototypes, **kwargs)
