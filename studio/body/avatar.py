"""The avatar: a rest skeleton plus an optional linear-blend-skinned mesh, whatever its source.

Skinning convention (the GPU shader, the FBX/glTF exporters and the tests all use it): bind pose = the
T-pose with identity joint rotations, so the inverse bind matrix of joint ``k`` is a pure translation by
``-rest_positions[k]``. A posed vertex is ``sum_k w_k * (R_k @ (v_rest - rest_k) + p_k)`` with ``R_k, p_k``
the joint's world rotation and position from ``Motion.global_transforms``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studio.core.motion import Motion
from studio.core.skeleton import Skeleton


@dataclass(frozen=True, eq=False)
class Avatar:
    name: str
    skeleton: Skeleton
    vertices: np.ndarray  # (V, 3) rest vertices, same frame as skeleton.rest_positions
    faces: np.ndarray  # (F, 3) int32 triangles
    skin_joints: np.ndarray  # (V, 4) int32 indices into the 52 joints
    skin_weights: np.ndarray  # (V, 4) float32, rows sum to 1

    @property
    def pelvis_height(self) -> float:
        """Height of the rest pelvis above the soles: the root height of a body standing on the floor."""
        return float(self.skeleton.rest_positions[0, 1] - self.vertices[:, 1].min())

    def skin(self, motion: Motion, frames: slice | np.ndarray | None = None) -> np.ndarray:
        """Posed vertices (F, V, 3) for the chosen frames, on the CPU (exporters, tests)."""
        selected = motion.rotations if frames is None else motion.rotations[frames]
        trans = motion.trans if frames is None else motion.trans[frames]
        transforms = Motion(trans, selected, motion.fps).global_transforms(self.skeleton)
        rest = self.skeleton.rest_positions
        rotations, positions = transforms[..., :3, :3], transforms[..., :3, 3]
        out = np.zeros((transforms.shape[0], *self.vertices.shape))
        for k in range(self.skin_joints.shape[1]):
            joints = self.skin_joints[:, k]
            local = self.vertices - rest[joints]  # (V, 3)
            moved = np.einsum("fvij,vj->fvi", rotations[:, joints], local) + positions[:, joints]
            out += self.skin_weights[None, :, k, None] * moved
        return out
