"""Trainer plumbing shared by the FDGN and GCRM trainers: the EMA of the weights, the optimiser and its
learning-rate schedule, checkpoint state and resuming, the loss bookkeeping, the time limit and the card's
common parts.
"""

from __future__ import annotations

import copy
import json
import math
import platform
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import Any, Self, TextIO, TypedDict

import torch


@dataclass(frozen=True)
class LoopConfig:
    """The training-loop settings every trainer's config has (the defaults: FDGN's; a trainer's config subclasses
    this, with its own defaults and fields)."""

    steps: int = 2000
    batch_size: int = 16
    lr: float = 4e-4
    weight_decay: float = 0.02
    warmup_steps: int = 100
    ema_decay: float = 0.999
    grad_clip: float = 1.0
    seed: int = 0
    log_every: int = 25
    checkpoint_every: int = 200
    max_minutes: float | None = None  # stop (and save) after this much wall time in this run

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """The config from a dict (a checkpoint's ``train_config``), names it does not know left out."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


class RunOptions(TypedDict, total=False):
    """The keyword options every ``train_*`` function takes (all optional)."""

    resume: bool  # continue from OUT/checkpoint.pt (default False)
    device: str | None  # cpu or cuda (default: cuda if available)
    stream: TextIO | None  # where the progress goes (default: stderr)
    preset_name: str | None  # the preset the model config came from, for the card


def run_options(options: dict[str, Any], **more: Any) -> dict[str, Any]:
    """``options`` with :class:`RunOptions`' defaults (and the trainer's ``more`` ones) filled in; an unknown
    name is a TypeError, as for an ordinary keyword argument."""
    known = {"resume": False, "device": None, "stream": None, "preset_name": None, **more}
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise TypeError(f"unexpected keyword argument(s) {', '.join(unknown)}")
    return {**known, **options}


def ema_copy(model: torch.nn.Module) -> torch.nn.Module:
    """A frozen copy of ``model`` in eval mode, to hold the EMA of its weights."""
    ema = copy.deepcopy(model).eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    return ema


@torch.no_grad()
def ema_update(ema: torch.nn.Module, model: torch.nn.Module, step: int, decay: float, buffers: bool = False) -> None:
    """One EMA step (decay warmed up as ``min(decay, (1 + step) / (10 + step))``); ``buffers``: copy those too."""
    decay = min(decay, (1 + step) / (10 + step))
    for e, p in zip(ema.parameters(), model.parameters(), strict=True):
        e.lerp_(p.detach(), 1 - decay)
    if buffers:
        for e, b in zip(ema.buffers(), model.buffers(), strict=True):
            e.copy_(b)


def adamw(params: Iterable[torch.nn.Parameter], train: LoopConfig) -> torch.optim.AdamW:
    """AdamW with the training config's ``lr`` and ``weight_decay``, betas (0.9, 0.99)."""
    return torch.optim.AdamW(params, lr=train.lr, weight_decay=train.weight_decay, betas=(0.9, 0.99))


def warmup_cosine(step: int, train: LoopConfig, floor: float, time_share: float = 0.0) -> float:
    """Linear warm-up over ``train.warmup_steps``, then cosine decay to ``floor`` over ``train.steps``; with a
    time share (of a time limit), decay with whichever runs out first."""
    if step < train.warmup_steps:
        return (step + 1) / train.warmup_steps
    progress = max((step - train.warmup_steps) / max(1, train.steps - train.warmup_steps), time_share)
    return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))


def set_lr(optimizer: torch.optim.Optimizer, lr: float) -> None:
    for group in optimizer.param_groups:
        group["lr"] = lr


def checkpoint_state(model, ema, optimizer, step: int, elapsed: float, model_config, train, **extra) -> dict:
    """What ``checkpoint.pt`` holds for every trainer, plus the trainer's own ``extra`` entries."""
    return {
        "model": model.state_dict(), "ema": ema.state_dict(), "optimizer": optimizer.state_dict(), "step": step,
        "elapsed": elapsed, "model_config": model_config.to_dict(), "train_config": asdict(train), **extra,
    }  # fmt: skip


def restore(state: dict[str, Any] | None, model, ema, optimizer) -> tuple[int, float, list[dict[str, Any]]]:
    """Load a checkpoint's model, EMA, optimiser and torch RNG state; ``(step, elapsed, history)`` to go on from
    (``(0, 0.0, [])`` without a checkpoint)."""
    if state is None:
        return 0, 0.0, []
    model.load_state_dict(state["model"])
    ema.load_state_dict(state["ema"])
    optimizer.load_state_dict(state["optimizer"])
    if "rng" in state:
        torch.set_rng_state(state["rng"])
    return int(state["step"]), float(state.get("elapsed", 0.0)), list(state.get("history", []))


def smooth(smoothed: float | None, value: float) -> float:
    """The running loss shown and recorded: an EMA with weight 0.02 for the new value."""
    return value if smoothed is None else 0.98 * smoothed + 0.02 * value


def log_point(history: list[dict[str, Any]], step: int, train: LoopConfig, smoothed: float, terms: dict[str, float],
              digits: int) -> None:  # fmt: skip
    """Append ``{"step", "loss", **terms}`` to ``history`` every ``train.log_every`` steps and at the end."""
    if step % train.log_every == 0 or step == train.steps:
        history.append({"step": step, "loss": round(smoothed, 6), **{k: round(v, digits) for k, v in terms.items()}})


def out_of_time(started: float, train: LoopConfig) -> bool:
    """Whether this run has used up ``train.max_minutes`` (never without one)."""
    return train.max_minutes is not None and time.perf_counter() - started > 60 * train.max_minutes


def checkpoint_due(step: int, train: LoopConfig, stop: bool) -> bool:
    return step % train.checkpoint_every == 0 or step == train.steps or stop


def previous_card(out: str | PathLike) -> dict[str, Any]:
    """The card already in the model folder (``{}`` when none or unreadable): its metrics carry over."""
    card_path = Path(out) / "card.json"
    if card_path.is_file():
        try:
            return json.loads(card_path.read_text())
        except (OSError, ValueError):
            return {}
    return {}


def runtime() -> dict[str, str]:
    """The card's ``torch``, ``python`` and ``finished`` entries."""
    return {
        "torch": torch.__version__,
        "python": platform.python_version(),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def describe_corpora(folders) -> list[dict[str, Any]]:
    """What each data folder's ``corpus.json`` says of how it was made and what music it holds (for a card)."""
    from pathlib import Path

    keys = ("source", "minutes", "seed", "songs", "seconds", "version", "manifest", "recordings", "sources")
    described = []
    for folder in folders:
        try:
            made = json.loads((Path(folder) / "corpus.json").read_text())
        except (OSError, ValueError, TypeError):
            made = {}
        described.append({"folder": str(folder), **{k: made[k] for k in keys if k in made}})
    return described
