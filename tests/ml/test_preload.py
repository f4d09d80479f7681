"""Mapping torch's libraries before ``import torch`` (with the GIL released), in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHILD = """
import sys
from studio.ml.preload import preload_torch_libraries
mapped = preload_torch_libraries()
assert "torch" not in sys.modules, "preloading must not import torch"
import torch
print(",".join(mapped), torch.ones(2).sum().item())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="dlopen preloading is for Linux")
def test_libraries_are_mapped_without_importing_torch_and_torch_then_works():
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120, check=True)
    names, total = out.stdout.split()
    assert "libtorch_cpu.so" in names.split(",") and float(total) == 2.0
