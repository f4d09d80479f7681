"""Training FDGN on a FineDance-layout folder (one process, or several under ``torchrun``).

Objective (x0 prediction, as FineDance / EDGE): a random timestep per sample, ``x_t`` from the cosine
schedule, the condition dropped for ``cond_drop_prob`` of the samples (classifier-free guidance), and

- ``recon``: MSE of the refined output and of the experts' output before refining, vs the clean features
  (normalised units);
- ``velocity``: MSE of frame-to-frame differences (root + rotations, normalised units);
- ``fk``: MSE of joint positions (metres) from a torch forward kinematics on the default skeleton's offsets;
- ``foot``: squared foot-joint speed (metres/frame) on frames where the predicted contact channel says
  the foot is planted (> 0.95), as FineDance's foot-skate loss.

AdamW with warm-up and cosine decay, gradient clipping, an EMA of the weights (the EMA is what gets
shipped), a checkpoint every ``checkpoint_every`` steps (``--resume`` continues from it) and the model folder
(``config.json``, ``model.safetensors``, ``card.json``) rewritten with it.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any, Unpack

import torch
import torch.nn.functional as F

from studio.core.skeleton import FOOT_JOINTS
from studio.ml.duet import widen_condition
from studio.ml.fdgn import FDGN, FDGNConfig
from studio.ml.kinematics import ForwardKinematics
from studio.ml.normalize import Normalizer
from studio.ml.schedule import NoiseSchedule
from studio.ml.weights import load_pretrained, save_pretrained
from studio.training import ddp, loop
from studio.training.checkpoint import load_checkpoint, save_checkpoint
from studio.training.data import WindowDataset, crop, fit_normalizer, read_folders
from studio.training.progress import ProgressBar


@dataclass(frozen=True)
class TrainConfig(loop.LoopConfig):
    # window lengths (segment + context) drawn per batch in [min_len, max_len]; None: from the model config,
    # 0.75 x window + context .. 1.25 x window + 2 x context (90..166 frames for a 120-frame window, 8 context)
    min_len: int | None = None
    max_len: int | None = None
    stride: int = 30
    # share of samples whose first (and, independently, last) context_frames are given clean in x_t, teaching
    # the net to continue constraint frames; a model trained so is saved with constraints="clean"
    context_prob: float = 0.0
    # more FineDance-layout folders whose train split is trained on beside --data's (e.g. recordings paired with
    # composed dances, studio.data.recordings); --data's test split stays the evaluation
    extra_data: tuple[str, ...] = ()
    # a model folder to start from: its weights and motion statistics (the music statistics are fitted anew, so
    # its music_norm may change)
    init: str | None = None
    w_recon: float = 1.0
    w_velocity: float = 1.0
    w_fk: float = 10.0
    w_foot: float = 10.0

    def __post_init__(self) -> None:
        if self.steps < 1 or self.batch_size < 1:
            raise ValueError(f"invalid training config: {self}")
        if self.min_len is not None and self.max_len is not None and not 2 <= self.min_len <= self.max_len:
            raise ValueError(f"need 2 <= min_len <= max_len, got {self.min_len}, {self.max_len}")

    def lengths(self, model: FDGNConfig) -> tuple[int, int]:
        low = self.min_len or round(0.75 * model.window) + model.context_frames
        high = self.max_len or round(1.25 * model.window) + 2 * model.context_frames
        return min(low, high), high


@dataclass
class StepLosses:
    total: torch.Tensor
    terms: dict[str, float]


class FDGNLoss:
    """The four training losses for one batch of clean, normalised, root-canonical features."""

    def __init__(self, config: FDGNConfig, train: TrainConfig, normalizer: Normalizer, skeleton) -> None:
        self.config, self.train, self.normalizer = config, train, normalizer
        self.schedule = NoiseSchedule.cosine(config.num_train_timesteps)
        self.fk = ForwardKinematics(skeleton)

    def __call__(self, model, x0: torch.Tensor, music: torch.Tensor, generator: torch.Generator) -> StepLosses:
        dev = x0.device
        batch = x0.shape[0]
        cfg, w = self.config, self.train
        t = torch.randint(0, cfg.num_train_timesteps, (batch,), generator=generator).to(dev)
        noise = torch.randn(x0.shape, generator=generator).to(dev)
        keep = (torch.rand(batch, generator=generator) >= cfg.cond_drop_prob).to(dev)
        x_t = self.schedule.add_noise(x0, noise, t)
        k = cfg.context_frames
        if w.context_prob > 0 and k and x0.shape[1] > 2 * k:
            head = (torch.rand(batch, generator=generator) < w.context_prob).to(dev)[:, None, None]
            tail = (torch.rand(batch, generator=generator) < w.context_prob).to(dev)[:, None, None]
            x_t = torch.cat((torch.where(head, x0[:, :k], x_t[:, :k]), x_t[:, k:-k],
                             torch.where(tail, x0[:, -k:], x_t[:, -k:])), dim=1)  # fmt: skip
        pred, parts = model(x_t, t, music, keep=keep, return_parts=True)

        recon = F.mse_loss(pred, x0) + 0.5 * F.mse_loss(parts, x0)
        velocity = F.mse_loss(pred[:, 1:, 4:] - pred[:, :-1, 4:], x0[:, 1:, 4:] - x0[:, :-1, 4:])
        fk = self.fk.to(dev)
        pred_raw = self.normalizer.denormalize_motion(pred)
        pos_pred = fk.from_features(pred_raw)
        with torch.no_grad():
            true_raw = self.normalizer.denormalize_motion(x0)
            pos_true = fk.from_features(true_raw)
        fk_loss = F.mse_loss(pos_pred, pos_true)
        feet = pos_pred[:, :, list(FOOT_JOINTS)]
        speed2 = ((feet[:, 1:] - feet[:, :-1]) ** 2).sum(-1)  # (B, T-1, 4)
        # where the ground truth's foot is planted (its contact labels; the predicted ones can learn to dodge)
        planted = (true_raw[:, :-1, :4] > 0.95).to(speed2.dtype)
        foot = (speed2 * planted).mean()

        total = w.w_recon * recon + w.w_velocity * velocity + w.w_fk * fk_loss + w.w_foot * foot
        terms = {"recon": recon.item(), "velocity": velocity.item(), "fk": fk_loss.item(), "foot": foot.item()}
        return StepLosses(total, terms)


def _lr_factor(step: int, train: TrainConfig, time_share: float = 0.0) -> float:
    """Linear warm-up, then cosine decay to 10 %; with a time limit, decay with whichever runs out first."""
    return loop.warmup_cosine(step, train, 0.1, time_share)


def train_fdgn(
    data: str | PathLike, out: str | PathLike, model_config: FDGNConfig, train: TrainConfig,
    **options: Unpack[loop.RunOptions],
) -> dict[str, Any]:  # fmt: skip
    """Train and write ``out`` (model folder + checkpoint). Returns the summary that also goes in the card.

    ``options``: ``resume``, ``device``, ``stream``, ``preset_name`` (:class:`studio.training.loop.RunOptions`).
    """
    opts = loop.run_options(dict(options))
    info = ddp.setup(opts["device"])
    stream = opts["stream"] or sys.stderr
    out = Path(out)
    try:
        return _train(data, out, model_config, train, opts["resume"], info, stream, opts["preset_name"])
    finally:
        ddp.cleanup(info)


def _train(data, out: Path, model_config, train, resume, info, stream, preset_name) -> dict[str, Any]:
    from studio.body.provider import default_skeleton

    state = load_checkpoint(out) if resume else None
    if state is not None:
        model_config = FDGNConfig.from_dict(state["model_config"])
        overrides = {"steps": train.steps, "max_minutes": train.max_minutes}
        if train.context_prob:
            overrides["context_prob"] = train.context_prob
        train = TrainConfig.from_dict({**state["train_config"], **overrides})
    if train.context_prob > 0:
        model_config = model_config.replace(constraints="clean")
    torch.manual_seed(train.seed + info.rank)
    min_len, max_len = train.lengths(model_config)
    skeleton = default_skeleton()
    # a partner model: partner windows in the partner's frame, the lead's joints in the condition
    duet_context = model_config.context_frames if model_config.lead_dim else None
    clips = read_folders((data, *train.extra_data), "train", skeleton, model_config.music_norm,
                         duets=duet_context is not None)  # fmt: skip
    dataset = WindowDataset(clips, max_len, train.stride)
    start = None if state is not None or train.init is None else load_pretrained(train.init)
    if state is not None:
        normalizer = Normalizer.from_state_dict(state["normalizer"])
    else:
        normalizer = fit_normalizer(dataset, min_len, duet_context)
        if start is not None:  # the net's motion units are the start model's, and so are its music channels'
            # when it is widened to a partner (its zero-initialised lead channels take the fitted statistics)
            music_mean, music_std = normalizer.music_mean.copy(), normalizer.music_std.copy()
            if start.config.lead_dim != model_config.lead_dim:
                width = len(start.normalizer.music_mean)
                music_mean[:width], music_std[:width] = start.normalizer.music_mean, start.normalizer.music_std
            normalizer = Normalizer(start.normalizer.motion_mean, start.normalizer.motion_std, music_mean, music_std)

    model = FDGN(model_config).to(info.device)
    if start is not None:
        weights = start.model.state_dict()
        if start.config.lead_dim != model_config.lead_dim:
            weights = widen_condition(weights, start.config.body.cond_dim, model_config.body.cond_dim)
        model.load_state_dict(weights)
    ema = loop.ema_copy(model)
    optimizer = loop.adamw(model.parameters(), train)
    generator = torch.Generator().manual_seed(train.seed * 1000 + info.rank)
    step, elapsed_before, history = loop.restore(state, model, ema, optimizer)
    if state is not None and "generator" in state:
        generator.set_state(state["generator"])
    net = ddp.wrap(model, info)
    loss_fn = FDGNLoss(model_config, train, normalizer, skeleton)

    if info.distributed:
        sampler = torch.utils.data.DistributedSampler(dataset, shuffle=True, seed=train.seed, drop_last=True)
    else:
        sampler = torch.utils.data.RandomSampler(dataset, generator=torch.Generator().manual_seed(train.seed + step))
    loader = torch.utils.data.DataLoader(dataset, batch_size=train.batch_size, sampler=sampler, drop_last=True)
    if len(loader) == 0:
        loader = torch.utils.data.DataLoader(dataset, batch_size=train.batch_size, sampler=sampler)

    def batches():
        epoch = 0
        while True:
            if hasattr(sampler, "set_epoch"):
                sampler.set_epoch(epoch)
            yield from loader
            epoch += 1

    bar = ProgressBar(train.steps, step, train.log_every, stream) if info.is_main else None
    started = time.perf_counter()
    data_minutes = dataset.minutes()
    last_terms: dict[str, float] = {}
    smoothed = None
    net.train()
    iterator = batches()

    def save() -> None:
        if not info.is_main:
            return
        elapsed = elapsed_before + time.perf_counter() - started
        save_checkpoint(out, loop.checkpoint_state(
            model, ema, optimizer, step, elapsed, model_config, train, normalizer=normalizer.state_dict(),
            rng=torch.get_rng_state(), generator=generator.get_state(), history=history,
        ))  # fmt: skip
        save_pretrained(out, ema, normalizer, _card(out, data, clips, data_minutes, model, train, step, elapsed,
                                                    smoothed, last_terms, info, preset_name))  # fmt: skip

    def time_share(seconds: float) -> float:
        return seconds / (60 * train.max_minutes) if train.max_minutes else 0.0

    while step < train.steps:
        features, music = next(iterator)
        length = int(torch.randint(min_len, max_len + 1, (1,), generator=generator))
        features, music = crop(features, music, length, generator, model_config.canonical_root, duet_context)
        x0 = normalizer.normalize_motion(features.to(info.device))
        music_n = normalizer.normalize_music(music.to(info.device))
        loop.set_lr(optimizer, train.lr * _lr_factor(step, train, time_share(time.perf_counter() - started)))
        losses = loss_fn(net, x0, music_n, generator)
        optimizer.zero_grad(set_to_none=True)
        losses.total.backward()
        if train.grad_clip:
            torch.nn.utils.clip_grad_norm_(model.parameters(), train.grad_clip)
        optimizer.step()
        loop.ema_update(ema, model, step, train.ema_decay)
        step += 1
        value = ddp.all_mean(losses.total.item(), info)
        smoothed = loop.smooth(smoothed, value)
        last_terms = losses.terms
        loop.log_point(history, step, train, smoothed, last_terms, 6)
        if bar is not None:
            bar.update(step, value, " ".join(f"{k} {v:.3g}" for k, v in last_terms.items()))
        stop = loop.out_of_time(started, train)
        if loop.checkpoint_due(step, train, stop):
            save()
            ddp.barrier(info)
        if stop:
            if info.is_main:
                stream.write(f"\nstopping at step {step}: --max-minutes {train.max_minutes} reached\n")
            break
    elapsed = elapsed_before + time.perf_counter() - started
    return {"step": step, "loss": smoothed, "terms": last_terms, "wall_time_s": elapsed, "data_minutes": data_minutes,
            "out": str(out)}  # fmt: skip


def _card(out, data, clips, minutes, model, train, step, elapsed, smoothed, terms, info, preset_name) -> dict:
    previous = loop.previous_card(out)
    return {
        "name": Path(out).name,
        "model": "FDGN: body expert + hand expert diffusion transformers + refine net (FineNet)"
        + (", as a partner: conditioned on the music and the lead in the partner's frame" if model.config.lead_dim
           else ""),
        "preset": preset_name,
        "parameters": sum(p.numel() for p in model.parameters()),
        "data": {
            "folder": str(data),
            "corpora": loop.describe_corpora((data, *train.extra_data)),
            "clips": len(clips),
            "minutes": round(minutes, 2),
            "frames": sum(len(c.features) for c in clips),
            "split": "train",
        },
        "training": {
            "steps": step,
            "batch_size": train.batch_size,
            "world_size": info.world_size,
            "lr": train.lr,
            "window_frames": list(train.lengths(model.config)),
            "ema_decay": train.ema_decay,
            "init": train.init,
            "wall_time_s": round(elapsed, 1),
            "final_loss": None if smoothed is None else round(smoothed, 5),
            "final_loss_terms": {k: round(v, 5) for k, v in terms.items()},
            "device": str(info.device),
            **loop.runtime(),
        },
        "metrics": previous.get("metrics", {}),
        "license": "Apache-2.0",
    }
