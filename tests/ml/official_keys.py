"""Key names and shapes of the published FineDance ``SeqModel`` state dict, written out from its source.

Source: li-ronghui/FineDance ``model/model.py`` (``SeqModel``, ``DanceDecoder``, ``TransformerEncoderLayer``,
``FiLMTransformerDecoderLayer``, ``DenseFiLM``) and EDGE ``model/rotary_embedding_torch.py`` (``freqs`` is a
registered buffer, so it is in the state dict under every module that holds the shared rotary instance).
Built independently of ``studio.ml`` so that a strict load really checks our names and shapes.
"""

from __future__ import annotations


def _mha(prefix: str, d: int) -> dict[str, tuple[int, ...]]:
    return {
        f"{prefix}.in_proj_weight": (3 * d, d),
        f"{prefix}.in_proj_bias": (3 * d,),
        f"{prefix}.out_proj.weight": (d, d),
        f"{prefix}.out_proj.bias": (d,),
    }


def _linear(prefix: str, n_in: int, n_out: int) -> dict[str, tuple[int, ...]]:
    return {f"{prefix}.weight": (n_out, n_in), f"{prefix}.bias": (n_out,)}


def _norm(prefix: str, d: int) -> dict[str, tuple[int, ...]]:
    return {f"{prefix}.weight": (d,), f"{prefix}.bias": (d,)}


def dance_decoder_shapes(nfeats, cond_dim, d=512, ff=1024, layers=8, seq_len=120) -> dict[str, tuple[int, ...]]:
    s: dict[str, tuple[int, ...]] = {"rotary.freqs": (d // 2,)}
    s |= _linear("time_mlp.1", d, 4 * d)  # time_mlp = (SinusoidalPosEmb, Linear, Mish)
    s |= _linear("to_time_cond.0", 4 * d, d)
    s |= _linear("to_time_tokens.0", 4 * d, 2 * d)  # (Linear, Rearrange)
    s["null_cond_embed"] = (1, seq_len, d)
    s["null_cond_hidden"] = (1, d)
    s |= _norm("norm_cond", d)
    s |= _linear("input_projection", nfeats, d)
    for i in range(2):  # cond_encoder: two TransformerEncoderLayer
        p = f"cond_encoder.{i}"
        s |= _mha(f"{p}.self_attn", d)
        s |= _linear(f"{p}.linear1", d, ff) | _linear(f"{p}.linear2", ff, d)
        s |= _norm(f"{p}.norm1", d) | _norm(f"{p}.norm2", d)
        s[f"{p}.rotary.freqs"] = (d // 2,)
    s |= _linear("cond_projection", cond_dim, d)
    s |= _norm("non_attn_cond_projection.0", d)  # (LayerNorm, Linear, SiLU, Linear)
    s |= _linear("non_attn_cond_projection.1", d, d) | _linear("non_attn_cond_projection.3", d, d)
    for i in range(layers):
        p = f"seqTransDecoder.stack.{i}"
        s |= _mha(f"{p}.self_attn", d) | _mha(f"{p}.multihead_attn", d)
        s |= _linear(f"{p}.linear1", d, ff) | _linear(f"{p}.linear2", ff, d)
        s |= _norm(f"{p}.norm1", d) | _norm(f"{p}.norm2", d) | _norm(f"{p}.norm3", d)
        for j in (1, 2, 3):
            s |= _linear(f"{p}.film{j}.block.1", d, 2 * d)  # DenseFiLM.block = (Mish, Linear)
        s[f"{p}.rotary.freqs"] = (d // 2,)
    s |= _linear("final_layer", d, nfeats)
    return s


def seq_model_shapes(**sizes) -> dict[str, tuple[int, ...]]:
    body = dance_decoder_shapes(139, 35, **sizes)
    hand = dance_decoder_shapes(180, 35 + 139, **sizes)
    return {f"network.body_net.{k}": v for k, v in body.items()} | {f"network.hand_net.{k}": v for k, v in hand.items()}
