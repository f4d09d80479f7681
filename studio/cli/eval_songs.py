"""``studio eval --songs DIR``: generate a dance for every song in a folder and report its vitals.

    python -m studio eval --songs DIR [--json OUT.json] [--model fdgn-small] [--ranker gcrm-small|none]
                          [--candidates 8] [--seed 0] [--max-seconds S] [--threads N] [--device auto]
                          [--reference FINEDANCE_DIR] [--dances OUT_DIR] [--sheets OUT_DIR] [--partner model|rules]

Every audio file in DIR (wav, flac, ogg, mp3, opus; sorted by name) is danced the way
``python -m studio generate SONG -m 8 --seed 0`` dances it: the same analysis, model, genre ranker and greedy
picker, the same seeds. Each dance gets the figures of ``studio.metrics.vitals`` (still share, body-joint
speed, finger activity, pelvis path and extent, yaw snaps, p99 speed, lowest foot, BAS against the song's
beats) and the song its top-3 genres; the report gives them per song and as medians over the songs, beside
the same medians on a ground-truth corpus: ``--reference`` (a FineDance-layout folder, its test split when
split.json has one, else every dance; ``--data`` serves when ``--reference`` is not given), or else a small
procedural corpus written to a temporary folder (``REFERENCE_MINUTES`` minutes, seed ``REFERENCE_SEED``).
A song that cannot be read is reported and skipped.

``--partner model|rules``: a partner is filled after each lead as ``generate --partner`` does (side by side at
the editor's default spacing), and each row gets the partner's own vitals and the duet's clearance (closest
approach, share of frames within 0.2 m), pose distance to the lead and to its mirror image, and the share of
chosen partner segments the learned model made (the rest: duet rules).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3", ".opus")
REFERENCE_MINUTES = 3.0
REFERENCE_SEED = 0
REFERENCE_SONG_SECONDS = (20.0, 90.0)

# key, column title, width, format
_COLUMNS = (
    ("still_share", "still", 6, "{:.2f}"),
    ("mean_speed", "m/s", 6, "{:.2f}"),
    ("p99_speed", "p99m/s", 7, "{:.2f}"),
    ("finger_activity_deg", "finger°", 8, "{:.1f}"),
    ("pelvis_path_m_per_min", "path/min", 9, "{:.1f}"),
    ("pelvis_extent_m", "extent", 7, "{:.2f}"),
    ("snap_frames", "snaps", 6, "{:.0f}"),
    ("under_floor_cm", "floor-cm", 9, "{:.1f}"),
    ("bas", "BAS", 6, "{:.3f}"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the songs mode (``--songs`` itself is in ``eval.add_arguments``)."""
    from studio.cli.generate import RANKER

    group = parser.add_argument_group("with --songs")
    group.add_argument("--model", default="fdgn-small", help="dance model in models/ or a folder (default fdgn-small)")
    group.add_argument("--ranker", default=RANKER, help=f"genre ranker or none (default {RANKER})")
    group.add_argument("--candidates", "-m", type=int, default=8, help="candidates per segment (default 8)")
    group.add_argument("--seed", type=int, default=0, help="seed of the first candidate (default 0)")
    group.add_argument("--max-seconds", type=float, default=None, help="dance only this much of each song")
    group.add_argument("--threads", type=int, default=None, help="torch CPU threads (1 is best on a busy CPU)")
    group.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help="default: cuda if any")
    group.add_argument("--reference", default=None, help="ground-truth FineDance folder (default: a procedural one)")
    group.add_argument("--dances", default=None, help="also write each dance as DIR/<song>.npy (T, 315)")
    group.add_argument("--sheets", default=None,
                       help="also draw each dance as DIR/<song>.png: 8 moments, hands, speed and beats")  # fmt: skip
    group.add_argument("--partner", choices=("model", "rules"), default=None,
                       help="also a partner for each dance (side by side), measured as dancer and duet")  # fmt: skip


def song_files(folder: str | Path) -> list[Path]:
    """The audio files directly in ``folder``, sorted by name, or an ``InputError`` saying what is there."""
    from studio.core.errors import InputError

    root = Path(folder)
    if not root.is_dir():
        raise InputError(root, expected="a folder of songs", found="no such folder" if not root.exists() else "a file")
    entries = sorted(root.iterdir(), key=lambda p: p.name)
    songs = [p for p in entries if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES]
    if not songs:
        kinds = ", ".join(sorted({p.suffix or p.name for p in entries})) if entries else ""
        raise InputError(
            root,
            expected=f"audio files ({' '.join(s.lstrip('.') for s in AUDIO_SUFFIXES)})",
            found=f"{len(entries)} other entries ({kinds})" if entries else "an empty folder",
        )
    return songs


def _check(args: argparse.Namespace) -> None:
    from studio.core.errors import InputError

    if not 1 <= args.candidates <= 64:
        raise InputError("--candidates", expected="1..64", found=str(args.candidates))
    if args.seed < 0:
        raise InputError("--seed", expected="a non-negative integer", found=str(args.seed))
    if args.max_seconds is not None and not (math.isfinite(args.max_seconds) and args.max_seconds >= 1.0):
        raise InputError("--max-seconds", expected="at least 1 second", found=str(args.max_seconds))
    if args.threads is not None and args.threads < 1:
        raise InputError("--threads", expected="at least 1", found=str(args.threads))


def dance_song(analysis, generators, candidates: int, seed: int, progress=None, partner: bool = False):
    """The chosen dance, (T, 315) float32: ``studio generate``'s path (``studio.choreography``'s driver) for
    ``--genre auto``, variant 1; with ``partner``, (lead, project) with a partner filled in the default
    formation."""
    from studio.cli.generate import chosen_dance, dance

    if not partner:
        return chosen_dance(dance(analysis, generators, candidates=candidates, seed=seed, progress=progress))
    from studio.core.formation import Formation

    project = dance(analysis, generators, candidates=candidates, seed=seed, progress=progress, formation=Formation())
    return chosen_dance(project), project


def measure_partner(project, skeleton, beats, fps: float) -> dict:
    """The partner's vitals and the duet's figures (see the module docstring)."""
    from studio.core.finedance import from_array, to_array
    from studio.metrics import duet
    from studio.metrics.vitals import vitals

    lead_dancer, partner_dancer = project.dancers[0], project.dancers[1]
    lead, partner = project.whole_dance(lead_dancer.id), project.whole_dance(partner_dancer.id)
    frames = min(lead.num_frames, partner.num_frames)
    lead, partner = from_array(to_array(lead)[:frames]), from_array(to_array(partner)[:frames])
    a, b = lead.positions(skeleton), partner.positions(skeleton)
    to_lead, to_mirror = duet.motion_pose_distances(lead, partner, skeleton)
    chosen = [project.chosen_candidate(partner_dancer.id, i) for i in range(project.num_segments)]
    learned = [c for c in chosen if c is not None and not c.model_id.startswith("duet-rules")]
    row = vitals(to_array(partner), skeleton, music_beats=beats, fps=fps)
    row.update({"closest_m": duet.closest_distance(a, b), "close_share": duet.close_share(a, b),
                "pose_to_lead_m": to_lead, "pose_to_mirror_m": to_mirror,
                "learned_share": len(learned) / max(1, sum(c is not None for c in chosen))})  # fmt: skip
    return row


def song_frames(analysis, max_seconds: float | None) -> list[tuple[int, int]]:
    """The song's segments as generate cuts them; with ``max_seconds``, the 4-s grid over that much of it."""
    from studio.core.errors import InputError

    frames = song_to_dance(analysis, max_seconds).segment_frames()
    if not frames or any(b <= a for a, b in frames):
        raise InputError(analysis.source, expected="segments of at least one frame", found=f"{frames[:5]}...")
    return frames


def song_to_dance(analysis, max_seconds: float | None):
    """The analysis as danced: with ``max_seconds``, its segments are the 4-s grid over that much of it."""
    if max_seconds is not None and max_seconds < analysis.duration:
        from studio.audio import rhythm

        return analysis.with_segments(rhythm.grid_segments(max_seconds), snap_bars=False)
    return analysis


def run(args: argparse.Namespace) -> int:
    import tempfile

    from studio.body.provider import load_avatar
    from studio.core.errors import InputError, ModelError
    from studio.metrics import folders

    _check(args)
    songs = song_files(args.songs)
    reference_folder = args.reference or args.data
    given = None if reference_folder is None else folders.scan(reference_folder, "data")  # bad: fail before dancing
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    skeleton = load_avatar(args.smplx).skeleton
    from studio.cli.generate import load_generators

    generators = load_generators(args)
    rows, skipped = [], []
    for number, path in enumerate(songs, 1):
        try:
            rows.append(measure_song(args, path, number, len(songs), generators, skeleton))
        except InputError as error:  # the song's own fault (AudioError: unreadable, damaged, too short)
            if isinstance(error, ModelError):
                raise
            print(f"song {number}/{len(songs)} {path.name}: skipped: {error}", file=sys.stderr)
            skipped.append({"song": path.name, "path": str(path), "error": str(error)})
    if not rows:
        raise InputError(args.songs, expected="at least one song that can be danced",
                         found="; ".join(f"{s['song']}: {s['error']}" for s in skipped))  # fmt: skip

    if given is not None:
        reference = measure_reference(given, skeleton, args.fps)
        reference["folder"] = str(reference_folder)
    else:
        with tempfile.TemporaryDirectory(prefix="choreo-reference-") as temp:
            reference = measure_reference(folders.scan(build_reference(Path(temp) / "corpus")), skeleton, args.fps)
        reference["folder"] = "(procedural, temporary)"
        reference["built"] = {"minutes": REFERENCE_MINUTES, "seed": REFERENCE_SEED}

    from studio.metrics.vitals import FIGURES

    report = {
        "mode": "songs",
        "songs_folder": str(Path(args.songs)),
        "model": generators.lead.model_id or args.model,
        "ranker": args.ranker if _genre_ranker(generators) is not None else "none",
        "candidates": args.candidates,
        "seed": args.seed,
        "max_seconds": args.max_seconds,
        "skeleton": skeleton.source,
        "figures": dict(FIGURES),
        "songs": rows,
        "medians": medians(rows),
        "partner": None if not getattr(args, "partner", None) else {
            "source": args.partner, "medians": partner_medians([row["partner"] for row in rows]),
        },
        "skipped": skipped,
        "reference": reference,
    }
    print(format_table(report))
    if args.json_path:
        from studio.cli.eval import write_report

        write_report(args.json_path, report)
    return 0


def _genre_ranker(generators):
    """The GCRM ranker of the generators, or None (unranked)."""
    return getattr(generators.ranker, "ranker", None)


def measure_song(args, path: Path, number: int, total: int, generators, skeleton) -> dict:
    """Analyse, dance and measure one song: its report row."""

    from studio.audio import analyze
    from studio.core.atomic import save_npy
    from studio.metrics.beats import music_beats_from_features
    from studio.metrics.vitals import vitals

    print(f"song {number}/{total} {path.name}: analysing", file=sys.stderr, flush=True)
    analysis = analyze(path)
    frames = song_frames(analysis, args.max_seconds)
    genres = None
    ranker = _genre_ranker(generators)
    if ranker is not None and ranker.prototypes is not None:
        genres = [{"genre": g, "p": float(p)} for g, p in ranker.detect_genres(analysis.mel)]
        text = ", ".join(f"{g['genre']} {g['p']:.0%}" for g in genres)
        print(f"song {number}/{total} {path.name}: genres {text}", file=sys.stderr, flush=True)

    def progress(segment: int, segments: int, step: int, steps: int, who: str = "") -> None:
        if step == steps:
            print(f"\rsong {number}/{total} {path.name}: {who}segment {segment + 1}/{segments}", end="",
                  file=sys.stderr, flush=True)  # fmt: skip

    project = None
    danced = dance_song(song_to_dance(analysis, args.max_seconds), generators, args.candidates, args.seed, progress,
                        partner=bool(getattr(args, "partner", None)))  # fmt: skip
    dance, project = danced if isinstance(danced, tuple) else (danced, None)
    print(file=sys.stderr)
    if args.dances:
        out = Path(args.dances)
        out.mkdir(parents=True, exist_ok=True)
        save_npy(out / f"{path.stem}.npy", dance)
    if args.sheets:
        from studio.core.finedance import from_array
        from studio.data.procedural.preview import dance_sheet

        Path(args.sheets).mkdir(parents=True, exist_ok=True)
        title = f"{path.stem}  {genres[0]['genre'] if genres else ''}"
        dance_sheet(from_array(dance), Path(args.sheets) / f"{path.stem}.png", title, analysis.beats)
        if project is not None:
            from studio.data.procedural.preview import duet_sheet

            lead, partner = (project.whole_dance(d.id) for d in project.dancers[:2])
            duet_sheet(lead, partner, Path(args.sheets) / f"{path.stem}-duet.png", title, analysis.beats)
    beats = music_beats_from_features(analysis.features, str(path))
    row = {"song": path.name, "path": str(path), "song_seconds": float(analysis.duration),
           "segments": len(frames), "genres": genres}  # fmt: skip
    row.update(vitals(dance, skeleton, music_beats=beats, fps=analysis.fps))
    if project is not None:
        row["partner"] = measure_partner(project, skeleton, beats, analysis.fps)
        if args.dances:
            from studio.core.finedance import to_array

            partner = to_array(project.whole_dance(project.dancers[1].id))
            save_npy(Path(args.dances) / f"{path.stem}-partner.npy", partner)
    return row


def medians(rows: list[dict]) -> dict:
    """Median of every figure over the rows that have it (None where none has)."""
    import numpy as np

    from studio.metrics.vitals import FIGURES

    out = {}
    for key in ("seconds", *FIGURES):
        values = [row[key] for row in rows if row.get(key) is not None]
        out[key] = float(np.median(values)) if values else None
    out["count"] = len(rows)
    return out


PARTNER_FIGURES = ("closest_m", "close_share", "pose_to_lead_m", "pose_to_mirror_m", "learned_share")


def partner_medians(rows: list[dict]) -> dict:
    """``medians`` of the partners' vitals, the duet figures too, and the closest approach over all songs."""
    import numpy as np

    out = medians(rows)
    for key in PARTNER_FIGURES:
        values = [row[key] for row in rows if row.get(key) is not None]
        out[key] = float(np.median(values)) if values else None
    out["closest_m_min"] = min((row["closest_m"] for row in rows), default=None)
    return out


def build_reference(folder: Path) -> Path:
    """A small procedural corpus (FineDance layout) in ``folder``: the ground truth when none is given."""
    from studio.data.procedural.writer import write_corpus

    print(f"writing a {REFERENCE_MINUTES:g}-minute procedural reference corpus (seed {REFERENCE_SEED})...",
          file=sys.stderr, flush=True)  # fmt: skip
    write_corpus(folder, REFERENCE_MINUTES, seed=REFERENCE_SEED, workers=1, song_seconds=REFERENCE_SONG_SECONDS)
    return folder


def measure_reference(data, skeleton, fps: float = 30.0) -> dict:
    """The vitals of a scanned FineDance folder's dances (``folders.DanceFolder``): its split.json test list
    when it has a non-empty one, else every dance; music beats from ``music_npy`` column 34."""
    from studio.metrics import folders
    from studio.metrics.vitals import vitals

    split = "test" if data.split is not None and data.split.get("test") else None
    rows = []
    for name in data.ids(split):
        motion, _ = folders.load_dance(data.motions[name], fps)
        beats, _ = folders.music_beats(data, name, fps, "features")
        rows.append({"dance": name, **vitals(motion, skeleton, music_beats=beats)})
    return {"split": split or "all", "dances": rows, "medians": medians(rows)}


def format_table(report: dict) -> str:
    name_width = max(12, min(30, max(len(row["song"]) for row in report["songs"])))
    header = f"{'song':<{name_width}}" + "".join(f"{title:>{width}}" for _, title, width, _ in _COLUMNS)
    lines = [
        f"model {report['model']}, ranker {report['ranker']}, M = {report['candidates']}, seed {report['seed']}"
        + (f", first {report['max_seconds']:g} s of each song" if report["max_seconds"] else ""),
        header + "  genres",
    ]

    def cells(figures: dict) -> str:
        return "".join(f"{_cell(figures.get(key), fmt):>{width}}" for key, _, width, fmt in _COLUMNS)

    for row in report["songs"]:
        genres = " ".join(f"{g['genre']} {g['p']:.0%}" for g in row["genres"] or ())
        lines.append(f"{_short(row['song'], name_width):<{name_width}}{cells(row)}  {genres}")
    lines.append(f"{'median (' + str(report['medians']['count']) + ')':<{name_width}}{cells(report['medians'])}")
    reference = report["reference"]
    label = f"ref. ({reference['medians']['count']} {reference['split']})"
    lines.append(f"{_short(label, name_width):<{name_width}}{cells(reference['medians'])}  {reference['folder']}")
    if report.get("partner"):
        lines.append(f"partners ({report['partner']['source']}):")
        for row in report["songs"]:
            lines.append(f"{_short(row['song'], name_width):<{name_width}}{cells(row['partner'])}  "
                         + _duet_cells(row["partner"]))  # fmt: skip
        partner = report["partner"]["medians"]
        lines.append(f"{'median':<{name_width}}{cells(partner)}  {_duet_cells(partner)}"
                     f" (closest of all {partner['closest_m_min']:.2f} m)")  # fmt: skip
    lines.append("still: share of still steps; floor-cm: how far the lowest foot goes under y = 0 (docs/metrics.md)")
    for song in report["skipped"]:
        lines.append(f"skipped {song['song']}: {song['error']}")
    return "\n".join(lines)


def _duet_cells(figures: dict) -> str:
    return (f"closest {figures['closest_m']:.2f} m, <0.2 m {figures['close_share']:.1%}, pose to lead "
            f"{figures['pose_to_lead_m']:.2f} / mirror {figures['pose_to_mirror_m']:.2f} m, learned "
            f"{figures['learned_share']:.0%}")  # fmt: skip


def _cell(value, fmt: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return fmt.format(value)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "~"
