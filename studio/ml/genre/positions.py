"""Joint positions (M, N, 52, 3) in metres from whatever form a candidate dance comes in.

Accepted: 319-d training features (a ``SegmentResult`` or an array ``(M, N, 319)`` / ``(N, 319)``), FineDance
motion arrays ``(M, N, 315)`` / ``(N, 315)``, positions ``(M, N, 52, 3)`` / ``(N, 52, 3)``, a ``Motion`` or a
sequence of them (or of arrays of one length). Rotations go through ``studio.ml.kinematics``'s torch forward
kinematics on the given skeleton's offsets (the default avatar's unless told).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from studio.core.errors import InputError
from studio.core.finedance import FEATURE_DIM, MOTION_DIM
from studio.core.motion import Motion
from studio.core.skeleton import NUM_JOINTS
from studio.ml.kinematics import ForwardKinematics, rot6d_to_matrix


def forward_kinematics(skeleton=None) -> ForwardKinematics:
    if skeleton is None:
        from studio.body.provider import default_skeleton

        skeleton = default_skeleton()
    return ForwardKinematics(skeleton)


def to_positions(dances: Any, fk: ForwardKinematics) -> torch.Tensor:
    """(M, N, 52, 3) float32 positions of M dances of N frames each (one dance gives M = 1)."""
    if hasattr(dances, "features") and not isinstance(dances, np.ndarray | torch.Tensor):
        dances = dances.features
    if isinstance(dances, Motion):
        dances = [dances]
    if isinstance(dances, Sequence) and not isinstance(dances, np.ndarray | torch.Tensor):
        if not dances:
            raise InputError(None, expected="at least one candidate dance", found="none")
        if all(isinstance(d, Motion) for d in dances):
            lengths = {d.num_frames for d in dances}
            if len(lengths) != 1:
                raise InputError(None, expected="candidates of one length", found=f"lengths {sorted(lengths)}")
            rot = torch.as_tensor(np.stack([d.rotations for d in dances]), dtype=torch.float32)
            trans = torch.as_tensor(np.stack([d.trans for d in dances]), dtype=torch.float32)
            with torch.no_grad():
                return fk(rot, trans)
        try:
            dances = np.stack([np.asarray(d, dtype=np.float32) for d in dances])
        except ValueError as error:
            raise InputError(None, expected="candidates of one shape", found=str(error)) from None
    x = torch.as_tensor(np.asarray(dances) if not isinstance(dances, torch.Tensor) else dances).float()
    if x.ndim >= 1 and x.shape[-1] in (FEATURE_DIM, MOTION_DIM) and x.ndim in (2, 3):
        x = x if x.ndim == 3 else x[None]
        with torch.no_grad():
            if x.shape[-1] == FEATURE_DIM:
                return fk.from_features(x)
            return fk(rot6d_to_matrix(x[..., 3:].unflatten(-1, (-1, 6))), x[..., :3])
    if x.ndim in (3, 4) and x.shape[-2:] == (NUM_JOINTS, 3):
        return x if x.ndim == 4 else x[None]
    expected = (f"dances as (M, N, {FEATURE_DIM}) features, (M, N, {MOTION_DIM}) motion arrays, "
                f"(M, N, {NUM_JOINTS}, 3) positions or Motion objects")  # fmt: skip
    raise InputError(None, expected=expected, found=f"shape {tuple(x.shape)}")
