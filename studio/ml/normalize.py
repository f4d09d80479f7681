"""Feature normalisation stored with the weights, and the root canonicalisation of a window.

Motion features (319-d) and the condition (35-d music features; for a partner model also the lead's joints,
``studio.ml.duet``) are z-scored per channel with statistics of the training data.
The standard deviation has a floor (``STD_FLOOR``) so that channels that barely move in the training
data (a finger that never bends) do not blow noise up. A model trained without normalisation (the official
FineDance checkpoints) uses :meth:`Normalizer.identity`.

Root canonicalisation: the horizontal root position (x, z) of a window is expressed relative to a reference
point (in training, the window's first frame), so a dancer who has wandered across the floor is still in
the range the net was trained on. The pipeline subtracts the reference before sampling and adds it back.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import torch

from studio.core.finedance import FEATURE_DIM, MUSIC_DIM

STD_FLOOR = 1e-2
ROOT_X, ROOT_Y, ROOT_Z = 4, 5, 6  # root translation channels inside the 319-d feature


class Normalizer:
    """Per-channel ``(x - mean) / std`` for motion and music features."""

    def __init__(
        self, motion_mean: np.ndarray, motion_std: np.ndarray, music_mean: np.ndarray, music_std: np.ndarray
    ) -> None:
        self.motion_mean = np.asarray(motion_mean, dtype=np.float32).reshape(FEATURE_DIM)
        self.motion_std = np.maximum(np.asarray(motion_std, dtype=np.float32).reshape(FEATURE_DIM), STD_FLOOR)
        self.music_mean = np.asarray(music_mean, dtype=np.float32).reshape(-1)
        self.music_std = np.maximum(np.asarray(music_std, dtype=np.float32).reshape(-1), STD_FLOOR)
        if len(self.music_mean) < MUSIC_DIM or len(self.music_std) != len(self.music_mean):
            raise ValueError(f"condition statistics need >= {MUSIC_DIM} matching channels, got "
                             f"{len(self.music_mean)} means and {len(self.music_std)} deviations")  # fmt: skip
        self._cache: dict[tuple[str, torch.device, bool], torch.Tensor] = {}

    @classmethod
    def identity(cls, condition_dim: int = MUSIC_DIM) -> Normalizer:
        return cls(np.zeros(FEATURE_DIM), np.ones(FEATURE_DIM), np.zeros(condition_dim), np.ones(condition_dim))

    @classmethod
    def fit(cls, motions: Iterable[np.ndarray], musics: Iterable[np.ndarray]) -> Normalizer:
        """Statistics over all frames of (T, 319) canonicalised motion features and (T, 35) music features."""
        motion = np.concatenate([np.asarray(m, dtype=np.float64) for m in motions])
        music = np.concatenate([np.asarray(m, dtype=np.float64) for m in musics])
        return cls(motion.mean(0), motion.std(0), music.mean(0), music.std(0))

    @property
    def is_identity(self) -> bool:
        return bool(
            np.all(self.motion_mean == 0) and np.all(self.motion_std == 1)
            and np.all(self.music_mean == 0) and np.all(self.music_std == 1)
        )  # fmt: skip

    def _t(self, name: str, like: torch.Tensor) -> torch.Tensor:
        key = (name, like.device, torch.is_inference_mode_enabled())
        if key not in self._cache:
            self._cache[key] = torch.as_tensor(getattr(self, name), device=like.device)
        return self._cache[key].to(like.dtype)

    def normalize_motion(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self._t("motion_mean", x)) / self._t("motion_std", x)

    def denormalize_motion(self, x: torch.Tensor) -> torch.Tensor:
        return x * self._t("motion_std", x) + self._t("motion_mean", x)

    def normalize_music(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self._t("music_mean", x)) / self._t("music_std", x)

    # -- storage inside model.safetensors ------------------------------------------------------------
    def state_dict(self, prefix: str = "normalizer.") -> dict[str, torch.Tensor]:
        names = ("motion_mean", "motion_std", "music_mean", "music_std")
        return {prefix + name: torch.from_numpy(getattr(self, name).copy()) for name in names}

    @classmethod
    def from_state_dict(cls, tensors: dict[str, torch.Tensor], prefix: str = "normalizer.") -> Normalizer:
        names = ("motion_mean", "motion_std", "music_mean", "music_std")
        missing = [prefix + n for n in names if prefix + n not in tensors]
        if missing:
            raise KeyError(f"normalisation statistics missing: {missing}")
        return cls(*(tensors[prefix + n].float().numpy() for n in names))


def shift_root(features, offset_xz):
    """Add ``offset_xz`` ((2,) or (B, 2) for (B, T, 319)) to the root x/z channels; returns a new array/tensor.

    Canonicalise with ``shift_root(x, -reference)``, undo with ``shift_root(x, reference)``.
    """
    out = features.clone() if isinstance(features, torch.Tensor) else np.array(features, copy=True)
    out[..., ROOT_X] = out[..., ROOT_X] + offset_xz[..., 0, None]
    out[..., ROOT_Z] = out[..., ROOT_Z] + offset_xz[..., 1, None]
    return out
