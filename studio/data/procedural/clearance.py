"""Self-intersection check: how far the hands and elbows stay from the torso, head and thighs.

Body parts are capsules between joints (radii measured roughly on the mannequin mesh). A negative
clearance means a limb passes through the body; vocabulary authors and the tests use it.
"""

from __future__ import annotations

import numpy as np

# (joint a, joint b, radius m): the solids that limbs must not enter (mannequin-x proportions: the chest
# is 0.36 m wide and 0.25 m deep, the head 0.18 wide, 0.23 tall and 0.24 deep)
_BODY = (
    (0, 3, 0.11), (3, 9, 0.11), (9, 12, 0.1),  # pelvis .. neck, the middle
    (1, 13, 0.1), (2, 14, 0.1),  # hip .. collar on each side: the torso's width
    (15, 15, 0.11),  # head (a capsule from the jaw to the crown, see _HEAD), with the nose
    (1, 4, 0.075), (2, 5, 0.075),  # thighs
)  # fmt: skip
_HEAD = (np.array([0.0, -0.03, 0.0]), np.array([0.0, 0.1, 0.0]))
# (joint, radius m, which capsules to test: 'torso', 'head', 'thigh')
_PROBES = (
    (20, 0.04), (21, 0.04), (18, 0.045), (19, 0.045),  # wrists, elbows
    (24, 0.012), (27, 0.012), (30, 0.012), (33, 0.012), (36, 0.012),  # left finger tips
    (39, 0.012), (42, 0.012), (45, 0.012), (48, 0.012), (51, 0.012),  # right finger tips
)  # fmt: skip


def _ends(p: np.ndarray, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
    if a == b == 15:  # the head joint sits at the jaw's height; the skull is above it (head frame ~ world)
        return p[:, 15] + _HEAD[0], p[:, 15] + _HEAD[1]
    return p[:, a], p[:, b]


def _segment_distance(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    denom = np.maximum(np.sum(ab * ab, axis=-1, keepdims=True), 1e-12)
    t = np.clip(np.sum((p - a) * ab, axis=-1, keepdims=True) / denom, 0.0, 1.0)
    return np.linalg.norm(p - (a + t * ab), axis=-1)


def clearance(positions: np.ndarray) -> np.ndarray:
    """(T, 52, 3) world joint positions -> (T,) smallest gap (m) between any probe and any body part."""
    p = np.asarray(positions, dtype=np.float64)
    gaps = []
    for a, b, radius in _BODY:
        start, end = _ends(p, a, b)
        for joint, probe_radius in _PROBES:
            if (a, b) in ((1, 4), (2, 5)) and joint in (18, 19):
                continue  # elbows never reach the thighs in a standing dance; skip the noise
            gaps.append(_segment_distance(p[:, joint], start, end) - radius - probe_radius)
    return np.min(np.stack(gaps, axis=1), axis=1)


def worst_probe(positions: np.ndarray, frame: int) -> tuple[int, int, float]:
    """(probe joint, body capsule index, gap) of the tightest pair at one frame: for error messages."""
    p = np.asarray(positions, dtype=np.float64)[frame : frame + 1]
    best = (0, 0, np.inf)
    for i, (a, b, radius) in enumerate(_BODY):
        start, end = _ends(p, a, b)
        for joint, probe_radius in _PROBES:
            if (a, b) in ((1, 4), (2, 5)) and joint in (18, 19):
                continue
            gap = float(_segment_distance(p[:, joint], start, end)[0] - radius - probe_radius)
            if gap < best[2]:
                best = (joint, i, gap)
    return best
