"""``choreo-studio run [PATH]``, ``choreo-studio [PATH]``, ``choreo-studio``: open the editor.

With no path the editor opens on no song, as the desktop menu's entry does (a person opens a song or a
recent project from there); ``--demo`` opens the shipped demo song (what ``make run`` opens in a checkout).

Only argparse at import time: Qt is imported inside ``run`` so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
import os
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        help="a song (wav, flac, ogg, mp3, m4a) or a .choreo project to open; a missing file opens the editor empty",
    )
    parser.add_argument("--demo", action="store_true", help="open the shipped 60-s demo song")


def run(args: argparse.Namespace) -> int:
    from studio.core.errors import InputError

    path = args.path
    if getattr(args, "demo", False):
        if path is not None:
            raise InputError("--demo", expected="either a PATH or --demo", found=f"both (PATH {path})")
        from studio.core.resources import demo_song

        song = demo_song()
        if not song.is_file():
            raise InputError(song, expected="the shipped demo song", found="no such file",
                             hint="this installation lacks its package data: reinstall Choreo Studio")  # fmt: skip
        path = str(song)
    if not _display_available():
        # Without this Qt aborts with a long plugin message that does not say what to do.
        print(
            "choreo-studio: no display to open the editor on (DISPLAY and WAYLAND_DISPLAY are unset). "
            "On a headless machine use a virtual one: xvfb-run -a choreo-studio (in a checkout: xvfb-run -a make run); "
            "choreo-studio --help lists the commands that need none.",
            file=sys.stderr,
        )
        return 2
    from studio.ui.app import run_editor

    return run_editor(path)


def _display_available() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True  # macOS/Windows always have one; an explicit Qt platform is the user's choice
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
