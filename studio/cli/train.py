"""``studio train fdgn``: train the body/hand experts and the refine net on a FineDance-layout folder.

    python -m studio train fdgn --data DIR --out models/NAME [--config small|tiny|official|CONFIG.json]
                                [--steps N] [--batch-size B] [--lr LR] [--max-minutes M] [--resume]
    python -m studio train partner --data DUETS --out models/partner-small [--init models/fdgn-small] ...

``partner``: the same FDGN nets conditioned on the music and the lead (``studio.ml.duet``), trained on a corpus
written with ``--duets``; with ``--init`` a solo model's weights start it (its lead channels at zero).

Runs as one process, or under ``torchrun --nproc_per_node=N -m studio train fdgn ...`` (DDP).
The model folder (config.json, model.safetensors with the EMA weights, card.json) and checkpoint.pt are
rewritten at every checkpoint; ``--resume`` continues from checkpoint.pt.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from studio.training.options import add_train_arguments

    parser.add_argument("what", choices=("fdgn", "partner", "gcrm"),
                        help="which model to train (partner: a second dancer for a lead; gcrm: the genre ranker)")
    add_train_arguments(parser)


def run(args: argparse.Namespace) -> int:
    if args.what == "gcrm":  # the genre ranker: same arguments, presets tiny / small (docs/gcrm.md)
        from studio.training.gcrm import run_cli

        return run_cli(args)
    import os
    from dataclasses import replace

    import torch

    from studio.ml.duet import LEAD_DIM
    from studio.ml.fdgn import FDGNConfig, partner_config, preset
    from studio.training.fdgn import TrainConfig, train_fdgn
    from studio.training.options import TRAIN_OVERRIDES, model_config_from, train_changes

    if args.threads:
        torch.set_num_threads(args.threads)
    choices = "tiny, small, small-v2, small-whole, official or a config.json path"
    model_config, preset_name = model_config_from(args.config, FDGNConfig.from_dict, preset,
                                                  file="an FDGN config.json", choices=choices)  # fmt: skip
    if args.init:
        from studio.ml.weights import load_config, resolve

        model_config = load_config(resolve(args.init))
        preset_name = f"fine-tuned from {args.init}"
    if args.music_norm:
        model_config = model_config.replace(music_norm=args.music_norm)
    if args.what == "partner" and not model_config.lead_dim:
        model_config = partner_config(model_config, LEAD_DIM)
    train = replace(TrainConfig(), **train_changes(args, (*TRAIN_OVERRIDES, "context_prob", "init")),
                    extra_data=tuple(args.extra_data or ()))  # fmt: skip
    summary = train_fdgn(args.data, args.out, model_config, train, resume=args.resume, device=args.device,
                         preset_name=preset_name)  # fmt: skip
    if os.environ.get("RANK", "0") != "0":
        return 0
    if summary.get("step"):
        loss = summary["loss"]
        print(f"trained {summary['step']} steps in {summary['wall_time_s']:.0f} s on {summary['data_minutes']:.1f} "
              f"min of data; loss {loss:.4f}; wrote {summary['out']}")  # fmt: skip
    if args.what == "partner":
        print("partner models are evaluated with the duet table: python -m studio eval --duets (docs/partner.md)")
    elif not args.no_eval:
        from studio.training.evaluate import evaluate_into_card

        report = evaluate_into_card(args.out, args.data)
        if report is None:
            print("no test split in the data folder: no metrics in card.json")
        else:
            shown = ", ".join(f"{k} {v:.4g}" for k, v in report["metrics"].items() if not k.endswith("_gt"))
            print(f"metrics on {report['clips']} test clips ({report['minutes']} min): {shown}")
    return 0
