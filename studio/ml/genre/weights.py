"""GCRM model folders: ``config.json`` + ``model.safetensors`` + ``card.json`` (as FDGN's, see studio.ml.weights).

- ``config.json``: ``{"format": "choreo-studio/gcrm", "version": 1, "config": GCRMConfig, "genres": [names],
  "temperature": float}`` (``genres`` empty when no prototypes were fitted yet);
- ``model.safetensors``: both encoders' weights (``music.*``, ``dance.*``) and the genre prototypes
  (``prototypes.music``, ``prototypes.dance``: (G, D) each);
- ``card.json``: data, steps, wall time, metrics (free-form).

Names resolve like FDGN's: a folder path, or a folder name in ``models/`` (or ``$CHOREO_STUDIO_MODELS``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from studio.core.errors import ModelError
from studio.ml.genre.config import GCRMConfig
from studio.ml.genre.model import GCRM
from studio.ml.genre.prototypes import GenrePrototypes
from studio.ml.weights import CARD_FILE, CONFIG_FILE, WEIGHTS_FILE, resolve

FORMAT = "choreo-studio/gcrm"
VERSION = 1
DEFAULT_MODEL = "gcrm-small"


@dataclass
class LoadedGCRM:
    model: GCRM
    prototypes: GenrePrototypes | None
    config: GCRMConfig
    card: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def model_id(self) -> str:
        return self.path.name if self.path is not None else "unsaved"


def save_gcrm(
    folder: str | PathLike, model: GCRM, prototypes: GenrePrototypes | None = None, card: dict[str, Any] | None = None
) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().to("cpu", torch.float32).contiguous().clone() for k, v in model.state_dict().items()}
    if prototypes is not None:
        tensors.update({k: v.cpu() for k, v in prototypes.state_dict().items()})
    config = {
        "format": FORMAT, "version": VERSION, "config": model.config.to_dict(),
        "genres": list(prototypes.names) if prototypes is not None else [],
        "temperature": prototypes.temperature if prototypes is not None else None,
    }  # fmt: skip
    _atomic(folder / WEIGHTS_FILE, lambda p: save_file(tensors, str(p), metadata={"format": FORMAT}))
    _atomic(folder / CONFIG_FILE, lambda p: p.write_text(json.dumps(config, indent=2) + "\n"))
    _atomic(folder / CARD_FILE, lambda p: p.write_text(json.dumps(card or {}, indent=2, default=str) + "\n"))
    return folder


def _read_config(folder: Path) -> dict[str, Any]:
    path = folder / CONFIG_FILE
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise ModelError(path, expected="a model config.json", found="no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(path, expected="JSON", found=f"unreadable content ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise ModelError(path, expected=f'"format": "{FORMAT}" (a GCRM genre ranker)', found=repr(found))
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise ModelError(path, expected=f"version <= {VERSION}", found=repr(data.get("version")),
                         hint="a newer Choreo Studio wrote it")  # fmt: skip
    return data


def load_gcrm(name_or_path: str | PathLike = DEFAULT_MODEL, device: str | torch.device = "cpu") -> LoadedGCRM:
    folder = resolve(name_or_path)
    data = _read_config(folder)
    try:
        config = GCRMConfig.from_dict(data["config"])
    except (KeyError, TypeError, ValueError) as error:
        raise ModelError(folder / CONFIG_FILE, expected="a valid GCRM configuration", found=str(error)) from None
    weights = folder / WEIGHTS_FILE
    if not weights.is_file():
        raise ModelError(weights, expected="the model weights (model.safetensors)", found="no such file")
    try:
        tensors = load_file(str(weights))
    except (SafetensorError, OSError, ValueError) as error:
        raise ModelError(weights, expected="a safetensors file", found=f"unreadable data ({error})") from None
    prototypes = None
    genres = data.get("genres") or []
    if genres:
        try:
            prototypes = GenrePrototypes.from_state_dict(tensors, genres, float(data["temperature"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ModelError(weights, expected=f"prototypes for the {len(genres)} genres of config.json",
                             found=str(error)) from None  # fmt: skip
    state = {k: v for k, v in tensors.items() if not k.startswith("prototypes.")}
    model = GCRM(config)
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as error:
        first = str(error).splitlines()[:3]
        raise ModelError(weights, expected="weights matching config.json", found=" ".join(first)) from None
    card: dict[str, Any] = {}
    card_path = folder / CARD_FILE
    if card_path.is_file():
        try:
            card = json.loads(card_path.read_text())
        except (OSError, json.JSONDecodeError) as error:
            raise ModelError(card_path, expected="JSON", found=f"unreadable content ({error})") from None
    model.to(device).eval()
    return LoadedGCRM(model, prototypes, config, card, folder)


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(path.name + ".part")
    write(tmp)
    tmp.replace(path)
