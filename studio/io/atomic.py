"""Atomic file writes: write to a temporary file in the target's folder, then ``os.replace`` it.

A crash, a full disk or an error in the middle of an export leaves the old file (or nothing) in place,
never half a file. Several files (BVH and NPZ write one per dancer) are committed together: either all
of them appear or none does.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from studio.core.errors import ExportError


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def _temporary_beside(path: Path) -> Path:
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"{path}: cannot write there, the folder {folder} does not exist")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise ExportError(f"{path}: cannot write there ({error.strerror or error})") from None
    os.close(handle)
    os.chmod(name, 0o666 & ~_UMASK)  # mkstemp makes 0600; an export should get the usual permissions
    return Path(name)


@contextmanager
def atomic_paths(paths: Sequence[str | os.PathLike]) -> Iterator[list[Path]]:
    """Yield one temporary path per target; on success move them all into place, else delete them."""
    targets = [Path(p) for p in paths]
    for target in targets:
        if target.is_dir():
            raise ExportError(f"{target}: is a folder, expected a file name")
    temporaries: list[Path] = []
    try:
        for target in targets:
            temporaries.append(_temporary_beside(target))
        yield temporaries
        for temporary, target in zip(temporaries, targets, strict=True):
            os.replace(temporary, target)
    except OSError as error:
        raise ExportError(f"{error.filename or targets[0]}: could not write ({error.strerror or error})") from None
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """One file: ``with atomic_path("a.fbx") as tmp: tmp.write_bytes(...)``."""
    with atomic_paths([path]) as temporaries:
        yield temporaries[0]


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)


def write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
