"""Model folders: ``config.json`` + ``model.safetensors`` + ``card.json``, loaded from local folders only.

- ``config.json``: ``{"format": "choreo-studio/fdgn", "version": 1, "config": FDGNConfig as a dict}``;
- ``model.safetensors``: the FDGN weights (EMA weights for a trained model) plus the normalisation
  statistics under ``normalizer.*``;
- ``card.json``: what the model is: data, steps, wall time, metrics, licence, notes (free-form dict).

A name without a path separator is looked up in the models folders (``studio.core.resources``):
``$CHOREO_STUDIO_MODELS`` if set, else the user models folder and then the shipped models (``models/`` at the
top of a checkout, package data in an installed wheel).

The folder format itself (:func:`save_pretrained_files`, :func:`read_config`, :func:`read_weights`,
:func:`read_card`, ...) is shared by every model family: GCRM's folders (studio.ml.genre.weights) use it too.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from studio.core import resources
from studio.core.atomic import atomic_paths
from studio.core.errors import ModelError
from studio.ml.fdgn import FDGN, FDGNConfig
from studio.ml.normalize import Normalizer

FORMAT = "choreo-studio/fdgn"
VERSION = 1
CONFIG_FILE, WEIGHTS_FILE, CARD_FILE = "config.json", "model.safetensors", "card.json"


@dataclass
class LoadedModel:
    model: FDGN
    normalizer: Normalizer
    config: FDGNConfig
    card: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def model_id(self) -> str:
        return self.path.name if self.path is not None else "unsaved"


def resolve(name_or_path: str | PathLike) -> Path:
    """A folder path, or the name of a model folder in :func:`studio.core.resources.model_dirs` (first match)."""
    path = Path(name_or_path).expanduser()
    if path.is_dir():
        return path
    text = str(name_or_path)
    if "/" not in text and os.sep not in text:
        found = resources.find_model(text)
        if found is not None:
            return found
    raise ModelError(
        name_or_path, expected="a model folder (config.json, model.safetensors, card.json) or a model name",
        found="no such folder", hint=resources.describe_model_search(),
    )  # fmt: skip


def save_pretrained(
    folder: str | PathLike, model: FDGN, normalizer: Normalizer, card: dict[str, Any] | None = None
) -> Path:
    tensors = {**cpu_state(model), **normalizer.state_dict()}
    config = {"format": FORMAT, "version": VERSION, "config": model.config.to_dict()}
    return save_pretrained_files(folder, config, tensors, card)


def load_config(folder: str | PathLike) -> FDGNConfig:
    path = Path(folder) / CONFIG_FILE
    return parse_config(path, read_config(folder, FORMAT, VERSION), FDGNConfig.from_dict, "FDGN")


def load_pretrained(name_or_path: str | PathLike, device: str | torch.device = "cpu") -> LoadedModel:
    folder = resolve(name_or_path)
    config = load_config(folder)
    tensors = read_weights(folder)
    try:
        normalizer = Normalizer.from_state_dict(tensors)
    except KeyError as error:
        raise ModelError(folder / WEIGHTS_FILE, expected="normalizer.* statistics", found=str(error)) from None
    model = FDGN(config)
    load_state(model, {k: v for k, v in tensors.items() if not k.startswith("normalizer.")}, folder)
    card = read_card(folder)
    model.to(device).eval()
    return LoadedModel(model, normalizer, config, card, folder)


# -- the folder format, shared by every model family (FDGN here, GCRM in studio.ml.genre.weights) ------------


def cpu_state(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """The module's state as contiguous float32 CPU copies (what ``model.safetensors`` holds)."""
    return {k: v.detach().to("cpu", torch.float32).contiguous().clone() for k, v in model.state_dict().items()}


def save_pretrained_files(
    folder: str | PathLike, config: dict[str, Any], tensors: dict[str, torch.Tensor], card: dict[str, Any] | None
) -> Path:
    """Write ``model.safetensors`` (tagged with ``config["format"]``), ``config.json`` and ``card.json`` atomically."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    # the three files of a model folder appear together or not at all
    with atomic_paths([folder / WEIGHTS_FILE, folder / CONFIG_FILE, folder / CARD_FILE]) as (weights, cfg, card_file):
        save_file(tensors, str(weights), metadata={"format": config["format"]})
        cfg.write_text(json.dumps(config, indent=2) + "\n")
        card_file.write_text(json.dumps(card or {}, indent=2, default=str) + "\n")
    return folder


def read_config(folder: str | PathLike, fmt: str, version: int, label: str = "") -> dict[str, Any]:
    """``config.json`` as a dict, checked to be of format ``fmt`` (``label`` says what that is) and version."""
    path = Path(folder) / CONFIG_FILE
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise ModelError(path, expected="a model config.json", found="no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(path, expected="JSON", found=f"unreadable content ({error})") from None
    if not isinstance(data, dict) or data.get("format") != fmt:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise ModelError(path, expected=f'"format": "{fmt}"{label}', found=repr(found))
    if not isinstance(data.get("version"), int) or data["version"] > version:
        raise ModelError(path, expected=f"version <= {version}", found=repr(data.get("version")),
                         hint="a newer Choreo Studio wrote it")  # fmt: skip
    return data


def parse_config(path: Path, data: dict[str, Any], from_dict: Callable[[dict], Any], family: str) -> Any:
    """``from_dict(data["config"])``, its errors as a :class:`ModelError` on ``path``."""
    try:
        return from_dict(data["config"])
    except (KeyError, TypeError, ValueError) as error:
        raise ModelError(path, expected=f"a valid {family} configuration", found=str(error)) from None


def read_weights(folder: Path) -> dict[str, torch.Tensor]:
    weights = folder / WEIGHTS_FILE
    if not weights.is_file():
        raise ModelError(weights, expected="the model weights (model.safetensors)", found="no such file")
    try:
        return load_file(str(weights))
    except (SafetensorError, OSError, ValueError) as error:
        raise ModelError(weights, expected="a safetensors file", found=f"unreadable data ({error})") from None


def load_state(model: torch.nn.Module, state: dict[str, torch.Tensor], folder: Path) -> None:
    """``model.load_state_dict(state, strict=True)``, a mismatch as a :class:`ModelError` on the weights file."""
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as error:
        first = " ".join(str(error).splitlines()[:3])
        raise ModelError(folder / WEIGHTS_FILE, expected="weights matching config.json", found=first) from None


def read_card(folder: Path) -> dict[str, Any]:
    """``card.json`` (``{}`` when there is none)."""
    card_path = folder / CARD_FILE
    if not card_path.is_file():
        return {}
    try:
        return json.loads(card_path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ModelError(card_path, expected="JSON", found=f"unreadable content ({error})") from None
