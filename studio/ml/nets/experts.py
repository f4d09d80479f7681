"""The two FDGN experts: the body expert and the hand expert (FineDance's ``body_net`` and ``hand_net``).

- :class:`BodyExpert` denoises the 139-d body part (4 foot contacts + 3 root + 22 body joints x rot6d),
  conditioned on the music (35-d per frame).
- :class:`WholeBodyNet` denoises all 319 channels with one net (the ablation without a hand expert).
- :class:`HandExpert` denoises the 180-d hands (30 finger joints x rot6d), conditioned on the music AND the
  body expert's output: its condition is ``concat(body (139), music (35))`` per frame, in that order (as the
  published FineDance ``SeqModel``), so ``cond_dim = 174``.

A partner model (``studio.ml.duet``) appends ``lead_dim`` channels (the lead's joints) to the music part of
every condition: ``cond_dim`` is 35 + lead_dim for the body, 174 + lead_dim for the hands.
"""

from __future__ import annotations

import torch

from studio.core.finedance import BODY_FEATURE_DIM, FEATURE_DIM, HAND_FEATURE_DIM, MUSIC_DIM
from studio.ml.nets.denoiser import DanceDenoiser, DenoiserConfig


class BodyExpert(DanceDenoiser):
    def __init__(self, cfg: DenoiserConfig, lead_dim: int = 0) -> None:
        if (cfg.nfeats, cfg.cond_dim) != (BODY_FEATURE_DIM, MUSIC_DIM + lead_dim):
            raise ValueError(f"the body expert needs nfeats={BODY_FEATURE_DIM}, cond_dim={MUSIC_DIM + lead_dim}; "
                             f"got {cfg}")  # fmt: skip
        super().__init__(cfg)


class WholeBodyNet(DanceDenoiser):
    def __init__(self, cfg: DenoiserConfig, lead_dim: int = 0) -> None:
        if (cfg.nfeats, cfg.cond_dim) != (FEATURE_DIM, MUSIC_DIM + lead_dim):
            raise ValueError(f"the whole-body net needs nfeats={FEATURE_DIM}, cond_dim={MUSIC_DIM + lead_dim}; "
                             f"got {cfg}")  # fmt: skip
        super().__init__(cfg)


class HandExpert(DanceDenoiser):
    def __init__(self, cfg: DenoiserConfig, lead_dim: int = 0) -> None:
        expected = (HAND_FEATURE_DIM, BODY_FEATURE_DIM + MUSIC_DIM + lead_dim)
        if (cfg.nfeats, cfg.cond_dim) != expected:
            raise ValueError(f"the hand expert needs nfeats, cond_dim = {expected}; got {cfg}")
        super().__init__(cfg)

    @staticmethod
    def condition(body: torch.Tensor, music: torch.Tensor) -> torch.Tensor:
        """The hand expert's condition: the body (B, T, 139) then the music (B, T, 35; + the lead's channels)."""
        return torch.cat((body, music), dim=-1)
