import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from studio.core import rotations as rot
from studio.core.document import Candidate, Project, Settings, Song
from studio.core.errors import ProjectFileError
from studio.core.formation import Formation
from studio.core.motion import Motion
from studio.io import project as choreo

HASH = hashlib.sha256(b"song").hexdigest()
# Written by the schema-1 writer (Choreo Studio at commit c416a09, before the compact format) from
# ``make_project(frames=3)``: ``choreo.save(make_project(frames=3), "tests/io/data/schema1.choreo")``.
SCHEMA1_FILE = Path(__file__).parent / "data" / "schema1.choreo"
ROTATION_ATOL = 1e-4  # a matrix entry after a save -> load round trip (quaternions quantised to 16 bits)


def random_motion(seed, frames=5):
    rng = np.random.default_rng(seed)
    return Motion(rng.normal(size=(frames, 3)), rot.random_rotations((frames, 52), rng))


def make_project(frames=5):
    """Two dancers, three segments: full, empty and locked tracks, every kind of field set."""
    song = Song("music/song one.wav", HASH, 12.0, 118.5, np.arange(0.1, 12, 0.5), [0.1, 2.1], [(0, 4), (4, 8), (8, 12)])
    project = Project(song, settings=Settings("Jazz", 5, 0.75, 0.25, "finenet-tiny"))
    project.add_dancer("Bea")
    for dancer in range(2):
        for segment in (0, 2):
            project.set_candidates(dancer, segment, [
                Candidate(random_motion(100 * dancer + 10 * segment + c, frames), seed=c, model_id="finenet-tiny",
                          scores={"score": 0.5 - c, "gs": 0.25, "cs": -1.5}, genre=None if c else "Jazz")
                for c in range(3)
            ])  # fmt: skip
    project.choose(1, 2, 2)
    project.lock(0, 2)
    project.mark_saved()
    return project


def assert_same(loaded, original, rotation_atol=ROTATION_ATOL):
    a, b = loaded.snapshot(), original.snapshot()
    assert (a.song, a.settings, a.dancers) == (b.song, b.settings, b.dancers)
    assert len(a.tracks) == len(b.tracks)
    for tracks_a, tracks_b in zip(a.tracks, b.tracks, strict=True):
        assert len(tracks_a) == len(tracks_b)
        for ta, tb in zip(tracks_a, tracks_b, strict=True):
            assert (ta.chosen, ta.locked, len(ta.candidates)) == (tb.chosen, tb.locked, len(tb.candidates))
            for ca, cb in zip(ta.candidates, tb.candidates, strict=True):
                assert (ca.seed, dict(ca.scores), ca.genre, ca.model_id) == (
                    cb.seed, dict(cb.scores), cb.genre, cb.model_id,
                )  # fmt: skip
                assert ca.motion.num_frames == cb.motion.num_frames and ca.motion.fps == cb.motion.fps
                np.testing.assert_allclose(ca.motion.trans, cb.motion.trans, atol=1e-6)  # float32
                np.testing.assert_allclose(ca.motion.rotations, cb.motion.rotations, atol=rotation_atol)


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "dance.choreo"
    choreo.save(make_project(), path)
    return path


@pytest.fixture
def legacy(tmp_path):
    """A copy of the schema-1 file (the old writer's)."""
    path = tmp_path / "old.choreo"
    shutil.copyfile(SCHEMA1_FILE, path)
    return path


def rewrite(path, *, edit_json=None, json_bytes=None, npz=None, drop=(), extra=()):
    """Write a variant of a saved project: the same members with some changed."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    if edit_json is not None:
        document = json.loads(members["project.json"])
        edit_json(document)
        members["project.json"] = json.dumps(document).encode()
    if json_bytes is not None:
        members["project.json"] = json_bytes
    if npz is not None:
        members["motions.npz"] = npz
    for name in drop:
        del members[name]
    members.update(extra)
    out = path.with_name("variant.choreo")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out


def npz_without(path, key):
    """motions.npz of ``path`` without the array ``key``."""
    with zipfile.ZipFile(path) as archive:
        arrays = dict(np.load(io.BytesIO(archive.read("motions.npz"))))
    del arrays[key]
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def load_error(path):
    with pytest.raises(ProjectFileError) as info:
        choreo.load(path)
    assert path.name in str(info.value)  # errors name the file
    return str(info.value)


# -- round trip --------------------------------------------------------------------------------------
def test_round_trip_keeps_everything(saved):
    loaded = choreo.load(saved)
    assert_same(loaded, make_project())
    assert not loaded.dirty
    assert [d.role for d in loaded.dancers] == ["lead", "partner"]
    assert loaded.chosen_index(1, 2) == 2 and loaded.is_locked(0, 2) and not loaded.is_locked(1, 2)


def test_saving_a_loaded_project_again_is_stable(saved, tmp_path):
    again = tmp_path / "again.choreo"
    choreo.save(choreo.load(saved), again)
    assert_same(choreo.load(again), make_project())


def test_round_trip_of_minimal_projects(tmp_path):
    path = tmp_path / "empty.choreo"
    empty = Project()
    choreo.save(empty, path)
    assert_same(choreo.load(path), empty)
    no_candidates = Project(Song("a.wav", HASH, 8.0, 90.0, segments=[(0, 4), (4, 8)]))
    choreo.save(no_candidates, path)
    assert_same(choreo.load(path), no_candidates)


def test_file_layout(saved):
    with zipfile.ZipFile(saved) as archive:
        assert archive.namelist() == ["project.json", "motions.npz"]
        document = json.loads(archive.read("project.json"))
        motions = np.load(io.BytesIO(archive.read("motions.npz")))
        assert (document["format"], document["schema_version"]) == ("choreo-studio-project", 2)
        assert document["motions"] == {"encoding": "root-f32+quat-i16-smallest3", "frames": 60}
        spans = [c["frames"] for d in document["dancers"] for seg in d["segments"] for c in seg["candidates"]]
        assert spans == [[5 * i, 5 * i + 5] for i in range(12)]  # 2 dancers x 2 filled segments x 3, in order
        assert sorted(motions.files) == ["largest", "quat", "root"]
        assert motions["root"].shape == (60, 3) and motions["root"].dtype == np.float32
        assert motions["quat"].shape == (60, 52, 3) and motions["quat"].dtype == np.int16
        assert motions["largest"].shape == (60, 13) and motions["largest"].dtype == np.uint8
        original = make_project().tracks(1)[2].candidates[1].motion  # dancer 2, segment 2, candidate 1
        np.testing.assert_array_equal(motions["root"][50:55], original.trans.astype(np.float32))


def test_the_file_takes_337_bytes_a_frame(tmp_path):
    """The compact format: a 3-minute song at M = 8 (43200 frames) is 14.6 MB, the old one 54.5 MB."""
    path = tmp_path / "a.choreo"
    choreo.save(make_project(frames=200), path)  # 12 candidates x 200 frames
    motions = 12 * 200
    assert choreo.FRAME_BYTES == 337
    assert motions * 337 < path.stat().st_size < motions * 337 + 12_000  # + the JSON and the archive


def test_saving_a_loaded_project_again_does_not_drift(saved, tmp_path):
    first = choreo.load(saved)
    again = tmp_path / "again.choreo"
    choreo.save(first, again)
    second = choreo.load(again)
    for a, b in zip(first.tracks(0) + first.tracks(1), second.tracks(0) + second.tracks(1), strict=True):
        for ca, cb in zip(a.candidates, b.candidates, strict=True):
            np.testing.assert_array_equal(ca.motion.trans, cb.motion.trans)
            np.testing.assert_allclose(ca.motion.rotations, cb.motion.rotations, atol=1e-12)


# -- files of the old format -------------------------------------------------------------------------
def test_a_schema_1_file_still_opens(legacy):
    with zipfile.ZipFile(legacy) as archive:
        assert json.loads(archive.read("project.json"))["schema_version"] == 1
    loaded = choreo.load(legacy)
    assert_same(loaded, make_project(frames=3), rotation_atol=1e-6)  # float32 rot6d: as exact as it was
    assert loaded.chosen_index(1, 2) == 2 and loaded.is_locked(0, 2) and not loaded.is_locked(1, 2)


def test_a_schema_1_file_saved_again_is_written_in_schema_2(legacy, tmp_path):
    path = tmp_path / "new.choreo"
    choreo.save(choreo.load(legacy), path)
    with zipfile.ZipFile(path) as archive:
        assert json.loads(archive.read("project.json"))["schema_version"] == choreo.SCHEMA_VERSION == 2
    assert_same(choreo.load(path), make_project(frames=3))


def test_formations_are_saved_and_read_back(tmp_path):
    project = make_project()
    project.set_formation(1, Formation("facing", 2.0))
    path = choreo.save(project, tmp_path / "duet.choreo")
    with zipfile.ZipFile(path) as archive:
        dancers = json.loads(archive.read("project.json"))["dancers"]
    assert dancers[1]["formation"] == {"kind": "facing", "spacing": 2.0}
    loaded = choreo.load(path)
    assert loaded.dancers[1].formation == Formation("facing", 2.0)
    assert_same(loaded, project)


def test_files_from_before_formations_open_with_the_default_formation(saved, legacy):
    def drop_formations(document):
        for dancer in document["dancers"]:
            del dancer["formation"]

    for path in (rewrite(saved, edit_json=drop_formations), legacy):  # schema 2 without the key, and schema 1
        loaded = choreo.load(path)
        assert [d.formation for d in loaded.dancers] == [Formation(), Formation()]
        assert_same(loaded, make_project(frames=loaded.track(0, 0).candidates[0].motion.num_frames),
                    rotation_atol=1e-4)  # fmt: skip


def test_save_accepts_a_snapshot_and_does_not_touch_dirty(tmp_path):
    project = make_project()
    project.lock(1, 1)
    choreo.save(project.snapshot(), tmp_path / "a.choreo")
    assert project.dirty
    assert choreo.load(tmp_path / "a.choreo").is_locked(1, 1)


# -- atomic save -------------------------------------------------------------------------------------
def test_failed_save_leaves_the_old_file_and_no_temp_file(saved, monkeypatch):
    before = saved.read_bytes()
    calls = []

    def failing_write_array(handle, array, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # half-way through the motions
            raise OSError(28, "No space left on device")
        handle.write(b"x" * 100)

    monkeypatch.setattr(np.lib.format, "write_array", failing_write_array)
    with pytest.raises(ProjectFileError, match="No space left on device.*previous file.*unchanged"):
        choreo.save(make_project(), saved)
    assert saved.read_bytes() == before
    assert os.listdir(saved.parent) == [saved.name]


def test_failed_replace_leaves_the_old_file_and_no_temp_file(saved, monkeypatch):
    before = saved.read_bytes()

    def failing_replace(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(ProjectFileError, match="Permission denied"):
        choreo.save(Project(), saved)
    assert saved.read_bytes() == before
    assert os.listdir(saved.parent) == [saved.name]


def test_interrupted_save_removes_the_temp_file_and_reraises(saved, monkeypatch):
    before = saved.read_bytes()

    def interrupted(handle, array, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np.lib.format, "write_array", interrupted)
    with pytest.raises(KeyboardInterrupt):
        choreo.save(make_project(), saved)
    assert saved.read_bytes() == before
    assert os.listdir(saved.parent) == [saved.name]


def test_save_keeps_permissions_and_writes_through_symlinks(saved, tmp_path):
    os.chmod(saved, 0o640)
    link = tmp_path / "link.choreo"
    link.symlink_to(saved)
    choreo.save(Project(), link)
    assert link.is_symlink() and choreo.load(link).num_segments == 0
    assert oct(os.stat(saved).st_mode & 0o777) == oct(0o640)


def test_save_into_a_missing_folder(tmp_path):
    with pytest.raises(ProjectFileError, match="folder"):
        choreo.save(Project(), tmp_path / "nope" / "a.choreo")


# -- temporary files left by a killed save ---------------------------------------------------------------
KILLED_SAVE = """
import sys, time
import numpy as np
from studio.io import project as choreo

project = choreo.load(sys.argv[1])

def stuck(handle, array, **kwargs):  # the save gets killed while it writes the motions
    handle.write(b"half an array")
    print("writing", flush=True)
    time.sleep(60)

np.lib.format.write_array = stuck
choreo.save(project, sys.argv[1])
"""


def kill_a_save(path):
    """Start saving ``path`` in another process and SIGKILL it midway; return its temporary file."""
    child = subprocess.Popen([sys.executable, "-c", KILLED_SAVE, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
    finally:
        child.kill()
        child.wait()
    left = [p for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.{child.pid}-")]
    assert len(left) == 1 and left[0].name.endswith(".tmp")
    return left[0]


def users_files(folder):
    """Files beside a project that are not its temporary files, with the project's name in theirs."""
    files = [
        "notes.txt",
        "dance.choreo.tmp",
        ".dance.choreo.backup",
        ".dance.choreo.abc.tmp",
        ".other.choreo.abcdefgh.tmp",
        f".other.choreo.{os.getpid()}-abcdefgh.tmp",
        "dance.choreo.abcdefgh.tmp",
    ]
    for name in files:
        (folder / name).write_text("mine")
    (folder / ".dance.choreo.abcdefgh.tmp" / "x").mkdir(parents=True)  # our pattern, but a folder
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("then", ["open", "save"])
def test_a_killed_save_leaves_the_old_file_and_its_temp_file_goes_next_time(saved, then):
    before = saved.read_bytes()
    kept = users_files(saved.parent)
    debris = kill_a_save(saved)
    assert saved.read_bytes() == before  # atomic: the old file is whole
    if then == "open":
        assert_same(choreo.load(saved), make_project())
    else:
        choreo.save(make_project(), saved)
    assert not debris.exists()
    assert sorted(p.name for p in saved.parent.iterdir()) == kept  # the user's files are all there


def test_which_temporary_files_are_debris(saved, monkeypatch):
    folder = saved.parent
    kept = users_files(folder)

    def temp(pid, age=0.0, tag="abcdefgh"):
        path = folder / (f".dance.choreo.{pid}-{tag}.tmp" if pid is not None else f".dance.choreo.{tag}.tmp")
        path.write_bytes(b"PK")
        os.utime(path, (time.time() - age, time.time() - age))
        return path

    live = temp(os.getppid())  # a save under way in another process (pytest's parent is alive)
    old_version_fresh = temp(None, tag="fresh123")  # an older version's, just written: perhaps still saving
    ours = temp(os.getpid(), tag="ours_123")  # this process's, no save in flight: an interrupted one
    dead = temp(2**22 + 12345)  # above Linux's pid_max default: no such process
    old_version_stale = temp(None, age=choreo.STALE_AFTER_S + 60, tag="stale123")
    live_but_stale = temp(os.getppid(), age=choreo.STALE_AFTER_S + 60, tag="stale456")
    removed = choreo.remove_stale_temporaries(saved)
    assert sorted(removed) == sorted([ours, dead, old_version_stale, live_but_stale])
    assert live.exists() and old_version_fresh.exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted([*kept, live.name, old_version_fresh.name])


def test_a_save_in_flight_keeps_its_temporary_file(saved, monkeypatch):
    """Two saves at once in one process (a save and an autosave to the same file): neither removes the other's."""
    seen = []
    real = np.lib.format.write_array

    def write_and_clean(handle, array, **kwargs):
        if not seen:
            seen.extend(p for p in saved.parent.iterdir() if p.name.endswith(".tmp"))
            assert choreo.remove_stale_temporaries(saved) == []
            choreo.load(saved)  # opening it meanwhile removes nothing either
        real(handle, array, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", write_and_clean)
    choreo.save(make_project(), saved)
    assert len(seen) == 1 and not seen[0].exists()  # and it was renamed into place
    assert os.listdir(saved.parent) == [saved.name]


# -- bad files ---------------------------------------------------------------------------------------
def test_missing_file(tmp_path):
    assert "no such file" in load_error(tmp_path / "gone.choreo")


def test_folder_and_empty_and_foreign_files(tmp_path):
    folder = tmp_path / "folder.choreo"
    folder.mkdir()
    assert "a folder" in load_error(folder)
    empty = tmp_path / "empty.choreo"
    empty.write_bytes(b"")
    assert "empty file" in load_error(empty)
    text = tmp_path / "text.choreo"
    text.write_text('{"format": "choreo-studio-project"}')
    assert "not a ZIP archive" in load_error(text)


@pytest.mark.parametrize("keep", [0.2, 0.5, 0.9, 0.99])
def test_truncated_file(saved, keep):
    data = saved.read_bytes()
    saved.write_bytes(data[: int(len(data) * keep)])
    message = load_error(saved)
    assert "damaged" in message or "truncated" in message


def test_zip_without_project_json(saved, tmp_path):
    foreign = tmp_path / "photos.choreo"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
    assert "without project.json" in load_error(foreign)


def test_wrong_or_missing_magic(saved):
    message = load_error(rewrite(saved, edit_json=lambda d: d.update(format="krita-document")))
    assert "format 'krita-document'" in message and "not a Choreo Studio project" in message
    assert "no 'format' key" in load_error(rewrite(saved, edit_json=lambda d: d.pop("format")))


def test_newer_schema(saved):
    message = load_error(rewrite(saved, edit_json=lambda d: d.update(schema_version=7)))
    assert "saved by a newer Choreo Studio (schema 7); this version reads up to 2" in message


@pytest.mark.parametrize("version", [0, -3, "1", 1.0, True, None])
def test_bad_schema_version(saved, version):
    load_error(rewrite(saved, edit_json=lambda d: d.update(schema_version=version)))


@pytest.mark.parametrize(
    "text, found",
    [
        (b'{"format": ', "malformed JSON"),
        (b"\xff\xfe{}", "UTF-8"),
        (b'{"format": "choreo-studio-project", "schema_version": NaN}', "NaN is not allowed"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON"),
        (b'"just a string"', "a JSON object"),
    ],
)
def test_malformed_json(saved, text, found):
    assert found in load_error(rewrite(saved, json_bytes=text))


@pytest.mark.parametrize(
    "edit, found",
    [
        (lambda d: d.pop("dancers"), "'dancers'"),
        (lambda d: d["settings"].pop("alpha"), "'settings.alpha'"),
        (lambda d: d["song"].pop("content_hash"), "'song.content_hash'"),
        (lambda d: d["dancers"][0]["segments"][0]["candidates"][1].pop("seed"), "candidates[1].seed"),
        (lambda d: d["dancers"][0].update(role=3), "a string at dancers[0].role, found the number 3"),
        (lambda d: d["settings"].update(alpha=1e400), "Infinity is not allowed"),
        (lambda d: d["settings"].update(candidates_per_segment=0), "1..64"),
        (lambda d: d["dancers"][1].update(role="lead"), "exactly one dancer"),
        (lambda d: d["dancers"][1].update(id="dancer-1"), "unique"),
        (lambda d: d["dancers"][0]["segments"].pop(), "3 entries in dancers[0].segments"),
        (lambda d: d["song"]["segments"].append([1, 2]), "before segment 2 ends"),
        (lambda d: d["song"].update(beats=["x"]), "song.beats[0]"),
        (lambda d: d["dancers"][0]["segments"][0]["candidates"][0]["scores"].update(gs="high"), "scores.gs"),
        (lambda d: d["dancers"][0]["segments"][0]["candidates"][0].update(fps=0), "positive fps"),
        (lambda d: d["dancers"].clear(), "1 to 2 dancers"),
        (lambda d: d["dancers"].append(d["dancers"][0]), "1 to 2 dancers, found 3"),
        (lambda d: d["dancers"][1]["segments"][0]["candidates"][0].update(frames=[0, 5]), "starting at row 30"),
        (lambda d: d["dancers"][0]["segments"][0]["candidates"][1].update(frames=[5, 5]), "1 to 108000 frames"),
        (lambda d: d["dancers"][0]["segments"][0]["candidates"][1].update(frames=[5]), "[start, stop] pair"),
        (lambda d: d["dancers"][0]["segments"][0]["candidates"][1].update(frames=[5, 10.0]), "[start, stop] pair"),
        (lambda d: d["dancers"][0]["segments"][0]["candidates"][1].pop("frames"), "candidates[1].frames"),
        (lambda d: d["motions"].update(frames=61), "60 at motions.frames"),
        (lambda d: d["motions"].update(frames=10**12), "at motions.frames, found 1000000000000"),
        (lambda d: d["motions"].update(encoding="zstd-rot6d"), "encoded as 'root-f32+quat-i16-smallest3'"),
        (lambda d: d.pop("motions"), "'motions'"),
        (lambda d: d["dancers"][1].update(formation="facing"), "an object at dancers[1].formation"),
        (lambda d: d["dancers"][1]["formation"].update(kind="circle"), "one of side, side-right, facing, behind"),
        (lambda d: d["dancers"][1]["formation"].update(spacing=9), "0.8 to 4 m, got 9 m"),
        (lambda d: d["dancers"][1]["formation"].pop("spacing"), "'dancers[1].formation.spacing'"),
    ],
)
def test_missing_or_wrong_keys(saved, edit, found):
    assert found in load_error(rewrite(saved, edit_json=edit))


def test_overflowing_numbers_in_json(saved):
    text = rewrite(saved).read_bytes()  # a plain copy
    with zipfile.ZipFile(io.BytesIO(text)) as archive:
        document = archive.read("project.json").replace(b'"alpha": 0.75', b'"alpha": 1e400')
    assert "a number at settings.alpha, found the number inf" in load_error(rewrite(saved, json_bytes=document))


@pytest.mark.parametrize(
    "chosen, found",
    [(3, "an index below 3 (the number of candidates)"), (-1, "an index below 3"), (None, "null")],
)
def test_chosen_index_out_of_range(saved, chosen, found):
    def edit(document):
        document["dancers"][1]["segments"][2]["chosen"] = chosen

    assert found in load_error(rewrite(saved, edit_json=edit))


def test_chosen_index_without_candidates(saved):
    def edit(document):
        document["dancers"][0]["segments"][1]["chosen"] = 0

    assert "has no candidates" in load_error(rewrite(saved, edit_json=edit))


def test_motions_missing(saved, legacy):
    assert "no motions in the archive" in load_error(rewrite(saved, drop=["motions.npz"]))
    assert "no such array" in load_error(rewrite(saved, npz=npz_without(saved, "quat")))
    assert "NumPy .npz" in load_error(rewrite(saved, npz=b"PK\x03\x04 not really"))
    assert "no motions in the archive" in load_error(rewrite(legacy, drop=["motions.npz"]))
    assert "no such array" in load_error(rewrite(legacy, npz=npz_without(legacy, "dancer-2.s002.c01")))


@pytest.mark.parametrize(
    "name, array, found",
    [
        ("root", np.zeros((59, 3), np.float32), "shape (59, 3)"),
        ("root", np.zeros((60, 3), np.float64), "dtype float64"),
        ("root", np.zeros((60, 3), ">f4"), None),  # big-endian float32 is read
        ("quat", np.zeros((60, 52, 4), np.int16), "shape (60, 52, 4)"),
        ("quat", np.zeros((60, 52, 3), np.float16), "dtype float16"),
        ("quat", np.array([[[object()] * 3] * 52] * 60), "dtype object"),
        ("largest", np.zeros((60, 52), np.uint8), "shape (60, 52)"),
        ("largest", np.zeros((60, 13), np.int8), "dtype int8"),
    ],
)
def test_bad_motion_arrays(saved, name, array, found):
    buffer = io.BytesIO()
    np.savez(buffer, **{name: array}, allow_pickle=True)
    variant = rewrite(saved, npz=_merge(saved, buffer))
    if found is None:
        choreo.load(variant)
    else:
        assert found in load_error(variant)


def test_non_finite_root_positions_name_the_candidate(saved):
    with zipfile.ZipFile(saved) as archive:
        root = np.load(io.BytesIO(archive.read("motions.npz")))["root"].copy()
    root[47, 1] = np.inf  # rows 45-50: dancer 2, segment 2, candidate 0
    buffer = io.BytesIO()
    np.savez(buffer, root=root)
    message = load_error(rewrite(saved, npz=_merge(saved, buffer)))
    assert "finite root positions for dancers[1].segments[2].candidates[0], found NaN or infinity at frame 2" in message


def test_any_rotation_integers_decode_to_rotations(saved):
    """Damaged rotation data cannot make NaN or a non-rotation: every int16 triple and index is a rotation."""
    rng = np.random.default_rng(3)
    buffer = io.BytesIO()
    np.savez(buffer, quat=rng.integers(-32768, 32768, (60, 52, 3)).astype(np.int16),
             largest=rng.integers(0, 256, (60, 13)).astype(np.uint8))  # fmt: skip
    loaded = choreo.load(rewrite(saved, npz=_merge(saved, buffer)))
    for track in loaded.tracks(0) + loaded.tracks(1):
        for candidate in track.candidates:
            r = candidate.motion.rotations
            np.testing.assert_allclose(r @ np.swapaxes(r, -1, -2), np.broadcast_to(np.eye(3), r.shape), atol=1e-9)
            np.testing.assert_allclose(np.linalg.det(r), 1.0, atol=1e-9)


@pytest.mark.parametrize(
    "array, found",
    [
        (np.zeros((3, 314), np.float32), "shape (3, 314)"),
        (np.zeros((0, 315), np.float32), "shape (0, 315)"),
        (np.zeros((3, 315, 1), np.float32), "shape"),
        (np.zeros((3, 315), np.int32), "dtype int32"),
        (np.array([[object()] * 315] * 3), "dtype object"),
        (np.full((3, 315), np.nan, np.float32), "NaN or infinity at frame 0"),
        (np.zeros((3, 315), np.float32), "not a rotation"),
    ],
)
def test_bad_motion_arrays_in_a_schema_1_file(legacy, array, found):
    buffer = io.BytesIO()
    np.savez(buffer, **{"dancer-1.s000.c00": array}, allow_pickle=True)
    assert found in load_error(rewrite(legacy, npz=_merge(legacy, buffer)))


def test_a_schema_1_file_cannot_use_one_array_twice(legacy):
    def edit(document):
        document["dancers"][1]["segments"][0]["candidates"][0]["motion"] = "dancer-1.s000.c00"

    assert "used twice" in load_error(rewrite(legacy, edit_json=edit))


def _merge(saved, buffer):
    """The saved motions with some arrays replaced by those in ``buffer`` (raw, pickles included)."""
    with zipfile.ZipFile(saved) as archive:
        inner = zipfile.ZipFile(io.BytesIO(archive.read("motions.npz")))
        members = {name: inner.read(name) for name in inner.namelist()}
    members.update(_members(buffer))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _members(buffer):
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("which, member", [("saved", "quat.npy"), ("legacy", "dancer-1.s000.c00.npy")])
def test_truncated_motion_array(request, which, member):
    path = request.getfixturevalue(which)
    with zipfile.ZipFile(path) as archive:
        inner = zipfile.ZipFile(io.BytesIO(archive.read("motions.npz")))
        members = {name: inner.read(name) for name in inner.namelist()}
    members[member] = members[member][:-8]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert "truncated" in load_error(rewrite(path, npz=out.getvalue()))


def test_zip_bomb_is_refused_before_unpacking(saved, legacy, monkeypatch):
    bomb = rewrite(saved, extra={"project.json": b'{"pad": "' + b" " * 2_000_000 + b'"}'})
    with zipfile.ZipFile(bomb) as archive:
        assert archive.getinfo("project.json").compress_size < 10_000  # deflate made 2 MB small
    monkeypatch.setattr(choreo, "MAX_JSON_BYTES", 1_000_000)
    assert "refusing to unpack" in load_error(bomb)
    monkeypatch.setattr(choreo, "MAX_MOTIONS_BYTES", 10_000)
    assert "refusing to unpack" in load_error(legacy)
    assert "0..29 at motions.frames, found 60" in load_error(saved)  # more frames than the cap allows
    monkeypatch.setattr(choreo, "MAX_MOTIONS_BYTES", 60 * 337)  # the frames fit, the member's headers do not
    assert "refusing to unpack" in load_error(saved)


def test_extra_members_and_unknown_keys_are_ignored(saved):
    def edit(document):
        document["future_feature"] = {"x": 1}
        document["dancers"][0]["mood"] = "happy"

    variant = rewrite(saved, edit_json=edit, extra={"thumbnail.png": b"\x89PNG"})
    assert_same(choreo.load(variant), make_project())


def test_encrypted_member(saved, tmp_path):
    data = bytearray(saved.read_bytes())
    # Set the "encrypted" flag bit on every header: zipfile then asks for a password.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + offset] |= 1
            start += 4
    saved.write_bytes(bytes(data))
    assert "encrypted" in load_error(saved)


# -- precision, and exports from a re-opened project ----------------------------------------------------
def danced_project(dances):
    """Two dancers, three 4-s segments, two candidates each: lively dances with fingers and fast spins."""
    song = Song("music/song.wav", HASH, 12.0, 120.0, segments=[(0, 4), (4, 8), (8, 12)])
    project = Project(song)
    project.add_dancer("Ben")
    for dancer in range(2):
        for segment in range(3):
            motions = [dances.lively(120, seed=10 * dancer + 2 * segment + c) for c in range(2)]
            if dancer == 1 and segment == 1:
                motions[1] = dances.fast_spin(120)
            project.set_candidates(dancer, segment, [Candidate(m, seed=c) for c, m in enumerate(motions)])
        project.choose(dancer, 1, 1)
    return project


def test_a_round_trip_keeps_joints_within_a_quarter_millimetre(tmp_path, dances, skeleton):
    project = danced_project(dances)
    choreo.save(project, tmp_path / "a.choreo")
    loaded = choreo.load(tmp_path / "a.choreo")
    worst_mm, worst_rad = 0.0, 0.0
    for dancer in range(2):
        for before, after in zip(project.tracks(dancer), loaded.tracks(dancer), strict=True):
            for a, b in zip(before.candidates, after.candidates, strict=True):
                np.testing.assert_array_equal(b.motion.trans, a.motion.trans.astype(np.float32))
                distance = np.linalg.norm(a.motion.positions(skeleton) - b.motion.positions(skeleton), axis=-1)
                worst_mm = max(worst_mm, 1000 * distance.max())
                relative = np.swapaxes(a.motion.rotations, -1, -2) @ b.motion.rotations
                cos = np.clip((np.trace(relative, axis1=-2, axis2=-1) - 1) / 2, -1, 1)
                worst_rad = max(worst_rad, np.arccos(cos).max())
    assert 0 < worst_mm < 0.25 and worst_rad < 7e-5


@pytest.mark.parametrize("suffix", [".bvh", ".fbx"])
def test_exports_from_a_reopened_project_are_unchanged(tmp_path, dances, avatar, suffix):
    from studio.io import bvh, fbx
    from studio.io.exporters import export_motions, project_motions

    project = danced_project(dances)
    choreo.save(project, tmp_path / "a.choreo")
    reopened = choreo.load(tmp_path / "a.choreo")
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    before = export_motions(tmp_path / "before" / f"duet{suffix}", project_motions(project), avatar, mesh=False)
    after = export_motions(tmp_path / "after" / f"duet{suffix}", project_motions(reopened), avatar, mesh=False)
    assert [p.name for p in before] == [p.name for p in after]
    for a, b in zip(before, after, strict=True):
        if suffix == ".bvh":
            text_a, text_b = a.read_text(), b.read_text()
            assert text_a.partition("MOTION")[0] == text_b.partition("MOTION")[0]  # the same skeleton
            (motion_a, skeleton_a), (motion_b, _) = bvh.load(a), bvh.load(b)
            pairs = [(motion_a, motion_b, skeleton_a)]
        else:
            motions_a, motions_b = fbx.load(a), fbx.load(b)
            assert list(motions_a) == list(motions_b) == ["Dancer 1", "Ben"]
            pairs = [(motions_a[n], motions_b[n], avatar.skeleton) for n in motions_a]
        for motion_a, motion_b, skel in pairs:
            assert (motion_a.num_frames, motion_a.fps) == (motion_b.num_frames, motion_b.fps) == (360, 30.0)
            distance = np.linalg.norm(motion_a.positions(skel) - motion_b.positions(skel), axis=-1)
            assert distance.max() < 0.25e-3  # metres: the project's own precision
