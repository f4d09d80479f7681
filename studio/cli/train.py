"""``studio train fdgn``: train the body/hand experts and the refine net on a FineDance-layout folder.

    python -m studio train fdgn --data DIR --out models/NAME [--config small|tiny|official|CONFIG.json]
                                [--steps N] [--batch-size B] [--lr LR] [--max-minutes M] [--resume]

Runs as one process, or under ``torchrun --nproc_per_node=N -m studio train fdgn ...`` (DDP).
The model folder (config.json, model.safetensors with the EMA weights, card.json) and checkpoint.pt are
rewritten at every checkpoint; ``--resume`` continues from checkpoint.pt.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", choices=("fdgn", "gcrm"), help="which model to train (gcrm: the genre ranker)")
    parser.add_argument("--data", required=True, help="FineDance-layout folder (motion/, music_npy/, split.json)")
    parser.add_argument("--out", required=True, help="model folder to write, e.g. models/my-fdgn")
    parser.add_argument("--config", default="small", help="preset (tiny, small, official) or a config.json")
    parser.add_argument("--steps", type=int, default=None, help="total optimiser steps (default 2000)")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--lr", type=float, default=None)
    parser.add_argument("--max-minutes", type=float, default=None, help="stop and save after this wall time")
    parser.add_argument("--checkpoint-every", type=int, default=None)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--log-every", type=int, default=None, help="progress line every N steps (default 25)")
    parser.add_argument(
        "--context-prob",
        type=float,
        default=None,
        help="share of samples trained with clean context frames (then constraints are clean)",
    )
    parser.add_argument("--ema-decay", type=float, default=None, help="EMA of the weights (default 0.999)")
    parser.add_argument("--device", default=None, help="cpu or cuda (default: cuda if available)")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    parser.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt")
    parser.add_argument("--no-eval", action="store_true", help="skip the metrics on the data's test split")


def run(args: argparse.Namespace) -> int:
    if args.what == "gcrm":  # the genre ranker: same arguments, presets tiny / small (docs/gcrm.md)
        from studio.training.gcrm import run_cli

        return run_cli(args)
    import json
    import os
    from dataclasses import replace
    from pathlib import Path

    import torch

    from studio.core.errors import InputError
    from studio.ml.fdgn import FDGNConfig, preset
    from studio.training.fdgn import TrainConfig, train_fdgn

    if args.threads:
        torch.set_num_threads(args.threads)
    config_path = Path(args.config)
    if config_path.is_file():
        try:
            data = json.loads(config_path.read_text())
            model_config = FDGNConfig.from_dict(data.get("config", data))
        except (OSError, ValueError, TypeError) as error:
            raise InputError(config_path, expected="an FDGN config.json", found=str(error)) from None
        preset_name = None
    else:
        try:
            model_config = preset(args.config)
        except ValueError as error:
            raise InputError("--config", expected="tiny, small, official or a config.json path",
                             found=repr(args.config)) from error  # fmt: skip
        preset_name = args.config
    names = ("steps", "batch_size", "lr", "max_minutes", "checkpoint_every", "seed", "ema_decay", "context_prob",
             "log_every")  # fmt: skip
    changes = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    train = replace(TrainConfig(), **changes)
    summary = train_fdgn(args.data, args.out, model_config, train, resume=args.resume, device=args.device,
                         preset_name=preset_name)  # fmt: skip
    if os.environ.get("RANK", "0") != "0":
        return 0
    if summary.get("step"):
        loss = summary["loss"]
        print(f"trained {summary['step']} steps in {summary['wall_time_s']:.0f} s on {summary['data_minutes']:.1f} "
              f"min of data; loss {loss:.4f}; wrote {summary['out']}")  # fmt: skip
    if not args.no_eval:
        from studio.training.evaluate import evaluate_into_card

        report = evaluate_into_card(args.out, args.data)
        if report is None:
            print("no test split in the data folder: no metrics in card.json")
        else:
            shown = ", ".join(f"{k} {v:.4g}" for k, v in report["metrics"].items() if not k.endswith("_gt"))
            print(f"metrics on {report['clips']} test clips ({report['minutes']} min): {shown}")
    return 0
