"""What the main window's module imports: the editor's window must come up without the libraries that only
generation and analysis need (they load on worker threads, later: an import on the way to the window is
launch time, and one on the UI thread later is a stall)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NOT_AT_START = ("torch", "librosa", "numba", "scipy.signal", "scipy.stats", "scipy.optimize", "scipy.spatial",
                "scipy.ndimage", "scipy.linalg")


def test_the_window_module_imports_no_generation_or_analysis_library():
    probe = (
        "import sys\n"
        "import studio.ui.main_window\n"
        f"print(' '.join(m for m in {NOT_AT_START!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [], f"imported with the window: {done.stdout.strip()}"
