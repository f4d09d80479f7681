"""The two FDGN experts: the body expert and the hand expert (FineDance's ``body_net`` and ``hand_net``).

- :class:`BodyExpert` denoises the 139-d body part (4 foot contacts + 3 root + 22 body joints x rot6d),
  conditioned on the music (35-d per frame).
- :class:`WholeBodyNet` denoises all 319 channels with one net (the ablation without a hand expert).
- :class:`HandExpert` denoises the 180-d hands (30 finger joints x rot6d), conditioned on the music AND the
  body expert's output: its condition is ``concat(body (139), music (35))`` per frame, in that order (as the
  published FineDance ``SeqModel``), so ``cond_dim = 174``.
"""

from __future__ import annotations

import torch

from studio.core.finedance import BODY_FEATURE_DIM, FEATURE_DIM, HAND_FEATURE_DIM, MUSIC_DIM
from studio.ml.nets.denoiser import DanceDenoiser, DenoiserConfig


class BodyExpert(DanceDenoiser):
    def __init__(self, cfg: DenoiserConfig) -> None:
        if (cfg.nfeats, cfg.cond_dim) != (BODY_FEATURE_DIM, MUSIC_DIM):
            raise ValueError(f"the body expert needs nfeats={BODY_FEATURE_DIM}, cond_dim={MUSIC_DIM}; got {cfg}")
        super().__init__(cfg)


class WholeBodyNet(DanceDenoiser):
    def __init__(self, cfg: DenoiserConfig) -> None:
        if (cfg.nfeats, cfg.cond_dim) != (FEATURE_DIM, MUSIC_DIM):
            raise ValueError(f"the whole-body net needs nfeats={FEATURE_DIM}, cond_dim={MUSIC_DIM}; got {cfg}")
        super().__init__(cfg)


class HandExpert(DanceDenoiser):
    def __init__(self, cfg: DenoiserConfig) -> None:
        expected = (HAND_FEATURE_DIM, BODY_FEATURE_DIM + MUSIC_DIM)
        if (cfg.nfeats, cfg.cond_dim) != expected:
            raise ValueError(f"the hand expert needs nfeats, cond_dim = {expected}; got {cfg}")
        super().__init__(cfg)

    @staticmethod
    def condition(body: torch.Tensor, music: torch.Tensor) -> torch.Tensor:
        """The hand expert's condition: the body (B, T, 139) then the music (B, T, 35)."""
        return torch.cat((body, music), dim=-1)
