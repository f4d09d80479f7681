"""Real recordings paired with composed dances, in the FineDance folder layout.

The procedural corpus teaches the models what a dance on a beat looks like, but its music is synthesised:
real recordings (mixed, mastered, reverberant, with voices and sampled instruments) look nothing like it to a
music encoder.  Here a recording is cut into excerpts, each excerpt is analysed by ``studio.audio`` (the
same beats, bars and 35-d features the editor sees), and the procedural choreographer composes a dance on
its tracked beats and downbeats, in a genre that suits the recording's style and tempo.  The pairs are
written exactly like the procedural corpus (``motion/``, ``music_wav/``, ``music_npy/``, ``label_json/``,
``split.json``), so every trainer reads them unchanged.

The recordings come from a *manifest* (JSON): named sources, each with its licence and credit, a coarse
musical style and the files (globs below a root folder, or members of zip archives such as a game's
``.pk3``).  ``resources/recordings/debian-game-music.json`` lists free game soundtracks packaged by Debian.
The split is by recording, never by excerpt: every ``VAL_EVERY``-th recording of a source is held out.
"""

from __future__ import annotations

import fnmatch
import json
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studio.core.errors import InputError

SAMPLE_RATE = 22050  # what music_wav holds, as in the procedural corpus
VAL_EVERY = 5  # per source: the 3rd of every 5 recordings is held out for validation
MIN_BEATS = 24  # an excerpt whose beat tracker found fewer steady beats is not danced (ambient, rubato)
TEMPO_RANGE = (60.0, 180.0)

# which genres a choreographer would dance to a recording of this style; the one nearest its tempo is taken
STYLE_GENRES: dict[str, tuple[str, ...]] = {
    "electronic": ("Breaking", "Popping", "Locking", "Hiphop", "Urban", "Korean"),
    "rock": ("Breaking", "Locking", "Urban", "Korean", "Choreography"),
    "pop": ("Choreography", "Korean", "Jazz", "Locking", "Popping"),
    "jazz": ("Jazz", "Locking", "Choreography"),
    "orchestral": ("Choreography", "Jazz", "ShenYun", "HanTang", "Chinese"),
}


@dataclass(frozen=True)
class Source:
    """One named collection of recordings (a Debian package, an album) and its terms."""

    name: str
    style: str
    licence: str
    credit: str
    files: tuple[str, ...] = ()  # globs below the root
    archives: tuple[tuple[str, str], ...] = ()  # (zip file below the root, member glob)


@dataclass(frozen=True)
class Recording:
    source: Source
    title: str
    path: Path  # the file, or the archive
    member: str | None = None  # inside the archive

    def read_bytes(self) -> bytes:
        if self.member is None:
            return self.path.read_bytes()
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(self.member)


def _source(entry: dict) -> Source:
    return Source(
        name=str(entry["name"]), style=str(entry["style"]), licence=str(entry["licence"]),
        credit=str(entry["credit"]), files=tuple(entry.get("files", ())),
        archives=tuple(tuple(a) for a in entry.get("archives", ())),
    )  # fmt: skip


def read_manifest(path: str | Path) -> list[Source]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        sources = [_source(s) for s in data["sources"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(path, expected="a recordings manifest (JSON with 'sources': name, style, licence, "
                         "credit, files / archives)", found=str(error)) from None  # fmt: skip
    for source in sources:
        if source.style not in STYLE_GENRES:
            raise InputError(path, expected=f"styles among {sorted(STYLE_GENRES)}", found=repr(source.style))
    return sources


def find_recordings(sources: list[Source], root: str | Path) -> list[Recording]:
    """Every file of every source present below ``root``, in a stable order (sources missing there: none)."""
    root = Path(root)
    found: list[Recording] = []
    for source in sources:
        paths = sorted({p for pattern in source.files for p in root.glob(pattern.lstrip("/")) if p.is_file()})
        found += [Recording(source, p.stem, p) for p in paths]
        for archive, pattern in source.archives:
            path = root / archive.lstrip("/")
            if not path.is_file():
                continue
            with zipfile.ZipFile(path) as z:
                members = sorted(n for n in z.namelist() if fnmatch.fnmatch(n, pattern))
            found += [Recording(source, Path(m).stem, path, m) for m in members]
    return found


def split_of(index_in_source: int) -> str:
    return "val" if index_in_source % VAL_EVERY == 2 else "train"


def pick_genre(style: str, tempo: float) -> str:
    """The genre of ``style``'s pool whose tempo range is nearest ``tempo`` (or its double or half)."""
    from studio.data.procedural.genres import GENRE_SPECS

    def distance(name: str) -> float:
        lo, hi = GENRE_SPECS[name].music.tempo
        best = np.inf
        for bpm in (tempo, tempo * 2.0, tempo / 2.0):
            best = min(best, 0.0 if lo <= bpm <= hi else min(abs(bpm - lo), abs(bpm - hi)) + (bpm != tempo))
        return best

    pool = STYLE_GENRES[style]
    return min(pool, key=lambda name: (distance(name), pool.index(name)))


def excerpts(samples: np.ndarray, sample_rate: int, seconds: float, most: int) -> list[tuple[float, np.ndarray]]:
    """Up to ``most`` consecutive excerpts of ``seconds`` (the last may be shorter, down to half), leading and
    trailing near-silence skipped.  Returns (start second, samples) pairs."""
    loud = np.flatnonzero(np.abs(samples) > 0.01 * (np.abs(samples).max() + 1e-12))
    if loud.size == 0:
        return []
    first, last = int(loud[0]), int(loud[-1]) + 1
    length = int(seconds * sample_rate)
    out = []
    for start in range(first, last, length):
        piece = samples[start : min(start + length, last)]
        if len(piece) < length // 2 or len(out) == most:
            break
        out.append((start / sample_rate, piece))
    return out


def _decode(recording: Recording) -> np.ndarray:
    import io

    import soundfile as sf

    from studio.audio.decoding import decode, resample

    if recording.member is None:
        samples, rate = decode(recording.path)
    else:
        data, rate = sf.read(io.BytesIO(recording.read_bytes()), dtype="float32", always_2d=True)
        samples = data.mean(axis=1)
    samples = np.asarray(samples, dtype=np.float32)
    return samples if rate == SAMPLE_RATE else resample(samples, rate, SAMPLE_RATE)


def dance_excerpt(samples: np.ndarray, style: str, seed: int, duets: bool = False):
    """(analysis, genre, motion, duet or None) for an excerpt, or None when it has too few steady beats to
    dance to. ``duets``: a partner too (``studio.data.procedural.duet``), made from the lead's plan as in the
    procedural corpus, with the smaller home radius a leader with a partner keeps."""
    from studio.audio.analysis import analyze_samples
    from studio.data.procedural.choreographer import render_plan, song_plan
    from studio.data.procedural.duet import DUET_HOME_RADIUS, make_duet

    pcm = (np.round(np.clip(samples, -1.0, 1.0) * 32767.0) / 32767.0).astype(np.float32)  # what the wav holds
    analysis = analyze_samples(pcm, SAMPLE_RATE)
    if len(analysis.beats) < MIN_BEATS or not TEMPO_RANGE[0] <= analysis.tempo <= TEMPO_RANGE[1]:
        return None
    genre = pick_genre(style, analysis.tempo)
    if not duets:
        plan, beats, frames = song_plan(analysis, genre, seed)
        return analysis, genre, render_plan(plan, beats, frames), None
    plan, beats, frames = song_plan(analysis, genre, seed, home_radius=DUET_HOME_RADIUS)
    motion = render_plan(plan, beats, frames)
    return analysis, genre, motion, make_duet(plan, beats, frames, motion, np.random.default_rng([seed, 1]))


def plan(recordings: list[Recording]) -> list[tuple[Recording, str, int]]:
    """(recording, split, index in its source) for every recording; excerpts are cut when the job runs."""
    counts: dict[str, int] = {}
    planned = []
    for recording in recordings:
        k = counts.get(recording.source.name, 0)
        counts[recording.source.name] = k + 1
        planned.append((recording, split_of(k), k))
    return planned


def _provenance(recording: Recording, start: float) -> dict:
    return {
        "source": recording.source.name,
        "title": recording.title,
        "file": recording.member or recording.path.name,
        "start_s": round(start, 3),
        "licence": recording.source.licence,
        "credit": recording.source.credit,
    }


def write_recording(args: tuple) -> list[dict]:
    """Write every danceable excerpt of one recording; returns their summaries."""
    from studio.core.finedance import to_array
    from studio.data.procedural.writer import _save_json, _save_npy, _save_wav

    recording, split, first_number, seed, seconds, most, out, duets = args
    out = Path(out)
    summaries = []
    try:
        samples = _decode(recording)
    except Exception as error:  # a damaged file is reported and skipped: the corpus goes on
        return [{"title": recording.title, "source": recording.source.name, "skipped": f"unreadable: {error}"}]
    pieces = excerpts(samples, SAMPLE_RATE, seconds, most)
    if not pieces:
        return [{"title": recording.title, "source": recording.source.name, "skipped": "silent or too short"}]
    for k, (start, piece) in enumerate(pieces):
        started = time.perf_counter()
        number = first_number + k
        ident = f"{number:03d}"
        danced = dance_excerpt(piece, recording.source.style, seed * 100003 + number, duets)
        if danced is None:
            summaries.append({"title": recording.title, "source": recording.source.name, "start": start,
                              "skipped": "too few steady beats"})  # fmt: skip
            continue
        analysis, genre_name, motion, duet = danced
        from studio.data.procedural.genres import genre

        g = genre(genre_name)
        _save_wav(out / "music_wav" / f"{ident}.wav", piece, SAMPLE_RATE)
        _save_npy(out / "music_npy" / f"{ident}.npy", analysis.features.astype(np.float32))
        _save_npy(out / "motion" / f"{ident}.npy", to_array(motion))
        if duet is not None:
            _save_npy(out / "partner" / f"{ident}.npy", to_array(duet.partner))
        label = {
            "name": f"{recording.source.name}_{recording.title}_{ident}",
            "style1": g.coarse,
            "style2": g.name,
            "genre": g.name,
            "music_style": recording.source.style,
            "bpm": round(float(analysis.tempo), 2),
            "seconds": round(len(piece) / SAMPLE_RATE, 3),
            "frames": int(motion.num_frames),
            "fps": 30,
            "beats": [round(float(t), 5) for t in analysis.beats],
            "downbeats": [round(float(t), 5) for t in analysis.downbeats],
            "recording": _provenance(recording, start),
            "dance": "composed on the recording's tracked beats by studio.data.procedural (choreograph)",
            "split": split,
            "source": "studio.data.recordings",
            "seed": seed,
            **({"duet": duet.info()} if duet is not None else {}),
        }
        _save_json(out / "label_json" / f"{ident}.json", label)
        summaries.append({"id": ident, "title": recording.title, "source": recording.source.name, "genre": g.name,
                          "seconds": label["seconds"], "bpm": label["bpm"], "split": split,
                          "elapsed": round(time.perf_counter() - started, 2)})  # fmt: skip
    return summaries


def write_recordings_corpus(
    manifest: str | Path,
    out: str | Path,
    *,
    root: str | Path = "/",
    seed: int = 0,
    seconds: float = 60.0,
    most: int = 2,
    workers: int | None = None,
    progress: Callable[[int, int, list[dict]], None] | None = None,
    duets: bool = False,
) -> dict:
    """Write the recordings of ``manifest`` found below ``root`` with composed dances to ``out``.

    ``seconds``: excerpt length; ``most``: excerpts per recording; ``duets``: also ``partner/NNN.npy``.
    Returns what ``corpus.json`` holds.
    """
    import os

    from studio.data.procedural.writer import FOLDERS, _save_json

    sources = read_manifest(manifest)
    recordings = find_recordings(sources, root)
    if not recordings:
        names = ", ".join(s.name for s in sources)
        raise InputError(root, expected=f"recordings of the manifest's sources ({names})", found="none of their files")
    out = Path(out)
    for folder in FOLDERS + (("partner",) if duets else ()):
        (out / folder).mkdir(parents=True, exist_ok=True)
    jobs = [(r, split, 1 + i * most, seed, seconds, most, str(out), duets)
            for i, (r, split, _) in enumerate(plan(recordings))]  # fmt: skip
    started = time.perf_counter()
    summaries: list[dict] = []
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if workers == 1:
        results = map(write_recording, jobs)
    else:
        import multiprocessing

        from studio.audio import warm_up

        warm_up()  # compile librosa's kernels once, before the workers (see procedural.writer.write_corpus)
        pool = multiprocessing.get_context("fork").Pool(workers)
        results = pool.imap_unordered(write_recording, jobs)
    for done, result in enumerate(results, 1):
        summaries += result
        if progress:
            progress(done, len(jobs), result)
    if workers > 1:
        pool.close()
    written = sorted((s for s in summaries if "id" in s), key=lambda s: s["id"])
    split = {name: [s["id"] for s in written if s["split"] == name] for name in ("train", "val", "test")}
    _save_json(out / "split.json", split)
    meta = {
        "source": "studio.data.recordings",
        "manifest": str(manifest),
        "seed": seed,
        "excerpt_seconds": seconds,
        "excerpts_per_recording": most,
        "duets": duets,
        "songs": len(written),
        "seconds": round(sum(s["seconds"] for s in written), 2),
        "recordings": len(recordings),
        "sources": [{"name": s.name, "style": s.style, "licence": s.licence, "credit": s.credit} for s in sources],
        "fps": 30,
        "sample_rate": SAMPLE_RATE,
        "items": [{k: v for k, v in s.items() if k != "elapsed"} for s in written],
        "skipped": [s for s in summaries if "skipped" in s],
    }
    _save_json(out / "corpus.json", meta)
    meta["elapsed"] = round(time.perf_counter() - started, 2)
    return meta
