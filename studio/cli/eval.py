"""``studio eval``: the papers' metrics for a folder of generated dances against a FineDance-layout folder.

    python -m studio eval --data DIR --generated DIR [--compat] [--split test] [--gs-model NAME|PATH|none]
                          --json OUT.json
    python -m studio eval --songs DIR [--reference DIR] [--max-seconds S] --json OUT.json   (eval_songs.py)
    python -m studio eval --duets --data CORPUS [--partner-source independent rules MODEL] --json OUT.json
                                                                                            (eval_duets.py)

Every metric the inputs allow is computed, printed as a table and written as JSON; the metrics that could
not be computed are listed with the reason. See docs/metrics.md for the formulas.

GS (FineNet's genre-matching score) needs a genre ranker (``--gs-model``, default ``gcrm-small``; when the
default does not load GS is skipped with the reason) and the music's log-mel, from the ``studio.audio``
analysis of ``music_wav/NNN.wav`` (the mel the ranker was trained on): the mean over each dance's 4-s
segments of the cosine of their music and dance embeddings.

``--songs DIR`` (instead of ``--generated``) generates a dance for every song in DIR as ``studio generate``
does and reports the dance vitals (``studio.metrics.vitals``) beside a ground-truth corpus: ``eval_songs.py``.

On folders with ``partner/NNN.npy`` the partner is measured too (its FID_k / FID_g / FID_h against the ground
truth's partners, its BAS) and the duet (FID_duet, motion-motion score, interpenetration, share of frames
closer than 0.2 m, pose distance to the lead and to its mirror; ``label_json`` rules say which are copies).
``--duets`` (with ``--data CORPUS``) makes the partners itself for the corpus's ground-truth leads, one row per
``--partner-source``, and prints the duet evaluation table: ``eval_duets.py``.
"""

from __future__ import annotations

import argparse
import math
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from studio.cli import eval_duets, eval_songs

    parser.add_argument(
        "--data", default=None, help="ground-truth FineDance folder (motion/, music_npy/, ...); --songs: the reference"
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--generated", help="generated dances: DIR/motion/*.npy or DIR/*.npy (needs --data)")
    what.add_argument("--songs", help="a folder of songs: dance each one with the shipped models, report vitals")
    what.add_argument(
        "--duets", action="store_true", help="partners for the ground-truth leads of --data: the duet table"
    )
    parser.add_argument(
        "--compat", action="store_true",
        help="reproduce the published kinetic features (operator-precedence bug, dt = 1/60)",
    )  # fmt: skip
    parser.add_argument("--split", default=None, help="ground-truth split for the reference statistics (default: all)")
    parser.add_argument("--json", dest="json_path", default=None, help="write the report here")
    parser.add_argument(
        "--music-beats", choices=("auto", "features", "audio"), default="auto",
        help="music beats from music_npy column 34 ('features'), from the wav ('audio'), or features if present",
    )  # fmt: skip
    parser.add_argument("--max-frames", type=int, default=None, help="cut every dance to this many frames")
    parser.add_argument("--seam-every", type=int, default=None, help="segment length (frames) for the seam ratios")
    parser.add_argument("--fps", type=float, default=30.0, help="frame rate of the motion files (default 30)")
    parser.add_argument("--smplx", default=None, help="SMPL-X model folder for the skeleton (default: mannequin-x)")
    parser.add_argument(
        "--gs-model", default=GS_MODEL,
        help=f"genre ranker for GS: a name in models/, a folder, or none (default {GS_MODEL}, skipped if missing)",
    )  # fmt: skip
    eval_songs.add_arguments(parser)
    eval_duets.add_arguments(parser)


GS_MODEL = "gcrm-small"


def load_gs_scorer(name: str):
    """(scorer, None) or (None, why not). An explicitly named model that does not load is an error."""
    if name == "none":
        return None, "--gs-model none"
    from studio.core.errors import ModelError

    try:
        from studio.ml.genre import GenreRanker, gs_scorer

        ranker = GenreRanker.from_pretrained(name)
    except ImportError as error:
        if name != GS_MODEL:
            raise
        return None, f"no genre ranker ({error})"
    except ModelError as error:
        if name != GS_MODEL:
            raise
        return None, f"no genre ranker {name!r}: {error}"
    return gs_scorer(ranker), None


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from studio.body.provider import load_avatar
    from studio.core.errors import InputError
    from studio.metrics import folders
    from studio.metrics.evaluate import measure_dance, summarize

    if args.songs is not None:
        from studio.cli import eval_songs

        return eval_songs.run(args)
    if args.duets:
        from studio.cli import eval_duets

        return eval_duets.run(args)
    if args.data is None:
        raise InputError("--generated", expected="the ground truth as well: --data DIR", found="no --data")
    if args.max_frames is not None and args.max_frames < 3:
        raise InputError("--max-frames", expected="at least 3 frames", found=str(args.max_frames))
    data = folders.scan(args.data, "data")
    generated = folders.scan(args.generated, "generated")
    skeleton = load_avatar(args.smplx).skeleton
    beat_cache: dict[str, tuple] = {}
    scorer, gs_skipped = load_gs_scorer(args.gs_model)
    mel_cache: dict[str, object] = {}

    def mel_for(music: str | None):
        if scorer is None or music is None:
            return None
        if music not in mel_cache:
            wav = data.music_wav.get(music)
            mel_cache[music] = None
            if wav is not None:
                from studio.audio.analysis import analyze
                from studio.core.errors import AudioError

                try:
                    mel_cache[music] = getattr(analyze(wav), "mel", None)
                except AudioError as error:
                    print(f"no GS for {music}: {error}", file=sys.stderr)
        return mel_cache[music]

    beat_sources: set[str] = set()

    def beats_for(music: str | None):
        if music is None:
            return None
        if music not in beat_cache:
            beat_cache[music] = folders.music_beats(data, music, args.fps, args.music_beats)
        beats, source = beat_cache[music]
        if beats is not None:
            beat_sources.add(source)
        return beats

    def measure(folder, name: str, music: str | None):
        motion, has_hands = folders.load_dance(folder.motions[name], args.fps, args.max_frames)
        partner, partner_hands = None, None
        if name in folder.partners:
            partner, partner_hands = folders.load_dance(folder.partners[name], args.fps, args.max_frames)
        return measure_dance(
            name, motion, skeleton, music=music, music_beats=beats_for(music), partner=partner,
            compat=args.compat, hands=has_hands, seam_every=args.seam_every, genre_scorer=scorer,
            music_mel=mel_for(music), duet_rule=folder.duet(name).get("rule"), partner_hands=partner_hands,
        )  # fmt: skip

    gt_ids = data.ids(args.split)
    print(f"measuring {len(gt_ids)} ground-truth and {len(generated.motions)} generated dances...", file=sys.stderr)
    gt = [measure(data, name, name) for name in gt_ids]
    gen = [measure(generated, name, data.music_of(name)) for name in sorted(generated.motions)]
    report = summarize(gt, gen, compat=args.compat)
    if gs_skipped is not None:
        report["skipped"]["gs"] = gs_skipped
    elif "gs" in report["metrics"]:
        report["gs_model"] = args.gs_model
    report["data"] = str(Path(args.data))
    report["generated"] = str(Path(args.generated))
    report["split"] = args.split or "all"
    report["skeleton"] = skeleton.source
    report["music_beats"] = "+".join(sorted(beat_sources)) or "none"
    unmatched = sorted(m.name for m in gen if m.music is None)
    if unmatched:
        report["unmatched_generated"] = unmatched

    print(format_table(report))
    if args.json_path:
        write_report(args.json_path, report)
    return 0


def write_report(path: str, report: dict) -> None:
    """The report as strict JSON (no NaN), written atomically; the folder is made if needed."""
    import json
    from pathlib import Path

    from studio.core.atomic import write_text

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    write_text(Path(path), json.dumps(_json_safe(report), indent=2, allow_nan=False) + "\n")


# metric, label, lower/higher is better
_ROWS = (
    ("fid_k", "FID_k", "lower"), ("fid_g", "FID_g", "lower"), ("div_k", "Div_k", "higher"),
    ("div_g", "Div_g", "higher"), ("fid_h", "FID_h", "lower"), ("div_h", "Div_h", "higher"),
    ("bas", "BAS", "higher"), ("mm_k", "MM_k", "higher"), ("mm_g", "MM_g", "higher"),
    ("foot_skating", "Foot skating", "lower"), ("pfc", "PFC", "lower"), ("mms", "Motion-motion", "higher"),
    ("fid_duet", "FID_duet", "lower"), ("div_duet", "Div_duet", "higher"),
    ("interpenetration", "Interpenetration", "lower"), ("fid_partner_k", "Partner FID_k", "lower"),
    ("fid_partner_g", "Partner FID_g", "lower"), ("fid_partner_h", "Partner FID_h", "lower"),
    ("div_partner_k", "Partner Div_k", "higher"), ("div_partner_g", "Partner Div_g", "higher"),
    ("bas_partner", "Partner BAS", "higher"), ("close_share", "Close < 0.2 m", "lower"),
    ("closest_m", "Closest (m)", ">= 0.2"), ("pose_to_lead", "Pose to lead", "not ~0"),
    ("pose_to_mirror", "Pose to mirror", "not ~0"), ("pose_to_lead_non_copy", "  (non-copy rules)", ">= 0.1"),
    ("pose_to_mirror_non_copy", "  (non-copy rules)", ">= 0.1"), ("seam_velocity_ratio", "Seam velocity", "~1"),
    ("seam_acceleration_ratio", "Seam accel.", "~1"), ("gs", "GS", "higher"),
)  # fmt: skip


def format_table(report: dict) -> str:
    metrics, skipped = report["metrics"], report["skipped"]
    lines = [
        f"kinetic formula: {report['kinetic_formula']}   ground truth: {report['counts']['ground_truth']}   "
        f"generated: {report['counts']['generated']}",
        f"{'metric':<18}{'generated':>14}{'ground truth':>14}  better",
    ]
    for key, label, better in _ROWS:
        if key not in metrics and key not in skipped:
            continue
        value = _cell(metrics.get(key))
        reference = "" if key.startswith(("fid_", "mm_")) else _cell(metrics.get(key + "_gt"))
        if key in skipped and key not in metrics:
            value = "-"
        lines.append(f"{label:<18}{value:>14}{reference:>14}  {better}")
    if skipped:
        lines.append("not computed:")
        lines.extend(f"  {key}: {why}" for key, why in sorted(skipped.items()))
    for warning in report.get("warnings", ()):
        lines.append(f"warning: {warning}")
    return "\n".join(lines)


def _cell(value) -> str:
    if value is None:
        return ""
    if not math.isfinite(value):
        return str(value)
    return f"{value:.4f}" if abs(value) < 1e6 else f"{value:.4e}"


def _json_safe(value):
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return _json_safe(value.item())
    return value
