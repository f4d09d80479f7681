"""``choreo-studio run [PATH]``: open the editor.

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
        help="a song (wav, flac, ogg, mp3, m4a) to open; a missing file opens the editor empty",
    )


def run(args: argparse.Namespace) -> int:
    if not _display_available():
        # Without this Qt aborts with a long plugin message that does not say what to do.
        print(
            "choreo-studio run: no display (DISPLAY and WAYLAND_DISPLAY are unset). "
            "On a headless machine use a virtual one: xvfb-run -a make run",
            file=sys.stderr,
        )
        return 2
    from studio.ui.app import run_editor

    return run_editor(args.path)


def _display_available() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True  # macOS/Windows always have one; an explicit Qt platform is the user's choice
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
