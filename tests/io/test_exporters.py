import hashlib
import os

import numpy as np
import pytest

from studio.core.document import Candidate, Dancer, Project, Song
from studio.core.errors import ExportError
from studio.core.motion import concatenate
from studio.io import bvh, fbx, gltf, smplx_npz
from studio.io.exporters import export_motions, file_names, prepare, project_motions


def duet_project(dances, segments=2, frames=30, chosen=(True, True)) -> Project:
    spans = [(i * frames / 30, (i + 1) * frames / 30) for i in range(segments)]
    song = Song("song.wav", hashlib.sha256(b"x").hexdigest(), spans[-1][1], 120.0, segments=spans)
    dancers = [Dancer("d1", "Ana", "#e0803a", "lead"), Dancer("d2", "Ben", "#3a8fe0", "partner")]
    project = Project(song, dancers=dancers)
    for index, dancer in enumerate(dancers):
        if not chosen[index]:
            continue
        dance = dances.lively(segments * frames, seed=index)
        for segment in range(segments):
            piece = dance[segment * frames : (segment + 1) * frames]
            project.set_candidates(dancer.id, segment, [Candidate(piece, seed=segment)])
    return project


def test_every_format_round_trips(tmp_path, avatar, duet):
    written = {}
    for suffix in (".fbx", ".glb", ".gltf", ".bvh", ".npz"):
        written[suffix] = export_motions(tmp_path / f"duet{suffix}", duet, avatar)
    assert [p.name for p in written[".fbx"]] == ["duet.fbx"]
    assert [p.name for p in written[".bvh"]] == ["duet_Ana.bvh", "duet_Ben.bvh"]
    assert [p.name for p in written[".npz"]] == ["duet_Ana.npz", "duet_Ben.npz"]
    skeleton = avatar.skeleton
    for name, motion in duet.items():
        expected = motion.positions(skeleton)
        assert np.abs(fbx.load(tmp_path / "duet.fbx")[name].positions(skeleton) - expected).max() < 1e-5
        assert np.abs(gltf.load(tmp_path / "duet.glb")[name].positions(skeleton) - expected).max() < 1e-5
        assert np.abs(gltf.load(tmp_path / "duet.gltf")[name].positions(skeleton) - expected).max() < 1e-5
        back, back_skeleton = bvh.load(tmp_path / f"duet_{name}.bvh")
        assert np.abs(back.positions(back_skeleton) - expected).max() < 1e-5
        assert smplx_npz.load(tmp_path / f"duet_{name}.npz").allclose(motion, atol=1e-9)
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["duet.fbx", "duet.glb", "duet.gltf", "duet_Ana.bvh", "duet_Ben.bvh", "duet_Ana.npz", "duet_Ben.npz"]
    )  # no temporary files left


def test_solo_keeps_the_name_and_fps_and_range_apply(tmp_path, avatar, dances):
    motion = dances.lively(60)
    (path,) = export_motions(tmp_path / "solo.bvh", {"Ana": motion}, avatar, fps=24, time_range=(0.5, 1.5))
    assert path.name == "solo.bvh"
    back, _ = bvh.load(path)
    assert back.fps == 24.0 and back.num_frames == 24  # 30 frames at 30 fps, resampled over the same span


def test_prepare_holds_the_shorter_dance_on_its_last_pose(dances):
    out = prepare({"A": dances.lively(20), "B": dances.lively(12)})
    assert out["A"].num_frames == out["B"].num_frames == 20
    assert np.array_equal(out["B"].rotations[12:], np.repeat(out["B"].rotations[11:12], 8, axis=0))


def test_file_names_are_safe_and_distinct(tmp_path):
    names = file_names(tmp_path / "x.npz", ["Ana Lee", "Ana/Lee", "../"])
    assert [p.name for p in names] == ["x_Ana_Lee.npz", "x_Ana_Lee_2.npz", "x_dancer3.npz"]
    assert all(p.parent == tmp_path for p in names)


def test_clear_errors_and_nothing_left_behind(tmp_path, avatar, duet, dances):
    with pytest.raises(ExportError, match=r"cannot export to '\.obj'; use one of \.bvh, \.fbx, \.glb, \.gltf, \.npz"):
        export_motions(tmp_path / "a.obj", duet, avatar)
    with pytest.raises(ExportError, match="nothing to export"):
        export_motions(tmp_path / "a.fbx", {}, avatar)
    with pytest.raises(ExportError, match="does not exist"):
        export_motions(tmp_path / "missing" / "a.fbx", duet, avatar)
    with pytest.raises(ExportError, match="nothing to export between 5 and 6 s"):
        export_motions(tmp_path / "a.fbx", duet, avatar, time_range=(5.0, 6.0))
    (tmp_path / "folder.fbx").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export_motions(tmp_path / "folder.fbx", duet, avatar)
    assert os.listdir(tmp_path) == ["folder.fbx"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_unwritable_folder(tmp_path, avatar, duet):
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="cannot write there"):
            export_motions(tmp_path / "a.bvh", duet, avatar)
    finally:
        tmp_path.chmod(0o700)


def test_a_failure_midway_leaves_no_file(tmp_path, avatar, duet, monkeypatch):
    from studio.io import exporters

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exporters, "_write_payload", broken)
    with pytest.raises(ExportError, match="No space left on device"):
        export_motions(tmp_path / "duet.bvh", duet, avatar)
    assert os.listdir(tmp_path) == []


def test_project_motions(dances):
    project = duet_project(dances)
    motions = project_motions(project)
    assert list(motions) == ["Ana", "Ben"] and motions["Ana"].num_frames == 60
    assert np.allclose(motions["Ana"].trans, concatenate([dances.lively(60, seed=0)]).trans)
    assert list(project_motions(project, "2")) == ["Ben"]
    assert list(project_motions(project, "Ana")) == ["Ana"]
    with pytest.raises(ExportError, match="no dancer 'Zoe'.*1 \\(Ana\\), 2 \\(Ben\\)"):
        project_motions(project, "Zoe")
    half = duet_project(dances, chosen=(True, False))
    assert list(project_motions(half)) == ["Ana"]
    with pytest.raises(ExportError, match="Ben has no chosen candidate"):
        project_motions(half, "Ben")
    with pytest.raises(ExportError, match="nothing to export"):
        project_motions(duet_project(dances, chosen=(False, False)))


def test_three_minute_duet_to_fbx_with_mesh(tmp_path, avatar):
    """A full-size export works; its speed is measured by ``studio bench export``, not asserted here."""
    from studio.io.bench import duet_project

    motions = project_motions(duet_project(180))
    assert all(m.num_frames == 5400 for m in motions.values())
    (path,) = export_motions(tmp_path / "duet.fbx", motions, avatar, mesh=True)
    assert path.stat().st_size > 1_000_000


def test_every_format_has_a_writer_and_the_export_dialog_offers_it():
    from studio.io import exporters, formats

    assert set(exporters.PAYLOADS) == set(formats.BY_SUFFIX) == set(exporters.EXTENSIONS)
    offered = formats.file_filter()
    assert all(f"(*{suffix})" in offered for suffix in formats.EXTENSIONS)  # .gltf was missing
    assert offered.startswith("FBX (*.fbx)")
