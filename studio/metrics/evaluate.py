"""Every metric for two sets of dances (ground truth and generated), the way ``studio eval`` reports them.

Two steps so that a whole dataset never has to sit in memory as joint positions:

1. ``measure_dance`` runs forward kinematics once per dance and keeps only what the metrics need (feature
   vectors and per-dance scores);
2. ``summarize`` turns two lists of measures into the report: set metrics (FID / Div / MM, normalised with
   the ground truth) and means of the per-dance scores, plus the reason for each metric left out.

A dance with a partner also measures the partner as a dance of its own (``DanceMeasures.partner``: its FID_k /
FID_g / FID_h against the ground truth's partners, its BAS) and the duet between the two (Duolando's duet
feature for FID_duet, the motion-motion score, interpenetration, clearance, pose distance to the lead and to
its mirror image).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from studio.core.errors import InputError
from studio.core.motion import Motion
from studio.core.skeleton import Skeleton
from studio.metrics.beats import bas, motion_motion_score
from studio.metrics.distribution import fid_div, multimodality, normalize
from studio.metrics.duet import (
    CLEARANCE,
    closest_per_frame,
    duet_features,
    interpenetration,
    motion_pose_distances,
)
from studio.metrics.feet import foot_skating, pfc
from studio.metrics.genre import Scorer, genre_matching_score
from studio.metrics.geometric import PUBLISHED_TIME_PER_FRAME, geometric_features
from studio.metrics.joints import hand_positions_local, lodge_body_positions
from studio.metrics.kinetic import kinetic_features, kinetic_frame_time
from studio.metrics.seams import seam_jumps

__all__ = ["COPY_RULES", "DanceMeasures", "evaluate", "measure_dance", "summarize"]

MIN_FRAMES = 3
# duet rules whose partner is meant to be the lead's pose (or its mirror image): left out of the "not a copy"
# medians (the corpus labels' rules: unison, mirror, canon, call_response, levels; the editor's: duet-rules:...)
COPY_RULES = ("unison", "mirror")
_COPY_TEXT = " or ".join(COPY_RULES)
GS_WINDOW = 120  # 4 s at 30 fps: GS is the mean over the dance's 4-s segments


@dataclass
class DanceMeasures:
    """What one dance contributes to the report."""

    name: str
    music: str | None
    frames: int
    fps: float
    kinetic: np.ndarray  # (66,) body, LODGE preparation
    geometric: np.ndarray  # (32,)
    hands: np.ndarray | None  # (90,) finger kinetic features in the wrists' frames; None for body-only data
    scores: dict[str, float] = field(default_factory=dict)  # bas, foot_skating, pfc, mms, interpenetration, seams
    skipped: dict[str, str] = field(default_factory=dict)  # metric -> why not
    duet: np.ndarray | None = None  # (100,) Duolando duet feature
    partner: DanceMeasures | None = None  # the second dancer measured as a dance of its own
    duet_rule: str | None = None  # the duet's rule when a label says it (corpus label_json: unison, mirror, ...)


def measure_dance(
    name: str,
    motion: Motion,
    skeleton: Skeleton,
    *,
    music: str | None = None,
    music_beats: np.ndarray | None = None,
    partner: Motion | None = None,
    compat: bool = False,
    hands: bool = True,
    seam_every: int | None = None,
    genre_scorer: Scorer | None = None,
    music_mel: np.ndarray | None = None,
    gs_window: int = GS_WINDOW,
    duet_rule: str | None = None,
    partner_hands: bool | None = None,
) -> DanceMeasures:
    """Forward kinematics once, then every per-dance feature and score.

    ``music_beats``: beat frames at the motion's frame rate (None: no BAS). ``partner``: the second dancer
    (duet metrics). ``hands=False`` for body-only data (no FID_h). ``seam_every``: segment length in frames
    for the seam ratios (None: none). ``genre_scorer`` (see ``studio.metrics.genre``) with ``music_mel``, the
    music's (T, bands) log-mel at the motion's frame rate: GS, the mean score of the dance's ``gs_window``-frame
    segments against the music under them (None: no GS). ``duet_rule``: the partner's rule when known (the
    "not a copy" medians leave out ``COPY_RULES``); ``partner_hands``: whether the partner has finger rotations
    (None: as ``hands``).
    """
    if motion.num_frames < MIN_FRAMES:
        raise InputError(name, expected=f"a motion of at least {MIN_FRAMES} frames", found=f"{motion.num_frames}")
    transforms = motion.global_transforms(skeleton)
    measures = _solo_measures(name, motion, transforms, music, music_beats, compat, hands)
    positions = transforms[..., :3, 3]
    scores, skipped = measures.scores, measures.skipped
    if partner is not None:
        if partner.num_frames < MIN_FRAMES:
            skipped["duet"] = f"partner has {partner.num_frames} frames"
        else:
            partner_transforms = partner.global_transforms(skeleton)
            other = partner_transforms[..., :3, 3]
            measures.partner = _solo_measures(
                f"{name} (partner)", partner, partner_transforms, music, music_beats, compat,
                hands if partner_hands is None else partner_hands,
            )  # fmt: skip
            measures.duet_rule = duet_rule
            measures.duet = duet_features(positions, other)
            scores["mms"] = motion_motion_score(positions, other)
            scores["interpenetration"] = interpenetration(positions, other)
            closest = closest_per_frame(positions, other)
            scores["close_share"] = float(np.mean(closest < CLEARANCE))
            scores["closest_m"] = float(closest.min())
            scores["pose_to_lead"], scores["pose_to_mirror"] = motion_pose_distances(motion, partner, skeleton)
    if genre_scorer is not None:
        if music_mel is None:
            skipped["gs"] = "no music log-mel"
        else:
            try:
                scores["gs"] = genre_matching_score(genre_scorer, gs_pairs(motion, music_mel, gs_window))
            except InputError as error:
                skipped["gs"] = str(error)
    if seam_every:
        bounds = np.arange(seam_every, motion.num_frames, seam_every)
        if bounds.size:
            summary = seam_jumps(positions, bounds).summary()
            scores["seam_velocity_ratio"] = summary["velocity_ratio_mean"]
            scores["seam_acceleration_ratio"] = summary["acceleration_ratio_mean"]
        else:
            skipped["seams"] = f"shorter than one segment ({seam_every} frames)"
    return measures


def _solo_measures(
    name: str, motion: Motion, transforms: np.ndarray, music: str | None, music_beats: np.ndarray | None,
    compat: bool, hands: bool,
) -> DanceMeasures:  # fmt: skip
    """What one dancer contributes on its own: features for FID_k/g/h, BAS, foot skating, PFC."""
    positions = transforms[..., :3, 3]
    body = lodge_body_positions(positions)
    measures = DanceMeasures(
        name=name,
        music=music,
        frames=motion.num_frames,
        fps=motion.fps,
        kinetic=kinetic_features(body, motion.fps, compat=compat),
        geometric=geometric_features(body),
        hands=(
            kinetic_features(hand_positions_local(positions, transforms[..., :3, :3]), motion.fps, compat=compat)
            if hands
            else None
        ),
    )
    scores, skipped = measures.scores, measures.skipped
    if music_beats is None:
        skipped["bas"] = "no music beats"
    else:
        try:
            scores["bas"] = bas(positions, music_beats)
        except InputError as error:
            skipped["bas"] = str(error)
    skating = foot_skating(positions)
    scores["foot_skating"] = skating.ratio
    scores["pfc"] = pfc(positions, motion.fps)
    return measures


def gs_pairs(motion: Motion, music_mel: np.ndarray, window: int = GS_WINDOW) -> list[tuple[np.ndarray, Motion]]:
    """(mel, motion) pairs of the aligned ``window``-frame segments of a dance and its music (over the frames both
    have; one shorter pair when that is less than a window, none under 2 frames)."""
    length = min(motion.num_frames, len(music_mel))
    if length < 2:
        return []
    starts = range(0, length - window + 1, window) if length >= window else [0]
    size = min(window, length)
    return [(music_mel[s : s + size], motion[s : s + size]) for s in starts]


def summarize(
    ground_truth: Sequence[DanceMeasures], generated: Sequence[DanceMeasures], *, compat: bool = False
) -> dict:
    """The report: ``metrics`` (name -> value), ``skipped`` (name -> reason), ``warnings``, ``counts``,
    ``per_dance``."""
    metrics: dict[str, float] = {}
    skipped: dict[str, str] = {}
    fps = generated[0].fps if generated else (ground_truth[0].fps if ground_truth else 30.0)

    warnings: list[str] = []

    def set_metric(key: str, gt_rows: list, gen_rows: list) -> None:
        if len(gt_rows) < 2 or len(gen_rows) < 2:
            skipped[f"fid_{key}"] = skipped[f"div_{key}"] = (
                f"needs >= 2 dances in each set (ground truth {len(gt_rows)}, generated {len(gen_rows)})"
            )
            return
        constant = _constant_dimensions(np.stack(gt_rows), np.stack(gen_rows))
        if constant:
            warnings.append(
                f"fid_{key}/div_{key}: {constant} dimension(s) never vary in the ground truth but do in the generated "
                "set; the published normalisation divides them by 1e-10, which dominates the value "
                "(use more ground-truth dances)"
            )
        result = fid_div(np.stack(gt_rows), np.stack(gen_rows))
        metrics[f"fid_{key}"], metrics[f"div_{key}"], metrics[f"div_{key}_gt"] = result.fid, result.div, result.div_gt

    set_metric("k", [m.kinetic for m in ground_truth], [m.kinetic for m in generated])
    set_metric("g", [m.geometric for m in ground_truth], [m.geometric for m in generated])
    if all(m.hands is not None for m in (*ground_truth, *generated)):
        set_metric("h", [m.hands for m in ground_truth], [m.hands for m in generated])
    else:
        skipped["fid_h"] = skipped["div_h"] = "body-only motion files (no finger rotations)"
    gt_duets = [m.duet for m in ground_truth if m.duet is not None]
    gen_duets = [m.duet for m in generated if m.duet is not None]
    if gt_duets or gen_duets:
        set_metric("duet", gt_duets, gen_duets)
        # the second dancers as dances of their own, against the ground truth's second dancers
        gt_partners = [m.partner for m in ground_truth if m.partner is not None]
        gen_partners = [m.partner for m in generated if m.partner is not None]
        set_metric("partner_k", [m.kinetic for m in gt_partners], [m.kinetic for m in gen_partners])
        set_metric("partner_g", [m.geometric for m in gt_partners], [m.geometric for m in gen_partners])
        if all(m.hands is not None for m in (*gt_partners, *gen_partners)):
            set_metric("partner_h", [m.hands for m in gt_partners], [m.hands for m in gen_partners])
        else:
            skipped["fid_partner_h"] = skipped["div_partner_h"] = "body-only partner files (no finger rotations)"
        for suffix, dances in (("", generated), ("_gt", ground_truth)):
            _duet_summary(dances, suffix, metrics, skipped)
    _multimodality(ground_truth, generated, metrics, skipped)

    for key in ("bas", "foot_skating", "pfc", "mms", "interpenetration", "close_share", "seam_velocity_ratio",
                "seam_acceleration_ratio", "gs"):  # fmt: skip
        for suffix, dances in (("", generated), ("_gt", ground_truth)):
            values = [m.scores[key] for m in dances if key in m.scores]
            reasons = sorted({m.skipped.get(key, "") for m in dances} - {""})
            if values:
                metrics[key + suffix] = float(np.mean(values))
            elif dances and key == "bas":
                skipped[key + suffix] = "; ".join(reasons[:3]) or "no music beats"
            elif dances and reasons:
                skipped[key + suffix] = "; ".join(reasons[:3])

    return {
        "kinetic_formula": "compat" if compat else "correct",
        "kinetic_frame_time": kinetic_frame_time(fps, compat),
        "geometric_time_per_frame": PUBLISHED_TIME_PER_FRAME,
        "counts": {
            "ground_truth": len(ground_truth),
            "generated": len(generated),
            "generated_duets": sum(m.duet is not None for m in generated),
            "ground_truth_duets": sum(m.duet is not None for m in ground_truth),
        },
        "metrics": metrics,
        "skipped": skipped,
        "warnings": warnings,
        "per_dance": {m.name: _per_dance(m) for m in generated},
    }


def _per_dance(m: DanceMeasures) -> dict:
    row = {"music": m.music, "frames": m.frames, **m.scores}
    if m.partner is not None:
        row["partner"] = dict(m.partner.scores)
        if m.duet_rule is not None:
            row["duet_rule"] = m.duet_rule
    return row


def _duet_summary(dances: Sequence[DanceMeasures], suffix: str, metrics: dict, skipped: dict) -> None:
    """The duet figures that are not plain means: the partner's BAS, the closest approach over every dance
    (the worst case), the pose distances as medians (a few copies should not hide behind many dances, nor
    the reverse), and the same medians over the dances whose rule is known and not a copy rule."""
    duets = [m for m in dances if m.partner is not None]
    if not duets:
        return
    partner_bas = [m.partner.scores["bas"] for m in duets if "bas" in m.partner.scores]
    if partner_bas:
        metrics["bas_partner" + suffix] = float(np.mean(partner_bas))
    else:
        reasons = sorted({m.partner.skipped.get("bas", "") for m in duets} - {""})
        skipped["bas_partner" + suffix] = "; ".join(reasons[:3]) or "no music beats"
    metrics["closest_m" + suffix] = float(min(m.scores["closest_m"] for m in duets))
    not_copies = [m for m in duets if m.duet_rule is not None and m.duet_rule not in COPY_RULES]
    for key in ("pose_to_lead", "pose_to_mirror"):
        metrics[key + suffix] = float(np.median([m.scores[key] for m in duets]))
        if not_copies:
            metrics[key + "_non_copy" + suffix] = float(np.median([m.scores[key] for m in not_copies]))
        else:
            skipped[key + "_non_copy" + suffix] = f"no dance whose label names a rule other than {_COPY_TEXT}"


def _constant_dimensions(gt: np.ndarray, gen: np.ndarray) -> int:
    """How many dimensions are constant in the ground truth while the generated set differs from them."""
    flat = gt.std(axis=0) == 0
    differs = np.any(np.abs(gen - gt.mean(axis=0)) > 1e-12, axis=0)
    return int(np.sum(flat & differs))


def _multimodality(ground_truth, generated, metrics: dict, skipped: dict) -> None:
    groups: dict[str, list[int]] = defaultdict(list)
    for index, m in enumerate(generated):
        if m.music is not None:
            groups[m.music].append(index)
    if len(ground_truth) < 2 or not any(len(g) >= 2 for g in groups.values()):
        skipped["mm_k"] = skipped["mm_g"] = "needs >= 2 generated dances for the same music (and >= 2 ground truth)"
        return
    for key, attribute in (("k", "kinetic"), ("g", "geometric")):
        gt = np.stack([getattr(m, attribute) for m in ground_truth])
        gen = np.stack([getattr(m, attribute) for m in generated])
        _, gen_n = normalize(gt, gen)
        metrics[f"mm_{key}"] = multimodality([gen_n[rows] for rows in groups.values()])


def evaluate(
    ground_truth: Sequence[tuple[str, Motion]],
    generated: Sequence[tuple[str, Motion]],
    skeleton: Skeleton,
    *,
    music_beats: dict[str, np.ndarray] | None = None,
    partners: dict[str, Motion] | None = None,
    compat: bool = False,
    seam_every: int | None = None,
    duet_rules: dict[str, str] | None = None,
) -> dict:
    """In-memory convenience: (name, motion) pairs -> the report. ``music_beats``, ``partners`` and
    ``duet_rules`` are keyed by dance name; a generated dance's music is its name up to the first ``_`` when
    that names a beat list."""
    music_beats = music_beats or {}
    partners = partners or {}
    duet_rules = duet_rules or {}

    def measure(name: str, motion: Motion) -> DanceMeasures:
        music = name if name in music_beats else name.split("_")[0]
        return measure_dance(
            name, motion, skeleton, music=music, music_beats=music_beats.get(music), partner=partners.get(name),
            compat=compat, seam_every=seam_every, duet_rule=duet_rules.get(name),
        )  # fmt: skip

    gt = [measure(name, motion) for name, motion in ground_truth]
    gen = [measure(name, motion) for name, motion in generated]
    return summarize(gt, gen, compat=compat)
