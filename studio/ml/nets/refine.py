"""The refine net: merges the body expert's and the hand expert's outputs into the final 319-d motion.

FineNet's refine module is a spatial 1-D convolution with a learnable gate (the public FineDance code does
not contain it; this is our design). Per frame the concatenated 319 channels (contacts, root, 22 body and
30 finger joints) are mixed by a 1-D convolution (kernel ``kernel`` frames, so each output channel sees every
joint of the neighbouring frames), a GELU, and a 1x1 convolution back to 319 channels. A per-channel gate
``tanh(gate)``, initialised at 0, scales that correction before it is added to the input::

    out = concat(body, hands) + tanh(gate) * conv(concat(body, hands))

so an untrained refine net is exactly the identity (which is also what a model without one does).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from studio.core.finedance import BODY_FEATURE_DIM, FEATURE_DIM, HAND_FEATURE_DIM


class RefineNet(nn.Module):
    def __init__(self, hidden: int = 128, kernel: int = 3) -> None:
        super().__init__()
        if hidden < 1 or kernel < 1 or kernel % 2 == 0:
            raise ValueError(f"refine net needs hidden >= 1 and an odd kernel, got hidden={hidden}, kernel={kernel}")
        self.mix = nn.Conv1d(FEATURE_DIM, hidden, kernel, padding=kernel // 2)
        self.out = nn.Conv1d(hidden, FEATURE_DIM, 1)
        self.gate = nn.Parameter(torch.zeros(FEATURE_DIM))

    def forward(self, body: torch.Tensor, hands: torch.Tensor) -> torch.Tensor:
        if body.shape[-1] != BODY_FEATURE_DIM or hands.shape[-1] != HAND_FEATURE_DIM:
            raise ValueError(f"refine net takes (…, {BODY_FEATURE_DIM}) body and (…, {HAND_FEATURE_DIM}) hands")
        x = torch.cat((body, hands), dim=-1)
        delta = self.out(F.gelu(self.mix(x.transpose(1, 2)))).transpose(1, 2)
        return x + torch.tanh(self.gate) * delta
