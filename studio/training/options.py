"""The command-line arguments of the trainers (``studio train fdgn|gcrm``, ``python -m studio.training.gcrm``)
and their reading: one definition for both model families.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from studio.core.errors import InputError

# names of the arguments that override a field of the training config when given
TRAIN_OVERRIDES = ("steps", "batch_size", "lr", "max_minutes", "checkpoint_every", "seed", "log_every", "ema_decay")


def add_train_arguments(
    parser: argparse.ArgumentParser,
    *,
    data: str = "FineDance-layout folder (motion/, music_npy/, split.json)",
    out: str = "models/my-fdgn",
    presets: str = "tiny, small, small-v2, small-whole, official",
    ema_decay: float = 0.999,
    evaluation: str = "the metrics on the data's test split",
    context_prob: bool = True,
) -> None:
    """The trainers' arguments; the keywords fit the help texts to a model family (the defaults: FDGN's).

    ``context_prob``: also ``--context-prob`` (FDGN's clean-context training).
    """
    parser.add_argument("--data", required=True, help=data)
    parser.add_argument("--out", required=True, help=f"model folder to write, e.g. {out}")
    parser.add_argument("--config", default="small", help=f"preset ({presets}) or a config.json")
    parser.add_argument("--steps", type=int, default=None, help="total optimiser steps (default 2000)")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--lr", type=float, default=None)
    parser.add_argument("--max-minutes", type=float, default=None, help="stop and save after this wall time")
    parser.add_argument("--checkpoint-every", type=int, default=None)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--log-every", type=int, default=None, help="progress line every N steps (default 25)")
    if context_prob:
        parser.add_argument(
            "--context-prob",
            type=float,
            default=None,
            help="share of samples trained with clean context frames (then constraints are clean)",
        )
    if context_prob:  # FDGN's: more data, a start model, the music's normalisation
        parser.add_argument("--extra-data", action="append", default=None, metavar="DIR",
                            help="another FineDance-layout folder whose train split is trained on too (repeatable)")
        parser.add_argument("--init", default=None, metavar="MODEL",
                            help="start from this model folder's weights and config (fine-tuning; no --config)")
        parser.add_argument("--music-norm", choices=("none", "song"), default=None,
                            help="what the nets see of the music: as analysed, or z-scored over each song")
    parser.add_argument("--ema-decay", type=float, default=None, help=f"EMA of the weights (default {ema_decay})")
    parser.add_argument("--device", default=None, help="cpu or cuda (default: cuda if available)")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    parser.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt")
    parser.add_argument("--no-eval", action="store_true", help=f"skip {evaluation}")


def model_config_from(
    value: str, from_dict: Callable[[dict[str, Any]], Any], preset: Callable[[str], Any], *, file: str, choices: str
) -> tuple[Any, str | None]:
    """``--config``: a config.json path (a model folder's, or the bare config) or a preset name.

    Returns ``(config, preset name or None)``; ``file`` (what the file should be) and ``choices`` (what the value
    may be) word the errors.
    """
    config_path = Path(value)
    if config_path.is_file():
        try:
            data = json.loads(config_path.read_text())
            return from_dict(data.get("config", data)), None
        except (OSError, ValueError, TypeError) as error:
            raise InputError(config_path, expected=file, found=str(error)) from None
    try:
        return preset(value), value
    except ValueError as error:
        raise InputError("--config", expected=choices, found=repr(value)) from error


def train_changes(args: argparse.Namespace, names: Iterable[str] = TRAIN_OVERRIDES) -> dict[str, Any]:
    """The training-config fields the command line sets (the arguments given, not None)."""
    return {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}
