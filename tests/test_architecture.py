"""The layer rules of DESIGN.md section 4, as import-linter contracts in pyproject.toml.

`make test` runs lint-imports too; this test makes a violation fail the suite when pytest runs alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    # The console script beside this interpreter, so the venv's import-linter checks the venv's view.
    lint_imports = Path(sys.executable).with_name("lint-imports")
    command = str(lint_imports) if lint_imports.exists() else shutil.which("lint-imports")
    assert command, "import-linter is not installed (pip install -e '.[dev]')"

    done = subprocess.run(
        [command, "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )

    assert done.returncode == 0, done.stdout + done.stderr
