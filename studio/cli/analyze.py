"""``studio analyze``: tempo, beats, bars, segments and the 35-d features of one song.

    python -m studio analyze SONG [--snap-bars] [--json OUT.json] [--features OUT.npy] [--mel OUT.npy]

The JSON holds ``duration``, ``tempo``, ``beats``, ``downbeats`` and ``segments`` (seconds) and
``features_shape``; without ``--json`` it is printed.  Results are cached per file content.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("song", metavar="SONG", help="audio file: wav, flac, ogg, mp3 (m4a/aac with ffmpeg)")
    parser.add_argument("--snap-bars", action="store_true", help="cut 3-5 s segments at bar lines, not a 4-s grid")
    parser.add_argument("--json", dest="json_path", metavar="OUT.json", help="write the summary here")
    parser.add_argument("--features", dest="features_path", metavar="OUT.npy", help="write the (T, 35) features")
    parser.add_argument("--mel", dest="mel_path", metavar="OUT.npy", help="write the (T, 128) log-mel")
    parser.add_argument("--no-cache", action="store_true", help="recompute even if the song was analysed before")
    parser.add_argument("--no-genres", action="store_true", help="skip the top-3 genres (GCRM, models/gcrm-small)")


def run(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    import numpy as np

    from studio.audio.analysis import analyze
    from studio.core.errors import StudioError

    analysis = analyze(args.song, snap_bars=args.snap_bars, cache=not args.no_cache)
    summary = analysis.to_json()
    if not args.no_genres:
        summary["genres"] = _genres(analysis.mel)
    text = json.dumps(summary, indent=2)
    try:
        if args.json_path:
            Path(args.json_path).write_text(text + "\n", encoding="utf-8")
        if args.features_path:
            np.save(args.features_path, analysis.features)
        if args.mel_path:
            np.save(args.mel_path, analysis.mel)
    except OSError as error:
        raise StudioError(f"cannot write {error.filename}: {error.strerror}") from None
    if args.json_path:
        print(
            f"{analysis.source}: {analysis.duration:.1f} s, {analysis.tempo:.1f} BPM, {len(analysis.beats)} beats,"
            f" {len(analysis.downbeats)} bars, {len(analysis.segments)} segments, features {analysis.features.shape}"
        )
        if summary.get("genres"):
            print("genres: " + ", ".join(f"{g['genre']} {g['probability']:.0%}" for g in summary["genres"]))
    else:
        print(text)
    return 0


def _genres(mel) -> list[dict] | None:
    """The song's top-3 genres from the genre ranker, or None (with a note) when torch or the model is missing."""
    import sys

    from studio.core.errors import StudioError

    try:
        from studio.ml.genre import detect_genres

        return [{"genre": genre, "probability": round(p, 3)} for genre, p in detect_genres(mel, top=3)]
    except (ImportError, StudioError) as error:
        print(f"genre detection skipped: {error}", file=sys.stderr)
        return None
