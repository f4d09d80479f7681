"""``GCRMConfig``: the sizes of GCRM's two encoders, and the presets (``tiny`` for tests, ``small`` shipped)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

N_MELS = 128  # bands of the song analysis' log-mel (studio.audio.features.N_MELS)
FPS = 30.0
# The 16 released FineDance genres (DESIGN.md section 3), the order prototypes are stored in when present.
FINEDANCE_GENRES: tuple[str, ...] = (
    "Breaking", "Popping", "Locking", "Hiphop", "Urban", "Jazz", "Dai", "Uighur", "Miao",
    "HanTang", "ShenYun", "Kun", "DunHuang", "Korean", "Choreography", "Chinese",
)  # fmt: skip


@dataclass(frozen=True)
class GCRMConfig:
    embed_dim: int = 64  # the shared music / dance embedding space
    window: int = 120  # the segment length (frames) the encoders are trained around: 4 s at 30 fps
    # music: an AST-style transformer over log-mel patches
    n_mels: int = N_MELS
    patch_frames: int = 10  # a patch spans 10 frames (1/3 s) ...
    patch_bands: int = 16  # ... and 16 mel bands: 12 x 8 = 96 patches for a 4-s segment
    max_frames: int = 240  # longest input in one piece (positional table); longer input is windowed
    music_dim: int = 64
    music_layers: int = 2
    music_heads: int = 4
    dropout: float = 0.1
    # dance: an AGCN-style graph network on the 52-joint SMPL-X tree with temporal convolutions
    frame_step: int = 3  # positions are taken every 3rd frame (10 fps) before the network
    dance_channels: tuple[int, ...] = (16, 24, 32)
    dance_strides: tuple[int, ...] = (2, 2, 1)  # temporal stride of each block
    temporal_kernel: int = 5
    adaptive: bool = True  # learned (B_k) and data-dependent (C_k) graphs beside the kinematic one

    def __post_init__(self) -> None:
        object.__setattr__(self, "dance_channels", tuple(int(c) for c in self.dance_channels))
        object.__setattr__(self, "dance_strides", tuple(int(s) for s in self.dance_strides))
        if self.embed_dim < 2 or self.window < self.patch_frames or self.max_frames < self.window:
            raise ValueError(f"invalid GCRM config: {self}")
        if self.n_mels % self.patch_bands or self.music_dim % self.music_heads:
            raise ValueError("n_mels must be a multiple of patch_bands and music_dim of music_heads")
        if not self.dance_channels or len(self.dance_channels) != len(self.dance_strides):
            raise ValueError("dance_channels and dance_strides need the same, non-zero length")
        if self.temporal_kernel % 2 == 0 or self.frame_step < 1:
            raise ValueError("temporal_kernel must be odd and frame_step >= 1")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["dance_channels"] = list(self.dance_channels)
        data["dance_strides"] = list(self.dance_strides)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GCRMConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown GCRM config keys: {sorted(unknown)}")
        return cls(**data)


PRESETS: dict[str, dict[str, Any]] = {
    "small": {},
    "tiny": {
        "embed_dim": 16,
        "music_dim": 32,
        "music_layers": 1,
        "music_heads": 2,
        "dance_channels": (8, 16),
        "dance_strides": (1, 2),
        "max_frames": 160,
    },
}


def preset(name: str) -> GCRMConfig:
    if name not in PRESETS:
        raise ValueError(f"no GCRM preset {name!r}; presets: {', '.join(PRESETS)}")
    return GCRMConfig(**PRESETS[name])
