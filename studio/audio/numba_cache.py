"""librosa's numba kernels: compiled once per machine, by one process at a time.

Where numba keeps what it compiled (numba 0.68, ``numba.core.caching``), the first that applies:
1. ``$NUMBA_CACHE_DIR`` when set;
2. ``__pycache__`` beside librosa's source files (``*.nbi`` index, ``*.nbc`` code) when that folder is
   writable (a venv of one's own);
3. the user-wide cache, ``~/.cache/numba`` on Linux, when it is not (a system-wide or read-only install).
So the compiled kernels always land somewhere that survives; nothing here moves them.

Two processes compiling the same cached kernels at once can corrupt the cache (numba issue 10128). Every
process of ours that may compile takes ``compile_lock()`` (an ``fcntl`` lock on a file beside the cache)
for its first analysis; the others wait, then load what the first one wrote. Writers of the corpus warm
up in the parent before they fork (``studio.data``), so their workers start compiled.

``python -m studio.audio.numba_cache`` compiles them now (``make setup`` runs it); the editor's analysis
child process (``studio.audio.analysis_process``) warms up at launch, so on a machine's first run it
compiles them there, never under the window's GIL. A stamp records that it was done for this librosa
and numba; a wiped cache is simply compiled again by the first analysis.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

LOCK_NAME = "librosa-numba.lock"
STAMP_NAME = "librosa-numba.ok"

_thread_lock = threading.Lock()
_done_here = False  # this process has had its first analysis (or warm-up): its kernels are loaded


def state_folder() -> Path:
    """Where the lock and the stamp live: beside ``$NUMBA_CACHE_DIR`` when set, else the user's cache folder
    for the app (not ``$CHOREO_STUDIO_CACHE``: two processes with different analysis caches still share
    librosa's numba cache)."""
    override = os.environ.get("NUMBA_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("choreo-studio", appauthor=False))


def _versions() -> str:
    found = []
    for name in ("librosa", "numba"):
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:  # pragma: no cover - both are dependencies
            found.append(f"{name} ?")
    return ", ".join(found) + f", python {sys.version_info.major}.{sys.version_info.minor}"


def is_warm() -> bool:
    """The stamp says this librosa and numba were compiled here already."""
    try:
        return (state_folder() / STAMP_NAME).read_text(encoding="utf-8").strip() == _versions()
    except OSError:
        return False


@contextlib.contextmanager
def compile_lock() -> Iterator[None]:
    """Hold the machine-wide lock of librosa's numba cache (blocks while another process holds it)."""
    folder = state_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / LOCK_NAME).open("a+b")
    except OSError:  # no writable cache folder: numba cannot write its cache either, nothing to protect
        yield
        return
    with handle:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def is_loaded() -> bool:
    """This process has had its first analysis: librosa's kernels are compiled and loaded."""
    return _done_here


@contextlib.contextmanager
def first_use() -> Iterator[None]:
    """Around an analysis: the process's first one runs under ``compile_lock`` (it may compile and write the
    cache), later ones run at once. Threads of one process wait for the first."""
    global _done_here
    if _done_here:
        yield
        return
    with _thread_lock:
        if _done_here:
            yield
            return
        with compile_lock():
            yield
            _done_here = True
            with contextlib.suppress(OSError):
                (state_folder() / STAMP_NAME).write_text(_versions() + "\n", encoding="utf-8")


def main() -> int:
    from studio.audio.analysis import warm_up

    seconds = warm_up()
    print(f"librosa's numba kernels ready in {seconds:.1f} s ({_versions()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
