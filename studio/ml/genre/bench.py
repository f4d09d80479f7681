"""``studio bench ranking``: how long GCRM takes to rank the M = 8 candidates of one segment.

Figures (milliseconds, medians over ``--runs``, default 30, after 3 warm-up calls):

- ``rank_m8_ms``: the whole ``GenreRanker.rank`` call for one 120-frame segment and 8 candidates given as
  319-d features (what the pipeline has), with a previous segment for CS: forward kinematics of the 9 dances,
  the music embedding, the 8 dance embeddings, GS, CS and the sort. Target: <= 50 ms on this CPU;
  The ranker runs on one torch thread (``GenreRanker(threads=1)``, its default);
- ``rank_m8_torch_threads_ms``: the same on torch's default thread count (``threads``), for comparison: on a
  busy 2-core machine the threads spin against each other;
- ``detect_genres_3min_ms``: the genre distribution of a 3-minute song (45 windows).

The model is ``--model`` if given, else ``models/gcrm-small`` when present, else a random small one (timing
does not depend on the weights). The candidates are random rotations; the mel is noise.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import numpy as np
import torch

FRAMES = 120
TARGET_MS = 50.0


def _ranker(name: str | None):
    from studio.ml.genre.config import FINEDANCE_GENRES, GCRMConfig
    from studio.ml.genre.model import GCRM
    from studio.ml.genre.prototypes import GenrePrototypes
    from studio.ml.genre.ranker import GenreRanker

    try:
        return GenreRanker.from_pretrained(name or "gcrm-small", "cpu"), name or "gcrm-small"
    except Exception:
        if name:
            raise
    config = GCRMConfig()
    g = torch.Generator().manual_seed(0)
    protos = torch.randn(len(FINEDANCE_GENRES), config.embed_dim, generator=g)
    prototypes = GenrePrototypes(FINEDANCE_GENRES, protos, protos, 0.1)
    return GenreRanker(GCRM(config), prototypes), "random gcrm small (no models/gcrm-small)"


def _candidates(count: int, seed: int) -> np.ndarray:
    from studio.body.provider import default_skeleton
    from studio.core.finedance import to_feature
    from studio.core.motion import Motion

    rng = np.random.default_rng(seed)
    skeleton = default_skeleton()
    out = []
    for _ in range(count):
        axis_angle = np.cumsum(rng.normal(0, 0.02, size=(FRAMES, 52, 3)), axis=0)
        trans = np.cumsum(rng.normal(0, 0.01, size=(FRAMES, 3)), axis=0) + skeleton.rest_positions[0]
        out.append(to_feature(Motion.from_axis_angle(trans, axis_angle), skeleton))
    return np.stack(out).astype(np.float32)


def _median_ms(call, runs: int) -> float:
    for _ in range(3):
        call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def bench_ranking(args: Any = None) -> dict[str, Any]:
    runs = getattr(args, "runs", None) or 30
    ranker, model = _ranker(getattr(args, "model", None))
    rng = np.random.default_rng(0)
    mel = rng.normal(-40, 15, size=(FRAMES, 128)).astype(np.float32)
    dances = _candidates(9, seed=1)
    prev, candidates = dances[0], dances[1:]
    ranker.fk  # noqa: B018 (build the forward kinematics outside the timing)

    def rank() -> None:
        ranker.rank(mel, candidates, prev=prev)

    threads = torch.get_num_threads()
    rank_ms = _median_ms(rank, runs)
    ranker.threads = None
    try:
        torch_threads_ms = _median_ms(rank, runs)
    finally:
        ranker.threads = 1
    song = rng.normal(-40, 15, size=(180 * 30, 128)).astype(np.float32)
    detect_ms = _median_ms(lambda: ranker.detect_genres(song), max(3, runs // 10)) if ranker.prototypes else None
    return {
        "model": model,
        "threads": threads,
        "rank_m8_ms": rank_ms,
        "rank_m8_torch_threads_ms": torch_threads_ms,
        "target_ms": TARGET_MS,
        "within_target": bool(rank_ms <= TARGET_MS),
        "detect_genres_3min_ms": detect_ms,
    }
