"""The official FineDance model size, and loading the published FineDance checkpoints.

The public FineDance code (``li-ronghui/FineDance``, ``train_seq.py``) builds ``SeqModel`` with
``latent_dim=512, ff_size=1024, num_layers=8, num_heads=8, dropout=0.1, seq_len=120`` (``full_seq_len``),
two condition-encoder layers, a cosine schedule of 1000 steps, x0 prediction, guidance weight 2, condition
dropout 0.25; sampling is DDIM with 50 steps, ``eta = 1`` and the x0 estimate clamped to [-1, 1]; the data
is not normalised (``do_normalize`` defaults to off). ``SeqModel`` holds ``network.body_net`` (139-d body,
35-d music) and ``network.hand_net`` (180-d hands, condition = body 139 + music 35). A checkpoint
``train-N.pt`` is ``torch.save({"ema_state_dict", "model_state_dict", "optimizer_state_dict",
"normalizer"})``; multi-GPU training may prefix keys with ``module.``.

Key mapping: ``network.body_net.X`` -> ``body.X``, ``network.hand_net.X`` -> ``hand.X`` (our module names
follow theirs). Their rotary embedding is one module shared by every layer, so ``rotary.freqs`` appears under
each layer (``cond_encoder.0.rotary.freqs``, ``seqTransDecoder.stack.3.rotary.freqs``, ...); those buffers
are fixed by ``latent_dim``: they are checked against the values we compute and then dropped. There is no
refine net in those checkpoints, so the refine net is the identity. Everything else loads with
``strict=True``.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import torch

from studio.core.errors import ModelError
from studio.ml.fdgn import FDGN, FDGNConfig, body_config, hand_config
from studio.ml.normalize import Normalizer
from studio.ml.weights import LoadedModel

OFFICIAL_SIZES = dict(latent_dim=512, ff_size=1024, num_layers=8, num_heads=8, cond_layers=2, seq_len=120,
                      dropout=0.1)  # fmt: skip
_PARTS = {"network.body_net.": "body.", "network.hand_net.": "hand."}


def official_config() -> FDGNConfig:
    return FDGNConfig(
        body_config(**OFFICIAL_SIZES), hand_config(**OFFICIAL_SIZES), refine_hidden=0,
        num_train_timesteps=1000, sampling_steps=50, guidance_weight=2.0, eta=1.0, cond_drop_prob=0.25,
        context_frames=8, window=120, canonical_root=False, clip_x0=1.0,
    )  # fmt: skip


def _expected_freqs(latent_dim: int) -> torch.Tensor:
    return 1.0 / (10000 ** (torch.arange(0, latent_dim, 2).float() / latent_dim))


def convert_state_dict(
    state: dict[str, torch.Tensor], *, part: str | None = None, ema: bool = True, source: str | None = None
) -> dict[str, torch.Tensor]:
    """Official FineDance state dict -> ours.

    ``state`` may be a whole checkpoint (``ema_state_dict`` / ``model_state_dict`` inside), a ``SeqModel``
    state dict (``network.body_net.*``, ``network.hand_net.*``), or, with ``part="body"`` / ``"hand"``, one
    ``DanceDecoder``'s state dict.
    """
    if "ema_state_dict" in state or "model_state_dict" in state:
        key = "ema_state_dict" if ema and "ema_state_dict" in state else "model_state_dict"
        state = state[key]
    out: dict[str, torch.Tensor] = {}
    for name, value in state.items():
        if name.startswith("module."):
            name = name[len("module.") :]
        if part is not None:
            if part not in ("body", "hand"):
                raise ValueError(f"part must be 'body' or 'hand', got {part!r}")
            name = f"{part}.{name}"
        else:
            prefix = next((p for p in _PARTS if name.startswith(p)), None)
            if prefix is None:
                raise ModelError(source, expected="FineDance SeqModel keys (network.body_net.*, network.hand_net.*)",
                                 found=f"key {name!r}")  # fmt: skip
            name = _PARTS[prefix] + name[len(prefix) :]
        if name.endswith("rotary.freqs"):
            latent = value.numel() * 2
            if not torch.allclose(value.float().cpu(), _expected_freqs(latent), rtol=1e-5, atol=1e-7):
                raise ModelError(source, expected="the standard rotary frequencies (base 10000)",
                                 found=f"different values in {name}")  # fmt: skip
            continue
        out[name] = value
    return out


def load_official(
    checkpoint: str | PathLike | None = None,
    *,
    body: str | PathLike | None = None,
    hand: str | PathLike | None = None,
    ema: bool = True,
    device: str | torch.device = "cpu",
    config: FDGNConfig | None = None,
) -> LoadedModel:
    """Load ``train-N.pt`` (both experts) or separate body / hand expert checkpoints, ``strict=True``.

    ``config`` defaults to :func:`official_config`; give another for FineDance-family checkpoints of other sizes
    (its ``refine_hidden`` must be 0).
    """
    state: dict[str, torch.Tensor] = {}
    if checkpoint is not None:
        state.update(convert_state_dict(_read(checkpoint), ema=ema, source=str(checkpoint)))
    for part, path in (("body", body), ("hand", hand)):
        if path is not None:
            raw = _read(path)
            if "ema_state_dict" in raw or "model_state_dict" in raw:
                raw = raw["ema_state_dict" if ema and "ema_state_dict" in raw else "model_state_dict"]
            if any(k.removeprefix("module.").startswith("network.") for k in raw):
                prefix = f"{part}."
                converted = convert_state_dict(raw, ema=ema, source=str(path))
                state.update({k: v for k, v in converted.items() if k.startswith(prefix)})
            else:
                state.update(convert_state_dict(raw, part=part, ema=ema, source=str(path)))
    if not state:
        raise ValueError("give a checkpoint, or body and hand checkpoints")
    config = config or official_config()
    if config.refine_hidden:
        raise ValueError("FineDance checkpoints have no refine net: use a config with refine_hidden=0")
    model = load_into(FDGN(config), state, source=str(checkpoint or body or hand))
    card = {"source": "FineDance official checkpoint", "files": [str(p) for p in (checkpoint, body, hand) if p]}
    return LoadedModel(model.to(device).eval(), Normalizer.identity(), model.config, card, None)


def load_into(model: FDGN, state: dict[str, torch.Tensor], source: str | None = None) -> FDGN:
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as error:
        found = " ".join(str(error).splitlines()[:4])
        raise ModelError(source, expected="a FineDance checkpoint of the official size", found=found) from None
    return model


def _read(path: str | PathLike) -> dict:
    path = Path(path)
    if not path.is_file():
        raise ModelError(path, expected="a FineDance checkpoint (.pt)", found="no such file")
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many kinds for foreign files
        raise ModelError(path, expected="a torch checkpoint", found=f"unreadable data ({error})") from None
    if not isinstance(data, dict):
        raise ModelError(path, expected="a dict of tensors", found=type(data).__name__)
    return data
