"""SMPL-X parameters as NPZ, one dancer per file, in the AMASS / FineDance convention.

Keys: ``poses`` (T, 165) axis-angle = global_orient 3 + body 63 + jaw 3 + left eye 3 + right eye 3 +
left hand 45 + right hand 45 (jaw and eyes zero: our skeleton has none); ``trans`` (T, 3) = SMPL-X
``transl``; ``betas`` zeros; ``gender`` "neutral"; the frame rate under both AMASS spellings
(``mocap_framerate`` and ``mocap_frame_rate``); and AMASS's split keys (``root_orient``, ``pose_body``,
``pose_hand``, ``pose_jaw``, ``pose_eye``) for code that reads those.

``transl`` is NOT the pelvis position: SMPL-X rotates the body about the rest pelvis joint J0 and then
adds ``transl``, so ``transl = pelvis - J0``. We store J0 as ``rest_pelvis`` so that :func:`load` can undo
it without the model files. Hand poses are relative to the flat hand: build the model with
``smplx.create(..., use_pca=False, flat_hand_mean=True)``.
"""

from __future__ import annotations

import os

import numpy as np

from studio.core.atomic import atomic_path
from studio.core.errors import MotionFormatError
from studio.core.motion import Motion
from studio.core.skeleton import NUM_JOINTS, Skeleton

NUM_BETAS = 10
_POSE_SIZE = 165


def arrays(motion: Motion, skeleton: Skeleton, name: str = "") -> dict[str, np.ndarray]:
    """The NPZ contents for one dancer."""
    axis_angle = motion.axis_angle()  # (T, 52, 3)
    frames = motion.num_frames
    zeros = np.zeros((frames, 9))  # jaw, left eye, right eye
    poses = np.concatenate(
        [axis_angle[:, :22].reshape(frames, -1), zeros, axis_angle[:, 22:].reshape(frames, -1)], axis=1
    )
    rest_pelvis = skeleton.rest_positions[0]
    return {
        "poses": poses,
        "trans": motion.trans - rest_pelvis,
        "betas": np.zeros(NUM_BETAS),
        "num_betas": np.array(NUM_BETAS),
        "gender": np.array("neutral"),
        "surface_model_type": np.array("smplx"),
        "mocap_framerate": np.array(motion.fps),
        "mocap_frame_rate": np.array(motion.fps),
        "mocap_time_length": np.array(motion.duration),
        "root_orient": poses[:, :3],
        "pose_body": poses[:, 3:66],
        "pose_jaw": poses[:, 66:69],
        "pose_eye": poses[:, 69:75],
        "pose_hand": poses[:, 75:],
        "rest_pelvis": rest_pelvis,
        "dancer": np.array(name),
    }


def save(path: str | os.PathLike, motion: Motion, skeleton: Skeleton, name: str = "") -> None:
    with atomic_path(path) as temporary, open(temporary, "wb") as handle:
        np.savez(handle, **arrays(motion, skeleton, name))


def load(path: str | os.PathLike, skeleton: Skeleton | None = None) -> Motion:
    """A Motion from an SMPL-X NPZ (ours or AMASS-style). ``skeleton`` gives J0 when the file has no
    ``rest_pelvis``; with neither, the pelvis is placed at ``transl`` (J0 taken as zero)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            poses = np.asarray(data["poses"], dtype=np.float64)
            transl = np.asarray(data["trans"], dtype=np.float64)
            key = "mocap_framerate" if "mocap_framerate" in data else "mocap_frame_rate"
            fps = float(data[key]) if key in data else 30.0
            stored = np.asarray(data["rest_pelvis"], dtype=np.float64) if "rest_pelvis" in data else None
    except (OSError, ValueError, KeyError) as error:
        raise MotionFormatError(path, expected="an SMPL-X NPZ with 'poses' and 'trans'", found=str(error)) from None
    if poses.ndim != 2 or poses.shape[1] != _POSE_SIZE or transl.shape != (poses.shape[0], 3):
        raise MotionFormatError(
            path, expected=f"poses (T, {_POSE_SIZE}) and trans (T, 3)", found=f"{poses.shape} and {transl.shape}"
        )
    axis_angle = np.concatenate([poses[:, :66], poses[:, 75:]], axis=1).reshape(-1, NUM_JOINTS, 3)
    if stored is not None:
        rest_pelvis = stored
    elif skeleton is not None:
        rest_pelvis = skeleton.rest_positions[0]
    else:
        rest_pelvis = np.zeros(3)
    return Motion.from_axis_angle(transl + rest_pelvis, axis_angle, fps)
