"""GCRM model folders: ``config.json`` + ``model.safetensors`` + ``card.json`` (as FDGN's, see studio.ml.weights).

- ``config.json``: ``{"format": "choreo-studio/gcrm", "version": 1, "config": GCRMConfig, "genres": [names],
  "temperature": float}`` (``genres`` empty when no prototypes were fitted yet);
- ``model.safetensors``: both encoders' weights (``music.*``, ``dance.*``) and the genre prototypes
  (``prototypes.music``, ``prototypes.dance``: (G, D) each);
- ``card.json``: data, steps, wall time, metrics (free-form).

Names resolve like FDGN's: a folder path, or a folder name in ``models/`` (or ``$CHOREO_STUDIO_MODELS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import torch

from studio.core.errors import ModelError
from studio.ml.genre.config import GCRMConfig
from studio.ml.genre.model import GCRM
from studio.ml.genre.prototypes import GenrePrototypes
from studio.ml.weights import (
    CONFIG_FILE,
    WEIGHTS_FILE,
    cpu_state,
    load_state,
    parse_config,
    read_card,
    read_config,
    read_weights,
    resolve,
    save_pretrained_files,
)

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
    tensors = cpu_state(model)
    if prototypes is not None:
        tensors.update({k: v.cpu() for k, v in prototypes.state_dict().items()})
    config = {
        "format": FORMAT, "version": VERSION, "config": model.config.to_dict(),
        "genres": list(prototypes.names) if prototypes is not None else [],
        "temperature": prototypes.temperature if prototypes is not None else None,
    }  # fmt: skip
    return save_pretrained_files(folder, config, tensors, card)


def load_gcrm(name_or_path: str | PathLike = DEFAULT_MODEL, device: str | torch.device = "cpu") -> LoadedGCRM:
    folder = resolve(name_or_path)
    data = read_config(folder, FORMAT, VERSION, " (a GCRM genre ranker)")
    config = parse_config(folder / CONFIG_FILE, data, GCRMConfig.from_dict, "GCRM")
    tensors = read_weights(folder)
    prototypes = None
    genres = data.get("genres") or []
    if genres:
        try:
            prototypes = GenrePrototypes.from_state_dict(tensors, genres, float(data["temperature"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ModelError(folder / WEIGHTS_FILE, expected=f"prototypes for the {len(genres)} genres of config.json",
                             found=str(error)) from None  # fmt: skip
    model = GCRM(config)
    load_state(model, {k: v for k, v in tensors.items() if not k.startswith("prototypes.")}, folder)
    card = read_card(folder)
    model.to(device).eval()
    return LoadedGCRM(model, prototypes, config, card, folder)
