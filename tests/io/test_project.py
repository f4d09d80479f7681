import hashlib
import io
import json
import os
import zipfile

import numpy as np
import pytest

from studio.core import rotations as rot
from studio.core.document import Candidate, Project, Settings, Song
from studio.core.errors import ProjectFileError
from studio.core.motion import Motion
from studio.io import project as choreo

HASH = hashlib.sha256(b"song").hexdigest()


def random_motion(seed, frames=5):
    rng = np.random.default_rng(seed)
    return Motion(rng.normal(size=(frames, 3)), rot.random_rotations((frames, 52), rng))


def make_project():
    """Two dancers, three segments: full, empty and locked tracks, every kind of field set."""
    song = Song("music/song one.wav", HASH, 12.0, 118.5, np.arange(0.1, 12, 0.5), [0.1, 2.1], [(0, 4), (4, 8), (8, 12)])
    project = Project(song, settings=Settings("Jazz", 5, 0.75, 0.25, "finenet-tiny"))
    project.add_dancer("Bea")
    for dancer in range(2):
        for segment in (0, 2):
            project.set_candidates(dancer, segment, [
                Candidate(random_motion(100 * dancer + 10 * segment + c), seed=c, model_id="finenet-tiny",
                          scores={"score": 0.5 - c, "gs": 0.25, "cs": -1.5}, genre=None if c else "Jazz")
                for c in range(3)
            ])  # fmt: skip
    project.choose(1, 2, 2)
    project.lock(0, 2)
    project.mark_saved()
    return project


def assert_same(loaded, original):
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
                assert ca.motion.allclose(cb.motion, atol=1e-6)


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "dance.choreo"
    choreo.save(make_project(), path)
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
        assert (document["format"], document["schema_version"]) == ("choreo-studio-project", 1)
        key = document["dancers"][1]["segments"][2]["candidates"][1]["motion"]
        assert key == "dancer-2.s002.c01"
        assert motions[key].shape == (5, 315) and motions[key].dtype == np.float32
        assert len(motions.files) == 12


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
        if len(calls) == 4:  # half-way through the motions
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
    assert "saved by a newer Choreo Studio (schema 7); this version reads up to 1" in message


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
        (lambda d: d["dancers"][1]["segments"][0]["candidates"][0].update(motion="dancer-1.s000.c00"), "used twice"),
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


def test_motions_missing(saved):
    assert "no motions in the archive" in load_error(rewrite(saved, drop=["motions.npz"]))
    assert "no such array" in load_error(rewrite(saved, npz=npz_without(saved, "dancer-2.s002.c01")))
    assert "NumPy .npz" in load_error(rewrite(saved, npz=b"PK\x03\x04 not really"))


@pytest.mark.parametrize(
    "array, found",
    [
        (np.zeros((5, 314), np.float32), "shape (5, 314)"),
        (np.zeros((0, 315), np.float32), "shape (0, 315)"),
        (np.zeros((5, 315, 1), np.float32), "shape"),
        (np.zeros((5, 315), np.int32), "dtype int32"),
        (np.array([[object()] * 315] * 5), "dtype object"),
        (np.full((5, 315), np.nan, np.float32), "NaN or infinity at frame 0"),
        (np.zeros((5, 315), np.float32), "not a rotation"),
    ],
)
def test_bad_motion_arrays(saved, array, found):
    buffer = io.BytesIO()
    np.savez(buffer, **{"dancer-1.s000.c00": array}, allow_pickle=True)
    assert found in load_error(rewrite(saved, npz=_merge(saved, buffer)))


def _merge(saved, buffer):
    """The saved motions with one array replaced by the one in ``buffer`` (raw, pickles included)."""
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


def test_truncated_motion_array(saved):
    with zipfile.ZipFile(saved) as archive:
        inner = zipfile.ZipFile(io.BytesIO(archive.read("motions.npz")))
        members = {name: inner.read(name) for name in inner.namelist()}
    members["dancer-1.s000.c00.npy"] = members["dancer-1.s000.c00.npy"][:-8]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert "truncated" in load_error(rewrite(saved, npz=out.getvalue()))


def test_zip_bomb_is_refused_before_unpacking(saved, monkeypatch):
    bomb = rewrite(saved, extra={"project.json": b'{"pad": "' + b" " * 2_000_000 + b'"}'})
    with zipfile.ZipFile(bomb) as archive:
        assert archive.getinfo("project.json").compress_size < 10_000  # deflate made 2 MB small
    monkeypatch.setattr(choreo, "MAX_JSON_BYTES", 1_000_000)
    assert "refusing to unpack" in load_error(bomb)
    monkeypatch.setattr(choreo, "MAX_MOTIONS_BYTES", 10_000)
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
