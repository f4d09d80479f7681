"""Metrics of a trained FDGN on a held-out split, the way ``studio eval`` computes them (``studio.metrics``).

For every clip of the split, the model dances the clip's music (``music_npy``) segment by segment (4-s grid,
one candidate, each segment constrained by the previous one, as ``studio generate`` does); the generated
dances and the split's ground-truth dances go through ``studio.metrics.evaluate.evaluate`` (FID_k, FID_g,
FID_h, Div, BAS with the music's beat column, foot skating, PFC, seam ratios). The report is what
``train fdgn`` stores under ``metrics`` in ``card.json``.
"""

from __future__ import annotations

import itertools
import time
from os import PathLike
from typing import Any

import numpy as np

from studio.core.finedance import FPS, from_feature
from studio.ml.pipeline import Choreographer
from studio.training.data import read_folder

SEGMENT = 120


def segment_grid(frames: int, length: int = SEGMENT) -> list[tuple[int, int]]:
    """Segments of ``length`` frames; a last piece shorter than half a segment joins the one before."""
    edges = [*range(0, frames, length), frames]
    if len(edges) > 2 and edges[-1] - edges[-2] < length // 2:
        del edges[-2]
    return list(itertools.pairwise(edges))


def evaluate_fdgn(
    choreographer: Choreographer,
    data: str | PathLike,
    *,
    split: str = "test",
    seed: int = 0,
    max_clips: int | None = None,
    skeleton=None,
) -> dict[str, Any]:
    from studio.metrics.beats import music_beats_from_features
    from studio.metrics.evaluate import evaluate

    if skeleton is None:
        from studio.body.provider import default_skeleton

        skeleton = default_skeleton()
    clips = read_folder(data, split=split, skeleton=skeleton)[:max_clips]
    started = time.perf_counter()
    truth, generated, beats = [], [], {}
    for clip in clips:
        results, chosen = choreographer.generate_song(clip.music, segment_grid(len(clip.music)), num_candidates=1,
                                                      seed=seed)  # fmt: skip
        dance = np.concatenate([r.features[c] for r, c in zip(results, chosen, strict=True)])
        truth.append((clip.name, from_feature(clip.features, FPS)[0]))
        generated.append((clip.name, from_feature(dance, FPS)[0]))
        beats[clip.name] = music_beats_from_features(clip.music, clip.name)
    report = evaluate(truth, generated, skeleton, music_beats=beats, seam_every=SEGMENT)
    metrics = {k: round(float(v), 5) for k, v in report.get("metrics", {}).items()}
    return {
        "split": split,
        "clips": len(clips),
        "minutes": round(sum(len(c.music) for c in clips) / FPS / 60, 2),
        "candidates_per_segment": 1,
        "segment_frames": SEGMENT,
        "generation_and_metrics_s": round(time.perf_counter() - started, 1),
        "metrics": metrics,
        "skipped": report.get("skipped", {}),
        "warnings": list(report.get("warnings", [])),
    }


def evaluate_into_card(model_dir: str | PathLike, data: str | PathLike, split: str = "test", **kwargs) -> dict | None:
    """Evaluate the model folder on ``split`` and store the report under ``metrics`` in its card.json.

    Returns the report, or None when the folder has no such split (nothing is written then).
    """
    import json
    from pathlib import Path

    from studio.core.atomic import write_text
    from studio.data.finedance_folder import FineDanceFolder

    folder = Path(data)
    if not FineDanceFolder(folder).split().get(split):
        return None
    choreographer = Choreographer.from_pretrained(model_dir, "cpu")
    report = evaluate_fdgn(choreographer, folder, split=split, **kwargs)
    card_path = Path(model_dir) / "card.json"
    card = json.loads(card_path.read_text()) if card_path.is_file() else {}
    card["metrics"] = report
    write_text(card_path, json.dumps(card, indent=2) + "\n")
    return report
