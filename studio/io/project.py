"""The ``.choreo`` project file: a ZIP holding ``project.json`` and ``motions.npz``.

- ``project.json`` (UTF-8, strict JSON, no NaN): ``format`` = "choreo-studio-project" (the magic),
  ``schema_version`` (int, bumped on any incompatible change), ``app_version``, then ``song``,
  ``settings``, ``motions`` (the encoding and the number of frames stored) and ``dancers``; each dancer
  holds its ``formation`` (``{"kind": "side", "spacing": 1.4}``: where it stands as a partner) and one entry
  per song segment with ``chosen``, ``locked`` and its ``candidates`` (seed, scores, genre, model id, fps, and
  ``frames``: the ``[start, stop)`` rows of its motion in the arrays below). ``formation`` came later within
  schema 2 and is optional (files without it read as the default formation, and older versions of Choreo
  Studio read newer files, only without it): no schema bump.
- ``motions.npz`` (schema 2): every candidate's frames one after the other, in the order of the JSON, as
  ``root`` ``(F, 3)`` float32 root (pelvis) translation in metres and each joint's local rotation as a unit
  quaternion in 16-bit "smallest three" form (``studio.io.quat16``): ``quat`` ``(F, 52, 3)`` int16 and
  ``largest`` ``(F, 13)`` uint8 (the dropped component's index, four 2-bit fields a byte). 337 bytes a
  frame, against 1260 for float32 FineDance rows: a 3-minute song at M = 8 is 14.6 MB (was 54.5 MB).
  Rotations come back within 7e-5 rad of what was saved; the translation exactly as float32. Stored
  uncompressed: the quantised data deflates by only 11-20 %, for ~0.3 s more a save (autosave stays quick).
- Schema 1 (Choreo Studio before the compact format) is still read: there each candidate names its own
  ``(T, 315)`` float32 FineDance array in ``motions.npz`` (3 root translation + 52 x rot6d).

``save`` is atomic (``core.atomic``: temp file ``.<name>.<pid>-<random>.tmp`` in the same folder, fsync,
``os.replace``): a crash or a full disk leaves the previous file as it was. A temp file that a killed save
left behind is removed the next time that project is saved or opened (``remove_stale_temporaries``).
``load`` raises only ``ProjectFileError`` for a bad file, naming the file and what was wrong; sizes are
capped before anything is decompressed (zip bombs) and only regular files are opened (a FIFO would block forever).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import math
import os
import re
import stat
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

import studio
from studio.core import finedance
from studio.core.atomic import atomic_path
from studio.core.document import MAX_DANCERS, Dancer, Project, ProjectState, Settings
from studio.core.errors import ProjectFileError
from studio.core.formation import Formation
from studio.core.motion import Motion
from studio.core.segments import Candidate, SegmentTrack, Song
from studio.core.skeleton import NUM_JOINTS
from studio.io import quat16

log = logging.getLogger(__name__)

FORMAT = "choreo-studio-project"
SCHEMA_VERSION = 2
SUFFIX = ".choreo"
PROJECT_JSON = "project.json"
MOTIONS_NPZ = "motions.npz"
MOTION_ENCODING = "root-f32+quat-i16-smallest3"  # schema 2's motions.npz, recorded in project.json

# The schema-2 arrays in motions.npz: name -> (dtype, shape of one frame).
_PACKED = -(-NUM_JOINTS // 4)
ARRAYS: dict[str, tuple[np.dtype, tuple[int, ...]]] = {
    "root": (np.dtype("<f4"), (3,)),
    "quat": (np.dtype("<i2"), (NUM_JOINTS, 3)),
    "largest": (np.dtype("u1"), (_PACKED,)),
}
FRAME_BYTES = sum(dtype.itemsize * math.prod(shape) for dtype, shape in ARRAYS.values())  # 337
_CHUNK_FRAMES = 1024  # rotations are converted this many frames at a time (fast in cache, memory flat)

# Caps against zip bombs and absurd files. A 10-minute duet with 16 candidates per 4-s segment is ~0.7 GB
# in schema 1 (~0.2 GB in schema 2).
MAX_JSON_BYTES = 64 * 2**20
MAX_MOTIONS_BYTES = 4 * 2**30
MAX_MOTION_FRAMES = 30 * 60 * 60  # one hour at 30 fps, per candidate
MAX_NPY_HEADER = 10_000

# Temporary files of a save: ".<name>.<pid>-<8 random>.tmp" (schema 1 wrote ".<name>.<8 random>.tmp").
TEMPORARY_SUFFIX = ".tmp"
STALE_AFTER_S = 600.0  # a temporary file nothing has written to for this long is debris, whoever made it

_PROJECT = "a Choreo Studio project (.choreo)"
_in_flight: set[str] = set()  # this process's saves under way (their temporary files are not debris)
_in_flight_lock = threading.Lock()


class _Bad(Exception):
    """Something wrong inside the file; ``load`` turns it into a ProjectFileError naming the file."""

    def __init__(self, expected: str, found: str, hint: str = "") -> None:
        super().__init__(expected, found, hint)
        self.expected, self.found, self.hint = expected, found, hint


# -- saving ------------------------------------------------------------------------------------------
def save(project: Project | ProjectState, path: str | PathLike) -> Path:
    """Write ``project`` to ``path`` atomically and return the path written.

    Accepts a ``ProjectState`` snapshot too, so autosave can snapshot on the UI thread and write in a
    worker. Does not clear ``project.dirty``: the caller does (an autosave to a side file must not).
    """
    state = project.snapshot() if isinstance(project, Project) else project
    if not isinstance(state, ProjectState):
        raise TypeError(f"expected a Project or ProjectState, got {type(project).__name__}")
    target = Path(os.path.realpath(path))  # through a symlink, not over it
    document, motions = _encode(state)
    arrays = encode_motions(motions)
    text = json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False).encode("utf-8")
    remove_stale_temporaries(target)
    written: list[Path] = []
    try:
        with atomic_path(target, error=_save_failed(path), suffix=TEMPORARY_SUFFIX) as temporary:
            with _in_flight_lock:  # until it is renamed into place: not debris for a clean-up meanwhile
                _in_flight.add(str(temporary))
            written.append(temporary)
            with open(temporary, "wb") as handle:
                _write_zip(handle, text, arrays)
    finally:
        with _in_flight_lock:
            _in_flight.difference_update(str(t) for t in written)
    return target


def _save_failed(path: str | PathLike):
    def error(message: str) -> ProjectFileError:  # core.atomic's message starts with the path: said once
        found = message.split(": ", 1)[-1]
        return ProjectFileError(path, expected="to save the project", found=found,
                                hint="the previous file, if any, is unchanged")  # fmt: skip

    return error


def _write_zip(handle: Any, text: bytes, arrays: dict[str, np.ndarray]) -> None:
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PROJECT_JSON, text)
        with (
            archive.open(zipfile.ZipInfo(MOTIONS_NPZ), "w", force_zip64=True) as member,
            zipfile.ZipFile(member, "w", compression=zipfile.ZIP_STORED) as npz,
        ):
            for name, array in arrays.items():
                with npz.open(f"{name}.npy", "w", force_zip64=True) as entry:
                    np.lib.format.write_array(entry, array, allow_pickle=False)


def encode_motions(motions: list[Motion]) -> dict[str, np.ndarray]:
    """The schema-2 arrays (``ARRAYS``) of ``motions``, their frames one after the other."""
    total = sum(motion.num_frames for motion in motions)
    arrays = {name: np.empty((total, *shape), dtype) for name, (dtype, shape) in ARRAYS.items()}
    for start, stop, batch in _batches(motions):
        rotations = np.concatenate([m.rotations for m in batch]) if len(batch) > 1 else batch[0].rotations
        values, largest = quat16.encode(rotations)
        arrays["root"][start:stop] = np.concatenate([m.trans for m in batch])
        arrays["quat"][start:stop] = values
        arrays["largest"][start:stop] = quat16.pack(largest)
    return arrays


def _batches(motions: list[Motion]) -> Iterator[tuple[int, int, list[Motion]]]:
    """Consecutive motions in groups of about ``_CHUNK_FRAMES`` frames: (first row, end row, motions)."""
    start = stop = 0
    batch: list[Motion] = []
    for motion in motions:
        batch.append(motion)
        stop += motion.num_frames
        if stop - start >= _CHUNK_FRAMES:
            yield start, stop, batch
            start, batch = stop, []
    if batch:
        yield start, stop, batch


def _encode(state: ProjectState) -> tuple[dict[str, Any], list[Motion]]:
    motions: list[Motion] = []
    frames = 0
    dancers = []
    for dancer, tracks in zip(state.dancers, state.tracks, strict=True):
        segments = []
        for track in tracks:
            candidates = []
            for candidate in track.candidates:
                motions.append(candidate.motion)
                span = [frames, frames + candidate.motion.num_frames]
                frames = span[1]
                candidates.append({
                    "frames": span,
                    "fps": candidate.motion.fps,
                    "seed": candidate.seed,
                    "scores": dict(candidate.scores),
                    "genre": candidate.genre,
                    "model_id": candidate.model_id,
                })  # fmt: skip
            segments.append({"chosen": track.chosen, "locked": track.locked, "candidates": candidates})
        dancers.append({
            "id": dancer.id, "name": dancer.name, "color": dancer.color, "role": dancer.role,
            "formation": {"kind": dancer.formation.kind, "spacing": dancer.formation.spacing},
            "segments": segments,
        })  # fmt: skip
    song = state.song
    settings = state.settings
    document = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "app_version": studio.__version__,
        "song": None if song is None else {
            "path": song.path,
            "content_hash": song.content_hash,
            "duration": song.duration,
            "tempo": song.tempo,
            "beats": song.beats.tolist(),
            "downbeats": song.downbeats.tolist(),
            "segments": [list(span) for span in song.segments],
        },
        "settings": {
            "genre_override": settings.genre_override,
            "candidates_per_segment": settings.candidates_per_segment,
            "alpha": settings.alpha,
            "beta": settings.beta,
            "model_id": settings.model_id,
        },
        "motions": {"encoding": MOTION_ENCODING, "frames": frames},
        "dancers": dancers,
    }  # fmt: skip
    return document, motions


# -- stale temporary files ---------------------------------------------------------------------------
def remove_stale_temporaries(path: str | PathLike) -> list[Path]:
    """Remove the temporary files that saves of ``path`` left beside it when they were killed midway.

    Only files named as ``save`` names its own (``.<name>.<pid>-<random>.tmp``, or schema 1's
    ``.<name>.<random>.tmp``) are looked at, and only regular files. One is debris when the process that
    made it is gone, or (the process not known, or an older version's file) when nothing has written to it
    for ``STALE_AFTER_S``; a save under way, in this process or another, keeps its file. Returns what was
    removed; a folder that cannot be listed or written is left as it is.
    """
    target = Path(os.path.realpath(path))
    prefix = f".{target.name}."
    pattern = re.compile(rf"{re.escape(prefix)}(?:(\d+)-)?[a-z0-9_]{{8}}{re.escape(TEMPORARY_SUFFIX)}")
    removed = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name) if entry.name.startswith(prefix) else None
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        candidate = target.parent / entry.name
        if stat.S_ISREG(info.st_mode) and _is_debris(candidate, match.group(1), info.st_mtime):
            with contextlib.suppress(OSError):
                candidate.unlink()
                removed.append(candidate)
                log.info("removed %s, left by an interrupted save", candidate)
    return removed


def _is_debris(path: Path, pid: str | None, mtime: float) -> bool:
    with _in_flight_lock:
        if str(path) in _in_flight:
            return False
    if time.time() - mtime > STALE_AFTER_S:
        return True
    if pid is None:  # an older version's temporary file, recently written: perhaps a save under way
        return False
    return int(pid) == os.getpid() or not _process_alive(int(pid))  # ours and not in flight: interrupted


def _process_alive(pid: int) -> bool:
    if os.name != "posix":  # no harmless probe there (os.kill would signal it): leave it to the age rule
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, under another user
        return True
    return True


# -- loading -----------------------------------------------------------------------------------------
def load(path: str | PathLike) -> Project:
    """Read a ``.choreo`` file (schema 1 or 2). Any problem with the file raises ``ProjectFileError`` naming it.

    Opening a project also removes the temporary files that killed saves of it left behind.
    """
    path = Path(path)
    with contextlib.suppress(OSError, ValueError):
        remove_stale_temporaries(path)
    try:
        return _load(path)
    except _Bad as bad:
        raise ProjectFileError(path, expected=bad.expected, found=bad.found, hint=bad.hint) from None
    except ProjectFileError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise ProjectFileError(path, expected=_PROJECT, found=f"a damaged ZIP archive ({error})") from None
    except Exception as error:  # a file from outside must never crash the app: anything left is bad data
        log.debug("unexpected error reading %s", path, exc_info=True)
        found = f"damaged data ({type(error).__name__}: {error})"
        raise ProjectFileError(path, expected=_PROJECT, found=found) from None


def _load(path: Path) -> Project:
    if not path.exists():
        raise _Bad(_PROJECT, "no such file")
    if not path.is_file():
        raise _Bad(_PROJECT, "a folder" if path.is_dir() else "something that is not a regular file")
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as error:
        raise _Bad(_PROJECT, f"a file that cannot be read ({error.strerror or error})") from None
    with handle:
        head = handle.read(4)
        if not head:
            raise _Bad(_PROJECT, "an empty file")
        if not head.startswith(b"PK"):
            raise _Bad(_PROJECT, "a file that is not a ZIP archive")
        handle.seek(0)
        try:
            archive = zipfile.ZipFile(handle)
        except zipfile.BadZipFile:
            raise _Bad(_PROJECT, "a damaged or truncated ZIP archive") from None
        with archive:
            members = {info.filename: info for info in archive.infolist()}
            if PROJECT_JSON not in members:
                raise _Bad(_PROJECT, f"a ZIP archive without {PROJECT_JSON}", "not a Choreo Studio project")
            document = _parse_json(_read_member(archive, members[PROJECT_JSON], MAX_JSON_BYTES, PROJECT_JSON))
            version = _check_header(document)
            song, settings, dancers, layout = _decode(document, version)
            refs = [ref for segments in layout for seg in segments for ref in seg["candidates"]]
            npz = b""
            if refs:
                if MOTIONS_NPZ not in members:
                    raise _Bad(f"{MOTIONS_NPZ} with the candidates' motions", "no motions in the archive")
                npz = _read_member(archive, members[MOTIONS_NPZ], MAX_MOTIONS_BYTES, MOTIONS_NPZ)
    motions = iter(_legacy_motions(npz, refs) if version == 1 else _motions(npz, refs))
    tracks = {
        dancer.id: [_track(seg, motions) for seg in segments] for dancer, segments in zip(dancers, layout, strict=True)
    }
    try:
        return Project(song, settings=settings, dancers=dancers, tracks=tracks)
    except (TypeError, ValueError) as error:
        raise _Bad("a consistent project", str(error)) from None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, what: str) -> bytes:
    if info.file_size > cap:
        raise _Bad(f"{what} of at most {cap} bytes", f"{info.file_size} bytes", "refusing to unpack it")
    if info.flag_bits & 0x1:
        raise _Bad(f"{what} in the clear", "an encrypted member")
    with archive.open(info) as member:
        data = member.read(cap + 1)  # bounded even if the declared size lies
    if len(data) > cap:
        raise _Bad(f"{what} of at most {cap} bytes", "more", "refusing to unpack it")
    return data


def _parse_json(data: bytes) -> Any:
    def reject_constant(name: str) -> None:
        raise ValueError(f"{name} is not allowed")

    try:
        return json.loads(data.decode("utf-8"), parse_constant=reject_constant)
    except UnicodeDecodeError:
        raise _Bad(f"{PROJECT_JSON} in UTF-8", "undecodable bytes") from None
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise _Bad(f"valid JSON in {PROJECT_JSON}", f"malformed JSON ({error})") from None


def _check_header(document: Any) -> int:
    if not isinstance(document, dict):
        raise _Bad(f"a JSON object in {PROJECT_JSON}", _kind(document))
    magic = document.get("format")
    if magic != FORMAT:
        found = "no 'format' key" if magic is None else f"format {magic!r}"
        raise _Bad(f"format {FORMAT!r}", found, "not a Choreo Studio project")
    version = document.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise _Bad("an integer schema_version", _kind(version))
    if version > SCHEMA_VERSION:
        raise _Bad(
            f"schema {SCHEMA_VERSION} or older",
            f"a project saved by a newer Choreo Studio (schema {version}); this version reads up to {SCHEMA_VERSION}",
            "update Choreo Studio to open it",
        )
    if version < 1:
        raise _Bad(f"schema 1..{SCHEMA_VERSION}", f"schema {version}")
    return version


# A segment or candidate as read from the JSON, checked, before the motion arrays are attached.
_Ref = dict[str, Any]


def _decode(document: dict, version: int) -> tuple[Song | None, Settings, list[Dancer], list[list[_Ref]]]:
    song_doc = _get(document, "song", (dict, type(None)), "")
    song = None if song_doc is None else _song(song_doc)
    settings = _settings(_get(document, "settings", dict, ""))
    dancer_docs = _get(document, "dancers", list, "")
    num_segments = 0 if song is None else song.num_segments
    if not 1 <= len(dancer_docs) <= MAX_DANCERS:
        raise _Bad(f"1 to {MAX_DANCERS} dancers", f"{len(dancer_docs)}")
    dancers, layout = [], []
    for i, dancer_doc in enumerate(dancer_docs):
        where = f"dancers[{i}]"
        _expect(dancer_doc, dict, where)
        fields = {k: _get(dancer_doc, k, str, where) for k in ("id", "name", "color", "role")}
        dancers.append(_build(Dancer, where, **fields, formation=_formation(dancer_doc, where)))
        segment_docs = _get(dancer_doc, "segments", list, where)
        if len(segment_docs) != num_segments:
            raise _Bad(f"{num_segments} entries in {where}.segments (one per song segment)", f"{len(segment_docs)}")
        layout.append([_segment_ref(doc, f"{where}.segments[{s}]", version) for s, doc in enumerate(segment_docs)])
    refs = [ref for segments in layout for seg in segments for ref in seg["candidates"]]
    if version == 1:
        seen: set[str] = set()
        for ref in refs:
            if ref["motion"] in seen:  # one array each: a file cannot multiply one array into many motions
                raise _Bad(f"a motion of its own at {ref['where']}.motion", f"{ref['motion']!r} used twice")
            seen.add(ref["motion"])
    else:
        _check_spans(_get(document, "motions", dict, ""), refs)
    return song, settings, dancers, layout


def _check_spans(doc: dict, refs: list[_Ref]) -> None:
    """Schema 2: the candidates' frames tile the arrays in order, one span each (none shared or repeated)."""
    encoding = _get(doc, "encoding", str, "motions")
    if encoding != MOTION_ENCODING:
        raise _Bad(f"motions encoded as {MOTION_ENCODING!r}", f"the encoding {encoding[:40]!r}",
                   "saved by another version of Choreo Studio?")  # fmt: skip
    total = _get(doc, "frames", int, "motions")
    if not 0 <= total <= MAX_MOTIONS_BYTES // FRAME_BYTES:
        raise _Bad(f"0..{MAX_MOTIONS_BYTES // FRAME_BYTES} at motions.frames", f"{total}")
    row = 0
    for ref in refs:
        start, stop = ref["frames"]
        if start != row:
            raise _Bad(f"frames starting at row {row} at {ref['where']}.frames (candidates are stored in order)",
                       f"{start}")  # fmt: skip
        row = stop
    if row != total:
        raise _Bad(f"{row} at motions.frames (the candidates' frames)", f"{total}")


def _song(doc: dict) -> Song:
    where = "song"
    segments = _get(doc, "segments", list, where)
    for i, pair in enumerate(segments):
        if not isinstance(pair, list) or len(pair) != 2 or not all(_is_number(v) for v in pair):
            raise _Bad(f"a [start, end] pair of numbers at song.segments[{i}]", _kind(pair))
    return _build(
        Song, where,
        path=_get(doc, "path", str, where),
        content_hash=_get(doc, "content_hash", str, where),
        duration=_get(doc, "duration", float, where),
        tempo=_get(doc, "tempo", float, where),
        beats=_numbers(_get(doc, "beats", list, where), "song.beats"),
        downbeats=_numbers(_get(doc, "downbeats", list, where), "song.downbeats"),
        segments=tuple(tuple(pair) for pair in segments),
    )  # fmt: skip


def _settings(doc: dict) -> Settings:
    where = "settings"
    return _build(
        Settings, where,
        genre_override=_get(doc, "genre_override", (str, type(None)), where),
        candidates_per_segment=_get(doc, "candidates_per_segment", int, where),
        alpha=_get(doc, "alpha", float, where),
        beta=_get(doc, "beta", float, where),
        model_id=_get(doc, "model_id", str, where),
    )  # fmt: skip


def _formation(dancer_doc: dict, where: str) -> Formation:
    """A dancer's formation; the default one for files written before formations (no key)."""
    if "formation" not in dancer_doc:
        return Formation()
    doc = _get(dancer_doc, "formation", dict, where)
    where = f"{where}.formation"
    return _build(Formation, where, kind=_get(doc, "kind", str, where), spacing=_get(doc, "spacing", float, where))


def _candidate_ref(doc: Any, where: str, version: int) -> _Ref:
    _expect(doc, dict, where)
    scores = _get(doc, "scores", dict, where)
    for name, value in scores.items():
        if not _is_number(value):
            raise _Bad(f"a number at {where}.scores.{name}", _kind(value))
    fps = _get(doc, "fps", float, where)
    if not fps > 0:
        raise _Bad(f"a positive fps at {where}.fps", f"{fps}")
    ref = {
        "where": where,
        "fps": fps,
        "seed": _get(doc, "seed", int, where),
        "scores": scores,
        "genre": _get(doc, "genre", (str, type(None)), where),
        "model_id": _get(doc, "model_id", str, where),
    }
    if version == 1:
        ref["motion"] = _get(doc, "motion", str, where)
    else:
        span = _get(doc, "frames", list, where)
        if len(span) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in span):
            raise _Bad(f"a [start, stop] pair of integers at {where}.frames", _kind(span))
        if not 1 <= span[1] - span[0] <= MAX_MOTION_FRAMES:
            raise _Bad(f"1 to {MAX_MOTION_FRAMES} frames at {where}.frames", f"{span}")
        ref["frames"] = span
    return ref


def _segment_ref(doc: Any, where: str, version: int) -> _Ref:
    _expect(doc, dict, where)
    candidates = _get(doc, "candidates", list, where)
    refs = [_candidate_ref(c, f"{where}.candidates[{i}]", version) for i, c in enumerate(candidates)]
    chosen = _get(doc, "chosen", (int, type(None)), where)
    locked = _get(doc, "locked", bool, where)
    if refs and chosen is None:
        raise _Bad(f"a chosen candidate index at {where}.chosen", "null")
    if not refs and chosen is not None:
        raise _Bad(f"null at {where}.chosen (the segment has no candidates)", f"{chosen}")
    if refs and not 0 <= chosen < len(refs):
        raise _Bad(f"an index below {len(refs)} (the number of candidates) at {where}.chosen", f"{chosen}")
    return {"where": where, "chosen": chosen, "locked": locked, "candidates": refs}


def _track(seg: _Ref, motions: Iterator[Motion]) -> SegmentTrack:
    candidates = tuple(_candidate(ref, next(motions)) for ref in seg["candidates"])
    return _build(SegmentTrack, seg["where"], candidates=candidates, chosen=seg["chosen"], locked=seg["locked"])


def _candidate(ref: _Ref, motion: Motion) -> Candidate:
    fields = {k: ref[k] for k in ("seed", "scores", "genre", "model_id")}
    return _build(Candidate, ref["where"], motion=motion, **fields)


# -- schema 2: the compact arrays ----------------------------------------------------------------------
def _motions(npz: bytes, refs: list[_Ref]) -> Iterator[Motion]:
    """The candidates' motions, in order, decoded from the schema-2 arrays a batch of frames at a time."""
    total = refs[-1]["frames"][1] if refs else 0
    arrays = _read_arrays(npz, total)
    root = arrays["root"]
    finite = np.isfinite(root).all(axis=1)
    if not finite.all():
        row = int(np.argmin(finite))
        ref = next(r for r in refs if r["frames"][0] <= row < r["frames"][1])
        raise _Bad(f"finite root positions for {ref['where']}", f"NaN or infinity at frame {row - ref['frames'][0]}")
    batch: list[_Ref] = []
    for ref in refs:
        batch.append(ref)
        start, stop = batch[0]["frames"][0], ref["frames"][1]
        if stop - start < _CHUNK_FRAMES and ref is not refs[-1]:
            continue
        largest = quat16.unpack(arrays["largest"][start:stop], NUM_JOINTS)
        rotations = quat16.decode(arrays["quat"][start:stop], largest)
        for item in batch:
            a, b = item["frames"]
            try:
                yield Motion(root[a:b], rotations[a - start : b - start], item["fps"])
            except ValueError as error:
                raise _Bad(f"a valid motion for {item['where']}", str(error)) from None
        batch = []


def _read_arrays(npz: bytes, frames: int) -> dict[str, np.ndarray]:
    arrays = {}
    with _open_npz(npz) as inner:
        entries = {info.filename: info for info in inner.infolist()}
        for name, (dtype, shape) in ARRAYS.items():
            info = entries.get(f"{name}.npy")
            if info is None:
                raise _Bad(f"the array {name!r} in {MOTIONS_NPZ}", "no such array")
            what = f"{name!r} in {MOTIONS_NPZ} as a {(frames, *shape)} {dtype.name} array"
            data = _read_member(inner, info, MAX_MOTIONS_BYTES, f"array {name!r}")
            found_shape, fortran, found_dtype, offset = _npy_header(data, what)
            if found_dtype.kind != dtype.kind or found_dtype.itemsize != dtype.itemsize or found_dtype.fields:
                raise _Bad(what, f"dtype {found_dtype}")
            if tuple(found_shape) != (frames, *shape):
                raise _Bad(what, f"shape {found_shape}")
            array = _npy_data(data, offset, found_shape, fortran, found_dtype, what)
            arrays[name] = array.astype(dtype, copy=False)  # a byte-swapped twin made native
    return arrays


def _open_npz(npz: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(npz))
    except zipfile.BadZipFile:
        raise _Bad(f"{MOTIONS_NPZ} as a NumPy .npz archive", "damaged data") from None


def _npy_header(data: bytes, what: str) -> tuple[tuple[int, ...], bool, np.dtype, int]:
    """Shape, Fortran order, dtype and data offset of .npy bytes, checked before trusting them (no pickles)."""
    handle = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(handle)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(handle, max_header_size=MAX_NPY_HEADER)
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(handle, max_header_size=MAX_NPY_HEADER)
        else:
            raise ValueError(f"unknown .npy version {version}")
    except (ValueError, SyntaxError, TypeError, OverflowError) as error:
        raise _Bad(what, f"a damaged array header ({error})") from None
    return shape, fortran, dtype, handle.tell()


def _npy_data(data: bytes, offset: int, shape: tuple, fortran: bool, dtype: np.dtype, what: str) -> np.ndarray:
    count = math.prod(shape)
    if len(data) - offset != count * dtype.itemsize:
        raise _Bad(what, f"{len(data) - offset} bytes of data for shape {shape}", "the array is truncated")
    array = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
    return array.reshape(shape, order="F" if fortran else "C")


# -- schema 1: one float32 FineDance array per candidate ------------------------------------------------
def _legacy_motions(npz: bytes, refs: list[_Ref]) -> Iterator[Motion]:
    arrays = _read_motions(npz, {ref["motion"] for ref in refs})
    for ref in refs:
        try:
            yield finedance.from_array(arrays[ref["motion"]], fps=ref["fps"])
        except ValueError as error:  # MotionFormatError is a ValueError too
            raise _Bad(f"a valid motion for {ref['where']}", str(error)) from None


def _read_motions(npz: bytes, wanted: set[str]) -> dict[str, np.ndarray]:
    with _open_npz(npz) as inner:
        entries = {info.filename: info for info in inner.infolist()}
        arrays = {}
        for key in sorted(wanted):
            info = entries.get(f"{key}.npy")
            if info is None:
                raise _Bad(f"the motion array {key!r} in {MOTIONS_NPZ}", "no such array")
            arrays[key] = _parse_npy(_read_member(inner, info, MAX_MOTIONS_BYTES, f"motion {key!r}"), key)
    return arrays


def _parse_npy(data: bytes, key: str) -> np.ndarray:
    """A (T, 315) float array from .npy bytes."""
    what = f"motion {key!r} as a (T, {finedance.MOTION_DIM}) float array"
    shape, fortran, dtype, offset = _npy_header(data, what)
    if dtype.kind != "f" or dtype.itemsize not in (4, 8) or dtype.fields or dtype.subdtype:
        raise _Bad(what, f"dtype {dtype}")
    if len(shape) != 2 or shape[1] != finedance.MOTION_DIM or not 1 <= shape[0] <= MAX_MOTION_FRAMES:
        raise _Bad(what, f"shape {shape}")
    return _npy_data(data, offset, shape, fortran, dtype, what)


# -- typed access to the JSON, with the place of each problem ------------------------------------------
def _get(obj: dict, key: str, kind: Any, where: str) -> Any:
    place = f"{where}.{key}" if where else key
    if key not in obj:
        raise _Bad(f"the key {place!r}", "nothing (missing key)")
    value = obj[key]
    _expect(value, kind, place)
    if kind is float or (isinstance(kind, tuple) and float in kind and _is_number(value)):
        value = float(value)
    return value


def _expect(value: Any, kind: Any, place: str) -> None:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    for k in kinds:
        if k is float and _is_number(value):
            return
        if k is int and isinstance(value, int) and not isinstance(value, bool):
            return
        if k not in (float, int) and isinstance(value, k):
            return
    names = " or ".join(_NAMES.get(k, k.__name__) for k in kinds)
    raise _Bad(f"{names} at {place}", _kind(value))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _numbers(values: list, place: str) -> list[float]:
    for i, value in enumerate(values):
        if not _is_number(value):
            raise _Bad(f"a finite number at {place}[{i}]", _kind(value))
    return [float(v) for v in values]


def _build(cls: type, where: str, **fields: Any) -> Any:
    try:
        return cls(**fields)
    except (TypeError, ValueError, IndexError) as error:
        raise _Bad(f"a valid {cls.__name__.lower()} at {where}", str(error)) from None


_NAMES = {dict: "an object", list: "a list", str: "a string", float: "a number", int: "an integer",
          bool: "true or false", type(None): "null"}  # fmt: skip


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    return {dict: "an object", list: "a list"}.get(type(value), type(value).__name__)
