"""Torch versions of the rot6d decoding and the forward kinematics of ``studio.core`` (for training losses).

Conventions are those of ``studio.core.rotations``: rot6d = the first two ROWS of the matrix; a joint's global
rotation is ``global[parent] @ local``; positions in metres, the root translation is the pelvis position.
"""

from __future__ import annotations

import torch
from torch import nn

from studio.core.skeleton import PARENTS, Skeleton


def rot6d_to_matrix(x: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """(..., 6) -> (..., 3, 3) by Gram-Schmidt on the two rows (never raises: degenerate input stays finite)."""
    a1, a2 = x[..., :3], x[..., 3:]
    b1 = a1 / a1.norm(dim=-1, keepdim=True).clamp_min(eps)
    a2 = a2 - (b1 * a2).sum(-1, keepdim=True) * b1
    b2 = a2 / a2.norm(dim=-1, keepdim=True).clamp_min(eps)
    b3 = torch.cross(b1, b2, dim=-1)
    return torch.stack((b1, b2, b3), dim=-2)


class ForwardKinematics(nn.Module):
    """Joint positions (..., 52, 3) from local rotations (..., 52, 3, 3) and pelvis positions (..., 3)."""

    def __init__(self, skeleton: Skeleton) -> None:
        super().__init__()
        if tuple(skeleton.parents) != PARENTS:
            raise ValueError("forward kinematics needs the 52-joint SMPL-X hierarchy")
        self.parents = PARENTS
        self.register_buffer("offsets", torch.as_tensor(skeleton.offsets, dtype=torch.float32), persistent=False)

    def forward(self, rotations: torch.Tensor, trans: torch.Tensor) -> torch.Tensor:
        offsets = self.offsets.to(rotations.dtype)
        global_rot = [rotations[..., 0, :, :]]
        positions = [trans]
        for joint in range(1, len(self.parents)):
            parent = self.parents[joint]
            positions.append(positions[parent] + (global_rot[parent] @ offsets[joint][:, None])[..., 0])
            global_rot.append(global_rot[parent] @ rotations[..., joint, :, :])
        return torch.stack(positions, dim=-2)

    def from_features(self, features: torch.Tensor) -> torch.Tensor:
        """(..., 319) training features (contacts, root, rot6d) -> (..., 52, 3) positions."""
        rot = rot6d_to_matrix(features[..., 7:].unflatten(-1, (-1, 6)))
        return self(rot, features[..., 4:7])
