"""``Motion``: root translation and local joint rotations over time, and the pure operations on it.

The root translation is the PELVIS position in the world (as FineDance's and EDGE's forward kinematics
use it), not SMPL-X's ``transl`` parameter (which is pelvis minus the rest pelvis offset; the NPZ exporter
converts). Rotations are local: joint ``j``'s global rotation is ``global[parent[j]] @ local[j]``; the
pelvis's local rotation is the body's world orientation.

Operations return new objects (fairmotion's ``ops`` style); arrays are never shared with the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from studio.core import rotations as rot
from studio.core.skeleton import MIRROR, NUM_JOINTS, PARENTS, Skeleton


def _depth_levels() -> list[tuple[np.ndarray, np.ndarray]]:
    depth = [0] * NUM_JOINTS
    for joint in range(1, NUM_JOINTS):
        depth[joint] = depth[PARENTS[joint]] + 1
    levels = []
    for level in range(1, max(depth) + 1):
        joints = np.array([j for j in range(NUM_JOINTS) if depth[j] == level])
        levels.append((joints, np.array([PARENTS[j] for j in joints])))
    return levels


_DEPTH_LEVELS = _depth_levels()

# Reflection across the sagittal plane (x -> -x): the left/right mirror of a Y-up, +Z-facing body.
_REFLECT = np.diag([-1.0, 1.0, 1.0])


@dataclass(frozen=True, eq=False)
class Motion:
    trans: np.ndarray  # (T, 3) pelvis position, metres
    rotations: np.ndarray  # (T, 52, 3, 3) local rotation matrices
    fps: float = 30.0

    def __post_init__(self) -> None:
        trans = np.array(self.trans, dtype=np.float64)
        rotations = np.array(self.rotations, dtype=np.float64)
        if trans.ndim != 2 or trans.shape[1] != 3:
            raise ValueError(f"trans must be (T, 3), got {trans.shape}")
        if rotations.shape != (trans.shape[0], NUM_JOINTS, 3, 3):
            raise ValueError(f"rotations must be ({trans.shape[0]}, {NUM_JOINTS}, 3, 3), got {rotations.shape}")
        if not (np.all(np.isfinite(trans)) and np.all(np.isfinite(rotations))):
            raise ValueError("motion contains NaN or infinite values")
        if not self.fps > 0:
            raise ValueError(f"fps must be positive, got {self.fps}")
        object.__setattr__(self, "trans", trans)
        object.__setattr__(self, "rotations", rotations)
        object.__setattr__(self, "fps", float(self.fps))

    # -- construction -------------------------------------------------------------------------------
    @classmethod
    def rest(cls, num_frames: int, skeleton: Skeleton | None = None, fps: float = 30.0) -> Motion:
        """Standing still in the T-pose at the skeleton's rest pelvis position."""
        pelvis = np.zeros(3) if skeleton is None else skeleton.rest_positions[0]
        trans = np.repeat(pelvis[None], num_frames, axis=0)
        rotations = np.broadcast_to(np.eye(3), (num_frames, NUM_JOINTS, 3, 3))
        return cls(trans, rotations, fps)

    @classmethod
    def from_axis_angle(cls, trans: np.ndarray, axis_angle: np.ndarray, fps: float = 30.0) -> Motion:
        """From (T, 3) translation and (T, 52, 3) axis-angle rotations."""
        return cls(trans, rot.axis_angle_to_matrix(axis_angle), fps)

    # -- basic properties ---------------------------------------------------------------------------
    @property
    def num_frames(self) -> int:
        return self.trans.shape[0]

    @property
    def duration(self) -> float:
        return self.num_frames / self.fps

    def __len__(self) -> int:
        return self.num_frames

    def __getitem__(self, index: slice) -> Motion:
        if not isinstance(index, slice):
            raise TypeError("a Motion is sliced by frames, e.g. motion[10:40]")
        return Motion(self.trans[index], self.rotations[index], self.fps)

    def copy(self) -> Motion:
        return Motion(self.trans, self.rotations, self.fps)

    def allclose(self, other: Motion, atol: float = 1e-6) -> bool:
        return (
            self.num_frames == other.num_frames
            and self.fps == other.fps
            and np.allclose(self.trans, other.trans, atol=atol)
            and np.allclose(self.rotations, other.rotations, atol=atol)
        )

    def axis_angle(self) -> np.ndarray:
        return rot.matrix_to_axis_angle(self.rotations)

    # -- kinematics ---------------------------------------------------------------------------------
    def global_transforms(self, skeleton: Skeleton) -> np.ndarray:
        """World transform of every joint: (T, 52, 4, 4); rotation = accumulated, translation = position."""
        global_rot, positions = self._forward(skeleton)
        out = np.zeros((self.num_frames, NUM_JOINTS, 4, 4))
        out[..., :3, :3] = global_rot
        out[..., :3, 3] = positions
        out[..., 3, 3] = 1.0
        return out

    def positions(self, skeleton: Skeleton) -> np.ndarray:
        """World joint positions (T, 52, 3), metres."""
        return self._forward(skeleton)[1]

    def _forward(self, skeleton: Skeleton) -> tuple[np.ndarray, np.ndarray]:
        if skeleton.parents != PARENTS:
            raise ValueError("skeleton does not have the 52-joint SMPL-X hierarchy")
        global_rot = np.empty_like(self.rotations)
        positions = np.empty((self.num_frames, NUM_JOINTS, 3))
        global_rot[:, 0] = self.rotations[:, 0]
        positions[:, 0] = self.trans
        offsets = skeleton.offsets
        # One batched step per tree depth (11 levels) instead of one per joint (51): ~4x faster.
        for joints, parents in _DEPTH_LEVELS:
            parent_rot = global_rot[:, parents]
            global_rot[:, joints] = parent_rot @ self.rotations[:, joints]
            positions[:, joints] = positions[:, parents] + np.einsum("tjab,jb->tja", parent_rot, offsets[joints])
        return global_rot, positions

    # -- editing operations (pure) ------------------------------------------------------------------
    def mirrored(self) -> Motion:
        """Left/right mirror: swap left and right joints and reflect across the body's sagittal plane."""
        rotations = _REFLECT @ self.rotations[:, MIRROR] @ _REFLECT
        trans = self.trans * np.array([-1.0, 1.0, 1.0])
        return Motion(trans, rotations, self.fps)

    def resampled(self, fps: float) -> Motion:
        """Resample to ``fps`` keeping the duration: linear translation, slerped rotations."""
        if fps <= 0:
            raise ValueError(f"fps must be positive, got {fps}")
        if self.num_frames < 2 or fps == self.fps:
            return Motion(self.trans, self.rotations, fps)
        count = max(2, round((self.num_frames - 1) * fps / self.fps) + 1)
        src = np.linspace(0.0, self.num_frames - 1, count)
        lo = np.clip(np.floor(src).astype(int), 0, self.num_frames - 2)
        t = src - lo
        trans = self.trans[lo] * (1 - t)[:, None] + self.trans[lo + 1] * t[:, None]
        quat = rot.matrix_to_quat(self.rotations)
        q = rot.slerp_quat(quat[lo], quat[lo + 1], np.repeat(t[:, None], NUM_JOINTS, axis=1))
        return Motion(trans, rot.quat_to_matrix(q), fps)

    def translated(self, offset: Sequence[float]) -> Motion:
        return Motion(self.trans + np.asarray(offset, dtype=np.float64), self.rotations, self.fps)


def concatenate(motions: Sequence[Motion]) -> Motion:
    """Join motions end to end (same fps required); no blending, see the pipeline for smooth seams."""
    if not motions:
        raise ValueError("nothing to concatenate")
    fps = motions[0].fps
    if any(m.fps != fps for m in motions):
        raise ValueError(f"cannot concatenate motions of different frame rates: {[m.fps for m in motions]}")
    return Motion(
        np.concatenate([m.trans for m in motions]),
        np.concatenate([m.rotations for m in motions]),
        fps,
    )


def held(motion: Motion, before: int = 0, after: int = 0) -> Motion:
    """The motion with its first pose held ``before`` frames longer at the start and its last ``after`` at the end."""
    if before < 0 or after < 0:
        raise ValueError(f"frames to hold must not be negative, got {before}, {after}")
    index = np.concatenate([np.zeros(before, int), np.arange(len(motion)), np.full(after, len(motion) - 1)])
    return Motion(motion.trans[index], motion.rotations[index], motion.fps)


def fit_length(motion: Motion, frames: int) -> Motion:
    """Exactly ``frames`` frames: cut, or the last pose held (a generator one frame off would shift the song)."""
    if len(motion) >= frames:
        return motion if len(motion) == frames else motion[:frames]
    return held(motion, after=frames - len(motion))
