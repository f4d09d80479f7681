"""Hand shapes: finger rotations for fists, open palms, pointing, snaps, the orchid hand and others.

Shapes are authored for the LEFT hand (rest: palm down, fingers along +X, thumb toward +Z) as flexion
angles per finger joint; the right hand is the mirror image. Zero is the flat hand (FineDance's
``flat_hand_mean=True``). Flexion curls a finger toward the palm (rotation about -Z); spread opens it
sideways (about Y); the thumb curls about its own bending axis and adducts toward the index (about Y).

Ranges kept (degrees): finger flexion -20 (slight hyper-extension) .. 100 at the base joint, 0 .. 110 in
the middle, 0 .. 80 at the tip; spread -20 .. 20; thumb curl -10 .. 60, adduction -20 .. 50.
"""

from __future__ import annotations

import numpy as np

from studio.core import rotations as rot

FINGERS = ("index", "middle", "pinky", "ring", "thumb")  # SMPL-X order, 3 joints each
_REFLECT = np.diag([-1.0, 1.0, 1.0])
_THUMB_DIR = np.array([0.55, 0.0, 0.83])  # the rest thumb points forward-out
_THUMB_CURL_AXIS = np.cross(_THUMB_DIR, [0.0, -1.0, 0.0])

# name: (index, middle, pinky, ring) as (base, middle, tip, spread) + thumb (curl1, curl2, curl3, adduction)
_SHAPES: dict[str, tuple[tuple[float, ...], ...]] = {
    "flat": ((0, 0, 0, 2), (0, 0, 0, 0), (0, 0, 0, -4), (0, 0, 0, -2), (0, 0, 0, 0)),
    "relaxed": ((12, 18, 8, 3), (16, 22, 10, 0), (28, 30, 16, -6), (22, 26, 12, -3), (8, 10, 5, 12)),
    "fist": ((85, 100, 60, 0), (88, 100, 60, 0), (90, 95, 55, 0), (88, 98, 58, 0), (35, 30, 25, 40)),
    "point": ((0, 0, 0, 0), (88, 100, 60, 0), (90, 95, 55, 0), (88, 98, 58, 0), (30, 35, 25, 35)),
    "two": ((0, 0, 0, 10), (0, 0, 0, -8), (90, 95, 55, 0), (88, 98, 58, 0), (35, 30, 25, 40)),
    "sword": ((0, 0, 0, -2), (0, 0, 0, 2), (90, 95, 55, 0), (88, 98, 58, 0), (40, 35, 25, 45)),
    "gun": ((0, 0, 0, 0), (0, 0, 0, 0), (90, 95, 55, 0), (88, 98, 58, 0), (-5, 0, 0, -15)),
    "snap_ready": ((30, 40, 20, 0), (42, 35, 18, 0), (70, 80, 45, 0), (65, 78, 45, 0), (30, 20, 10, 35)),
    "snap": ((45, 50, 25, 0), (90, 100, 60, 0), (85, 90, 50, 0), (85, 92, 52, 0), (5, 0, 0, 10)),
    "orchid": ((-8, -5, 0, 12), (48, 40, 22, 0), (8, 5, 5, -16), (22, 18, 8, -6), (30, 22, 12, 38)),
    "peacock": ((48, 45, 25, 4), (-6, -4, 0, 4), (-10, -5, 0, -18), (-8, -4, 0, -8), (32, 25, 15, 34)),
    "cupped": ((25, 30, 15, -3), (25, 30, 15, 0), (30, 32, 16, 3), (28, 30, 15, 1), (15, 10, 5, 30)),
    "spread": ((-10, -5, 0, 16), (-10, -5, 0, 3), (-10, -5, 0, -20), (-10, -5, 0, -9), (-8, 0, 0, -18)),
    "claw": ((40, 65, 40, 12), (42, 65, 40, 3), (45, 65, 40, -16), (44, 65, 40, -7), (25, 25, 15, 5)),
    "knife": ((0, 0, 0, -2), (0, 0, 0, 0), (0, 0, 0, 3), (0, 0, 0, 1), (10, 5, 0, 42)),
    "heart": ((55, 45, 15, 0), (90, 100, 60, 0), (90, 95, 55, 0), (88, 98, 58, 0), (20, 15, 10, 20)),
    "lotus": ((-12, -5, 0, 14), (-6, -3, 0, 4), (-15, -5, 0, -20), (-10, -4, 0, -9), (20, 10, 5, 25)),
}
SHAPES: tuple[str, ...] = tuple(_SHAPES)


def _left_hand(shape: str) -> np.ndarray:
    try:
        fingers = _SHAPES[shape]
    except KeyError:
        raise KeyError(f"unknown hand shape {shape!r}; known: {', '.join(SHAPES)}") from None
    out = np.empty((15, 3, 3))
    for f, (a, b, c, spread) in enumerate(fingers[:4]):
        out[3 * f] = rot.axis_angle_to_matrix(np.radians(spread) * np.array([0, 1.0, 0])) @ _flex(a)
        out[3 * f + 1] = _flex(b)
        out[3 * f + 2] = _flex(c)
    c1, c2, c3, adduct = fingers[4]
    curl = _THUMB_CURL_AXIS / np.linalg.norm(_THUMB_CURL_AXIS)
    out[12] = rot.axis_angle_to_matrix(np.radians(adduct) * np.array([0, 1.0, 0])) @ _about(curl, c1)
    out[13] = _about(curl, c2)
    out[14] = _about(curl, c3)
    return out


def _flex(degrees: float) -> np.ndarray:
    return _about(np.array([0.0, 0.0, -1.0]), degrees)


def _about(axis: np.ndarray, degrees: float) -> np.ndarray:
    return rot.axis_angle_to_matrix(np.radians(degrees) * np.asarray(axis, dtype=np.float64))


_LEFT = {name: _left_hand(name) for name in SHAPES}
_RIGHT = {name: _REFLECT @ m @ _REFLECT for name, m in _LEFT.items()}


def hand_rotations(shape: str, side: str) -> np.ndarray:
    """(15, 3, 3) local finger rotations of ``shape`` for ``side`` 'left' or 'right' (a copy)."""
    table = _LEFT if side == "left" else _RIGHT
    if shape not in table:
        raise KeyError(f"unknown hand shape {shape!r}; known: {', '.join(SHAPES)}")
    return table[shape].copy()
