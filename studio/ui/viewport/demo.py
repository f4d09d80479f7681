"""A small procedural dance for the viewport's tests, benchmark and documentation pictures.

Sine waves on the beat: knees bounce, hips sway and turn, arms swing and bend, the head nods and every
finger curls and opens. The feet stay on the floor: the root height is solved per frame so the lowest
foot joint sits at its rest height above the soles. Not a dance generator, just something that moves
every part the viewport has to show.
"""

from __future__ import annotations

import numpy as np

from studio.core import rotations as rot
from studio.core.motion import Motion
from studio.core.skeleton import FOOT_JOINTS, LEFT_HAND, NUM_JOINTS, RIGHT_HAND, joint_index


def _rot(axis: str, degrees: np.ndarray) -> np.ndarray:
    """(T, 3, 3) rotations about a world axis by per-frame angles in degrees."""
    rotvec = np.zeros((np.size(degrees), 3))
    rotvec[:, "xyz".index(axis)] = np.radians(np.ravel(degrees))
    return rot.axis_angle_to_matrix(rotvec)


def demo_dance(
    avatar,
    seconds: float = 4.0,
    fps: float = 30.0,
    bpm: float = 120.0,
    x: float = 0.0,
    z: float = 0.0,
    phase: float = 0.0,
    facing: float = 0.0,
) -> Motion:
    """A dance of ``seconds`` at ``(x, z)`` on the floor, facing ``facing`` degrees (0 = +Z)."""
    frames = max(1, round(seconds * fps))
    t = np.arange(frames) / fps
    beat = 2 * np.pi * bpm / 60.0 * t + phase
    rotations = np.tile(np.eye(3), (frames, NUM_JOINTS, 1, 1))

    def put(name: str, matrix: np.ndarray) -> None:
        rotations[:, joint_index(name)] = matrix

    bend = 10.0 + 14.0 * (0.5 - 0.5 * np.cos(beat))  # knee bounce on every beat
    for side in ("left", "right"):
        put(f"{side}_hip", _rot("x", -bend))
        put(f"{side}_knee", _rot("x", 2 * bend))
        put(f"{side}_ankle", _rot("x", -bend))
    put("pelvis", _rot("y", facing + 25.0 * np.sin(beat / 4)))
    put("spine1", _rot("z", 6.0 * np.sin(beat / 2)))
    put("spine2", _rot("y", 12.0 * np.sin(beat / 2)))
    put("spine3", _rot("x", 4.0 * np.sin(beat)))
    put("head", _rot("x", 10.0 * np.sin(beat)) @ _rot("y", 15.0 * np.sin(beat / 4)))

    # arms: 0 = T-pose, 75 = down by the side, negative = above the shoulder
    raise_left = 25.0 + 50.0 * np.sin(beat / 2)
    raise_right = 25.0 + 50.0 * np.sin(beat / 2 + np.pi)
    swing = 30.0 * np.sin(beat / 2)
    put("left_shoulder", _rot("y", -swing) @ _rot("z", -raise_left))
    put("right_shoulder", _rot("y", -swing) @ _rot("z", raise_right))
    elbow = 25.0 + 45.0 * (0.5 + 0.5 * np.sin(beat))
    put("left_elbow", _rot("y", -elbow))
    put("right_elbow", _rot("y", elbow))
    put("left_wrist", _rot("z", -15.0 * np.sin(beat)))
    put("right_wrist", _rot("z", 15.0 * np.sin(beat)))

    # fingers: each finger curls on its own phase (base, middle, tip); left curls about -Z, right about +Z
    for hand, sign in ((LEFT_HAND, -1.0), (RIGHT_HAND, 1.0)):
        for finger in range(5):
            curl = 75.0 * (0.5 + 0.5 * np.sin(beat / 2 + 0.6 * finger))
            thumb = finger == 4
            for joint, share in enumerate((0.9, 1.1, 0.7)):
                axis_angle = sign * curl * share * (0.45 if thumb else 1.0)
                rotations[:, hand[3 * finger + joint]] = _rot("z", axis_angle)

    trans = np.zeros((frames, 3))
    trans[:, 0] = x + 0.08 * np.sin(beat / 2)
    trans[:, 2] = z
    skeleton = avatar.skeleton
    feet = list(FOOT_JOINTS)
    clearance = skeleton.rest_positions[feet, 1] - float(avatar.vertices[:, 1].min())
    grounded = Motion(trans, rotations, fps).positions(skeleton)[:, feet, 1]
    trans[:, 1] = np.max(clearance[None, :] - grounded, axis=1)
    return Motion(trans, rotations, fps)
