"""``studio generate``: a whole dance for a song, written as a project file and/or a FineDance array.

    python -m studio generate SONG -o OUT.choreo [--candidates M] [--seed S] [--model NAME|PATH]
                              [--device cpu|cuda] [--snap-bars] [--npy OUT.npy] [--steps N]
                              [--genre NAME|auto] [--ranker NAME|PATH|none] [--variants K]
                              [--partner model|rules|none] [--formation side|facing|behind] [--spacing M]

The song is analysed, every segment gets M candidates (each segment constrained by the chosen candidate
of the one before, so seams are smooth), the genre ranker (GCRM) ranks them by genre match (the song's, or
``--genre``'s) and seam coherence and the best is kept, greedily through the song: the editor's fill of a new
song (``studio.choreography``), with the same seeds (``--seed 0`` is the editor's), so both give the same dance.
``--variants K`` writes K whole dances whose first segments are the 1st..Kth ranked candidates (OUT.choreo,
OUT-2.choreo, ...).
``--ranker none`` keeps the first candidate (variant k: the k-th one of segment 0, then the first).
``--npy`` writes the chosen dance as a (T, 315) FineDance array.
``--partner`` makes a duet: after the lead's dance, a partner is filled segment by segment as the editor's Add
partner does (``model``: the learned partner ``models/partner-small`` with the duet rules as extra candidates,
the rules alone when that model is missing or fails, said on stderr; ``rules``: the duet rules; ``none``: a
solo, as without ``--partner``), standing in ``--formation`` (default side by side) at ``--spacing`` metres
(default 1.4; 0.8 to 4). ``--npy`` is the lead's dance either way.
"""

from __future__ import annotations

import argparse
import sys

RANKER = "gcrm-small"  # the shipped genre ranker; when it is missing, generation goes on unranked
PARTNERS = ("model", "rules", "none")  # studio.choreography.generators.PARTNERS (not imported: --help stays light)
FORMATIONS = ("side", "side-right", "facing", "behind")  # studio.core.formation.FORMATIONS


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
    parser.add_argument("--partner", choices=PARTNERS, default=None,
                        help="a second dancer: the learned partner, the duet rules, or none (default)")  # fmt: skip
    parser.add_argument("--formation", choices=FORMATIONS, default=None,
                        help="side by side on the lead's left (default) or right, face to face, or behind")  # fmt: skip
    parser.add_argument("--spacing", type=float, default=None, metavar="M",
                        help="metres between the dancers (default 1.4; 0.8 to 4)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from studio.audio import analyze
    from studio.core.errors import InputError

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
    formation = partner_formation(args)
    analysis = analyze(args.song, snap_bars=args.snap_bars)
    frames = analysis.segment_frames()
    if not frames or any(b <= a for a, b in frames):
        raise InputError(args.song, expected="segments of at least one frame", found=f"{frames[:5]}...")
    generators = load_generators(args)
    genre_ranker = getattr(generators.ranker, "ranker", None)
    if genre_ranker is not None and args.genre != "auto":
        genre_ranker.genre_embedding(args.genre)  # an unknown name fails here, listing the genres
    if genre_ranker is not None and genre_ranker.prototypes is not None:
        guess = generators.guess(analysis)
        top = ", ".join(f"{g} {p:.0%}" for g, p in guess.top)
        unsure = " (unsure: pass --genre NAME to choose one)" if guess.unsure else ""
        print(f"genres: {top}" + (unsure if args.genre == "auto" else f"; ranking for {args.genre}"),
              file=sys.stderr)  # fmt: skip

    def progress(segment: int, total: int, step: int, steps: int, who: str = "") -> None:
        if step == steps:
            print(f"\r{who}segment {segment + 1}/{total}", end="", file=sys.stderr, flush=True)

    for variant in range(args.variants):
        project = dance(analysis, generators, candidates=args.candidates, seed=args.seed, genre=args.genre,
                        alpha=args.alpha, beta=args.beta, variant=variant, progress=progress,
                        path=args.song, formation=formation)  # fmt: skip
        print(file=sys.stderr)
        _write(project, args, variant)
    return 0


def partner_formation(args: argparse.Namespace):
    """The partner's formation of ``--formation`` and ``--spacing`` (None: no partner), checked."""
    from studio.core.errors import InputError
    from studio.core.formation import DEFAULT_SPACING, SPACING_RANGE, Formation

    if args.partner in (None, "none"):
        given = [
            name for name, value in (("--formation", args.formation), ("--spacing", args.spacing)) if value is not None
        ]
        if given:
            raise InputError(given[0], expected="a partner to place (--partner model or rules)",
                             found=f"--partner {args.partner or 'not given'}")  # fmt: skip
        return None
    spacing = DEFAULT_SPACING if args.spacing is None else args.spacing
    try:
        return Formation(args.formation or "side", spacing)
    except ValueError:
        raise InputError("--spacing", expected=f"{SPACING_RANGE[0]:g} to {SPACING_RANGE[1]:g} metres",
                         found=str(spacing)) from None  # fmt: skip


def load_generators(args: argparse.Namespace):
    """The generators of ``--model``, ``--ranker``, ``--device``, ``--steps``, ``--threads`` (``studio eval --songs``
    loads its own the same way): FDGN ranked by GCRM, or unranked with ``--ranker none`` or when the default
    ranker is missing (said on stderr)."""
    from studio.choreography.generators import Generators
    from studio.choreography.ranking import GCRMRanker, Unranked
    from studio.choreography.sources import FDGNSource

    device = "auto" if args.device == "auto" else args.device
    lead = FDGNSource(args.model, device, steps=getattr(args, "steps", None), threads=args.threads)
    ranker = Unranked()
    if args.ranker != "none":
        from studio.core.errors import ModelError
        from studio.ml.genre import GenreRanker

        try:
            ranker = GCRMRanker(GenreRanker.from_pretrained(args.ranker, None if device == "auto" else device))
        except ModelError as error:
            if args.ranker != RANKER or getattr(args, "genre", "auto") != "auto":
                raise
            print(f"no genre ranking (first candidates kept): {error}", file=sys.stderr)
    return Generators(lead, partner=_partner_source(args, device), ranker=ranker)


def _partner_source(args: argparse.Namespace, device: str):
    """``--partner``'s source, the model loaded now so that a fallback to the rules is said before the dance."""
    from studio.choreography.generators import load_partner

    kind = getattr(args, "partner", None) or "none"
    source = load_partner(kind, device, threads=args.threads, steps=getattr(args, "steps", None))
    if kind == "none":
        return source
    if getattr(source, "loader", None) is not None:
        print("loading the partner model...", file=sys.stderr)
        source.load()
    for note in getattr(source, "notes", ()):
        print(note, file=sys.stderr)
    if getattr(source, "notes", None):
        source.notes.clear()  # said once, here
    print(f"partner: {source.name}", file=sys.stderr)
    return source


def dance(analysis, generators, *, candidates: int, seed: int = 0, genre: str = "auto", alpha: float = 1.0,
          beta: float = 0.5, variant: int = 0, progress=None, path=None, formation=None):  # fmt: skip
    """The project of one whole dance, as the editor fills a new song: ``studio.choreography``'s driver with the
    same seeds (``--seed`` 0 is the editor's), the ``variant``-th ranked candidate kept in the first segment.
    ``formation``: a partner too, standing there, filled after the lead as the editor's Add partner does."""
    from pathlib import Path

    from studio.choreography.driver import fill_song
    from studio.core.document import Project, Settings
    from studio.core.segments import Song

    song = Song.from_analysis(analysis, str(Path(path if path is not None else analysis.source).resolve()))
    settings = Settings(candidates_per_segment=candidates, model_id=generators.lead.model_id or "fdgn",
                        genre_override=None if genre == "auto" else genre, alpha=alpha, beta=beta)  # fmt: skip
    project = Project(song, settings=settings)
    fill_song(project, analysis, generators, seed=seed, first_choice=variant, progress=progress)
    if formation is not None:
        partner = project.add_dancer("Partner", formation=formation)
        if progress is not None:
            print(file=sys.stderr)

        def partner_progress(segment: int, total: int, step: int, steps: int) -> None:
            if progress is not None:
                progress(segment, total, step, steps, "partner ")

        fill_song(project, analysis, generators, dancer_id=partner.id, seed=seed, progress=partner_progress)
    return project


def chosen_dance(project):
    """The lead's chosen dance as a (T, 315) FineDance float32 array."""
    import numpy as np

    from studio.core.finedance import to_array

    return to_array(project.whole_dance(project.lead.id)).astype(np.float32)


def _suffixed(path: str | None, variant: int) -> str | None:
    """OUT.choreo, OUT-2.choreo, ... for variants 0, 1, ..."""
    if path is None or variant == 0:
        return path
    from pathlib import Path

    p = Path(path)
    return str(p.with_name(f"{p.stem}-{variant + 1}{p.suffix}"))


def _write(project, args, variant: int) -> None:

    npy, output = _suffixed(args.npy, variant), _suffixed(args.output, variant)
    if npy:
        from studio.core.atomic import save_npy

        dance = chosen_dance(project)
        save_npy(npy, dance)
        print(f"wrote {npy} ({len(dance)} frames)")
    if output:
        from studio.io import project as project_file

        written = project_file.save(project, output)
        duet = ""
        if len(project.dancers) > 1:
            partner = project.dancers[1]
            duet = f", with a partner ({partner.formation.label})"
        print(f"wrote {written}: {project.num_segments} segments x {args.candidates} candidates{duet}")
