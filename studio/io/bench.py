"""``studio bench export`` and ``studio bench project``: exporting, saving and opening a 3-minute song.

``export``: time exporting a 3-minute duet (the acceptance figure: FBX with mesh <= 2 s). The project is
built in memory: two dancers, 45 chosen 4-s segments each (5400 frames at 30 fps) of smooth random motion
with fingers. Timed: ``project_motions`` + ``export_motions`` per format, medians. Loading the avatar is
timed apart (the editor has it loaded already).

``project``: the size of a 3-minute song's ``.choreo`` at M = 8 (one dancer, 45 segments x 8 candidates of
synthetic motion of the model's shape; the file's size does not depend on the motion, 337 bytes a frame)
and the median times to save and to open it (the budget: <= 20 MB, <= 1 s each); and the largest joint
position error a save -> open round trip made, on the mannequin's skeleton.
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


# -- studio bench project ------------------------------------------------------------------------------
PROJECT_CANDIDATES = 8


def song_project(seconds: int = SECONDS, candidates: int = PROJECT_CANDIDATES) -> Project:
    """One dancer, every 4-s segment of a ``seconds`` song filled with ``candidates`` synthetic candidates.

    The candidates are smooth random dances with fingers (``_dance``), each its own: not the model's output,
    but of the model's shape (120 frames x 52 joints per candidate, root translation in metres).
    """
    frames = int(seconds * FPS)
    count = frames // SEGMENT_FRAMES
    spans = [(i * SEGMENT_FRAMES / FPS, (i + 1) * SEGMENT_FRAMES / FPS) for i in range(count)]
    song = Song("bench.wav", hashlib.sha256(b"bench").hexdigest(), spans[-1][1], 120.0, segments=spans)
    project = Project(song)
    dances = [_dance(count * SEGMENT_FRAMES, seed=100 + c) for c in range(candidates)]
    for segment in range(count):
        cut = slice(segment * SEGMENT_FRAMES, (segment + 1) * SEGMENT_FRAMES)
        project.set_candidates(0, segment, [
            Candidate(dance[cut], seed=1000 * segment + c, scores={"score": -c, "gs": 0.5, "cs": -0.1 * c},
                      genre="Jazz", model_id="bench")
            for c, dance in enumerate(dances)
        ])  # fmt: skip
    project.mark_saved()
    return project


def bench_project(args: Any = None) -> dict:
    """Size of a 3-minute song's project at M = 8 and the median times to save and to open it."""
    from studio.body.provider import default_skeleton
    from studio.io import project as project_file

    runs = getattr(args, "runs", None) or 5
    project = song_project(getattr(args, "seconds", None) or SECONDS)  # tests make a shorter song
    track = project.tracks(0)
    figures: dict[str, Any] = {
        "motions": "synthetic (smooth random dances with fingers, not the model's), of the model's shape",
        "schema_version": project_file.SCHEMA_VERSION,
        "song_s": float(project.song.duration),
        "segments": len(track),
        "candidates_per_segment": len(track[0].candidates),
        "frames_stored": sum(c.motion.num_frames for t in track for c in t.candidates),
    }
    with tempfile.TemporaryDirectory(prefix="choreo-bench-") as folder:
        path = Path(folder) / "song.choreo"
        saves, opens = [], []
        for _ in range(runs):
            start = time.perf_counter()
            project_file.save(project, path)
            saves.append(time.perf_counter() - start)
        for _ in range(runs):
            start = time.perf_counter()
            loaded = project_file.load(path)
            opens.append(time.perf_counter() - start)
        figures["project_mb"] = path.stat().st_size / 1e6
    figures["save_s"] = statistics.median(saves)
    figures["open_s"] = statistics.median(opens)
    skeleton = default_skeleton()
    error = 0.0
    for before, after in zip(track, loaded.tracks(0), strict=True):
        for a, b in zip(before.candidates, after.candidates, strict=True):
            error = max(error, float(np.abs(a.motion.positions(skeleton) - b.motion.positions(skeleton)).max()))
    figures["max_joint_error_mm"] = 1000 * error
    figures["budget"] = "<= 20 MB, open and save <= 1 s each"
    return figures
