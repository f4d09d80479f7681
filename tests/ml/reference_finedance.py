"""A compact re-statement of the published FineDance ``SeqModel`` forward pass, for equivalence tests.

Follows li-ronghui/FineDance ``model/model.py`` and EDGE's ``rotary_embedding_torch.py`` line by line
(einops replaced by plain torch, ``nn.MultiheadAttention`` as there, rotary applied to the full feature
vector before the attention, a shared rotary module registered under every layer). Inference only
(dropout off, ``cond_drop_prob`` 0 or 1).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


class RotaryEmbedding(nn.Module):
    def __init__(self, dim: int) -> None:
        super().__init__()
        self.register_buffer("freqs", 1.0 / (10000 ** (torch.arange(0, dim, 2)[: dim // 2].float() / dim)))

    def rotate_queries_or_keys(self, t: torch.Tensor) -> torch.Tensor:
        seq = torch.arange(t.shape[-2], dtype=self.freqs.dtype)
        freqs = torch.einsum("i,f->if", seq, self.freqs).repeat_interleave(2, dim=-1)  # "... n -> ... (n r)"
        x = t.reshape(*t.shape[:-1], -1, 2)  # "... (d r) -> ... d r"
        x1, x2 = x.unbind(-1)
        rotated = torch.stack((-x2, x1), dim=-1).reshape(t.shape)
        return t * freqs.cos() + rotated * freqs.sin()


class DenseFiLM(nn.Module):
    def __init__(self, d: int) -> None:
        super().__init__()
        self.block = nn.Sequential(nn.Mish(), nn.Linear(d, d * 2))

    def forward(self, position):
        return self.block(position)[:, None].chunk(2, dim=-1)


def featurewise_affine(x, scale_shift):
    scale, shift = scale_shift
    return (scale + 1) * x + shift


class TransformerEncoderLayer(nn.Module):
    def __init__(self, d, nhead, ff, rotary):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, nhead, dropout=0.0, batch_first=True)
        self.linear1, self.linear2 = nn.Linear(d, ff), nn.Linear(ff, d)
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.rotary = rotary

    def forward(self, x):
        h = self.norm1(x)
        qk = self.rotary.rotate_queries_or_keys(h)
        x = x + self.self_attn(qk, qk, h, need_weights=False)[0]
        return x + self.linear2(F.gelu(self.linear1(self.norm2(x))))


class FiLMTransformerDecoderLayer(nn.Module):
    def __init__(self, d, nhead, ff, rotary):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, nhead, dropout=0.0, batch_first=True)
        self.multihead_attn = nn.MultiheadAttention(d, nhead, dropout=0.0, batch_first=True)
        self.linear1, self.linear2 = nn.Linear(d, ff), nn.Linear(ff, d)
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.film1, self.film2, self.film3 = DenseFiLM(d), DenseFiLM(d), DenseFiLM(d)
        self.rotary = rotary

    def forward(self, x, memory, t):
        h = self.norm1(x)
        qk = self.rotary.rotate_queries_or_keys(h)
        x = x + featurewise_affine(self.self_attn(qk, qk, h, need_weights=False)[0], self.film1(t))
        h = self.norm2(x)
        q = self.rotary.rotate_queries_or_keys(h)
        k = self.rotary.rotate_queries_or_keys(memory)
        x = x + featurewise_affine(self.multihead_attn(q, k, memory, need_weights=False)[0], self.film2(t))
        x = x + featurewise_affine(self.linear2(F.gelu(self.linear1(self.norm3(x)))), self.film3(t))
        return x


class DecoderLayerStack(nn.Module):
    def __init__(self, stack):
        super().__init__()
        self.stack = stack

    def forward(self, x, cond, t):
        for layer in self.stack:
            x = layer(x, cond, t)
        return x


class SinusoidalPosEmb(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        half = self.dim // 2
        emb = torch.exp(torch.arange(half) * -(math.log(10000) / (half - 1)))
        emb = x[:, None] * emb[None, :]
        return torch.cat((emb.sin(), emb.cos()), dim=-1)


class DanceDecoder(nn.Module):
    def __init__(self, nfeats, seq_len, d, ff, layers, heads, cond_dim):
        super().__init__()
        self.rotary = RotaryEmbedding(d)
        self.abs_pos_encoding = nn.Identity()
        self.time_mlp = nn.Sequential(SinusoidalPosEmb(d), nn.Linear(d, d * 4), nn.Mish())
        self.to_time_cond = nn.Sequential(nn.Linear(d * 4, d))
        self.to_time_tokens = nn.Sequential(nn.Linear(d * 4, d * 2))
        self.null_cond_embed = nn.Parameter(torch.randn(1, seq_len, d))
        self.null_cond_hidden = nn.Parameter(torch.randn(1, d))
        self.norm_cond = nn.LayerNorm(d)
        self.input_projection = nn.Linear(nfeats, d)
        self.cond_encoder = nn.Sequential(*[TransformerEncoderLayer(d, heads, ff, self.rotary) for _ in range(2)])
        self.cond_projection = nn.Linear(cond_dim, d)
        self.non_attn_cond_projection = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))
        self.seqTransDecoder = DecoderLayerStack(
            nn.ModuleList([FiLMTransformerDecoderLayer(d, heads, ff, self.rotary) for _ in range(layers)])
        )
        self.final_layer = nn.Linear(d, nfeats)

    def forward(self, x, cond_embed, times, cond_drop_prob=0.0):
        b = x.shape[0]
        x = self.input_projection(x)
        keep = torch.full((b,), cond_drop_prob < 1.0)
        cond_tokens = self.cond_encoder(self.cond_projection(cond_embed))
        cond_tokens = torch.where(keep[:, None, None], cond_tokens, self.null_cond_embed)
        cond_hidden = self.non_attn_cond_projection(cond_tokens.mean(dim=-2))
        t_hidden = self.time_mlp(times)
        t = self.to_time_cond(t_hidden)
        t_tokens = self.to_time_tokens(t_hidden).reshape(b, 2, -1)  # "b (r d) -> b r d", r=2
        cond_hidden = torch.where(keep[:, None], cond_hidden, self.null_cond_hidden)
        t = t + cond_hidden
        c = self.norm_cond(torch.cat((cond_tokens, t_tokens), dim=-2))
        return self.final_layer(self.seqTransDecoder(x, c, t))


class SeqModel(nn.Module):
    def __init__(self, seq_len, d, ff, layers, heads):
        super().__init__()
        self.network = nn.ModuleDict()
        self.network["body_net"] = DanceDecoder(139, seq_len, d, ff, layers, heads, 35)
        self.network["hand_net"] = DanceDecoder(180, seq_len, d, ff, layers, heads, 35 + 139)

    def forward(self, x, cond_embed, times, cond_drop_prob=0.0):
        body = self.network["body_net"](x[:, :, :139], cond_embed, times, cond_drop_prob)
        hand = self.network["hand_net"](x[:, :, 139:], torch.cat([body, cond_embed], dim=-1), times, cond_drop_prob)
        return torch.cat([body, hand], dim=-1)
