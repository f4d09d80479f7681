"""``python -m studio export``: a saved project to every format, and clear errors."""

import hashlib
import os

import numpy as np
import pytest

from studio.cli.main import main
from studio.core.document import Candidate, Dancer, Project, Song
from studio.core.motion import Motion
from studio.io import bvh, fbx
from studio.io import project as project_file


def _dance(frames, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(frames)[:, None, None] / 30.0
    axis_angle = 0.4 * np.sin(2 * np.pi * rng.uniform(0.3, 2, (1, 52, 3)) * t + rng.uniform(0, 6, (1, 52, 3)))
    return Motion.from_axis_angle(np.column_stack([np.zeros(frames), np.zeros(frames), t[:, 0, 0]]), axis_angle)


@pytest.fixture()
def saved_duet(tmp_path):
    spans = [(0.0, 1.0), (1.0, 2.0)]
    song = Song("song.wav", hashlib.sha256(b"x").hexdigest(), 2.0, 120.0, segments=spans)
    dancers = [Dancer("d1", "Ana", "#e0803a", "lead"), Dancer("d2", "Ben", "#3a8fe0", "partner")]
    project = Project(song, dancers=dancers)
    for index, dancer in enumerate(dancers):
        dance = _dance(60, index)
        for segment in range(2):
            project.set_candidates(dancer.id, segment, [Candidate(dance[segment * 30 : segment * 30 + 30], seed=1)])
    path = tmp_path / "duet.choreo"
    project_file.save(project, path)
    return path


def test_export_duet_to_fbx_and_bvh(tmp_path, saved_duet, capsys):
    assert main(["export", str(saved_duet), "-o", str(tmp_path / "out.fbx"), "--no-mesh"]) == 0
    motions = fbx.load(tmp_path / "out.fbx")
    assert sorted(motions) == ["Ana", "Ben"] and motions["Ana"].num_frames == 60
    assert main(["export", str(saved_duet), "-o", str(tmp_path / "out.bvh"), "--range", "0.5", "1.5"]) == 0
    printed = capsys.readouterr().out.split()
    assert [os.path.basename(p) for p in printed[-2:]] == ["out_Ana.bvh", "out_Ben.bvh"]
    assert bvh.load(tmp_path / "out_Ana.bvh")[0].num_frames == 30
    assert main(["export", str(saved_duet), "-o", str(tmp_path / "ben.npz"), "--dancer", "2", "--fps", "60"]) == 0
    assert (tmp_path / "ben.npz").exists() and not (tmp_path / "ben_Ben.npz").exists()


def test_export_errors_are_clear(tmp_path, saved_duet, capsys):
    assert main(["export", str(saved_duet), "-o", str(tmp_path / "out.obj")]) == 2
    assert "cannot export to '.obj'" in capsys.readouterr().err
    assert main(["export", str(saved_duet), "-o", str(tmp_path / "nope" / "out.fbx")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "missing.choreo"), "-o", str(tmp_path / "out.fbx")]) == 2
    assert "missing.choreo" in capsys.readouterr().err
    empty = tmp_path / "empty.choreo"
    project_file.save(Project(), empty)
    assert main(["export", str(empty), "-o", str(tmp_path / "out.fbx")]) == 2
    assert "nothing to export" in capsys.readouterr().err
    assert sorted(os.listdir(tmp_path)) == ["duet.choreo", "empty.choreo"]
