"""Export dancers' motions to a file chosen by its extension: the one entry point the editor and CLI use.

The formats are ``studio.io.formats.FORMATS``: ``.fbx`` and ``.glb``/``.gltf`` hold every dancer in one file
(one armature each, named after the dancer); ``.bvh`` and ``.npz`` hold one dancer, so a duet gives one file
per dancer, the dancer's name appended to the stem (``duet_Ana.bvh``). All files of one export appear
together or not at all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from studio.body.avatar import Avatar
from studio.core.atomic import atomic_paths
from studio.core.document import EditError, Project
from studio.core.errors import ExportError
from studio.core.motion import Motion, held
from studio.io import bvh, fbx, smplx_npz
from studio.io.formats import BY_SUFFIX, EXTENSIONS


def file_names(path: str | os.PathLike, names: list[str]) -> list[Path]:
    """The files an export to ``path`` writes for these dancers."""
    path = Path(path)
    kind = BY_SUFFIX.get(path.suffix.lower())
    if (kind is not None and kind.all_dancers) or len(names) == 1:
        return [path]
    safe = [re.sub(r"[^\w-]+", "_", name).strip("_") or f"dancer{i + 1}" for i, name in enumerate(names)]
    for i, name in enumerate(safe):  # two dancers called alike still get two files
        if safe.index(name) != i:
            safe[i] = f"{name}_{i + 1}"
    return [path.with_name(f"{path.stem}_{name}{path.suffix}") for name in safe]


def prepare(
    motions: Mapping[str, Motion], fps: float | None = None, time_range: tuple[float, float] | None = None
) -> dict[str, Motion]:
    """Cut to ``time_range`` (seconds), resample to ``fps``, and give all dancers one length (a shorter
    dance holds its last pose), as one take in a file needs."""
    if not motions or all(m.num_frames == 0 for m in motions.values()):
        raise ExportError("nothing to export: no dancer has any motion yet")
    out: dict[str, Motion] = {}
    longest = max(m.duration for m in motions.values())
    for name, motion in motions.items():
        if time_range is not None:
            start, end = time_range
            if not 0 <= start < end:
                raise ExportError(f"export range must satisfy 0 <= start < end, got {start} .. {end} s")
            first, last = round(start * motion.fps), min(round(end * motion.fps), motion.num_frames)
            motion = motion[first:last]
        if fps is not None:
            if not fps > 0:
                raise ExportError(f"frame rate must be positive, got {fps}")
            motion = motion.resampled(fps)
        out[name] = motion
    if any(m.num_frames == 0 for m in out.values()):
        start, end = time_range or (0.0, 0.0)
        raise ExportError(f"nothing to export between {start:g} and {end:g} s: the dance is {longest:.2f} s long")
    rates = {m.fps for m in out.values()}
    if len(rates) > 1:  # e.g. dancers generated at different rates: bring them to the first one's
        first = next(iter(out.values())).fps
        out = {name: m.resampled(first) for name, m in out.items()}
    length = max(m.num_frames for m in out.values())
    return {name: held(m, after=max(length - len(m), 0)) for name, m in out.items()}


def project_motions(project: Project, dancer: str | int = "all") -> dict[str, Motion]:
    """``{dancer name: whole dance}`` of a project: every dancer that has a dance, or the one asked for
    (by name, id, or 1-based number)."""
    dancers = list(project.dancers)
    if dancer != "all":
        wanted = str(dancer)
        match = [d for i, d in enumerate(dancers) if wanted in (d.name, d.id, str(i + 1))]
        if not match:
            known = ", ".join(f"{i + 1} ({d.name})" for i, d in enumerate(dancers))
            raise ExportError(f"no dancer {wanted!r} in the project; its dancers are {known}")
        dancers = match[:1]
    motions: dict[str, Motion] = {}
    for d in dancers:
        try:
            motion = project.whole_dance(d)
        except EditError:
            continue  # no chosen segment yet
        name = d.name if d.name not in motions else f"{d.name} {len(motions) + 1}"
        motions[name] = motion
    if not motions:
        who = "the project's dancers have" if len(dancers) > 1 else f"{dancers[0].name} has"
        raise ExportError(f"nothing to export: {who} no chosen candidate in any segment yet")
    return motions


def export_motions(
    path: str | os.PathLike,
    motions: Mapping[str, Motion],
    avatar: Avatar,
    fps: float | None = None,
    mesh: bool = True,
    *,
    time_range: tuple[float, float] | None = None,
    bvh_units: str = "m",
) -> list[Path]:
    """Write ``{dancer name: motion}`` to ``path`` in the format its extension names; return the files.

    Raises ExportError (unknown extension, nothing to export, unwritable place); nothing partial is left.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise ExportError(f"{path}: cannot export to '{suffix or 'no extension'}'; use one of {', '.join(EXTENSIONS)}")
    prepared = prepare(motions, fps, time_range)
    names = list(prepared)
    targets = file_names(path, names)
    try:
        payloads = PAYLOADS[suffix](prepared, avatar, mesh=mesh, bvh_units=bvh_units)
    except ValueError as error:
        raise ExportError(f"{path}: {error}") from None
    with atomic_paths(targets, error=ExportError) as temporaries:
        for temporary, payload in zip(temporaries, payloads, strict=True):
            _write_payload(temporary, payload)
    return targets


def _write_payload(path: Path, payload: bytes) -> None:
    path.write_bytes(payload)


# -- one payload function per format: the bytes of each file, in ``file_names`` order --------------------------
def _fbx(motions: dict[str, Motion], avatar: Avatar, **options) -> list[bytes]:
    return [fbx.dumps(motions, avatar, mesh=options["mesh"])]


def _gltf(motions: dict[str, Motion], avatar: Avatar, binary: bool = False, **options) -> list[bytes]:
    from studio.io import gltf  # pygltflib: only when glTF is asked for

    return [gltf.dumps(motions, avatar, mesh=options["mesh"], binary=binary)]


def _glb(motions: dict[str, Motion], avatar: Avatar, **options) -> list[bytes]:
    return _gltf(motions, avatar, binary=True, **options)


def _bvh(motions: dict[str, Motion], avatar: Avatar, **options) -> list[bytes]:
    return [bvh.dumps(m, avatar.skeleton, options["bvh_units"]).encode("ascii") for m in motions.values()]


def _npz(motions: dict[str, Motion], avatar: Avatar, **options) -> list[bytes]:
    return [_npz_bytes(m, avatar, name) for name, m in motions.items()]


PAYLOADS = {".fbx": _fbx, ".bvh": _bvh, ".npz": _npz, ".glb": _glb, ".gltf": _gltf}


def _npz_bytes(motion: Motion, avatar: Avatar, name: str) -> bytes:
    import io

    buffer = io.BytesIO()
    np.savez(buffer, **smplx_npz.arrays(motion, avatar.skeleton, name))
    return buffer.getvalue()
