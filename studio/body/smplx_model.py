"""The user's own SMPL-X model file (``SMPLX_NEUTRAL.npz`` etc.) as an avatar, read with numpy.

We read the published file's arrays directly instead of going through the ``smplx`` package because
that package needs torch, which this layer must not import; for the zero-shape rest pose the arithmetic is
small: joints = J_regressor @ v_template. Keys (SMPL-X npz release): ``v_template`` (10475, 3), ``f``
(20908, 3), ``J_regressor`` (55, 10475), ``weights`` (10475, 55), ``kintree_table`` (2, 55). SMPL-X joints
22-24 (jaw, left eye, right eye) are not in our 52-joint skeleton; their skin weights go to the head.
"""

from __future__ import annotations

import zipfile
from os import PathLike
from pathlib import Path

import numpy as np

from studio.body.avatar import Avatar
from studio.core.errors import InputError
from studio.core.skeleton import PARENTS, Skeleton

SMPLX_JOINTS = 55
_HEAD = 15
# SMPL-X joint index -> our joint index (jaw and eyes fold into the head)
_TO_OURS = np.array([*range(22), _HEAD, _HEAD, _HEAD, *range(22, 52)])
_OURS_FROM_SMPLX = np.array([*range(22), *range(25, 55)])
_REQUIRED = {"v_template": 2, "f": 2, "J_regressor": 2, "weights": 2, "kintree_table": 2}


def load_smplx_avatar(path: str | PathLike) -> Avatar:
    path = Path(path)
    if path.is_dir():
        candidates = sorted(path.glob("SMPLX_NEUTRAL.npz")) or sorted(path.glob("*.npz"))
        if not candidates:
            raise InputError(path, expected="a folder with SMPLX_NEUTRAL.npz", found="no .npz file")
        path = candidates[0]
    if not path.is_file():
        raise InputError(path, expected="an SMPL-X model .npz file", found="no such file")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: np.asarray(data[key]) for key in _REQUIRED if key in data.files}
    except (ValueError, OSError, zipfile.BadZipFile) as error:
        raise InputError(path, expected="an SMPL-X model .npz file", found=f"unreadable data ({error})") from None
    missing = sorted(set(_REQUIRED) - set(arrays))
    if missing:
        raise InputError(path, expected="SMPL-X model arrays", found=f"missing keys {missing}")
    vertices = arrays["v_template"].astype(np.float64)
    regressor = arrays["J_regressor"].astype(np.float64)
    weights = arrays["weights"].astype(np.float64)
    if regressor.shape != (SMPLX_JOINTS, vertices.shape[0]) or weights.shape != (vertices.shape[0], SMPLX_JOINTS):
        raise InputError(
            path,
            expected=f"SMPL-X with {SMPLX_JOINTS} joints",
            found=f"J_regressor {regressor.shape}, weights {weights.shape}, {vertices.shape[0]} vertices",
        )
    parents = arrays["kintree_table"][0].astype(np.int64)
    ours = [int(parents[j]) for j in _OURS_FROM_SMPLX]
    remapped = tuple(-1 if p > 2**31 or p < 0 else int(_TO_OURS[p]) for p in ours)
    if remapped != PARENTS:
        raise InputError(path, expected="the SMPL-X kinematic tree", found="a different hierarchy")
    joints = regressor @ vertices
    skeleton = Skeleton(joints[_OURS_FROM_SMPLX], source=str(path))
    merged = np.zeros((vertices.shape[0], 52))
    np.add.at(merged, (slice(None), _TO_OURS), weights)
    top = np.argsort(merged, axis=1)[:, -4:]
    top_weights = np.take_along_axis(merged, top, axis=1)
    top_weights /= np.maximum(top_weights.sum(axis=1, keepdims=True), 1e-12)
    return Avatar(
        name=f"SMPL-X ({path.name})",
        skeleton=skeleton,
        vertices=vertices,
        faces=arrays["f"].astype(np.int32),
        skin_joints=top.astype(np.int32),
        skin_weights=top_weights.astype(np.float32),
    )
