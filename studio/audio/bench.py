"""Timing of song analysis, for ``python -m studio bench analysis``.

Figures (seconds, medians over ``runs``):
- ``cold_s``: a new Python process with an empty cache: imports, numba start-up and the analysis.
- ``uncached_s``: in a warmed-up process, the analysis without the cache.
- ``warm_s``: a cache hit in a warmed-up process (hash the file, load the entry); the issue's target
  is at most 3 s for a 3-minute song.
- ``warm_new_process_s``: a cache hit in a new process (reopening a song after restarting the app).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_WARM_SECONDS = 3.0
SONG_SECONDS = 180.0

_CHILD = """
import sys, time
started = time.perf_counter()
from studio.audio import analyze
analyze(sys.argv[1])
print(time.perf_counter() - started)
"""


def bench_analysis(args) -> dict:
    import soundfile

    from studio.audio.analysis import analyze, warm_up
    from studio.audio.synth import demo_song

    runs = max(1, args.runs or 3)
    with tempfile.TemporaryDirectory(prefix="choreo-bench-") as scratch:
        scratch = Path(scratch)
        if args.song:
            song, label = Path(args.song), str(args.song)
        else:
            generated = demo_song(SONG_SECONDS, bpm=120.0, sample_rate=44100)
            song, label = scratch / "song.wav", f"generated {SONG_SECONDS:.0f}-s pop song, 44.1 kHz 16-bit wav"
            soundfile.write(song, generated.samples, generated.sample_rate, subtype="PCM_16")

        cold = [_child_seconds(song, scratch / f"cold-cache-{i}") for i in range(runs)]
        warm_up_seconds = warm_up()
        uncached = [_timed(lambda: analyze(song, cache=False)) for _ in range(runs)]
        old_cache = os.environ.get("CHOREO_STUDIO_CACHE")
        os.environ["CHOREO_STUDIO_CACHE"] = str(scratch / "warm-cache")
        try:
            analysis = analyze(song)  # fills the cache
            warm = [_timed(lambda: analyze(song)) for _ in range(max(runs, 5))]
            warm_new_process = [_child_seconds(song, scratch / "warm-cache") for _ in range(runs)]
        finally:
            if old_cache is None:
                os.environ.pop("CHOREO_STUDIO_CACHE", None)
            else:
                os.environ["CHOREO_STUDIO_CACHE"] = old_cache

    warm_s = statistics.median(warm)
    return {
        "what": "analysis",
        "song": label,
        "song_seconds": round(analysis.duration, 3),
        "runs": runs,
        "cold_s": statistics.median(cold),
        "uncached_s": statistics.median(uncached),
        "warm_s": warm_s,
        "warm_new_process_s": statistics.median(warm_new_process),
        "warm_up_s": warm_up_seconds,
        "target_warm_s": TARGET_WARM_SECONDS,
        "meets_target": warm_s <= TARGET_WARM_SECONDS,
        "cold_runs": cold,
        "uncached_runs": uncached,
        "warm_runs": warm,
        "warm_new_process_runs": warm_new_process,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
    }


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _child_seconds(song: Path, cache: Path) -> float:
    """Seconds from the first import to the result, measured inside a new interpreter."""
    root = str(Path(__file__).resolve().parents[2])  # the folder holding the ``studio`` package
    env = dict(os.environ, CHOREO_STUDIO_CACHE=str(cache))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-c", _CHILD, str(song)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the benchmark's child process failed:\n{done.stderr[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1])
