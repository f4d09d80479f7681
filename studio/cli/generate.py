"""``studio generate``: a whole dance for a song, written as a project file and/or a FineDance array.

    python -m studio generate SONG -o OUT.choreo [--candidates M] [--seed S] [--model NAME|PATH]
                              [--device cpu|cuda] [--snap-bars] [--npy OUT.npy] [--steps N]

The song is analysed, every segment gets M candidates (each segment constrained by the chosen candidate
of the one before, so seams are smooth) and the first candidate of each segment is chosen (ranking comes
with the genre ranker). ``--npy`` writes the chosen dance as a (T, 315) FineDance motion array.
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("song", help="audio file (wav, flac, ogg, mp3, ...)")
    parser.add_argument("-o", "--output", default=None, help="project file to write (.choreo)")
    parser.add_argument("--candidates", "-m", type=int, default=8, help="candidates per segment (default 8)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first candidate (default 0)")
    parser.add_argument("--model", default="fdgn-small", help="model name in models/ or a model folder")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help="default: cuda if any")
    parser.add_argument("--snap-bars", action="store_true", help="cut 3-5 s segments at bar lines (else 4 s)")
    parser.add_argument("--npy", default=None, help="also write the chosen dance as a (T, 315) .npy")
    parser.add_argument("--steps", type=int, default=None, help="DDIM steps (default: the model's)")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (1 is best on a busy CPU)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    import numpy as np

    from studio.audio import analyze
    from studio.core.errors import InputError
    from studio.ml.pipeline import Choreographer

    if args.output is None and args.npy is None:
        raise InputError("generate", expected="an output: -o OUT.choreo and/or --npy OUT.npy", found="neither")
    if not 1 <= args.candidates <= 64:
        raise InputError("--candidates", expected="1..64", found=str(args.candidates))
    if args.seed < 0:
        raise InputError("--seed", expected="a non-negative integer", found=str(args.seed))
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    analysis = analyze(args.song, snap_bars=args.snap_bars)
    frames = analysis.segment_frames()
    if not frames or any(b <= a for a, b in frames):
        raise InputError(args.song, expected="segments of at least one frame", found=f"{frames[:5]}...")
    choreographer = Choreographer.from_pretrained(args.model, None if args.device == "auto" else args.device)

    def progress(segment: int, total: int, step: int, steps: int) -> None:
        if step == steps:
            print(f"\rsegment {segment + 1}/{total}", end="", file=sys.stderr, flush=True)

    results, chosen = choreographer.generate_song(
        analysis.features, frames, num_candidates=args.candidates, seed=args.seed, callback=progress,
        steps=args.steps,
    )  # fmt: skip
    print(file=sys.stderr)
    dance = np.concatenate([r.features[c] for r, c in zip(results, chosen, strict=True)])
    if args.npy:
        target = Path(args.npy)
        tmp = target.with_name(target.name + ".part")
        with open(tmp, "wb") as handle:
            np.save(handle, dance[:, 4:].astype(np.float32))
        tmp.replace(target)
        print(f"wrote {args.npy} ({len(dance)} frames)")
    if args.output:
        from studio.core.document import Project, Settings
        from studio.core.segments import Song
        from studio.io import project as project_file

        song = Song.from_analysis(analysis, str(Path(args.song).resolve()))
        settings = Settings(candidates_per_segment=args.candidates, model_id=choreographer.model_id or "fdgn")
        project = Project(song, settings=settings)
        for index, (result, pick) in enumerate(zip(results, chosen, strict=True)):
            project.set_candidates(0, index, result.candidates(), chosen=pick)
        written = project_file.save(project, args.output)
        print(f"wrote {written}: {len(results)} segments x {args.candidates} candidates")
    return 0
