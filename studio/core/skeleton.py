"""The 52-joint SMPL-X skeleton without jaw and eyes, in FineDance order.

22 body joints (pelvis first, SMPL-X order) + 15 left-hand + 15 right-hand joints. Y is up, metres.
The character faces +Z in the rest pose, its left side is +X (SMPL-X convention).

Rest joint positions are not hard-coded here: an avatar provider (``studio.body``) supplies them, from
mannequin-x by default or from the user's SMPL-X model files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

BODY_NAMES = (
    "pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee", "spine2",
    "left_ankle", "right_ankle", "spine3", "left_foot", "right_foot", "neck", "left_collar",
    "right_collar", "head", "left_shoulder", "right_shoulder", "left_elbow", "right_elbow",
    "left_wrist", "right_wrist",
)  # fmt: skip
_FINGERS = ("index", "middle", "pinky", "ring", "thumb")  # SMPL-X hand order
LEFT_HAND_NAMES = tuple(f"left_{f}{i}" for f in _FINGERS for i in (1, 2, 3))
RIGHT_HAND_NAMES = tuple(f"right_{f}{i}" for f in _FINGERS for i in (1, 2, 3))
JOINT_NAMES: tuple[str, ...] = BODY_NAMES + LEFT_HAND_NAMES + RIGHT_HAND_NAMES

NUM_JOINTS = 52
NUM_BODY_JOINTS = 22
NUM_HAND_JOINTS = 30
BODY = np.arange(0, 22)
LEFT_HAND = np.arange(22, 37)
RIGHT_HAND = np.arange(37, 52)
HANDS = np.arange(22, 52)

_BODY_PARENTS = (-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19)


def _hand_parents(wrist: int, first: int) -> tuple[int, ...]:
    parents = []
    for finger in range(5):
        base = first + 3 * finger
        parents += [wrist, base, base + 1]
    return tuple(parents)


PARENTS: tuple[int, ...] = _BODY_PARENTS + _hand_parents(20, 22) + _hand_parents(21, 37)

# Joints whose speed decides foot contact in the 319-d training feature (EDGE / FineDance):
# left ankle, right ankle, left foot (toe base), right foot.
FOOT_JOINTS = (7, 8, 10, 11)


def _mirror_permutation() -> np.ndarray:
    index = {name: i for i, name in enumerate(JOINT_NAMES)}
    perm = []
    for name in JOINT_NAMES:
        if name.startswith("left_"):
            perm.append(index["right_" + name[5:]])
        elif name.startswith("right_"):
            perm.append(index["left_" + name[6:]])
        else:
            perm.append(index[name])
    return np.asarray(perm)


MIRROR = _mirror_permutation()


def joint_index(name: str) -> int:
    try:
        return JOINT_NAMES.index(name)
    except ValueError:
        raise KeyError(f"no joint named {name!r}; joints are SMPL-X names such as 'left_wrist'") from None


@dataclass(frozen=True)
class Skeleton:
    """Joint names, parents and rest positions (T-pose, world frame, metres)."""

    rest_positions: np.ndarray  # (52, 3)
    names: tuple[str, ...] = JOINT_NAMES
    parents: tuple[int, ...] = PARENTS
    source: str = "unknown"
    offsets: np.ndarray = field(init=False, repr=False)  # (52, 3) rest offset from the parent

    def __post_init__(self) -> None:
        rest = np.asarray(self.rest_positions, dtype=np.float64)
        if rest.shape != (len(self.names), 3) or not np.all(np.isfinite(rest)):
            raise ValueError(f"rest positions must be finite ({len(self.names)}, 3), got {rest.shape}")
        offsets = rest.copy()
        for joint, parent in enumerate(self.parents):
            if parent >= 0:
                offsets[joint] = rest[joint] - rest[parent]
        object.__setattr__(self, "rest_positions", rest)
        object.__setattr__(self, "offsets", offsets)

    @property
    def num_joints(self) -> int:
        return len(self.names)

    def children(self, joint: int) -> list[int]:
        return [j for j, p in enumerate(self.parents) if p == joint]

    def floor_height(self) -> float:
        """Height of the lowest foot joint in the rest pose (the soles are a little below it)."""
        return float(self.rest_positions[list(FOOT_JOINTS), 1].min())
