"""``studio bench export``: time exporting a 3-minute duet (the acceptance figure: FBX with mesh <= 2 s).

The project is built in memory: two dancers, 45 chosen 4-s segments each (5400 frames at 30 fps) of
smooth random motion with fingers. Timed: ``project_motions`` + ``export_motions`` per format, medians.
Loading the avatar is timed apart (the editor has it loaded already).
"""

from __future__ import annotations

import hashlib
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from studio.core.document import Candidate, Dancer, Project, Song
from studio.core.motion import Motion

SECONDS = 180
SEGMENT_FRAMES = 120
FPS = 30.0


def _dance(frames: int, seed: int) -> Motion:
    rng = np.random.default_rng(seed)
    t = np.arange(frames)[:, None, None] / FPS
    frequency = rng.uniform(0.3, 2.0, size=(1, 52, 3))
    phase = rng.uniform(0, 2 * np.pi, size=(1, 52, 3))
    axis_angle = 0.5 * np.sin(2 * np.pi * frequency * t + phase)
    axis_angle[:, 0, 1] += 1.5 * t[:, 0, 0]
    trans = np.column_stack([0.5 * np.sin(t[:, 0, 0]), np.zeros(frames), 0.01 * t[:, 0, 0]])
    return Motion.from_axis_angle(trans, axis_angle, FPS)


def duet_project(seconds: int = SECONDS) -> Project:
    frames = int(seconds * FPS)
    count = frames // SEGMENT_FRAMES
    spans = [(i * SEGMENT_FRAMES / FPS, (i + 1) * SEGMENT_FRAMES / FPS) for i in range(count)]
    song = Song("bench.wav", hashlib.sha256(b"bench").hexdigest(), spans[-1][1], 120.0, segments=spans)
    dancers = [Dancer("lead", "Lead", "#e0803a", "lead"), Dancer("partner", "Partner", "#3a8fe0", "partner")]
    project = Project(song, dancers=dancers)
    for index, dancer in enumerate(dancers):
        dance = _dance(count * SEGMENT_FRAMES, seed=index)
        for segment in range(count):
            piece = dance[segment * SEGMENT_FRAMES : (segment + 1) * SEGMENT_FRAMES]
            project.set_candidates(dancer.id, segment, [Candidate(piece, seed=segment)])
    return project


def bench_export(args: Any = None) -> dict:
    from studio.body.provider import load_avatar
    from studio.io.exporters import export_motions, project_motions

    runs = getattr(args, "runs", None) or 3
    start = time.perf_counter()
    avatar = load_avatar()
    figures: dict[str, Any] = {"avatar_load_s": time.perf_counter() - start}
    project = duet_project()
    figures["frames_per_dancer"] = project_motions(project)["Lead"].num_frames
    with tempfile.TemporaryDirectory() as folder:
        cases = [("fbx_mesh", ".fbx", True), ("fbx_skeleton", ".fbx", False), ("glb_mesh", ".glb", True),
                 ("bvh", ".bvh", False), ("npz", ".npz", False)]  # fmt: skip
        for name, suffix, mesh in cases:
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                paths = export_motions(Path(folder) / f"duet{suffix}", project_motions(project), avatar, mesh=mesh)
                times.append(time.perf_counter() - start)
            figures[f"{name}_s"] = statistics.median(times)
            figures[f"{name}_mb"] = sum(p.stat().st_size for p in paths) / 1e6
    figures["fbx_mesh_budget_s"] = 2.0
    return figures
