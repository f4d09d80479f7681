"""The partner model's condition: the lead's body joints in the partner's frame, beside the music.

A partner model is an FDGN (same nets, sampler and pipeline) whose condition per frame is the 35-d music
followed by ``LEAD_DIM`` channels: the lead's 22 body joint positions (metres) in the partner's frame. That
frame is the one the net samples in: the partner's root at the window's first frame at the origin, its
heading over the first ``context_frames`` frames turned to face front (yaw 0). So the condition says where
the lead stands and which way it faces *relative to the partner*, whatever the formation on stage.

Positions rather than the lead's rotations: they are unique (rot6d is not), carry the lead's facing and
distance in one number per axis, and need no skeleton on the net's side. Fingers are left out: 60 more
channels for what the partner's hands hardly depend on.

Training windows are put in that frame with :func:`canonical_duet`; the pipeline puts the lead's track in it
with :func:`lead_condition`, using the same yaw and pivot as it turns the partner's constraint frames.
"""

from __future__ import annotations

import numpy as np
import torch

from studio.core.finedance import heading, rotate_about_y
from studio.ml.normalize import ROOT_X, ROOT_Z, shift_root

LEAD_JOINTS = 22  # the SMPL-X body joints (no fingers)
LEAD_DIM = 3 * LEAD_JOINTS
# frames of the lead's neighbouring segments given with a segment's track: more than the pipeline's context
# frames and its open-end pads, so the net never sees a held pose where the lead really moves
LEAD_TRACK_MARGIN = 12


def turn_points(points: np.ndarray, yaw: float, pivot) -> np.ndarray:
    """(..., 3) points turned by ``yaw`` about the vertical through ``pivot`` (x, z), as
    ``studio.core.finedance.rotate_about_y`` turns a body (same sign convention)."""
    out = np.array(points, dtype=np.float64, copy=True)
    c, s = np.cos(yaw), np.sin(yaw)
    px, pz = (float(v) for v in pivot)
    dx, dz = out[..., 0] - px, out[..., 2] - pz
    out[..., 0] = px + c * dx + s * dz
    out[..., 2] = pz - s * dx + c * dz
    return out


def in_net_frame(points: np.ndarray, yaw: float, pivot, reference) -> np.ndarray:
    """(..., 3) points of the song's frame in the frame the net samples a partner in: turned by ``-yaw``
    about ``pivot``, then moved by ``-reference`` (x, z), as the pipeline moves the partner."""
    out = turn_points(points, -yaw, pivot)
    out[..., 0] -= float(reference[0])
    out[..., 2] -= float(reference[1])
    return out


def lead_condition(positions: np.ndarray, yaw: float, pivot, reference) -> np.ndarray:
    """(T, >=22, 3) lead joint positions in the song's frame -> (T, LEAD_DIM) in the net's frame
    (``in_net_frame``)."""
    positions = np.asarray(positions)
    if positions.ndim != 3 or positions.shape[1] < LEAD_JOINTS or positions.shape[2] != 3:
        raise ValueError(f"the lead's positions must be (T, >= {LEAD_JOINTS}, 3), got {positions.shape}")
    points = in_net_frame(positions[:, :LEAD_JOINTS], yaw, pivot, reference)
    return points.reshape(len(points), LEAD_DIM).astype(np.float32)


def canonical_duet(features: np.ndarray, lead: np.ndarray, context_frames: int) -> tuple[np.ndarray, np.ndarray]:
    """A training window in the net's frame: the partner's (T, 319) features and the lead's (T, LEAD_DIM)
    positions (song frame) -> both with the partner's first root x/z at the origin and its heading over the
    first ``context_frames`` frames turned to 0 (the frame the pipeline samples a partner in)."""
    pivot = features[0, [ROOT_X, ROOT_Z]].astype(np.float64)
    yaw = heading(features[: max(context_frames, 1)])
    turned = shift_root(rotate_about_y(features, -yaw, pivot), -pivot.astype(features.dtype))
    points = lead.reshape(len(lead), LEAD_JOINTS, 3)
    return turned.astype(features.dtype), lead_condition(points, yaw, pivot, pivot)


def widen_condition(state: dict, old_dim: int, new_dim: int) -> dict:
    """A solo model's weights for a net whose condition has ``new_dim - old_dim`` more channels at the end of
    the music part: those channels' input weights start at zero, so the partner starts out dancing as the solo
    model does and learns from there how the lead matters (a small CPU budget cannot train a dancer anew).
    The hand expert's condition is (body, music, lead), so its new columns are at the end too."""
    out = dict(state)
    for key in ("body.cond_projection.weight", "hand.cond_projection.weight"):
        if key not in out:
            continue
        extra = new_dim - old_dim
        if extra < 0:
            raise ValueError(f"cannot narrow a condition from {old_dim} to {new_dim} channels")
        weight = out[key]
        out[key] = torch.cat((weight, weight.new_zeros(weight.shape[0], extra)), dim=1)
    return out
