"""``DanceGenreEncoder``: an AGCN-style graph network over the 52 joints (hands included) through time.

Input: joint positions ``(B, T, 52, 3)`` in metres (world frame, Y up), from ``studio.ml.kinematics`` or
``Motion.positions``. :func:`dance_features` turns them into 9 channels per joint and frame:

- the segment is made facing-invariant and placed: rotated about Y so that the body faces +Z at the
  segment's FIRST frame (facing = (left hip - right hip) x up), and shifted so that the pelvis is at x = z = 0
  at that frame (height kept);
- channels 0-2, ``local``: each joint minus the pelvis at the same frame; for the pelvis node itself, its
  canonical trajectory (so travel, jumps and turns are seen);
- channels 3-5, ``bone``: each joint minus its parent (the pelvis: zero), which makes the finger articulation
  visible at its own scale (2s-AGCN's bone stream);
- channels 6-8, ``velocity``: (p[t + s] - p[t]) * fps / s in m/s over the frame step ``s`` (last frame
  repeats), on the canonical positions.

Then every ``frame_step``-th frame is kept (15 fps for the default step 2), a BatchNorm per joint and channel
(AGCN's ``data_bn``), and blocks of [adaptive graph convolution -> temporal convolution] with residuals.
The graph convolution (2s-AGCN's unit) has three subsets on the SMPL-X kinematic tree (self, from children,
from parent; column-normalised), plus a learned additive graph ``B_k`` (zero at start) and a data-dependent
graph ``C_k = softmax(theta(x)^T phi(x))``. Global mean over time and joints, then a linear projection to
``embed_dim`` (not normalised here).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from studio.core.skeleton import NUM_JOINTS, PARENTS, joint_index
from studio.ml.genre.config import FPS, GCRMConfig

IN_CHANNELS = 9
LEFT_HIP, RIGHT_HIP = joint_index("left_hip"), joint_index("right_hip")
_PARENT_INDEX = torch.tensor([max(p, 0) for p in PARENTS])


def kinematic_graph() -> np.ndarray:
    """(3, 52, 52) subsets: self, from children (to parent), from parent (to child); ``out[w] = sum_v x[v] A[v, w]``."""
    eye = np.eye(NUM_JOINTS, dtype=np.float32)
    up = np.zeros_like(eye)  # child v -> parent w
    down = np.zeros_like(eye)  # parent v -> child w
    for child, parent in enumerate(PARENTS):
        if parent >= 0:
            up[child, parent] = 1.0
            down[parent, child] = 1.0

    def column_normalise(a: np.ndarray) -> np.ndarray:
        degree = a.sum(axis=0, keepdims=True)
        return np.divide(a, degree, out=np.zeros_like(a), where=degree > 0)

    return np.stack([eye, column_normalise(up), column_normalise(down)])


def canonicalise(positions: torch.Tensor) -> torch.Tensor:
    """Rotate about Y so the first frame faces +Z and shift its pelvis to x = z = 0. (B, T, 52, 3)."""
    first = positions[:, 0]
    across = first[:, LEFT_HIP] - first[:, RIGHT_HIP]
    angle = torch.atan2(-across[:, 2], across[:, 0])  # facing = across x up = (-across_z, 0, across_x)
    cos, sin = torch.cos(angle)[:, None, None], torch.sin(angle)[:, None, None]
    x = positions[..., 0] - first[:, None, 0:1, 0]
    z = positions[..., 2] - first[:, None, 0:1, 2]
    return torch.stack((cos * x - sin * z, positions[..., 1], sin * x + cos * z), dim=-1)


def dance_features(positions: torch.Tensor, frame_step: int = 2, fps: float = FPS) -> torch.Tensor:
    """(B, T, 52, 3) world positions -> (B, ceil(T / frame_step), 52, 9) network input (channels last)."""
    if positions.ndim != 4 or positions.shape[2:] != (NUM_JOINTS, 3) or positions.shape[1] < 2:
        raise ValueError(f"positions must be (B, T >= 2, {NUM_JOINTS}, 3), got {tuple(positions.shape)}")
    p = canonicalise(positions)
    local = p - p[:, :, :1]
    local = torch.cat((p[:, :, :1], local[:, :, 1:]), dim=2)
    bone = p - p[:, :, _PARENT_INDEX.to(p.device)]
    step = min(frame_step, p.shape[1] - 1)
    velocity = (p[:, step:] - p[:, :-step]) * (fps / step)
    velocity = torch.cat((velocity, velocity[:, -1:].expand(-1, step, -1, -1)), dim=1)
    return torch.cat((local, bone, velocity), dim=-1)[:, ::frame_step].contiguous()  # (B, T', 52, 9)


def _batch_norm(bn: nn.BatchNorm1d, x: torch.Tensor) -> torch.Tensor:
    """BatchNorm over the last (channel) axis of a channels-last tensor."""
    return bn(x.reshape(-1, x.shape[-1])).reshape(x.shape)


class AdaptiveGraphConv(nn.Module):
    """2s-AGCN's unit: sum over subsets k of W_k x (A_k + B_k + C_k), BatchNorm, residual, ReLU.

    Channels-last throughout ((N, T, V, C): the 1x1 convolutions are matrix products, fast on a CPU); the K
    subsets' aggregations are concatenated and mixed by one linear map, which equals the sum of W_k x A_k.
    """

    def __init__(self, c_in: int, c_out: int, graph: torch.Tensor, adaptive: bool = True) -> None:
        super().__init__()
        self.subsets = graph.shape[0]
        self.adaptive = adaptive
        self.register_buffer("graph", graph.clone(), persistent=False)
        self.inter = max(c_out // 4, 4)
        if adaptive:
            self.learned = nn.Parameter(torch.zeros_like(graph))
            self.theta = nn.Linear(c_in, self.subsets * self.inter)
            self.phi = nn.Linear(c_in, self.subsets * self.inter)
        self.mix = nn.Linear(self.subsets * c_in, c_out)
        self.bn = nn.BatchNorm1d(c_out)
        nn.init.constant_(self.bn.weight, 1e-6)  # start close to the residual (as AGCN)
        self.down = None if c_in == c_out else nn.Linear(c_in, c_out)
        self.down_bn = None if c_in == c_out else nn.BatchNorm1d(c_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, t, v, c = x.shape
        k = self.subsets
        graph = self.graph[None]
        if self.adaptive:
            pooled = x.mean(dim=1)  # (N, V, C): the data-dependent graph from time-pooled features
            q = self.theta(pooled).reshape(n, v, k, self.inter).permute(0, 2, 1, 3)  # (N, K, V, I)
            key = self.phi(pooled).reshape(n, v, k, self.inter).permute(0, 2, 3, 1)  # (N, K, I, V)
            graph = graph + self.learned + torch.softmax(q @ key / self.inter**0.5, dim=-2)  # (N, K, V, V)
        xt = x.permute(0, 1, 3, 2).reshape(n, 1, t * c, v)  # (N, 1, T*C, V)
        agg = (xt @ graph).reshape(n, k, t, c, v).permute(0, 2, 4, 1, 3)  # (N, T, V, K, C)
        y = _batch_norm(self.bn, self.mix(agg.reshape(n, t, v, k * c)))
        residual = x if self.down is None else _batch_norm(self.down_bn, self.down(x))
        return F.relu(y + residual)


class TemporalConv(nn.Module):
    """A convolution along time (kernel ``k``, stride ``s``, zero padding) on (N, T, V, C), with BatchNorm."""

    def __init__(self, channels: int, kernel: int, stride: int) -> None:
        super().__init__()
        self.kernel, self.stride = kernel, stride
        self.linear = nn.Linear(channels * kernel, channels)
        self.bn = nn.BatchNorm1d(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pad = self.kernel // 2
        x = F.pad(x, (0, 0, 0, 0, pad, pad))
        x = x.unfold(1, self.kernel, self.stride)  # (N, T', V, C, k)
        x = self.linear(x.reshape(*x.shape[:3], -1))
        return _batch_norm(self.bn, x)


class Block(nn.Module):
    """Graph convolution, then a temporal convolution, with a residual (strided like the convolution)."""

    def __init__(self, c_in: int, c_out: int, graph: torch.Tensor, kernel: int, stride: int, adaptive: bool) -> None:
        super().__init__()
        self.stride = stride
        self.gcn = AdaptiveGraphConv(c_in, c_out, graph, adaptive)
        self.tcn = TemporalConv(c_out, kernel, stride)
        self.identity = c_in == c_out and stride == 1
        if not self.identity:
            self.residual = nn.Linear(c_in, c_out)
            self.residual_bn = nn.BatchNorm1d(c_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.tcn(self.gcn(x))
        if self.identity:
            return F.relu(y + x)
        r = x[:, :: self.stride][:, : y.shape[1]]
        return F.relu(y + _batch_norm(self.residual_bn, self.residual(r)))


class DanceGenreEncoder(nn.Module):
    def __init__(self, config: GCRMConfig) -> None:
        super().__init__()
        self.config = config
        graph = torch.as_tensor(kinematic_graph())
        self.data_bn = nn.BatchNorm1d(IN_CHANNELS * NUM_JOINTS)
        blocks, c_in = [], IN_CHANNELS
        for c_out, stride in zip(config.dance_channels, config.dance_strides, strict=True):
            blocks.append(Block(c_in, c_out, graph, config.temporal_kernel, stride, config.adaptive))
            c_in = c_out
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(c_in, config.embed_dim)

    def forward(self, positions: torch.Tensor) -> torch.Tensor:
        """(B, T, 52, 3) joint positions in metres -> (B, embed_dim)."""
        x = dance_features(positions, self.config.frame_step)  # (N, T', V, C)
        n, t, v, c = x.shape
        x = self.data_bn(x.reshape(n * t, v * c)).reshape(n, t, v, c)
        x = self.blocks(x)
        return self.head(x.mean(dim=(1, 2)))
