"""The corpus writer: songs and their dances in the FineDance folder layout, deterministic for a seed.

Layout written under the output folder (ids ``001``, ``002``, ...; more digits past 999)::

    motion/NNN.npy      (T, 315) float32, 30 fps: pelvis translation + 52 x rot6d (FineDance format)
    music_wav/NNN.wav   mono 16-bit PCM, 22050 Hz
    music_npy/NNN.npy   (T, 35) float32: the FineDance music feature from ``studio.audio`` (same T)
    label_json/NNN.json FineDance's fields (name, style1 = coarse style, style2 = genre) + ours
    partner/NNN.npy     (T, 315) float32, the second dancer (with ``duets``)
    split.json          {"train": [...], "val": [...], "test": [...]}, by song; every genre with 2+ songs
                        has a test song (6+: a val song too)
    corpus.json         how it was made (seed, minutes, version) and per-song summaries

Genres go round-robin over the 16 FineDance genres; song lengths are drawn in 20-90 s. Every song has
its own generator seeded by (seed, song number), so the bytes do not depend on how many processes ran.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studio.core.atomic import atomic_path, save_npy, write_text
from studio.data.procedural.genres import GENRES, genre

VERSION = 1
SPLIT_EVERY = 8  # per genre: the 2nd of every 8 songs goes to test, the 6th to val (train keeps 3 of 4)
FOLDERS = ("motion", "music_wav", "music_npy", "label_json")


@dataclass(frozen=True)
class SongJob:
    number: int  # 1-based
    genre: str
    seconds: float  # wanted length; the song rounds to whole phrases
    seed: int  # the corpus seed
    duets: bool
    out: str  # output folder
    genres: int = len(GENRES)  # how many genres take turns (for the split)

    @property
    def id(self) -> str:
        return f"{self.number:03d}"


def plan_corpus(
    minutes: float,
    seed: int,
    duets: bool,
    out: str | Path,
    song_seconds: tuple[float, float] = (20.0, 90.0),
    genres: tuple[str, ...] = GENRES,
) -> list[SongJob]:
    """Songs (genres round-robin, ``song_seconds`` long) until their wanted lengths add up to ``minutes``."""
    if not minutes > 0:
        raise ValueError(f"minutes must be positive, got {minutes}")
    lo, hi = song_seconds
    if not 20.0 <= lo <= hi <= 90.0:
        raise ValueError(f"song lengths must lie within 20-90 s, got {song_seconds}")
    names = [genre(g).name for g in genres]
    rng = np.random.default_rng([seed, 0x5EED])
    jobs, total = [], 0.0
    while total < minutes * 60.0:
        seconds = float(np.round(rng.uniform(lo, hi), 1))
        number = len(jobs) + 1
        jobs.append(SongJob(number, names[(number - 1) % len(names)], seconds, int(seed), duets, str(out), len(names)))
        total += seconds
    return jobs


def split_of(job: SongJob, genres: int = len(GENRES)) -> str:
    k = (job.number - 1) // genres  # how many songs of this genre came before
    return {1: "test", 5: "val"}.get(k % SPLIT_EVERY, "train")


# A corpus can be written again from its seed: no fsync per file (thousands of them), only no half files.
DURABLE = False


def _save_npy(path: Path, array: np.ndarray) -> None:
    save_npy(path, array, fsync=DURABLE)


def _dumps(data: dict) -> str:
    """One top-level key per line, values compact (a beat list stays on one line)."""
    lines = [f" {json.dumps(k)}: {json.dumps(data[k], separators=(', ', ': '))}" for k in sorted(data)]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _save_json(path: Path, data: dict) -> None:
    write_text(path, _dumps(data), fsync=DURABLE)


def _save_wav(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    import soundfile as sf

    with atomic_path(path, fsync=DURABLE) as temporary:
        sf.write(temporary, samples, sample_rate, subtype="PCM_16", format="WAV")


def make_song(job: SongJob):
    """Everything for one song, in memory: the song, its 35-d features, the dance and the partner."""
    from studio.audio.analysis import analyze_samples
    from studio.data.procedural.choreographer import HOME_RADIUS, plan_song, render_plan
    from studio.data.procedural.duet import DUET_HOME_RADIUS, make_duet
    from studio.data.procedural.music import synthesize

    seeds = np.random.SeedSequence([job.seed, job.number]).spawn(3)
    music_rng, dance_rng, duet_rng = (np.random.default_rng(s) for s in seeds)
    song = synthesize(job.genre, job.seconds, music_rng)
    # the features see exactly what the wav holds: 16-bit samples
    pcm = (np.round(song.samples * 32767.0) / 32767.0).astype(np.float32)
    features = analyze_samples(pcm, song.sample_rate).features.astype(np.float32)
    frames = features.shape[0]
    radius = DUET_HOME_RADIUS if job.duets else HOME_RADIUS
    plan = plan_song(job.genre, len(song.beats) - 1, dance_rng, home_radius=radius)
    motion = render_plan(plan, song.beats, frames)
    duet = make_duet(plan, song.beats, frames, motion, duet_rng) if job.duets else None
    return song, features, plan, motion, duet


def write_song(job: SongJob) -> dict:
    """Write one song's files; returns its summary (for corpus.json and the progress line)."""
    from studio.core.finedance import to_array

    started = time.perf_counter()
    song, features, plan, motion, duet = make_song(job)
    out = Path(job.out)
    _save_wav(out / "music_wav" / f"{job.id}.wav", song.samples, song.sample_rate)
    _save_npy(out / "music_npy" / f"{job.id}.npy", features)
    _save_npy(out / "motion" / f"{job.id}.npy", to_array(motion))
    g = genre(job.genre)
    label = {
        "name": f"procedural_{job.id}_{g.name}",
        "style1": g.coarse,
        "style2": g.name,
        "genre": g.name,
        "bpm": song.bpm,
        "meter": song.meter,
        "tonic_midi": song.tonic,
        "seconds": round(song.duration, 4),
        "frames": int(motion.num_frames),
        "fps": 30,
        "beats": [round(float(t), 5) for t in song.beats],
        "downbeats": [round(float(t), 5) for t in song.downbeats],
        "sections": [[s.name, s.first, s.counts] for s in song.sections],
        "moves": plan.summary(),
        "split": split_of(job, job.genres),
        "source": "studio.data.procedural",
        "seed": job.seed,
        "version": VERSION,
    }
    if duet is not None:
        _save_npy(out / "partner" / f"{job.id}.npy", to_array(duet.partner))
        label["duet"] = duet.info()
    _save_json(out / "label_json" / f"{job.id}.json", label)
    return {"id": job.id, "genre": g.name, "seconds": label["seconds"], "frames": label["frames"], "bpm": song.bpm,
            "split": label["split"], "elapsed": round(time.perf_counter() - started, 2)}  # fmt: skip


def _init_worker() -> None:
    # one numpy/BLAS thread per process: the workers are the parallelism
    os.environ.setdefault("OMP_NUM_THREADS", "1")


def write_corpus(
    out: str | Path,
    minutes: float,
    seed: int = 0,
    duets: bool = False,
    workers: int | None = None,
    progress: Callable[[int, int, dict], None] | None = None,
    song_seconds: tuple[float, float] = (20.0, 90.0),
    genres: tuple[str, ...] = GENRES,
) -> dict:
    """Write a corpus of about ``minutes`` of music and dance to ``out``; returns what corpus.json holds.

    ``song_seconds`` and ``genres`` narrow the songs (tests write three 20-s songs of three genres).
    """
    out = Path(out)
    jobs = plan_corpus(minutes, seed, duets, out, song_seconds, genres)
    for folder in FOLDERS + (("partner",) if duets else ()):
        (out / folder).mkdir(parents=True, exist_ok=True)
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    started = time.perf_counter()
    summaries: list[dict] = []
    if workers == 1:
        for job in jobs:
            summaries.append(write_song(job))
            if progress:
                progress(len(summaries), len(jobs), summaries[-1])
    else:
        import multiprocessing

        from studio.audio import warm_up

        # librosa's numba kernels compile (and write their on-disk cache) here, once: workers that compile the
        # same guvectorized kernel at the same time can leave a cache that crashes every later process
        # (numba issue 10128). Fork where there is one (the workers inherit the compiled kernels); spawn would
        # re-run ``python -m studio``'s __main__ in every worker
        warm_up()
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with context.Pool(workers, initializer=_init_worker) as pool:
            for summary in pool.imap_unordered(write_song, jobs):
                summaries.append(summary)
                if progress:
                    progress(len(summaries), len(jobs), summary)
    summaries.sort(key=lambda s: s["id"])
    split = {name: [s["id"] for s in summaries if s["split"] == name] for name in ("train", "val", "test")}
    _save_json(out / "split.json", split)
    meta = {
        "source": "studio.data.procedural",
        "version": VERSION,
        "seed": seed,
        "minutes": minutes,
        "duets": duets,
        "songs": len(summaries),
        "seconds": round(sum(s["seconds"] for s in summaries), 2),
        "genres": list(dict.fromkeys(j.genre for j in jobs)),
        "fps": 30,
        "sample_rate": 22050,
        "layout": {"motion": "(T, 315) float32", "music_npy": "(T, 35) float32", "partner": "(T, 315) float32"},
        "items": [{k: v for k, v in s.items() if k != "elapsed"} for s in summaries],
    }
    _save_json(out / "corpus.json", meta)
    meta["elapsed"] = round(time.perf_counter() - started, 2)
    return meta
