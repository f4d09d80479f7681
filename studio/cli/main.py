"""Entry point of ``python -m studio`` and ``choreo-studio``.

Each subcommand lives in its own module with ``add_arguments(parser)`` and ``run(args) -> int``.
Those modules import only argparse-level things at top level, so ``--help`` stays instant; the heavy
imports (torch, librosa, Qt) happen inside ``run``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> (module, one-line help).  Keep the modules light at import time.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("studio.cli.run_editor", "open the editor (optionally on a song or .choreo file)"),
    "analyze": ("studio.cli.analyze", "analyse a song: tempo, beats, bars, segments, 35-d features"),
    "bench": ("studio.cli.bench", "print benchmark figures (analysis, ...)"),
    "corpus": ("studio.cli.corpus", "write the procedural music-dance corpus (FineDance layout), or preview a genre"),
    "export": ("studio.cli.export", "export a project's dance to FBX, BVH, SMPL-X NPZ or glTF (Blender, Unity, web)"),
    "generate": ("studio.cli.generate", "generate a whole dance for a song (FDGN), write a .choreo and/or .npy"),
    "train": ("studio.cli.train", "train a model (fdgn) on a FineDance-layout folder; torchrun for DDP"),
    "eval": ("studio.cli.eval", "the papers' metrics (FID_k/g/h, Div, BAS, MM, foot skating, PFC, duet) on folders"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="choreo-studio",
        description="Choreo Studio: make full-body dances (body and fingers) from music.",
    )
    from studio import __version__

    parser.add_argument("--version", action="version", version=f"choreo-studio {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command)
        command.set_defaults(_module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    from studio.core.errors import StudioError

    try:
        return int(args._module.run(args) or 0)
    except StudioError as error:
        print(f"choreo-studio {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
