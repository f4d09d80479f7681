"""What the viewport draws, as plain data: no Qt, no GL.

``DancerView`` is what the editor hands over per dancer. ``PoseCache`` turns a motion into per-frame
skinning matrices and joint positions ONCE (forward kinematics per chunk of frames, cached per motion
object), so a paint only looks a frame up. ``build_scene`` picks the frame for a time and yields one
``DancerPose`` per visible dancer: colour, 52 skinning matrices, joints, contact-shadow placement.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from studio.core.motion import Motion
from studio.core.skeleton import FOOT_JOINTS, Skeleton

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
SHADOW_FADE_HEIGHT = 0.8  # m the pelvis rises above its standing height before the shadow is gone


@dataclass(frozen=True, eq=False)
class DancerView:
    """One dancer as the editor sees it: its chosen motion (None = not generated yet), colour, name."""

    motion: Motion | None
    color: str  # "#e07a5f"
    name: str = ""


def parse_color(color: str) -> tuple[float, float, float]:
    """'#rrggbb' or '#rgb' -> (r, g, b) in 0..1.  Anything else raises ValueError naming the value."""
    match = _HEX.match(color.strip()) if isinstance(color, str) else None
    if not match:
        raise ValueError(f"dancer colour must be '#rrggbb' or '#rgb', got {color!r}")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return tuple(int(digits[i : i + 2], 16) / 255.0 for i in (0, 2, 4))


def frame_at(motion: Motion, seconds: float) -> int:
    """The frame showing at ``seconds``: floor(t * fps), clamped to the motion."""
    frame = math.floor(seconds * motion.fps + 1e-6) if math.isfinite(seconds) else 0
    return min(max(frame, 0), motion.num_frames - 1)


CHUNK_FRAMES = 128  # forward kinematics run on this many frames at a time (about 4 s at 30 fps)


class PoseCache:
    """Per-frame skinning matrices and joint positions of motions, computed once and kept.

    Forward kinematics run per chunk of ``CHUNK_FRAMES`` frames, the first time a frame of that chunk is
    asked for: handing over a 3-minute dance costs one chunk, not the whole song, and a paint after that
    is a look-up. A few motions are kept (the chosen ones and the previews), least recently used first out.
    """

    def __init__(self, skeleton: Skeleton, capacity: int = 8) -> None:
        self.skeleton = skeleton
        self.capacity = capacity
        self._entries: OrderedDict[int, tuple[Motion, dict[int, tuple[np.ndarray, np.ndarray]]]] = OrderedDict()
        self.computed = 0  # how many chunks went through FK (tests check that paints do not)

    def pose(self, motion: Motion, frame: int) -> tuple[np.ndarray, np.ndarray]:
        """(skinning (52, 4, 4) float32, joints (52, 3)) of ``motion`` at ``frame``."""
        key = id(motion)
        entry = self._entries.get(key)
        if entry is None or entry[0] is not motion:
            entry = (motion, {})  # holding the motion keeps its id from being reused
            self._entries[key] = entry
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(key)
        chunk = frame // CHUNK_FRAMES
        frames = entry[1].get(chunk)
        if frames is None:
            frames = entry[1][chunk] = self._compute(motion[chunk * CHUNK_FRAMES : (chunk + 1) * CHUNK_FRAMES])
        skinning, joints = frames
        return skinning[frame - chunk * CHUNK_FRAMES], joints[frame - chunk * CHUNK_FRAMES]

    def _compute(self, motion: Motion) -> tuple[np.ndarray, np.ndarray]:
        transforms = motion.global_transforms(self.skeleton)  # (T, 52, 4, 4)
        joints = transforms[..., :3, 3].copy()
        # bind pose = T-pose with identity rotations: skin_k = G_k @ T(-rest_k)
        transforms[..., :3, 3] -= (transforms[..., :3, :3] @ self.skeleton.rest_positions[:, :, None])[..., 0]
        self.computed += 1
        return transforms.astype(np.float32), joints

    def clear(self) -> None:
        self._entries.clear()


@dataclass(frozen=True)
class DancerPose:
    """One dancer on one frame, ready to draw."""

    index: int
    name: str
    color: tuple[float, float, float]
    frame: int
    skinning: np.ndarray  # (52, 4, 4) float32
    joints: np.ndarray  # (52, 3)
    shadow_center: np.ndarray  # (2,) x, z on the floor
    shadow_radius: float
    shadow_strength: float  # 0..1


def contact_shadow(joints: np.ndarray, standing_pelvis_height: float) -> tuple[np.ndarray, float, float]:
    """A blob under the body: centred between pelvis and feet, wide enough for the stance, fading with height."""
    feet = joints[list(FOOT_JOINTS)]
    points = np.concatenate([joints[:1], feet])[:, [0, 2]]
    center = points.mean(axis=0)
    radius = max(0.3, float(np.linalg.norm(points - center, axis=1).max()) + 0.18)
    rise = float(joints[0, 1]) - standing_pelvis_height
    strength = float(np.clip(1.0 - rise / SHADOW_FADE_HEIGHT, 0.0, 1.0))
    return center, radius, strength


def build_scene(
    dancers: list[DancerView],
    previews: dict[int, Motion],
    seconds: float,
    cache: PoseCache | None,
    standing_pelvis_height: float,
) -> list[DancerPose]:
    """The dancers to draw at ``seconds``: a preview replaces its dancer's motion; no motion, no body."""
    if cache is None:
        return []
    out = []
    for index, dancer in enumerate(dancers):
        motion = previews.get(index, dancer.motion)
        if motion is None or motion.num_frames == 0:
            continue
        frame = frame_at(motion, seconds)
        skinning, joints = cache.pose(motion, frame)
        center, radius, strength = contact_shadow(joints, standing_pelvis_height)
        out.append(
            DancerPose(
                index=index,
                name=dancer.name,
                color=parse_color(dancer.color),
                frame=frame,
                skinning=skinning,
                joints=joints,
                shadow_center=center,
                shadow_radius=radius,
                shadow_strength=strength,
            )
        )
    return out


def vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted rest-pose vertex normals (V, 3) float32, unit length (the shader skins them)."""
    v = np.asarray(vertices, dtype=np.float64)
    f = np.asarray(faces, dtype=np.int64)
    face_normals = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
    normals = np.zeros_like(v)
    for corner in range(3):
        np.add.at(normals, f[:, corner], face_normals)
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    normals = np.divide(normals, length, out=np.tile([0.0, 1.0, 0.0], (len(v), 1)), where=length > 1e-12)
    return normals.astype(np.float32)
