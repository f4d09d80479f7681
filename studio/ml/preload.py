"""Map PyTorch's shared libraries without holding the GIL, so a worker thread can load torch while the UI runs.

``import torch`` dlopens libtorch_cpu (hundreds of MB to map and relocate) from inside the import machinery,
which holds the GIL: the UI thread stood still for 250-350 ms each time (measured here). ``dlopen`` called
as a ctypes foreign function releases the GIL; once the libraries are mapped, the import finds them loaded.
Nothing here imports torch. Linux (glibc) only; elsewhere, or when anything is unexpected, it does nothing.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from pathlib import Path

# dependencies first: each one is then already there when the next one is relocated
LIBRARIES = ("libc10.so", "libtorch_cpu.so", "libtorch.so", "libtorch_python.so")


def torch_library_folder() -> Path | None:
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "lib"
    return folder if folder.is_dir() else None


def preload_torch_libraries() -> list[str]:
    """dlopen torch's libraries with the GIL released; returns the names mapped (empty when not applicable)."""
    if not sys.platform.startswith("linux") or "torch" in sys.modules:
        return []
    folder = torch_library_folder()
    if folder is None:
        return []
    try:
        libc = ctypes.CDLL(None)
        dlopen = libc.dlopen
    except (OSError, AttributeError):
        return []
    dlopen.restype = ctypes.c_void_p
    dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
    mapped = []
    for name in LIBRARIES:
        path = folder / name
        if path.is_file() and dlopen(os.fsencode(path), os.RTLD_NOW | os.RTLD_GLOBAL):
            mapped.append(name)
    return mapped
