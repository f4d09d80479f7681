"""``studio eval --duets``: the duet evaluation table -- a second dancer made for every ground-truth lead of a corpus.

    python -m studio eval --duets --data CORPUS [--partner-source independent rules MODEL ...] [--split all]
                          [--dance-split test] [--formation label|editor] [--candidates 8] [--seed 0]
                          [--model fdgn-small] [--ranker gcrm-small|fallback|none] [--max-songs N]
                          [--max-seconds S] [--threads N] [--device auto] [--dances OUT_DIR] [--json OUT.json]

For each song of the corpus's ``--dance-split`` (default ``test``; ``all``: every dance) the ground-truth lead
(``motion/NNN.npy``) is put into a project as the lead's chosen dance, cut on the song's 4-s grid, and a partner
is filled segment by segment by ``studio.choreography``'s driver (``fill_song``: the editor's seeds, requests and
ranking; partner requests are ranked by ``DuetRanker``: GS, CS, motion-motion score, clearance) from one
partner source per table row:

- ``independent``: the solo model (``--model``, FDGN) dancing the same music on its own (the paper's
  separate-generation row): made in its own frame, as a lead would be, then placed by the formation;
- ``rules``: the duet rules (``choreography.partner.PartnerSource``: mirror, unison, canons), placed by the
  formation;
- anything else: a learned partner model folder or name (``choreography.partner_model.PartnerModelSource``) as
  the editor uses it (``partner.DuetSource``: the model's candidates and a quarter from the rules, ranked
  together), placed by the source itself; ``only:FOLDER``: the model's candidates alone.

Each song's partner dancer carries the formation of the corpus label's duet (``core.formation``: its kind and
spacing; side by side 1.4 m without a label), which reaches the sources through the requests. ``--formation
label`` (default) then puts the independent and the rule partners where the corpus's partner stood
(``side``: at -x ``spacing`` m, the lead's right, same facing; ``facing``: at +z ``spacing`` m, the body turned
to the lead and the path parallel to the lead's), so that the duet FID compares like with like;
``--formation editor`` leaves them where the editor puts that formation (``Formation.place_dance``: side by
side to the lead's left, face to face turned rigidly about the lead's home spot). A partner model always
places itself.

Metrics (``studio.metrics.evaluate``, as ``studio eval`` computes them for folders with ``partner/``): partner
FID_k / FID_g against the ground-truth partners of ``--split`` (default every duet of the corpus), duet FID on
Duolando's pairwise feature, motion-motion score, the partner's BAS, share of frames closer than 0.2 m, the
closest approach, pose distance to the lead and to its mirror image. Per chosen segment as well: the share
of chosen segments within 0.2 m of the lead, and the median pose distances over the chosen segments whose
label is not a copy rule (unison or mirror). The ground truth's own partners give the reference row.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

PARTNER_SOURCES = ("independent", "rules")
FORMATIONS = ("label", "editor")
COPY_LABELS = ("unison", "mirror")  # chosen-candidate labels (``duet-rules:mirror``) that are copies by design
MODEL_ALONE = "only:"  # --partner-source only:FOLDER: the partner model's candidates without the rules' extras


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the duets mode (``--duets`` itself is in ``eval.add_arguments``; ``--model``, ``--ranker``,
    ``--candidates``, ``--seed``, ``--max-seconds``, ``--threads``, ``--device`` and ``--dances`` are shared
    with ``--songs``)."""
    group = parser.add_argument_group("with --duets")
    group.add_argument(
        "--partner-source", nargs="+", default=list(PARTNER_SOURCES), metavar="SOURCE",
        help="one row each: independent, rules, a partner model folder/name, only:FOLDER (default: independent rules)",
    )  # fmt: skip
    group.add_argument("--dance-split", default="test", help="the corpus songs to dance: a split or all (default test)")
    group.add_argument(
        "--formation", choices=FORMATIONS, default="label",
        help="the partner's place: as the corpus label's duet stood (default), or the editor's for its formation",
    )  # fmt: skip
    group.add_argument("--max-songs", type=int, default=None, help="dance only the first N songs of the split")


# -- where the partner stands ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Formation:
    """A partner's place relative to the lead's frame (the world, where the lead dances): its dance, made as
    if on the lead's spot, is moved by ``offset`` and its body turned ``yaw`` degrees about +Y on the spot.

    The path is moved, not turned: face to face, the corpus's partner travels the same way as the lead (its
    steps run backwards), so the two keep their distance; turning the path too would walk a unison partner
    into the lead whenever the lead steps forward."""

    name: str
    offset: tuple[float, float, float]
    yaw: float = 0.0

    def place(self, motion):
        return _facing(motion, self.yaw).translated(self.offset)

    def unplace(self, motion):
        return None if motion is None else _facing(motion.translated(np.negative(self.offset)), -self.yaw)


class EditorPlacement:
    """The editor's placement of a ``core.formation.Formation`` (``Formation.place_dance``: one rigid turn and
    shift from the lead's home spot; side by side is to the lead's LEFT, +x), and its inverse."""

    def __init__(self, formation) -> None:
        x, z, yaw = formation.place((0.0, 0.0), 0.0)
        self.formation, self.shift, self.yaw = formation, np.array([x, 0.0, z]), float(np.degrees(yaw))
        self.name = f"{formation.label} (editor)"

    def place(self, motion):
        return self.formation.place_dance(motion)

    def unplace(self, motion):
        if motion is None:
            return None
        from studio.core.motion import Motion

        a = np.radians(self.yaw)
        turn = np.array([[np.cos(a), 0.0, np.sin(a)], [0.0, 1.0, 0.0], [-np.sin(a), 0.0, np.cos(a)]])
        rotations = motion.rotations.copy()
        rotations[:, 0] = turn.T @ rotations[:, 0]
        return Motion((motion.trans - self.shift) @ turn, rotations, motion.fps)


def editor_formation(duet: dict):
    """The ``core.formation.Formation`` (what a partner dancer of the document carries, and its requests) of a
    corpus label's duet: its kind and spacing (clamped to the editor's range); the default without a label."""
    from studio.core.formation import FORMATIONS as KINDS
    from studio.core.formation import SPACING_RANGE
    from studio.core.formation import Formation as CoreFormation

    kind, spacing = duet.get("formation"), duet.get("spacing")
    kind = "side-right" if kind == "side" else kind  # the corpus's side by side is on the lead's right
    if kind not in KINDS or not isinstance(spacing, int | float):
        return CoreFormation()
    return CoreFormation(kind, float(np.clip(spacing, *SPACING_RANGE)))


def label_formation(duet: dict) -> Formation | None:
    """The formation of a corpus label's ``duet`` entry (``studio.data.procedural.duet``: side by side at
    (-spacing, 0), or face to face at (0, spacing), the body turned 180 degrees), None without one."""
    kind, spacing = duet.get("formation"), duet.get("spacing")
    if not isinstance(spacing, int | float) or kind not in ("side", "facing"):
        return None
    if kind == "facing":
        return Formation(f"facing {spacing:.2f} m", (0.0, 0.0, float(spacing)), 180.0)
    return Formation(f"side {spacing:.2f} m", (-float(spacing), 0.0, 0.0))


def _facing(motion, degrees: float):
    """The motion with its body turned about +Y around its own pelvis (the path as it was)."""
    if not degrees:
        return motion
    from studio.core.motion import Motion

    a = np.radians(degrees)
    turn = np.array([[np.cos(a), 0.0, np.sin(a)], [0.0, 1.0, 0.0], [-np.sin(a), 0.0, np.cos(a)]])
    rotations = motion.rotations.copy()
    rotations[:, 0] = turn @ rotations[:, 0]  # the pelvis's local rotation is the body's world orientation
    return Motion(motion.trans, rotations, motion.fps)


# -- partner sources ---------------------------------------------------------------------------------------------
class IndependentSource:
    """The solo model dancing the partner's segment on its own: a lead's request in the partner's own frame
    (its neighbouring segments un-placed), the dances placed by ``formation`` (a ``Formation`` or an
    ``EditorPlacement``); label ``independent``."""

    def __init__(self, solo, formation) -> None:
        self.solo, self.formation = solo, formation
        self.name, self.model_id, self.device = f"independent {solo.name}", solo.model_id, solo.device

    def motions(self, request, song, progress, interrupt):
        own = replace(request, role="lead", prev=self.formation.unplace(request.prev),
                      next=self.formation.unplace(request.next), lead=None, lead_prev=None)  # fmt: skip
        return [(self.formation.place(m[0]), m[1], "independent") for m in self.solo.motions(own, song, progress,
                                                                                             interrupt)]  # fmt: skip


class PlacedRules:
    """``PartnerSource``'s rule partners moved from where the editor puts them (the request's formation) to
    ``formation``'s place."""

    def __init__(self, rules, formation: Formation) -> None:
        self.rules, self.formation = rules, formation
        self.name, self.model_id, self.device = rules.name, rules.model_id, rules.device

    def motions(self, request, song, progress, interrupt):
        from studio.core.formation import Formation as CoreFormation

        editor = EditorPlacement(request.formation or CoreFormation())
        out = self.rules.motions(request, song, progress, interrupt)
        return [(self.formation.place(editor.unplace(m[0])), *m[1:]) for m in out]


# -- the run -----------------------------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> int:
    from studio.body.provider import load_avatar
    from studio.core.errors import InputError
    from studio.metrics import folders

    _check(args)
    data = folders.scan(args.data, "data")
    if not data.partners:
        raise InputError(
            data.root / "partner", expected="the corpus's second dancers, partner/NNN.npy", found="none",
            hint="build the corpus with: python -m studio corpus --out DIR --duets",
        )  # fmt: skip
    songs = [name for name in _dance_ids(data, args.dance_split) if name in data.partners]
    missing = [name for name in songs if name not in data.music_wav]
    if missing:
        raise InputError(data.root / "music_wav", expected="the songs' audio", found=f"no {missing[0]}.wav")
    songs = songs[: args.max_songs] if args.max_songs else songs
    if not songs:
        raise InputError(data.root, expected=f"duets in the {args.dance_split!r} split", found="none")
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    skeleton = load_avatar(args.smplx).skeleton
    ranker = _ranker(args)
    print(f"reference: measuring the ground-truth duets ({args.split or 'all'})...", file=sys.stderr, flush=True)
    reference, gt_by_name = _measure_reference(data, args, skeleton)
    analyses = {}
    rows = []
    for source_name in args.partner_source:
        rows.append(_row(source_name, songs, data, args, skeleton, ranker, analyses, reference, gt_by_name))
    report = {
        "mode": "duets",
        "data": str(Path(args.data)),
        "dance_split": args.dance_split,
        "songs": songs,
        "reference_split": args.split or "all",
        "formation": args.formation,
        "candidates": args.candidates,
        "seed": args.seed,
        "max_seconds": args.max_seconds,
        "model": args.model,
        "ranker": getattr(ranker, "name", str(ranker)),
        "skeleton": skeleton.source,
        "rows": rows,
        "ground_truth": _ground_truth_row(reference, [gt_by_name[n] for n in songs]),
    }
    print(format_table(report))
    if args.json_path:
        from studio.cli.eval import write_report

        write_report(args.json_path, report)
    return 0


def _check(args: argparse.Namespace) -> None:
    from studio.core.errors import InputError

    if args.data is None:
        raise InputError("--duets", expected="the corpus: --data DIR", found="no --data")
    if not 1 <= args.candidates <= 64:
        raise InputError("--candidates", expected="1..64", found=str(args.candidates))
    if args.max_songs is not None and args.max_songs < 1:
        raise InputError("--max-songs", expected="at least 1", found=str(args.max_songs))
    if args.max_seconds is not None and not args.max_seconds >= 4.0:
        raise InputError("--max-seconds", expected="at least one 4-s segment", found=str(args.max_seconds))


def _dance_ids(data, split: str) -> list[str]:
    return data.ids(None if split == "all" else split)


def _ranker(args: argparse.Namespace):
    """The solo ranker the duet ranker wraps: GCRM (``--ranker`` name or folder), ``fallback`` or ``none``."""
    from studio.choreography.ranking import FallbackRanker, GCRMRanker, Unranked

    if args.ranker == "none":
        return Unranked()
    if args.ranker == "fallback":
        return FallbackRanker()
    from studio.ml.genre import GenreRanker

    return GCRMRanker(GenreRanker.from_pretrained(args.ranker, None if args.device == "auto" else args.device))


def _partner_source(name: str, args: argparse.Namespace, solo_cache: dict):
    """(source factory: placement -> MotionSource, whether the table places it). The placement is a
    ``Formation`` (``--formation label``) or an ``EditorPlacement`` (``editor``)."""
    if name == "rules":
        from studio.choreography.partner import PartnerSource

        if args.formation == "editor":  # the rules stand where the request's formation says by themselves
            return (lambda placement: PartnerSource()), True
        return (lambda placement: PlacedRules(PartnerSource(), placement)), True
    if name == "independent":
        if "solo" not in solo_cache:
            solo_cache["solo"] = _solo_source(args)
        return (lambda placement: IndependentSource(solo_cache["solo"], placement)), True
    alone = name.startswith(MODEL_ALONE)
    folder = name[len(MODEL_ALONE) :] if alone else name
    try:
        from studio.choreography.partner_model import PartnerModelSource
    except ImportError:
        from studio.core.errors import InputError

        raise InputError("--partner-source", expected="independent, rules, or a partner model (needs "
                         "studio.choreography.partner_model.PartnerModelSource)", found=name) from None  # fmt: skip
    from studio.choreography.partner import DuetSource

    model = PartnerModelSource(folder, args.device, threads=args.threads)
    # as the editor's partner: the model's candidates and a quarter of them from the rules, ranked together
    source = model if alone else DuetSource(model=model)
    return (lambda placement: source), False


def _solo_source(args: argparse.Namespace):
    if args.model == "procedural":  # the procedural baseline: no torch (tests, machines without models)
        from studio.choreography.sources import ProceduralSource

        return ProceduralSource()
    from studio.choreography.sources import FDGNSource

    return FDGNSource(args.model, args.device, threads=args.threads)


_SOLO: dict = {}


def _row(source_name, songs, data, args, skeleton, ranker, analyses, reference, gt_by_name) -> dict:
    """One table row: a partner for every song from ``source_name``, measured."""
    from studio.metrics import folders
    from studio.metrics.evaluate import measure_dance, summarize

    factory, placed = _partner_source(source_name, args, _SOLO)
    generated, segments, seconds, made = [], [], 0.0, 0
    for number, name in enumerate(songs, 1):
        duet = data.duet(name)
        dancer_formation = editor_formation(duet)
        placement = label_formation(duet) if args.formation == "label" else None
        placement = placement or EditorPlacement(dancer_formation)
        project, partner_id, lead, filled = _duet(data, name, args, factory(placement), dancer_formation, ranker,
                                                  analyses, number, len(songs), source_name)  # fmt: skip
        seconds += filled
        made += project.num_segments
        partner = project.whole_dance(partner_id)
        segments += _segment_rows(project, partner_id, lead, skeleton)
        beats, _ = folders.music_beats(data, name, 30.0, "features")
        generated.append(measure_dance(name, lead, skeleton, music=name, music_beats=beats, partner=partner))
        if args.dances:
            _save(Path(args.dances) / _safe(source_name), name, lead, partner)
    report = summarize(reference, generated)
    return {
        "source": source_name,
        "placed_by": (args.formation if placed else "the source"),
        "segments": made,
        "seconds": seconds,
        "seconds_per_segment": seconds / max(made, 1),
        "metrics": report["metrics"],
        "skipped": report["skipped"],
        "chosen": _chosen_summary(segments),
        "per_song": report["per_dance"],
        "labels": _label_counts(segments),
    }


def _duet(data, name, args, source, formation, ranker, analyses, number, total, source_name):
    """The project of one song: the ground-truth lead chosen in every segment, the partner filled by the driver;
    (project, partner id, the lead as danced, seconds the fill took)."""
    from studio.audio import analyze
    from studio.choreography.driver import fill_song
    from studio.choreography.generators import Generators
    from studio.choreography.plan import segment_frames
    from studio.core.document import Project, Settings
    from studio.core.motion import fit_length
    from studio.core.segments import Candidate, Song
    from studio.metrics import folders

    if name not in analyses:
        print(f"song {number}/{total} {name}: analysing", file=sys.stderr, flush=True)
        analyses[name] = analyze(data.music_wav[name])
    lead, _ = folders.load_dance(data.motions[name])
    analysis = _cut(analyses[name], lead.num_frames / lead.fps, args.max_seconds)
    settings = Settings(candidates_per_segment=args.candidates, model_id=source.model_id or "partner")
    project = Project(Song.from_analysis(analysis), settings=settings)
    genre = _label_genre(data, name)
    pieces = []
    for segment, (start, end) in enumerate(project.song.segments):
        first, last = segment_frames(start, end)
        piece = fit_length(lead[min(first, lead.num_frames - 1) : last], last - first)
        pieces.append(piece)
        project.set_candidates(project.lead.id, segment, [Candidate(piece, 0, {}, genre, "ground-truth")], chosen=0)
    partner = project.add_dancer(role="partner", formation=formation)

    def progress(segment: int, segments: int, step: int, steps: int) -> None:
        if step == steps:
            print(f"\r{source_name}: song {number}/{total} {name}: segment {segment + 1}/{segments}", end="",
                  file=sys.stderr, flush=True)  # fmt: skip

    generators = Generators(lead=source, partner=source, ranker=ranker)
    started = time.perf_counter()
    fill_song(project, analysis, generators, dancer_id=partner.id, seed=args.seed, progress=progress)
    filled = time.perf_counter() - started
    print(file=sys.stderr)
    from studio.core.motion import concatenate

    return project, partner.id, concatenate(pieces), filled


def _cut(analysis, seconds: float, max_seconds: float | None):
    """The analysis with its segments on the 4-s grid over the dance's length (or ``max_seconds`` of it)."""
    from studio.audio import rhythm

    length = min(analysis.duration, seconds, max_seconds or np.inf)
    return analysis.with_segments(rhythm.grid_segments(length), snap_bars=False)


def _label_genre(data, name: str) -> str | None:
    import json

    path = data.labels.get(name)
    if path is None:
        return None
    try:
        label = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return None
    genre = label.get("style2") or label.get("genre") if isinstance(label, dict) else None
    return genre if isinstance(genre, str) and genre else None


def _segment_rows(project, partner_id: str, lead, skeleton) -> list[dict]:
    """Per chosen partner segment: its label, closest approach to the lead, pose distances."""
    from studio.choreography.plan import segment_frames
    from studio.metrics.duet import closest_distance, motion_pose_distances

    rows = []
    for segment, (start, end) in enumerate(project.song.segments):
        candidate = project.chosen_candidate(partner_id, segment)
        first, last = segment_frames(start, end)
        own = lead[first:last]
        if candidate is None or own.num_frames < 3:
            continue
        to_lead, to_mirror = motion_pose_distances(own, candidate.motion, skeleton)
        closest = candidate.scores.get("closest_m")
        if closest is None:
            closest = closest_distance(own.positions(skeleton), candidate.motion.positions(skeleton))
        label = candidate.model_id.split(":", 1)[1] if ":" in candidate.model_id else candidate.model_id
        rows.append({"segment": segment, "label": label, "closest_m": float(closest), "pose_to_lead": to_lead,
                     "pose_to_mirror": to_mirror, "score": candidate.scores.get("score")})  # fmt: skip
    return rows


def _chosen_summary(rows: list[dict]) -> dict:
    from studio.metrics.duet import CLEARANCE

    not_copies = [r for r in rows if r["label"] not in COPY_LABELS]
    out = {
        "segments": len(rows),
        "close_segments": sum(r["closest_m"] < CLEARANCE for r in rows),
        "closest_m": min((r["closest_m"] for r in rows), default=None),
        "non_copy_segments": len(not_copies),
    }
    for key in ("pose_to_lead", "pose_to_mirror"):
        out[f"{key}_median"] = float(np.median([r[key] for r in rows])) if rows else None
        out[f"{key}_non_copy_median"] = float(np.median([r[key] for r in not_copies])) if not_copies else None
    return out


def _label_counts(rows: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["label"]] = counts.get(r["label"], 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def _measure_reference(data, args, skeleton):
    """The ground-truth duets of ``--split`` (the FID reference), and every song's by name."""
    from studio.metrics import folders
    from studio.metrics.evaluate import measure_dance

    names = [n for n in data.ids(args.split) if n in data.partners]
    measures = {}
    for name in sorted(set(names) | set(_dance_ids(data, args.dance_split)) & set(data.partners)):
        lead, _ = folders.load_dance(data.motions[name])
        partner, _ = folders.load_dance(data.partners[name])
        beats, _ = folders.music_beats(data, name, 30.0, "features")
        measures[name] = measure_dance(name, lead, skeleton, music=name, music_beats=beats, partner=partner,
                                       duet_rule=data.duet(name).get("rule"))  # fmt: skip
    return [measures[n] for n in names], measures


def _ground_truth_row(reference, danced) -> dict:
    """The corpus's own partners of the danced songs, measured like a row (FIDs against the same reference)."""
    from studio.metrics.evaluate import summarize

    report = summarize(reference, danced)
    rules: dict[str, int] = {}
    for m in danced:
        rules[m.duet_rule or "?"] = rules.get(m.duet_rule or "?", 0) + 1
    metrics = report["metrics"]
    chosen = {f"{key}_non_copy_median": metrics.get(f"{key}_non_copy") for key in ("pose_to_lead", "pose_to_mirror")}
    return {"source": "ground truth", "metrics": metrics, "skipped": report["skipped"], "rules": rules,
            "chosen": chosen}  # fmt: skip


def _save(folder: Path, name: str, lead, partner) -> None:
    from studio.core.atomic import save_npy
    from studio.core.finedance import to_array

    for sub, motion in (("motion", lead), ("partner", partner)):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        save_npy(folder / sub / f"{name}.npy", to_array(motion).astype(np.float32))


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in Path(name).name) or "source"


# -- the table ---------------------------------------------------------------------------------------------------
# key in metrics (or chosen), column title, width, format
_COLUMNS = (
    ("fid_partner_k", "FID_k", 9, "{:.2f}"),
    ("fid_partner_g", "FID_g", 9, "{:.2f}"),
    ("fid_duet", "FID_cd", 9, "{:.2f}"),
    ("mms", "MMS", 7, "{:.3f}"),
    ("bas_partner", "BAS", 7, "{:.3f}"),
    ("close_share", "<0.2m", 7, "{:.1%}"),
    ("closest_m", "closest", 8, "{:.2f}"),
    ("pose_to_lead", "pose-L", 7, "{:.3f}"),
    ("pose_to_mirror", "pose-M", 7, "{:.3f}"),
    ("chosen:pose_to_lead_non_copy_median", "nc-L", 6, "{:.3f}"),
    ("chosen:pose_to_mirror_non_copy_median", "nc-M", 6, "{:.3f}"),
    ("seconds_per_segment", "s/seg", 6, "{:.2f}"),
)


def format_table(report: dict) -> str:
    width = max(14, *(len(r["source"]) for r in report["rows"]))
    lines = [
        f"duets of {len(report['songs'])} {report['dance_split']} songs of {report['data']}, M = "
        f"{report['candidates']}, seed {report['seed']}, ranker {report['ranker']}, formation {report['formation']}; "
        f"FID reference: {report['reference_split']} ground-truth partners",
        f"{'partner':<{width}}" + "".join(f"{title:>{w}}" for _, title, w, _ in _COLUMNS),
    ]
    for row in (*report["rows"], report["ground_truth"]):
        cells = "".join(f"{_cell(row, key, fmt):>{w}}" for key, _, w, fmt in _COLUMNS)
        lines.append(f"{row['source']:<{width}}{cells}")
    lines.append("FID_k/g: the partner vs the ground-truth partners; FID_cd: Duolando's pairwise duet feature; MMS: "
                 "motion-motion score; <0.2m: share of frames closer; pose-L/M: median pose distance (m) to the lead "
                 "/ its mirror; nc-L/M: the same over chosen segments that are not unison or mirror")  # fmt: skip
    for row in report["rows"]:
        chosen = row["chosen"]
        lines.append(f"{row['source']}: {chosen['close_segments']} of {chosen['segments']} chosen segments within "
                     f"0.2 m of the lead (closest {chosen['closest_m']:.2f} m); chosen: "
                     + ", ".join(f"{k} {v}" for k, v in list(row["labels"].items())[:6]))  # fmt: skip
    return "\n".join(lines)


def _cell(row: dict, key: str, fmt: str) -> str:
    if key.startswith("chosen:"):
        value = row.get("chosen", {}).get(key.split(":", 1)[1])
    elif key in row and not isinstance(row[key], dict):
        value = row[key]
    else:
        value = row["metrics"].get(key)
    if value is None:
        return "-"
    return fmt.format(value)
