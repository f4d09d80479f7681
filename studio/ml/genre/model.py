"""``GCRM``: the music-style encoder and the dance-genre encoder, both into one normalised embedding space."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from studio.ml.genre.config import GCRMConfig
from studio.ml.genre.dance_encoder import DanceGenreEncoder
from studio.ml.genre.music_encoder import MusicStyleEncoder


class GCRM(nn.Module):
    def __init__(self, config: GCRMConfig) -> None:
        super().__init__()
        self.config = config
        self.music = MusicStyleEncoder(config)
        self.dance = DanceGenreEncoder(config)

    def embed_music(self, mel: torch.Tensor) -> torch.Tensor:
        """(B, T, n_mels) log-mel (dB), T <= max_frames -> (B, D) unit vectors."""
        return F.normalize(self.music(mel), dim=-1)

    def embed_dance(self, positions: torch.Tensor) -> torch.Tensor:
        """(B, T, 52, 3) joint positions (metres) -> (B, D) unit vectors."""
        return F.normalize(self.dance(positions), dim=-1)

    def forward(self, mel: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        """Cosine similarity of each music row with the dance row beside it: (B,)."""
        return (self.embed_music(mel) * self.embed_dance(positions)).sum(-1)
