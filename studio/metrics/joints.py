"""Which of our 52 joints each published metric looks at, and the input checks shared by the metrics.

Bailando's metrics were written for the 24 SMPL joints; LODGE / FineDance feed them the first 22 SMPL-X
joints (the body). Our 52 joints are SMPL-X without jaw and eyes, so the body joints 0..21 are the same
joints in the same order as SMPL's 0..21 (Bailando's names in brackets):

    0 pelvis (root)        1 left_hip (lhip)       2 right_hip (rhip)     3 spine1 (belly)
    4 left_knee (lknee)    5 right_knee (rknee)    6 spine2 (spine)       7 left_ankle (lankle)
    8 right_ankle (rankle) 9 spine3 (chest)       10 left_foot (ltoes)   11 right_foot (rtoes)
   12 neck (neck)         13 left_collar (linshoulder)  14 right_collar (rinshoulder)  15 head (head)
   16 left_shoulder (lshoulder)  17 right_shoulder (rshoulder)  18 left_elbow (lelbow)
   19 right_elbow (relbow)       20 left_wrist (lwrist)         21 right_wrist (rwrist)

SMPL's joints 22/23 (``lhand``/``rhand``) sit in the palm at the middle-finger knuckle; our closest joints
are ``left_middle1`` (25) and ``right_middle1`` (40). ``SMPL24`` uses them.
"""

from __future__ import annotations

import numpy as np

from studio.core.errors import InputError
from studio.core.skeleton import JOINT_NAMES, NUM_JOINTS, joint_index

BODY22 = np.arange(22)
SMPL24 = np.concatenate([BODY22, [joint_index("left_middle1"), joint_index("right_middle1")]])
# Duolando's duet feature points (utils/metrics_duet.py, SMPLX_FEAT_POINT): pelvis, ankles, feet, head,
# shoulders, wrists -- the same indices in our order.
DUET10 = np.array([0, 7, 8, 10, 11, 15, 16, 17, 20, 21])
LEFT_WRIST = joint_index("left_wrist")
RIGHT_WRIST = joint_index("right_wrist")
LEFT_HAND = np.arange(22, 37)
RIGHT_HAND = np.arange(37, 52)

__all__ = [
    "BODY22",
    "DUET10",
    "SMPL24",
    "check_features",
    "check_positions",
    "hand_positions_local",
    "lodge_body_positions",
]


def check_positions(positions: np.ndarray, what: str = "joint positions", min_frames: int = 1) -> np.ndarray:
    """(T, J, 3) finite float64 array with at least ``min_frames`` frames, or an ``InputError`` naming ``what``."""
    array = np.asarray(positions, dtype=np.float64)
    if array.ndim != 3 or array.shape[2] != 3 or array.shape[1] == 0:
        raise InputError(what, expected="a (frames, joints, 3) array of positions", found=f"shape {array.shape}")
    if array.shape[0] < min_frames:
        raise InputError(what, expected=f"at least {min_frames} frames", found=f"{array.shape[0]}")
    bad = ~np.isfinite(array)
    if bad.any():
        frame, joint, _ = np.argwhere(bad)[0]
        name = JOINT_NAMES[joint] if array.shape[1] == NUM_JOINTS else f"joint {joint}"
        raise InputError(what, expected="finite values", found=f"NaN or infinity at frame {frame}, {name}")
    return array


def check_features(features: np.ndarray, what: str = "features", min_samples: int = 1) -> np.ndarray:
    """(N, D) finite float64 array with at least ``min_samples`` rows, or an ``InputError``."""
    array = np.asarray(features, dtype=np.float64)
    if array.ndim == 1 and min_samples <= 1:
        array = array[None]
    if array.ndim != 2 or array.shape[1] == 0:
        raise InputError(what, expected="a (samples, dims) array of features", found=f"shape {array.shape}")
    if array.shape[0] < min_samples:
        raise InputError(
            what,
            expected=f"at least {min_samples} samples",
            found=f"{array.shape[0]}",
            hint="FID and Div compare sets of dances: give two or more",
        )
    bad = ~np.isfinite(array)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise InputError(what, expected="finite values", found=f"NaN or infinity in sample {row}, dimension {col}")
    return array


def lodge_body_positions(positions: np.ndarray) -> np.ndarray:
    """The 22 body joints the way LODGE's ``metric/metrics_finedance.py`` prepares them for FID_k / FID_g.

    The first frame's pelvis is subtracted from everything, then joints 1..21 are made relative to the
    pelvis of their own frame; joint 0 keeps the pelvis trajectory (relative to where it started).
    """
    body = check_positions(positions)[:, BODY22]
    body = body - body[:1, :1]
    body[:, 1:] -= body[:, :1]
    return body


def hand_positions_local(positions: np.ndarray, global_rotations: np.ndarray) -> np.ndarray:
    """The 30 finger joints in their wrist's frame: ``R_wrist^T (p - p_wrist)``, (T, 30, 3).

    Relative to the wrist's position AND orientation, so that only finger motion remains (moving or
    turning the whole hand changes nothing). ``global_rotations`` is (T, 52, 3, 3) world rotations.
    """
    positions = check_positions(positions, "hand positions")
    out = np.empty((positions.shape[0], 30, 3))
    for wrist, hand, start in ((LEFT_WRIST, LEFT_HAND, 0), (RIGHT_WRIST, RIGHT_HAND, 15)):
        offset = positions[:, hand] - positions[:, wrist, None]
        # row-vector form of R^T @ v for each frame: v @ R
        out[:, start : start + 15] = np.einsum("tjc,tcd->tjd", offset, global_rotations[:, wrist])
    return out
