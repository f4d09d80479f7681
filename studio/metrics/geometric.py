"""The 32 boolean geometric ("manual") features of FID_g / Div_g, averaged over frames.

Source: Bailando ``utils/features/manual_new.py`` + ``utils/features/utils.py`` (Müller et al.'s relational
features via fairmotion), copied unchanged into LODGE ``metric/features/``. For each frame f = 1 .. T-1 the
32 tests below are evaluated on frame f (and f-1 for velocities); the feature is the share of frames where
each test is true.

Facts kept exactly as published (see docs/metrics.md):

- thresholds are multiples of three lengths measured on the SMPL rest pose (humerus ``HL``, shoulder width
  ``SW``, hip width ``HW``), not on the dancer's skeleton;
- velocities are divided by ``time_per_frame = 1/120`` (fairmotion's 120 fps default, never changed by
  Bailando or LODGE), whatever the real frame rate;
- ``move(j1, j2, j3, j4)`` measures the velocity of **j3** relative to j1 along j1->j2: the published code
  fetches j4 and ignores it;
- virtual points: ``zero`` = origin, ``y_unit`` / ``minus_y_unit`` = +-Y, ``y_min`` = (0, lowest joint's y, 0);
- a degenerate direction (zero-length vector) makes a test false (the published code gets NaN, also false).
"""

from __future__ import annotations

import numpy as np

from studio.metrics.joints import check_positions

PUBLISHED_TIME_PER_FRAME = 1.0 / 120.0

# Rest-pose SMPL joints used by the published code for its thresholds.
_L_SHOULDER = np.array([1.99113488e-01, 2.36807942e-01, -1.80702247e-02])
_L_ELBOW = np.array([4.54445392e-01, 2.21158922e-01, -4.10167128e-02])
_R_SHOULDER = np.array([-1.91692337e-01, 2.36928746e-01, -1.23055102e-02])
_L_HIP = np.array([5.64076714e-02, -3.23069185e-01, 1.09197125e-02])
_R_HIP = np.array([-6.24834076e-02, -3.31302464e-01, 1.50412619e-02])
HL = float(np.linalg.norm(_L_SHOULDER - _L_ELBOW))  # humerus length
SW = float(np.linalg.norm(_L_SHOULDER - _R_SHOULDER))  # shoulder width
HW = float(np.linalg.norm(_L_HIP - _R_HIP))  # hip width

_NAMES = (
    "root", "lhip", "rhip", "belly", "lknee", "rknee", "spine", "lankle", "rankle", "chest", "ltoes", "rtoes",
    "neck", "linshoulder", "rinshoulder", "head", "lshoulder", "rshoulder", "lelbow", "relbow", "lwrist", "rwrist",
)  # fmt: skip
_INDEX = {name: i for i, name in enumerate(_NAMES)}

# (test, j1, j2, j3, j4, threshold or angle range), in the published order.
FEATURES: tuple[tuple, ...] = (
    ("nmove", "neck", "rhip", "lhip", "rwrist", 1.8 * HL),
    ("nmove", "neck", "lhip", "rhip", "lwrist", 1.8 * HL),
    ("nplane", "chest", "neck", "neck", "rwrist", 0.2 * HL),
    ("nplane", "chest", "neck", "neck", "lwrist", 0.2 * HL),
    ("move", "belly", "chest", "chest", "rwrist", 1.8 * HL),
    ("move", "belly", "chest", "chest", "lwrist", 1.8 * HL),
    ("angle", "relbow", "rshoulder", "relbow", "rwrist", (0, 110)),
    ("angle", "lelbow", "lshoulder", "lelbow", "lwrist", (0, 110)),
    ("nplane", "lshoulder", "rshoulder", "lwrist", "rwrist", 2.5 * SW),
    ("move", "lwrist", "rwrist", "rwrist", "lwrist", 1.4 * HL),
    ("move", "rwrist", "root", "lwrist", "root", 1.4 * HL),
    ("move", "lwrist", "root", "rwrist", "root", 1.4 * HL),
    ("fast", "rwrist", None, None, None, 2.5 * HL),
    ("fast", "lwrist", None, None, None, 2.5 * HL),
    ("plane", "root", "lhip", "ltoes", "rankle", 0.38 * HL),
    ("plane", "root", "rhip", "rtoes", "lankle", 0.38 * HL),
    ("nplane", "zero", "y_unit", "y_min", "rankle", 1.2 * HL),
    ("nplane", "zero", "y_unit", "y_min", "lankle", 1.2 * HL),
    ("nplane", "lhip", "rhip", "lankle", "rankle", 2.1 * HW),
    ("angle", "rknee", "rhip", "rknee", "rankle", (0, 110)),
    ("angle", "lknee", "lhip", "lknee", "lankle", (0, 110)),
    ("fast", "rankle", None, None, None, 2.5 * HL),
    ("fast", "lankle", None, None, None, 2.5 * HL),
    ("angle", "neck", "root", "rshoulder", "relbow", (25, 180)),
    ("angle", "neck", "root", "lshoulder", "lelbow", (25, 180)),
    ("angle", "neck", "root", "rhip", "rknee", (50, 180)),
    ("angle", "neck", "root", "lhip", "lknee", (50, 180)),
    ("plane", "rankle", "neck", "lankle", "root", 0.5 * HL),
    ("angle", "neck", "root", "zero", "y_unit", (70, 110)),
    ("nplane", "zero", "minus_y_unit", "y_min", "rwrist", -1.2 * HL),
    ("nplane", "zero", "minus_y_unit", "y_min", "lwrist", -1.2 * HL),
    ("fast", "root", None, None, None, 2.3 * HL),
)
NUM_FEATURES = len(FEATURES)  # 32

__all__ = ["FEATURES", "HL", "HW", "NUM_FEATURES", "PUBLISHED_TIME_PER_FRAME", "SW", "geometric_features"]


def geometric_features(
    positions: np.ndarray, *, time_per_frame: float = PUBLISHED_TIME_PER_FRAME, per_frame: bool = False
) -> np.ndarray:
    """(T, >=22, 3) positions (body joints 0..21 in SMPL order, Y up) -> (32,) shares of frames in [0, 1].

    ``per_frame=True`` returns the (T-1, 32) booleans instead of their mean.
    """
    p = check_positions(positions, "geometric features input", min_frames=2)
    if p.shape[1] < len(_NAMES):
        raise ValueError(f"geometric features need the 22 body joints, got {p.shape[1]} joints")
    current, previous = p[1:], p[:-1]
    frames = current.shape[0]
    y_min = np.zeros((frames, 3))
    y_min[:, 1] = current[:, :, 1].min(axis=1)
    virtual = {
        "zero": np.zeros((frames, 3)),
        "y_unit": np.broadcast_to([0.0, 1.0, 0.0], (frames, 3)),
        "minus_y_unit": np.broadcast_to([0.0, -1.0, 0.0], (frames, 3)),
        "y_min": y_min,
    }

    def now(name: str) -> np.ndarray:
        return virtual[name] if name in virtual else current[:, _INDEX[name]]

    def before(name: str) -> np.ndarray:
        return previous[:, _INDEX[name]]

    out = np.zeros((frames, NUM_FEATURES), dtype=bool)
    for column, (test, j1, j2, j3, j4, limit) in enumerate(FEATURES):
        if test == "move":  # velocity of j3 relative to j1, along j1 -> j2
            velocity = (now(j3) - now(j1)) - (before(j3) - before(j1))
            out[:, column] = _along(velocity, now(j2) - now(j1)) / time_per_frame > limit
        elif test == "nmove":  # velocity of j4 relative to j1, along the normal of plane (j1, j2, j3)
            velocity = (now(j4) - now(j1)) - (before(j4) - before(j1))
            normal = np.cross(now(j3) - now(j1), now(j2) - now(j1))
            out[:, column] = _along(velocity, normal) / time_per_frame > limit
        elif test == "plane":  # signed distance of j4 from the plane through j1, j2, j3
            normal = np.cross(now(j3) - now(j1), now(j2) - now(j1))
            out[:, column] = _along(now(j4) - now(j1), normal) > limit
        elif test == "nplane":  # signed distance of j4 from the plane with normal j1 -> j2 through j3
            out[:, column] = _along(now(j4) - now(j3), now(j2) - now(j1)) > limit
        elif test == "angle":  # angle between j1 -> j2 and j3 -> j4 strictly inside the range (degrees)
            angle = _angle_degrees(now(j2) - now(j1), now(j4) - now(j3))
            out[:, column] = (angle > limit[0]) & (angle < limit[1])
        elif test == "fast":  # speed of j1 above the threshold
            out[:, column] = np.linalg.norm(now(j1) - before(j1), axis=-1) / time_per_frame > limit
        else:  # pragma: no cover - the table above is fixed
            raise AssertionError(test)
    return out if per_frame else out.mean(axis=0)


def _along(vector: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Component of ``vector`` along ``direction`` per frame; NaN where the direction has no length."""
    length = np.linalg.norm(direction, axis=-1)
    dot = np.einsum("fc,fc->f", vector, direction)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(length > 0, dot / np.where(length > 0, length, 1.0), np.nan)


def _angle_degrees(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1)
    cosine = np.einsum("fc,fc->f", a, b) / np.where(norms > 0, norms, 1.0)
    return np.where(norms > 0, np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0))), np.nan)
