"""The default avatar from the ``mannequin-x`` package: a skinned wooden mannequin, no SMPL-X files needed.

mannequin-x has 54 joints: our 52 plus zero-length ``L_Hand``/``R_Hand`` skinning joints at the wrists
(indices 22 and 23) that parent the fingers. With identity rotations there they coincide with the wrists,
so we fold them into the wrists. The skinning arrays are read from the model's bound skin (pinned
mannequin-x version; a test checks our skinning against ``Mannequin.vertices``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from studio.body.avatar import Avatar
from studio.core.motion import Motion
from studio.core.skeleton import Skeleton

# mannequin-x joint index -> our joint index
_TO_OURS = np.array([*range(22), 20, 21, *range(22, 52)])
# our joint index -> mannequin-x joint index
OURS_TO_MANNEQUIN = np.array([*range(22), *range(24, 54)])


def _model():
    from mannequin import Mannequin

    return Mannequin("wooden", flat_hand_mean=True)


@lru_cache(maxsize=1)
def mannequin_avatar() -> Avatar:
    model = _model()
    rest = model.joint_transforms(model.rest_pose())[OURS_TO_MANNEQUIN, :3, 3].astype(np.float64)
    skeleton = Skeleton(rest, source="mannequin-x")
    identity = model._identity  # the bound skin; see the module docstring
    joints = _TO_OURS[np.asarray(model._skin_joint_indices)].astype(np.int32)
    weights = np.asarray(model._skin_weights, dtype=np.float32)
    return Avatar(
        name="mannequin-x wooden",
        skeleton=skeleton,
        vertices=np.asarray(identity["skin_vertices"], dtype=np.float64),
        faces=np.asarray(model.faces, dtype=np.int32),
        skin_joints=joints,
        skin_weights=weights,
    )


def mannequin_pose(motion: Motion, skeleton: Skeleton) -> dict[str, np.ndarray]:
    """mannequin-x pose parameters for a motion (for comparisons with the package's own kinematics)."""
    axis_angle = motion.axis_angle()
    return {
        "body_pose": axis_angle[:, 1:22],
        "hand_pose": axis_angle[:, 22:52],
        "head_pose": np.zeros((motion.num_frames, 3, 3)),
        "pelvis_rotation": axis_angle[:, 0],
        "global_rotation": np.zeros((motion.num_frames, 3)),
        # mannequin-x places the pelvis at its rest offset + global_translation
        "global_translation": motion.trans - skeleton.rest_positions[0],
    }


def mannequin_joint_transforms(motion: Motion) -> np.ndarray:
    """(T, 52, 4, 4) world joint transforms computed by mannequin-x itself."""
    skeleton = mannequin_avatar().skeleton
    transforms = _model().forward_skeleton(**mannequin_pose(motion, skeleton))
    return np.asarray(transforms)[:, OURS_TO_MANNEQUIN]


def mannequin_vertices(motion: Motion) -> np.ndarray:
    """(T, V, 3) skinned vertices computed by mannequin-x itself."""
    model = _model()
    pose = mannequin_pose(motion, mannequin_avatar().skeleton)
    pose["shape"] = np.zeros((motion.num_frames, 10), dtype=np.float32)
    return np.asarray(model.vertices(pose))
