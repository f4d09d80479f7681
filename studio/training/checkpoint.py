"""Training checkpoints (``checkpoint.pt`` beside the model folder's files): everything to resume exactly.

Contents: model and EMA weights, optimizer state, step, accumulated wall time, the model and training
configs, the normalisation statistics, torch's RNG state and the loss history. Written atomically; read
with ``weights_only=True`` (plain tensors, numbers, strings, lists and dicts only).
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

import torch

from studio.core.atomic import atomic_path
from studio.core.errors import ModelError

CHECKPOINT_FILE = "checkpoint.pt"


def save_checkpoint(folder: str | PathLike, state: dict[str, Any]) -> Path:
    path = Path(folder) / CHECKPOINT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        torch.save(state, tmp)
    return path


def load_checkpoint(folder: str | PathLike) -> dict[str, Any]:
    path = Path(folder) / CHECKPOINT_FILE
    if not path.is_file():
        raise ModelError(path, expected="a training checkpoint to resume from", found="no such file",
                         hint="run without --resume to start a new training")  # fmt: skip
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many kinds for a damaged file
        raise ModelError(path, expected="a Choreo Studio training checkpoint", found=str(error)) from None
    missing = {"model", "ema", "optimizer", "step", "model_config", "train_config"} - set(state)
    if missing:
        raise ModelError(path, expected="a Choreo Studio training checkpoint", found=f"missing {sorted(missing)}")
    return state
