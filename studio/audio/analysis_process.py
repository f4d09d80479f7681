"""Song analysis in a child process (``studio.core.child_process``), librosa imported there ahead of need.

Why: librosa's import (2 s here, 0.1-s pieces under the interpreter lock) and the analysis froze the editor
when they ran on one of its threads, and they could not use the second core while torch loaded. The editor
starts the child at launch (``start``), so by the time a song is opened librosa is loaded and its numba
kernels too; ``analyze`` then runs ``studio.audio.analyze`` there (same code, same numbers, the same cache)
and gets the ``SongAnalysis`` back. A child that died is started again by the next call.
"""

from __future__ import annotations

import threading
from pathlib import Path

from studio.audio.analysis import analyze as analyze_here
from studio.audio.analysis import warm_up
from studio.audio.cache import AnalysisCache
from studio.audio.song import SongAnalysis
from studio.core.child_process import ChildProcess

_lock = threading.Lock()
_child: ChildProcess | None = None
_niceness = 0


class _Analyst:
    """The child's side."""

    def __init__(self) -> None:
        warm_up()  # librosa imported, its kernels loaded (compiled, on a machine's first run)

    def analyze(self, path: str, snap_bars: bool, cache_folder: str | None) -> SongAnalysis:
        cache = AnalysisCache(cache_folder) if cache_folder is not None else False
        return analyze_here(path, snap_bars=snap_bars, cache=cache)


def start(niceness: int = 0) -> None:
    """Start the child now (it takes milliseconds here; the child then loads librosa on its own core).
    ``niceness``: the child's and that of any started again later."""
    global _niceness
    _niceness = niceness
    _running()


def analyze(path: str | Path, snap_bars: bool = False, cache: bool = True) -> SongAnalysis:
    """``studio.audio.analyze`` in the child: a cached song is read here without waiting for it."""
    store = AnalysisCache() if cache else None
    if store is not None:
        found = analyze_here(path, snap_bars=snap_bars, cache=store, compute=False)
        if found is not None:
            return found
    child = _running()
    return child.call("analyze", str(path), snap_bars, str(store.folder) if store is not None else None)


def stop() -> None:
    global _child
    with _lock:
        if _child is not None:
            _child.close()
            _child = None


def _running() -> ChildProcess:
    global _child
    with _lock:
        if _child is None or not _child.alive:
            _child = ChildProcess("song analysis process", _Analyst, niceness=_niceness)
        return _child
