"""Fuzzing the .choreo reader: whatever the bytes, ``load`` returns a Project or raises ProjectFileError,
and does so quickly (a SIGALRM guard turns a hang into a failure instead of a stuck test run)."""

import hashlib
import io
import json
import os
import signal
import zipfile
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core import rotations as rot
from studio.core.document import Candidate, Project, Song
from studio.core.errors import ProjectFileError
from studio.core.motion import Motion
from studio.io import project as choreo

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs POSIX timers")

# CHOREO_FUZZ_EXAMPLES=5000 for a deeper run; the default keeps the suite fast.
EXAMPLES = int(os.environ.get("CHOREO_FUZZ_EXAMPLES", "70"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=1500,  # ms per example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TIME_LIMIT = 5.0  # seconds: a hard stop, in case something really hangs


class Hang(BaseException):  # not an Exception: load must not turn it into a ProjectFileError
    pass


@contextmanager
def time_limit(seconds):
    def on_alarm(signum, frame):
        raise Hang(f"load took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def small_project():
    song = Song("s.wav", hashlib.sha256(b"s").hexdigest(), 4.0, 120.0, [0.5, 1.0], [0.5], [(0, 2), (2, 4)])
    project = Project(song)
    project.add_dancer("B")
    rng = np.random.default_rng(0)
    for segment in range(2):
        motions = [Motion(rng.normal(size=(2, 3)), rot.random_rotations((2, 52), rng)) for _ in range(2)]
        project.set_candidates(
            0, segment, [Candidate(m, i, {"score": 0.5}, "Jazz", "m") for i, m in enumerate(motions)]
        )
    project.lock(0, 1)
    return project


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "base.choreo"
    choreo.save(small_project(), path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return folder, path.read_bytes(), members


def load_bytes(folder, data):
    path = folder / "fuzzed.choreo"
    path.write_bytes(data)
    with time_limit(TIME_LIMIT):
        try:
            project = choreo.load(path)
        except ProjectFileError as error:
            assert "fuzzed.choreo" in str(error)
            return None
    assert isinstance(project, Project)
    return project


def zip_bytes(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


# -- raw bytes of the whole file ---------------------------------------------------------------------
_position = st.integers(0, 2**20)
_byte_edit = st.one_of(
    st.tuples(st.just("flip"), _position, st.integers(1, 255)),
    st.tuples(st.just("truncate"), _position),
    st.tuples(st.just("insert"), _position, st.binary(min_size=1, max_size=32)),
    st.tuples(st.just("delete"), _position, st.integers(1, 64)),
)


def apply_byte_edit(data, edit):
    data = bytearray(data)
    kind, where = edit[0], edit[1] % (len(data) + 1)
    if kind == "flip" and where < len(data):
        data[where] ^= edit[2]
    elif kind == "truncate":
        del data[where:]
    elif kind == "insert":
        data[where:where] = edit[2]
    elif kind == "delete":
        del data[where : where + edit[2]]
    return bytes(data)


@FUZZ
@given(edits=st.lists(_byte_edit, min_size=1, max_size=4))
def test_mutated_file_bytes(base, edits):
    folder, data, _ = base
    for edit in edits:
        data = apply_byte_edit(data, edit)
    load_bytes(folder, data)


# -- the JSON inside an otherwise valid archive ----------------------------------------------------------
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
_json_edit = st.one_of(
    st.tuples(st.just("replace"), _position, _json_values),
    st.tuples(st.just("delete"), _position),
    st.tuples(st.just("nudge"), _position, st.sampled_from([-1, 1, 2**31, -(2**63)])),
)


def nodes(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from nodes(child, (*path, index))


def apply_json_edit(document, edit):
    paths = list(nodes(document))[1:]  # never the root itself
    path = paths[edit[1] % len(paths)]
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    if edit[0] == "replace":
        parent[key] = edit[2]
    elif edit[0] == "delete":
        del parent[key]
    elif isinstance(parent[key], int | float) and not isinstance(parent[key], bool):
        parent[key] = parent[key] + edit[2]
    return document


@FUZZ
@given(edits=st.lists(_json_edit, min_size=1, max_size=3), text_edit=st.none() | _byte_edit)
def test_mutated_json_in_a_valid_zip(base, edits, text_edit):
    folder, _, members = base
    document = json.loads(members["project.json"])
    for edit in edits:
        document = apply_json_edit(document, edit)
    text = json.dumps(document).encode()  # NaN and Infinity included: the reader must refuse them
    if text_edit is not None:
        text = apply_byte_edit(text, text_edit)
    load_bytes(folder, zip_bytes({**members, "project.json": text}))


# -- the motions archive inside an otherwise valid file ------------------------------------------------
@settings(FUZZ, max_examples=max(1, EXAMPLES * 4 // 7))
@given(edits=st.lists(_byte_edit, min_size=1, max_size=3))
def test_mutated_motions_in_a_valid_zip(base, edits):
    folder, _, members = base
    npz = members["motions.npz"]
    for edit in edits:
        npz = apply_byte_edit(npz, edit)
    loaded = load_bytes(folder, zip_bytes({**members, "motions.npz": npz}))
    if loaded is not None:
        assert all(np.all(np.isfinite(c.motion.rotations)) for t in loaded.tracks(0) for c in t.candidates)


def test_the_unmutated_base_loads(base):
    folder, data, _ = base
    assert load_bytes(folder, data) is not None
