"""Benchmark: every metric for 20 generated dances of 1024 frames (against 20 ground-truth dances).

Target: <= 10 s on the 2-core development machine. Includes forward kinematics, duet metrics (each dance
has a partner), seam ratios (every 120 frames) and BAS against a 120-BPM beat grid.
"""

from __future__ import annotations

import time

import numpy as np

__all__ = ["bench", "bench_metrics", "synthetic_dances"]


def synthetic_dances(count: int, frames: int, seed: int = 0, fps: float = 30.0) -> list:
    """``count`` smooth random dances (Motion) of ``frames`` frames: rotations are cumulative small steps."""
    from studio.core.motion import Motion

    rng = np.random.default_rng(seed)
    dances = []
    for _ in range(count):
        steps = rng.normal(scale=0.03, size=(frames, 52, 3))
        axis_angle = np.cumsum(steps, axis=0)
        axis_angle -= axis_angle.mean(axis=0)
        trans = np.cumsum(rng.normal(scale=0.005, size=(frames, 3)), axis=0) + np.array([0.0, 0.95, 0.0])
        dances.append(Motion.from_axis_angle(trans, np.clip(axis_angle, -1.5, 1.5), fps))
    return dances


def bench_metrics(count: int = 20, frames: int = 1024, seed: int = 0) -> dict:
    """Time ``evaluate`` on ``count`` generated + ``count`` ground-truth dances; returns seconds and figures."""
    from studio.body.provider import default_skeleton
    from studio.core.motion import Motion
    from studio.metrics.evaluate import evaluate

    skeleton = default_skeleton()
    generated = synthetic_dances(count, frames, seed)
    ground_truth = synthetic_dances(count, frames, seed + 1)
    partners = {
        f"{i:03d}": Motion(m.trans + np.array([0.8, 0.0, 0.0]), m.rotations, m.fps)
        for i, m in enumerate(synthetic_dances(count, frames, seed + 2))
    }
    beats = {f"{i:03d}": np.arange(0, frames, 15) for i in range(count)}  # 120 BPM at 30 fps
    start = time.perf_counter()
    report = evaluate(
        [(f"{i:03d}", m) for i, m in enumerate(ground_truth)],
        [(f"{i:03d}", m) for i, m in enumerate(generated)],
        skeleton,
        music_beats=beats,
        partners=partners,
        seam_every=120,
    )
    seconds = time.perf_counter() - start
    return {
        "name": "metrics",
        "dances": count,
        "frames": frames,
        "seconds": seconds,
        "target_seconds": 10.0,
        "metrics_computed": sorted(report["metrics"]),
    }


def bench(args=None) -> dict:
    """``studio bench metrics``: ``bench_metrics`` ``args.runs`` times (default 3), median seconds."""
    runs = max(1, int(getattr(args, "runs", None) or 3))
    results = [bench_metrics() for _ in range(runs)]
    seconds = sorted(r["seconds"] for r in results)
    figures = dict(results[0])
    figures.update(runs=runs, seconds=float(np.median(seconds)), seconds_all=seconds)
    return figures


if __name__ == "__main__":  # pragma: no cover
    print(bench_metrics())
