"""A music-conditioned transformer denoiser: EDGE's / FineDance's ``DanceDecoder`` family.

The net predicts the clean motion ``x0`` from a noisy one ``x_t``, the diffusion timestep and a conditioning
sequence (music features, for the hand expert also the body). Sizes come from :class:`DenoiserConfig`.

Structure (module names follow the public FineDance/EDGE code so that their checkpoints load 1:1):

- the condition is projected (``cond_projection``) and encoded by ``cond_layers`` pre-norm transformer
  encoder layers (``cond_encoder``) into condition tokens;
- the timestep goes through a sinusoidal embedding and an MLP (``time_mlp``) into one FiLM vector
  (``to_time_cond``, plus the mean-pooled condition through ``non_attn_cond_projection``) and two extra
  tokens (``to_time_tokens``) appended to the condition tokens;
- ``num_layers`` pre-norm decoder layers: self-attention, cross-attention to the condition tokens and a
  feed-forward block, each followed by FiLM (``(1 + scale) * h + shift``) and a residual;
- rotary positions: as in the published code, the rotation acts on the whole ``latent_dim`` feature vector
  of queries and keys before the attention's input projection (not per head);
- classifier-free guidance: where ``keep`` is False the condition tokens / pooled vector are replaced by
  learned null embeddings (``null_cond_embed``, ``null_cond_hidden``).

The rotary frequencies are fixed by ``latent_dim`` and kept as a non-persistent buffer (computed, not stored).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class DenoiserConfig:
    nfeats: int  # width of the motion part this net denoises (139 body, 180 hands)
    cond_dim: int  # width of the conditioning sequence (35 music, 35 + 139 for the hands)
    latent_dim: int = 512
    ff_size: int = 1024
    num_layers: int = 8
    num_heads: int = 8
    cond_layers: int = 2
    seq_len: int = 120  # length the null condition embedding is stored at (resampled for other lengths)
    dropout: float = 0.1
    # also add each frame's condition token to that frame's motion input (not in the published nets: their
    # cross-attention alone has to find which music frame belongs to which motion frame, a lot to learn for a
    # small net on little data; beat alignment needs exactly that)
    frame_cond: bool = False

    def __post_init__(self) -> None:
        for name in ("nfeats", "cond_dim", "latent_dim", "ff_size", "num_layers", "num_heads", "seq_len"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if self.latent_dim % self.num_heads or self.latent_dim % 2:
            raise ValueError(f"latent_dim {self.latent_dim} must be even and divisible by num_heads {self.num_heads}")
        if self.cond_layers < 0:
            raise ValueError(f"cond_layers must be >= 0, got {self.cond_layers}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")

    def to_dict(self) -> dict:
        return asdict(self)


class Rotary(nn.Module):
    """Rotary position embedding over the whole feature vector (interleaved pairs, base 10000)."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        freqs = 1.0 / (10000 ** (torch.arange(0, dim, 2).float() / dim))
        self.register_buffer("freqs", freqs, persistent=False)
        self._cache: dict[tuple, tuple[torch.Tensor, torch.Tensor]] = {}

    def _angles(self, length: int, device: torch.device, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
        # inference-mode tensors must not leak into training graphs: cache them apart
        key = (length, device, dtype, torch.is_inference_mode_enabled())
        if key not in self._cache:
            angles = torch.arange(length, device=device, dtype=torch.float32)[:, None] * self.freqs.to(device)
            angles = angles.repeat_interleave(2, dim=-1)
            self._cache[key] = (angles.cos().to(dtype), angles.sin().to(dtype))
        return self._cache[key]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        cos, sin = self._angles(x.shape[-2], x.device, x.dtype)
        pairs = x.unflatten(-1, (-1, 2))
        rotated = torch.stack((-pairs[..., 1], pairs[..., 0]), dim=-1).flatten(-2)
        return x * cos + rotated * sin


class Attention(nn.Module):
    """Multi-head attention with ``nn.MultiheadAttention``'s parameter names, on ``scaled_dot_product_attention``."""

    def __init__(self, dim: int, heads: int, dropout: float) -> None:
        super().__init__()
        self.heads = heads
        self.dropout = dropout
        self.in_proj_weight = nn.Parameter(torch.empty(3 * dim, dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * dim))
        self.out_proj = nn.Linear(dim, dim)
        nn.init.xavier_uniform_(self.in_proj_weight)
        nn.init.zeros_(self.out_proj.bias)

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor) -> torch.Tensor:
        w_q, w_k, w_v = self.in_proj_weight.chunk(3)
        b_q, b_k, b_v = self.in_proj_bias.chunk(3)
        q, k, v = (F.linear(a, w, b).unflatten(-1, (self.heads, -1)).transpose(1, 2)
                   for a, w, b in ((query, w_q, b_q), (key, w_k, b_k), (value, w_v, b_v)))  # fmt: skip
        out = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0.0)
        return self.out_proj(out.transpose(1, 2).flatten(-2))


class EncoderLayer(nn.Module):
    """Pre-norm self-attention + feed-forward, rotary queries/keys (encodes the condition sequence)."""

    def __init__(self, cfg: DenoiserConfig, rotary: Rotary) -> None:
        super().__init__()
        d = cfg.latent_dim
        self.self_attn = Attention(d, cfg.num_heads, cfg.dropout)
        self.linear1 = nn.Linear(d, cfg.ff_size)
        self.linear2 = nn.Linear(cfg.ff_size, d)
        self.norm1 = nn.LayerNorm(d)
        self.norm2 = nn.LayerNorm(d)
        self.drop = nn.Dropout(cfg.dropout)
        self.rotary = [rotary]  # shared, kept out of the module tree (no duplicated state)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.norm1(x)
        qk = self.rotary[0](h)
        x = x + self.drop(self.self_attn(qk, qk, h))
        h = self.norm2(x)
        return x + self.drop(self.linear2(self.drop(F.gelu(self.linear1(h)))))


class DenseFiLM(nn.Module):
    """Scale and shift from the timestep/condition vector: ``block = Mish -> Linear(d, 2d)``."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.block = nn.Sequential(nn.Mish(), nn.Linear(dim, 2 * dim))

    def forward(self, h: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        scale, shift = self.block(t)[:, None].chunk(2, dim=-1)
        return (scale + 1) * h + shift


class DecoderLayer(nn.Module):
    """Pre-norm self-attention, cross-attention, feed-forward; each FiLM-modulated by the timestep vector."""

    def __init__(self, cfg: DenoiserConfig, rotary: Rotary) -> None:
        super().__init__()
        d = cfg.latent_dim
        self.self_attn = Attention(d, cfg.num_heads, cfg.dropout)
        self.multihead_attn = Attention(d, cfg.num_heads, cfg.dropout)
        self.linear1 = nn.Linear(d, cfg.ff_size)
        self.linear2 = nn.Linear(cfg.ff_size, d)
        self.norm1 = nn.LayerNorm(d)
        self.norm2 = nn.LayerNorm(d)
        self.norm3 = nn.LayerNorm(d)
        self.film1 = DenseFiLM(d)
        self.film2 = DenseFiLM(d)
        self.film3 = DenseFiLM(d)
        self.drop = nn.Dropout(cfg.dropout)
        self.rotary = [rotary]

    def forward(self, x: torch.Tensor, memory: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        rotary = self.rotary[0]
        h = self.norm1(x)
        qk = rotary(h)
        x = x + self.film1(self.drop(self.self_attn(qk, qk, h)), t)
        h = self.norm2(x)
        x = x + self.film2(self.drop(self.multihead_attn(rotary(h), rotary(memory), memory)), t)
        h = self.norm3(x)
        x = x + self.film3(self.drop(self.linear2(self.drop(F.gelu(self.linear1(h))))), t)
        return x


class DecoderStack(nn.Module):
    def __init__(self, layers: list[DecoderLayer]) -> None:
        super().__init__()
        self.stack = nn.ModuleList(layers)

    def forward(self, x: torch.Tensor, memory: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        for layer in self.stack:
            x = layer(x, memory, t)
        return x


class SinusoidalEmbedding(nn.Module):
    def __init__(self, dim: int) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        half = self.dim // 2
        freqs = torch.exp(torch.arange(half, device=t.device) * -(math.log(10000) / (half - 1)))
        angles = t.float()[:, None] * freqs[None]
        return torch.cat((angles.sin(), angles.cos()), dim=-1)


class DanceDenoiser(nn.Module):
    """x0-predicting denoiser ``(x_t (B,T,nfeats), t (B,), condition) -> x0 (B,T,nfeats)``."""

    def __init__(self, cfg: DenoiserConfig) -> None:
        super().__init__()
        self.config = cfg
        d = cfg.latent_dim
        self.rotary = Rotary(d)
        self.time_mlp = nn.Sequential(SinusoidalEmbedding(d), nn.Linear(d, 4 * d), nn.Mish())
        self.to_time_cond = nn.Sequential(nn.Linear(4 * d, d))
        self.to_time_tokens = nn.Sequential(nn.Linear(4 * d, 2 * d))
        self.null_cond_embed = nn.Parameter(torch.randn(1, cfg.seq_len, d))
        self.null_cond_hidden = nn.Parameter(torch.randn(1, d))
        self.norm_cond = nn.LayerNorm(d)
        self.input_projection = nn.Linear(cfg.nfeats, d)
        self.cond_encoder = nn.Sequential(*[EncoderLayer(cfg, self.rotary) for _ in range(cfg.cond_layers)])
        self.cond_projection = nn.Linear(cfg.cond_dim, d)
        self.non_attn_cond_projection = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))
        self.seqTransDecoder = DecoderStack([DecoderLayer(cfg, self.rotary) for _ in range(cfg.num_layers)])
        self.final_layer = nn.Linear(d, cfg.nfeats)
        self.frame_projection = nn.Linear(d, d) if cfg.frame_cond else None

    def encode_condition(self, cond: torch.Tensor) -> torch.Tensor:
        """Condition sequence (B, T, cond_dim) -> condition tokens (B, T, latent). Cacheable across steps."""
        if cond.shape[-1] != self.config.cond_dim:
            raise ValueError(f"condition must have {self.config.cond_dim} features, got {cond.shape[-1]}")
        return self.cond_encoder(self.cond_projection(cond))

    def null_tokens(self, length: int) -> torch.Tensor:
        null = self.null_cond_embed
        if length != null.shape[1]:
            null = F.interpolate(null.transpose(1, 2), size=length, mode="linear", align_corners=True).transpose(1, 2)
        return null

    def forward(
        self,
        x: torch.Tensor,
        times: torch.Tensor,
        cond: torch.Tensor | None = None,
        *,
        tokens: torch.Tensor | None = None,
        keep: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """``keep`` (B,) bool: where False the condition is dropped (null embeddings; guidance training/sampling).

        Give either ``cond`` (raw condition) or ``tokens`` (from :meth:`encode_condition`).
        """
        batch, length = x.shape[0], x.shape[1]
        if tokens is None:
            if cond is None:
                raise ValueError("give the condition sequence or its encoded tokens")
            tokens = self.encode_condition(cond)
        if tokens.shape[:2] != (batch, length):
            raise ValueError(f"condition tokens {tuple(tokens.shape[:2])} do not match the motion {(batch, length)}")
        h = self.input_projection(x)
        if keep is not None:
            tokens = torch.where(keep[:, None, None], tokens, self.null_tokens(length).to(tokens.dtype))
        if self.frame_projection is not None:
            h = h + self.frame_projection(tokens)
        hidden = self.non_attn_cond_projection(tokens.mean(dim=-2))
        t_hidden = self.time_mlp(times)
        t = self.to_time_cond(t_hidden)
        t_tokens = self.to_time_tokens(t_hidden).unflatten(-1, (2, -1))
        if keep is not None:
            hidden = torch.where(keep[:, None], hidden, self.null_cond_hidden.to(hidden.dtype))
        t = t + hidden
        memory = self.norm_cond(torch.cat((tokens, t_tokens), dim=-2))
        return self.final_layer(self.seqTransDecoder(h, memory, t))
