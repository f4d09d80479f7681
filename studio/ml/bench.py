"""``studio bench generate``: how long generation takes (medians), for the shipped model and the official size.

All figures are on the music features of the bundled demo song (``resources/demo/demo.wav``, repeated to
three minutes for the song figure): generation time depends on the music, because candidates that move
implausibly are sampled again, and random features made the net spin and redraw far
more than real music does.

Figures (seconds, wall clock). The segment figure is taken with 1 torch thread and with torch's default
(the core count) and the faster setting is used for the rest: on a machine shared with other work, one
thread is often several times faster than two (threads wait for each other when a core is taken).

- ``segment_m8_s``: one 120-frame segment, M = 8 candidates, constrained by a previous segment (the usual
  case), with the shipped model (``--model``, default fdgn-small) at its own DDIM steps; median of ``--runs``;
- ``song_3min_m8_s``: a whole 3-minute song (45 segments of 4 s), M = 8, segment by segment (generation
  only: the song's analysis is timed by ``bench analysis``);
- ``official_segment_m8_s``: one segment, M = 8, with a randomly initialised model of the official FineDance
  size (512 latent, 1024 feed-forward, 8 layers, 8 heads, two experts, guidance 2 = a doubled batch) at the
  SAME number of DDIM steps as the shipped model (one run: it is slow on a CPU), and
  ``official_over_small`` the ratio; ``official_segment_m8_s_at_official_steps`` extrapolates it linearly
  to the official sampler's 50 steps (an estimate, named as such);
- ``ranking_m8_ms``: GCRM ranking the M = 8 candidates of one segment (milliseconds; ``bench ranking`` has
  the details). Target: <= 50 ms;
- ``partner_segment_m8_s``: one partner segment, M = 8, with the partner model (``--partner``, default
  partner-small, when there is one), constrained by its previous segment, given a lead the shipped model
  danced; the lead's forward kinematics included (the partner source does it per segment). Target: <= 1.0 s.
"""

from __future__ import annotations

import functools
import statistics
import time
from typing import Any

import numpy as np
import torch

from studio.core.resources import demo_song

FRAMES = 120
SONG_SECONDS = 180
DEMO_SONG = demo_song()  # resources/demo/demo.wav in a checkout, package data in an installed wheel


@functools.cache
def _demo_features() -> np.ndarray:
    from studio.audio.analysis import analyze

    return np.asarray(analyze(DEMO_SONG, cache=False).features, dtype=np.float32)


def _music(frames: int) -> np.ndarray:
    """The demo song's 35-d features (analysed once per process), repeated to ``frames`` frames."""
    features = _demo_features()
    return np.resize(features, (frames, features.shape[1])) if frames > len(features) else features[:frames].copy()


def _segment_times(choreographer, runs: int, steps: int | None = None) -> list[float]:
    music = _music(4 * FRAMES)
    prev = choreographer.generate_segment(music, 0, FRAMES, num_candidates=1, steps=steps).features[0]
    times = []
    for run in range(runs):
        start = time.perf_counter()
        choreographer.generate_segment(music, FRAMES, 2 * FRAMES, num_candidates=8, seeds=run * 8, prev=prev,
                                       steps=steps)  # fmt: skip
        times.append(time.perf_counter() - start)
    return times


def _partner_times(partner, lead_model, runs: int) -> list[float]:
    from studio.core.finedance import from_feature
    from studio.ml.duet import LEAD_TRACK_MARGIN as TRACK_MARGIN

    music = _music(4 * FRAMES)
    lead = from_feature(lead_model.generate_segment(music, 0, 3 * FRAMES, num_candidates=1).features[0])[0]
    skeleton = partner.skeleton
    first = FRAMES - TRACK_MARGIN
    opening = lead[: FRAMES + TRACK_MARGIN].positions(skeleton)
    prev = partner.generate_segment(music, 0, FRAMES, num_candidates=1, lead=(opening, 0),
                                    anchor=(1.4, 0.0, 0.0)).features[0]  # fmt: skip
    times = []
    for run in range(runs):
        start = time.perf_counter()
        track = lead[first : 2 * FRAMES + TRACK_MARGIN].positions(skeleton)
        partner.generate_segment(music, FRAMES, 2 * FRAMES, num_candidates=8, seeds=run * 8, prev=prev,
                                 lead=(track, first))  # fmt: skip
        times.append(time.perf_counter() - start)
    return times


def bench_partner(small, name: str, runs: int) -> dict[str, Any]:
    """The partner figure (see the module docstring), or why there is none."""
    from studio.core.errors import StudioError
    from studio.ml.pipeline import Choreographer

    try:
        partner = Choreographer.from_pretrained(name, "cpu")
    except StudioError as error:
        return {"partner_model": None, "partner_segment_m8_s": None, "partner_note": str(error)}
    times = _partner_times(partner, small, runs)
    return {"partner_model": partner.model_id or name, "partner_segment_m8_s": statistics.median(times),
            "partner_segment_m8_runs_s": times}  # fmt: skip


def bench_generate(args: Any = None) -> dict[str, Any]:
    import os

    from studio.ml.fdgn import FDGN
    from studio.ml.official import official_config
    from studio.ml.pipeline import Choreographer

    runs = getattr(args, "runs", None) or 7
    model = getattr(args, "model", None) or "fdgn-small"
    load_before = os.getloadavg()[0]
    threads_before = torch.get_num_threads()
    small = Choreographer.from_pretrained(model, "cpu")
    steps = small.config.sampling_steps
    by_threads: dict[str, list[float]] = {}
    try:
        for threads in sorted({1, threads_before}):
            torch.set_num_threads(threads)
            by_threads[str(threads)] = _segment_times(small, runs)
        best = min(by_threads, key=lambda k: statistics.median(by_threads[k]))
        torch.set_num_threads(int(best))
        segment = by_threads[best]

        music = _music(SONG_SECONDS * 30)
        grid = [(i * FRAMES, (i + 1) * FRAMES) for i in range(SONG_SECONDS * 30 // FRAMES)]
        start = time.perf_counter()
        small.generate_song(music, grid, num_candidates=8, seed=0)
        song = time.perf_counter() - start

        partner = bench_partner(small, getattr(args, "partner", None) or "partner-small", runs)

        torch.manual_seed(0)
        official = Choreographer(FDGN(official_config()), device="cpu")
        official_time = _segment_times(official, 1, steps=steps)[0]
    finally:
        torch.set_num_threads(threads_before)
    median = statistics.median(segment)
    official_steps = official.config.sampling_steps
    from studio.ml.genre.bench import bench_ranking  # GCRM ranking of the same M = 8 (the issue's <= 50 ms)

    ranking = bench_ranking(None)
    return {
        "model": small.model_id,
        "device": "cpu",
        "cpu_count": os.cpu_count(),
        "load_average_before": round(load_before, 2),
        "torch_threads": int(best),
        "ddim_steps": steps,
        "guidance_weight": small.config.guidance_weight,
        "parameters": sum(p.numel() for p in small.model.parameters()),
        "segment_m8_s": median,
        "segment_m8_s_by_threads": {k: statistics.median(v) for k, v in by_threads.items()},
        "segment_m8_runs_s": segment,
        "song_3min_m8_s": song,
        "song_segments": len(grid),
        "official_parameters": sum(p.numel() for p in official.model.parameters()),
        "official_segment_m8_s": official_time,
        "official_over_small": official_time / median,
        "official_segment_m8_s_at_official_steps": official_time * official_steps / steps,
        "official_steps": official_steps,
        "ranking_m8_ms": ranking["rank_m8_ms"],
        "ranking_target_ms": ranking["target_ms"],
        "ranking_model": ranking["model"],
        **partner,
    }
