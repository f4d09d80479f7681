"""Entry point of ``python -m studio`` and ``choreo-studio``.

Each subcommand lives in its own module with ``add_arguments(parser)`` and ``run(args) -> int`` (a module
may serve several commands and read ``args.command``). Those modules import only argparse-level things at
top level, so ``--help`` stays instant; the heavy imports (torch, librosa, Qt) happen inside ``run``.

Like other desktop apps (napari, Blender), ``choreo-studio`` with no command opens the editor, and
``choreo-studio FILE`` opens it on that song or project: both stand for ``choreo-studio run [FILE]``.
``-h``/``--help`` prints the commands.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# name -> (module, one-line help).  Keep the modules light at import time.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("studio.cli.run_editor", "open the editor: empty, on a song or .choreo file, or --demo"),
    "analyze": ("studio.cli.analyze", "analyse a song: tempo, beats, bars, segments, 35-d features"),
    "bench": ("studio.cli.bench", "print benchmark figures (analysis, ...)"),
    "corpus": ("studio.cli.corpus", "write the procedural music-dance corpus (FineDance layout), or preview a genre"),
    "export": ("studio.cli.export", "export a project's dance to FBX, BVH, SMPL-X NPZ or glTF (Blender, Unity, web)"),
    "generate": ("studio.cli.generate", "generate a whole dance for a song (FDGN), write a .choreo and/or .npy"),
    "train": ("studio.cli.train", "train a model (fdgn) on a FineDance-layout folder; torchrun for DDP"),
    "eval": ("studio.cli.eval", "the papers' metrics (FID_k/g/h, Div, BAS, MM, foot skating, PFC, duet) on folders"),
    "install-desktop": ("studio.cli.desktop", "add the editor to this user's desktop menu (icon, .choreo file type)"),
    "uninstall-desktop": ("studio.cli.desktop", "remove what install-desktop wrote"),
}
EDITOR = "run"
# Options of `run` that may come without the command (`choreo-studio --demo`).
EDITOR_OPTIONS = ("--demo",)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="choreo-studio",
        description="Choreo Studio: make full-body dances (body and fingers) from music. "
        "With no command, or with just a song or .choreo file, it opens the editor (= choreo-studio run [FILE]).",
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


def editor_arguments(argv: list[str]) -> list[str]:
    """``argv`` as the parser reads it: ``run`` put in front when it only names a file to open (or nothing).

    Only an argument that looks like a file (it exists, or has a suffix or a folder in it) is taken for
    one, so a mistyped command (``choreo-studio generat``) still gets argparse's "invalid choice" message."""
    if not argv:
        return [EDITOR]
    first = argv[0]
    if first in COMMANDS or (first.startswith("-") and first not in EDITOR_OPTIONS):
        return argv
    if first in EDITOR_OPTIONS or (len(argv) == 1 and _looks_like_a_file(first)):
        return [EDITOR, *argv]
    return argv


def _looks_like_a_file(text: str) -> bool:
    return os.path.exists(text) or os.sep in text or "/" in text or bool(os.path.splitext(text)[1])


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(editor_arguments(sys.argv[1:] if argv is None else list(argv)))
    if args.command is None:  # only options, e.g. a bare `--` (a no-command run goes to the editor above)
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
