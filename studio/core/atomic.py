"""Atomic file writes: write to a temporary file in the target's folder, then ``os.replace`` it.

A crash, a full disk or an error in the middle of a write leaves the old file (or nothing) in place, never
half a file, and the temporary file is removed. Several files (BVH and NPZ write one per dancer) are
committed together: either all of them appear or none does. Every writer in the project goes through here.

    with atomic_path("dance.fbx") as temporary:
        temporary.write_bytes(data)

The temporary is ``.<name>.<pid>-<random>.part`` beside the target (same file system, so the rename is atomic);
``fsync`` (default on) makes the content durable before the rename, so a power cut cannot leave an empty
file under the new name. A target that is a symlink is written through (the link stays).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from studio.core.errors import StudioError, WriteError

TEMPORARY_SUFFIX = ".part"


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def _temporary_beside(path: Path, error: type[StudioError], suffix: str) -> Path:
    folder = path.parent
    if not folder.is_dir():
        raise error(f"{path}: cannot write there, the folder {folder} does not exist")
    try:
        # The pid in the name tells a killed writer's debris from a write under way (io.project's clean-up).
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=suffix, dir=folder)
    except OSError as failure:
        raise error(f"{path}: cannot write there ({failure.strerror or failure})") from None
    os.close(handle)
    os.chmod(name, _mode_for(path))  # mkstemp makes 0600
    return Path(name)


def _mode_for(target: Path) -> int:
    """The replaced file's permissions, or the usual ones for a new file."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_UMASK


def _sync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; not possible (nor needed) on Windows.
    with contextlib.suppress(OSError, AttributeError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


@contextmanager
def atomic_paths(
    paths: Sequence[str | os.PathLike], *, error: type[StudioError] = WriteError, fsync: bool = True,
    suffix: str = TEMPORARY_SUFFIX,
) -> Iterator[list[Path]]:  # fmt: skip
    """Yield one temporary path per target; on success move them all into place, else delete them.

    A failure to write raises ``error`` (default ``WriteError``) naming the file; an exception from the
    caller's own code passes through unchanged. The temporaries are gone either way. A replaced file keeps
    its permissions. ``suffix``: the temporaries' (``.<name>.<pid>-<random><suffix>``).
    """
    targets = [Path(os.path.realpath(p)) if Path(p).is_symlink() else Path(p) for p in paths]
    for target in targets:
        if target.is_dir():
            raise error(f"{target}: is a folder, expected a file name")
    temporaries: list[Path] = []
    try:
        for target in targets:
            temporaries.append(_temporary_beside(target, error, suffix))
        yield temporaries
        for temporary in temporaries if fsync else ():
            _sync(temporary)
        for temporary, target in zip(temporaries, targets, strict=True):
            os.replace(temporary, target)
        for folder in {target.parent for target in targets} if fsync else ():
            _sync_folder(folder)
    except OSError as failure:
        raise error(f"{failure.filename or targets[0]}: could not write ({failure.strerror or failure})") from None
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


@contextmanager
def atomic_path(path: str | os.PathLike, **options) -> Iterator[Path]:
    """One file: ``with atomic_path("a.fbx") as tmp: tmp.write_bytes(...)``."""
    with atomic_paths([path], **options) as temporaries:
        yield temporaries[0]


def write_bytes(path: str | os.PathLike, data: bytes, **options) -> None:
    with atomic_path(path, **options) as temporary:
        temporary.write_bytes(data)


def write_text(path: str | os.PathLike, text: str, **options) -> None:
    with atomic_path(path, **options) as temporary:
        temporary.write_text(text, encoding="utf-8")


def save_npy(path: str | os.PathLike, array: np.ndarray, **options) -> None:
    """``np.save`` to exactly ``path`` (no ``.npy`` appended), atomically."""
    with atomic_path(path, **options) as temporary, open(temporary, "wb") as handle:
        np.save(handle, array)
