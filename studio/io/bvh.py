"""BVH (Biovision hierarchy): one dancer's skeleton and motion as text.

What we write, so that readers agree on it:

- the 52 SMPL-X joints with our names; each leaf gets an ``End Site`` half its own bone long;
- joint OFFSETs are the rest (T-pose) offsets from the parent; the root's OFFSET is zero and its
  position channels carry the pelvis WORLD position. Readers disagree on whether the root OFFSET is added
  to the channels, so a zero root OFFSET is the one choice they all read the same way;
- rotation channels ``Zrotation Xrotation Yrotation`` on every joint: local rotation
  ``R = Rz @ Rx @ Ry`` (intrinsic ZXY, degrees), unwrapped over time so fast turns give no flips;
- Y up, the character faces +Z; metres by default (``units="cm"`` for tools that expect centimetres).
"""

from __future__ import annotations

import io
import os
import re

import numpy as np

from studio.core import rotations as rot
from studio.core.atomic import atomic_path
from studio.core.errors import MotionFormatError
from studio.core.motion import Motion
from studio.core.skeleton import JOINT_NAMES, NUM_JOINTS, PARENTS, Skeleton
from studio.io.euler import continuous_euler

EULER_ORDER = "ZXY"  # intrinsic, matches the channel order in the file
_CHANNELS = " ".join(f"{axis}rotation" for axis in EULER_ORDER)
UNITS = {"m": 1.0, "cm": 100.0}


def _scale(units: str) -> float:
    if units not in UNITS:
        raise ValueError(f"units must be one of {sorted(UNITS)}, got {units!r}")
    return UNITS[units]


def _children(joint: int) -> list[int]:
    return [j for j, p in enumerate(PARENTS) if p == joint]


def _hierarchy(skeleton: Skeleton, scale: float) -> str:
    lines: list[str] = []

    def vec(v: np.ndarray) -> str:
        return " ".join(f"{x:.6f}" for x in v * scale)

    def emit(joint: int, depth: int) -> None:
        pad = "  " * depth
        keyword = "ROOT" if joint == 0 else "JOINT"
        offset = np.zeros(3) if joint == 0 else skeleton.offsets[joint]
        channels = f"6 Xposition Yposition Zposition {_CHANNELS}" if joint == 0 else f"3 {_CHANNELS}"
        lines.extend([f"{pad}{keyword} {JOINT_NAMES[joint]}", f"{pad}{{", f"{pad}  OFFSET {vec(offset)}"])
        lines.append(f"{pad}  CHANNELS {channels}")
        children = _children(joint)
        for child in children:
            emit(child, depth + 1)
        if not children:
            tip = 0.5 * skeleton.offsets[joint]
            lines.extend([f"{pad}  End Site", f"{pad}  {{", f"{pad}    OFFSET {vec(tip)}", f"{pad}  }}"])
        lines.append(f"{pad}}}")

    emit(0, 0)
    return "\n".join(lines)


def _depth_first() -> list[int]:
    """Joint order of the channels in a frame line: the order joints appear in the hierarchy."""
    order: list[int] = []

    def visit(joint: int) -> None:
        order.append(joint)
        for child in _children(joint):
            visit(child)

    visit(0)
    return order


def dumps(motion: Motion, skeleton: Skeleton, units: str = "m") -> str:
    scale = _scale(units)
    order = _depth_first()
    angles = continuous_euler(motion.rotations[:, order], EULER_ORDER)  # (T, 52, 3)
    frames = np.concatenate([motion.trans * scale, angles.reshape(motion.num_frames, -1)], axis=1)
    body = io.StringIO()
    np.savetxt(body, frames, fmt="%.6f", delimiter=" ")
    header = [
        "HIERARCHY",
        _hierarchy(skeleton, scale),
        "MOTION",
        f"Frames: {motion.num_frames}",
        f"Frame Time: {1.0 / motion.fps!r}",  # full precision: readers recompute fps = 1 / frame time
    ]
    return "\n".join(header) + "\n" + body.getvalue()


def save(path: str | os.PathLike, motion: Motion, skeleton: Skeleton, units: str = "m") -> None:
    """Write one dancer to ``path`` (atomically)."""
    text = dumps(motion, skeleton, units)
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="ascii")


# -- reading ------------------------------------------------------------------------------------------


def load(path: str | os.PathLike, units: str = "m") -> tuple[Motion, Skeleton]:
    """Read a BVH with our 52 joints (any channel order, any joint order) back to a Motion.

    The skeleton's rest pelvis is the root OFFSET (zero in our files); FK positions equal the original's.
    """
    scale = _scale(units)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise MotionFormatError(path, expected="a BVH text file", found=str(error)) from None
    try:
        return _parse(text, scale)
    except (ValueError, IndexError, KeyError) as error:
        raise MotionFormatError(path, expected="a BVH file with the 52 SMPL-X joints", found=str(error)) from None


def _parse(text: str, scale: float) -> tuple[Motion, Skeleton]:
    head, _, motion_part = text.partition("MOTION")
    tokens = re.findall(r"[{}]|[^\s{}]+", head)
    names: list[str] = []
    parents: list[int] = []
    offsets: list[np.ndarray] = []
    channels: list[list[str]] = []
    stack: list[int] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in ("ROOT", "JOINT"):
            names.append(tokens[i + 1])
            parents.append(stack[-1] if stack else -1)
            i += 2
        elif token == "End":  # End Site { OFFSET x y z }: nothing to keep
            i = tokens.index("}", i) + 1
        elif token == "{":
            stack.append(len(names) - 1)
            i += 1
        elif token == "}":
            stack.pop()
            i += 1
        elif token == "OFFSET":
            offsets.append(np.array([float(t) for t in tokens[i + 1 : i + 4]]) / scale)
            i += 4
        elif token == "CHANNELS":
            count = int(tokens[i + 1])
            channels.append(tokens[i + 2 : i + 2 + count])
            i += 2 + count
        else:
            i += 1
    if sorted(names) != sorted(JOINT_NAMES):
        missing = sorted(set(JOINT_NAMES) - set(names))[:3]
        raise ValueError(f"{len(names)} joints, missing for example {missing}")

    lines = motion_part.strip().splitlines()
    count = int(lines[0].split(":")[1])
    fps = round(1.0 / float(lines[1].split(":")[1]), 6)
    values = np.loadtxt(io.StringIO("\n".join(lines[2 : 2 + count])), ndmin=2)
    if values.shape[0] != count:
        raise ValueError(f"{count} frames announced, {values.shape[0]} found")

    ours = {name: JOINT_NAMES.index(name) for name in names}
    rest = np.zeros((NUM_JOINTS, 3))
    rotations = np.empty((count, NUM_JOINTS, 3, 3))
    trans = np.zeros((count, 3))
    column = 0
    for k, name in enumerate(names):
        joint = ours[name]
        if (parents[k] == -1) != (joint == 0) or (joint and ours[names[parents[k]]] != PARENTS[joint]):
            raise ValueError(f"joint {name!r} has the wrong parent")
        rest[joint] = offsets[k] + (rest[PARENTS[joint]] if joint else 0.0)
        block = values[:, column : column + len(channels[k])]
        column += len(channels[k])
        kinds = [c.lower() for c in channels[k]]
        order = "".join(c[0].upper() for c in kinds if c.endswith("rotation"))
        angles = block[:, [n for n, c in enumerate(kinds) if c.endswith("rotation")]]
        rotations[:, joint] = rot.euler_to_matrix(angles, order) if order else np.eye(3)
        if joint == 0:  # position channels are the pelvis world position (Blender reads them so too)
            trans[:] = offsets[k]
            for axis, kind in enumerate(("xposition", "yposition", "zposition")):
                if kind in kinds:
                    trans[:, axis] = block[:, kinds.index(kind)] / scale
    return Motion(trans, rotations, fps), Skeleton(rest, source="bvh")
