"""One writer of librosa's numba cache at a time (numba issue 10128), across processes and threads."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from studio.audio import numba_cache

# Stands in for a first analysis: holds first_use() a while and says when it was inside.
_CHILD = """
import sys, time
from studio.audio import numba_cache
with numba_cache.first_use():
    start = time.time()
    time.sleep(0.5)
    end = time.time()
print(start, end)
"""


def test_two_processes_never_hold_the_compile_lock_at_once(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    children = [subprocess.Popen([sys.executable, "-c", _CHILD], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    spans = sorted(tuple(map(float, child.communicate(timeout=120)[0].split())) for child in children)
    assert all(child.returncode == 0 for child in children)
    (_, first_end), (second_start, _) = spans
    assert second_start >= first_end, f"both inside at once: {spans}"
    assert (tmp_path / numba_cache.LOCK_NAME).is_file()
    assert numba_cache.is_warm()  # the stamp: a later launch starts no background warm-up


def test_threads_of_one_process_wait_for_the_first(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(numba_cache, "_done_here", False)
    events: list[str] = []

    def first() -> None:
        with numba_cache.first_use():
            events.append("first in")
            time.sleep(0.3)
            events.append("first out")

    def second() -> None:
        with numba_cache.first_use():
            events.append("second in")

    one = threading.Thread(target=first)
    one.start()
    time.sleep(0.05)
    two = threading.Thread(target=second)
    two.start()
    one.join()
    two.join()
    assert events == ["first in", "first out", "second in"]
    assert numba_cache.is_loaded()
