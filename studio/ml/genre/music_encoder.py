"""``MusicStyleEncoder``: an AST-style transformer over log-mel patches of one segment, to a style embedding.

Input: the song analysis' log-mel (``SongAnalysis.mel``: 128 bands in dB at 30 fps), a batch of segments
``(B, T, 128)`` with ``T <= config.max_frames``. Each segment is standardised on its own (zero mean, unit
standard deviation over all its bins, the deviation floored at 1 dB), so loudness and recording level do not
matter, only the spectral and temporal pattern. ``T`` is padded (edge frames repeated) to a multiple of
``patch_frames``; the segment is cut into non-overlapping ``patch_frames x patch_bands`` patches (10 frames x
16 bands: 12 x 8 = 96 patches for 4 s), each projected linearly (as AST's patch embedding) and given a
factorised learned position (time row + band column, so any length up to ``max_frames`` works). A class
token and the patches go through a pre-norm transformer encoder; the class token and the patch mean are
concatenated and projected to ``embed_dim``. The output is NOT normalised (``GCRM`` does that).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from studio.ml.genre.config import GCRMConfig

MIN_STD_DB = 1.0


def standardise(mel: torch.Tensor) -> torch.Tensor:
    """(B, T, F) dB -> zero mean, unit deviation per segment (deviation floored at ``MIN_STD_DB``)."""
    mean = mel.mean(dim=(1, 2), keepdim=True)
    std = mel.std(dim=(1, 2), keepdim=True, unbiased=False).clamp_min(MIN_STD_DB)
    return (mel - mean) / std


class MusicStyleEncoder(nn.Module):
    def __init__(self, config: GCRMConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        self.bands = c.n_mels // c.patch_bands
        self.max_patches = -(-c.max_frames // c.patch_frames)
        self.patch = nn.Linear(c.patch_frames * c.patch_bands, c.music_dim)
        self.time_pos = nn.Parameter(torch.randn(self.max_patches, c.music_dim) * 0.02)
        self.band_pos = nn.Parameter(torch.randn(self.bands, c.music_dim) * 0.02)
        self.cls = nn.Parameter(torch.randn(1, 1, c.music_dim) * 0.02)
        layer = nn.TransformerEncoderLayer(
            c.music_dim, c.music_heads, dim_feedforward=2 * c.music_dim, dropout=c.dropout, activation="gelu",
            batch_first=True, norm_first=True,
        )  # fmt: skip
        self.encoder = nn.TransformerEncoder(layer, c.music_layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(2 * c.music_dim)
        self.head = nn.Linear(2 * c.music_dim, c.embed_dim)

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        """(B, T, n_mels) log-mel in dB -> (B, embed_dim)."""
        c = self.config
        if mel.ndim != 3 or mel.shape[2] != c.n_mels or not 1 <= mel.shape[1] <= c.max_frames:
            raise ValueError(f"mel must be (B, 1..{c.max_frames}, {c.n_mels}), got {tuple(mel.shape)}")
        x = standardise(mel)
        pad = -x.shape[1] % c.patch_frames
        if pad:
            x = F.pad(x.transpose(1, 2), (0, pad), mode="replicate").transpose(1, 2)
        b, t, _ = x.shape
        n_time = t // c.patch_frames
        patches = x.reshape(b, n_time, c.patch_frames, self.bands, c.patch_bands).permute(0, 1, 3, 2, 4)
        tokens = self.patch(patches.reshape(b, n_time, self.bands, -1))
        tokens = tokens + self.time_pos[:n_time, None] + self.band_pos[None]
        tokens = torch.cat((self.cls.expand(b, -1, -1), tokens.reshape(b, n_time * self.bands, -1)), dim=1)
        out = self.encoder(tokens)
        pooled = torch.cat((out[:, 0], out[:, 1:].mean(dim=1)), dim=-1)
        return self.head(self.norm(pooled))
