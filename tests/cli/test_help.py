"""`python -m studio --help` is instant: the CLI imports no heavy library until a command runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "librosa", "PySide6")


def _python(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=60)


def test_help_exits_zero():
    """Its speed (nothing heavy imported, below) is timed in benchmarks/test_timings.py."""
    done = _python("-m", "studio", "--help")

    assert done.returncode == 0, done.stderr
    assert "usage: choreo-studio" in done.stdout
    for command in ("run", "analyze", "bench"):
        assert command in done.stdout


def test_no_arguments_open_the_editor_and_h_prints_help():
    """Like napari or Blender, no command opens the window; with no display it says so and points to --help."""
    headless = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "studio"], cwd=REPO, capture_output=True, text=True, timeout=60,
                          env=headless)  # fmt: skip
    assert done.returncode == 2 and "no display" in done.stderr and "--help" in done.stderr

    done = _python("-m", "studio", "-h")
    assert done.returncode == 0, done.stderr
    assert "usage: choreo-studio" in done.stdout and "install-desktop" in done.stdout


def test_building_the_parser_imports_nothing_heavy():
    # A fresh interpreter: this pytest process has Qt loaded already (pytest-qt).
    probe = (
        "import sys\n"
        "from studio.cli.main import build_parser\n"
        "build_parser()\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = _python("-c", probe)

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [], f"imported while building the parser: {done.stdout.strip()}"
