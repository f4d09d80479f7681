"""``studio generate``: a whole dance for a song, written as a project file and/or a FineDance array.

    python -m studio generate SONG -o OUT.choreo [--candidates M] [--seed S] [--model NAME|PATH]
                              [--device cpu|cuda] [--snap-bars] [--npy OUT.npy] [--steps N]
                              [--genre NAME|auto] [--ranker NAME|PATH|none] [--variants K]

The song is analysed, every segment gets M candidates (each segment constrained by the chosen candidate
of the one before, so seams are smooth), the genre ranker (GCRM) ranks them by genre match (the song's, or
``--genre``'s) and seam coherence and the best is kept, greedily through the song. ``--variants K`` writes K
whole dances whose first segments are the 1st..Kth ranked candidates (OUT.choreo, OUT-2.choreo, ...).
``--ranker none`` keeps the first candidate (variant k: the k-th one of segment 0, then the first).
``--npy`` writes the chosen dance as a (T, 315) FineDance array.
"""

from __future__ import annotations

import argparse
import sys

RANKER = "gcrm-small"  # the shipped genre ranker; when it is missing, generation goes on unranked


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
    parser.add_argument("--genre", default="auto", help="rank for this genre (e.g. Jazz, HanTang) or auto: the song's")
    parser.add_argument("--ranker", default=RANKER, help="genre ranker in models/ or a folder; none: no ranking")
    parser.add_argument("--variants", type=int, default=1, help="K whole dances from the K best first choices")
    parser.add_argument("--alpha", type=float, default=1.0, help="weight of the genre score GS (default 1.0)")
    parser.add_argument("--beta", type=float, default=0.5, help="weight of the coherence score CS (default 0.5)")


def run(args: argparse.Namespace) -> int:
    from studio.audio import analyze
    from studio.core.errors import InputError
    from studio.ml.pipeline import Choreographer

    if args.output is None and args.npy is None:
        raise InputError("generate", expected="an output: -o OUT.choreo and/or --npy OUT.npy", found="neither")
    if not 1 <= args.candidates <= 64:
        raise InputError("--candidates", expected="1..64", found=str(args.candidates))
    if args.seed < 0:
        raise InputError("--seed", expected="a non-negative integer", found=str(args.seed))
    if not 1 <= args.variants <= min(16, args.candidates):
        raise InputError("--variants", expected=f"1..{min(16, args.candidates)} (at most --candidates)",
                         found=str(args.variants))  # fmt: skip
    if args.ranker == "none" and args.genre != "auto":
        raise InputError("--genre", expected="a genre ranker (--ranker NAME)", found="--ranker none")
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    analysis = analyze(args.song, snap_bars=args.snap_bars)
    frames = analysis.segment_frames()
    if not frames or any(b <= a for a, b in frames):
        raise InputError(args.song, expected="segments of at least one frame", found=f"{frames[:5]}...")
    choreographer = Choreographer.from_pretrained(args.model, None if args.device == "auto" else args.device)
    ranker = None
    if args.ranker != "none":
        from studio.core.errors import ModelError
        from studio.ml.genre import GenreRanker

        try:
            ranker = GenreRanker.from_pretrained(args.ranker, alpha=args.alpha, beta=args.beta)
        except ModelError as error:
            if args.ranker != RANKER or args.genre != "auto":
                raise
            print(f"no genre ranking (first candidates kept): {error}", file=sys.stderr)
        if ranker is not None and args.genre != "auto":
            ranker.genre_embedding(args.genre)  # an unknown name fails here, listing the genres
        if ranker is not None and ranker.prototypes is not None:
            from studio.ui.requests import UNSURE_BELOW

            detected = ranker.detect_genres(analysis.mel)
            top = ", ".join(f"{g} {p:.0%}" for g, p in detected)
            unsure = " (unsure: pass --genre NAME to choose one)" if detected[0][1] < UNSURE_BELOW else ""
            print(f"genres: {top}" + (unsure if args.genre == "auto" else f"; ranking for {args.genre}"),
                  file=sys.stderr)  # fmt: skip

    def progress(segment: int, total: int, step: int, steps: int) -> None:
        if step == steps:
            print(f"\rsegment {segment + 1}/{total}", end="", file=sys.stderr, flush=True)

    for variant in range(args.variants):
        _one_dance(args, analysis, frames, choreographer, ranker, variant, progress)
    return 0


def _suffixed(path: str | None, variant: int) -> str | None:
    """OUT.choreo, OUT-2.choreo, ... for variants 0, 1, ..."""
    if path is None or variant == 0:
        return path
    from pathlib import Path

    p = Path(path)
    return str(p.with_name(f"{p.stem}-{variant + 1}{p.suffix}"))


def _one_dance(args, analysis, frames, choreographer, ranker, variant: int, progress) -> None:
    from pathlib import Path

    import numpy as np

    picker = None
    if ranker is not None:
        from studio.ml.genre import GreedyPicker, scored_candidates

        picker = GreedyPicker(ranker, analysis.mel, genre=args.genre, first_rank=variant)

    def unranked(index: int, result) -> int:  # no ranker: variant k starts from the k-th candidate
        return variant if index == 0 else 0

    results, chosen = choreographer.generate_song(
        analysis.features, frames, num_candidates=args.candidates, seed=args.seed, callback=progress,
        steps=args.steps, choose=picker or unranked,
    )  # fmt: skip
    print(file=sys.stderr)
    dance = np.concatenate([r.features[c] for r, c in zip(results, chosen, strict=True)])
    npy, output = _suffixed(args.npy, variant), _suffixed(args.output, variant)
    if npy:
        target = Path(npy)
        tmp = target.with_name(target.name + ".part")
        with open(tmp, "wb") as handle:
            np.save(handle, dance[:, 4:].astype(np.float32))
        tmp.replace(target)
        print(f"wrote {npy} ({len(dance)} frames)")
    if output:
        from studio.core.document import Project, Settings
        from studio.core.segments import Song
        from studio.io import project as project_file

        song = Song.from_analysis(analysis, str(Path(args.song).resolve()))
        settings = Settings(candidates_per_segment=args.candidates, model_id=choreographer.model_id or "fdgn",
                            genre_override=None if args.genre == "auto" else args.genre)  # fmt: skip
        project = Project(song, settings=settings)
        for index, (result, pick) in enumerate(zip(results, chosen, strict=True)):
            if picker is not None:
                candidates = scored_candidates(result, picker.rankings[index], args.genre)
            else:
                candidates = result.candidates()
            project.set_candidates(0, index, candidates, chosen=pick)
        written = project_file.save(project, output)
        print(f"wrote {written}: {len(results)} segments x {args.candidates} candidates")
