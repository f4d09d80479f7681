"""The papers' metrics: FID_k/g/h, Div, BAS, MM, GS, foot skating, PFC, duet scores, seams (numpy/scipy).

Functions take joint positions ``(T, J, 3)`` in metres, Y up (``Motion.positions(skeleton)``) or feature
arrays; ``evaluate`` works on ``Motion`` objects and is what ``studio eval`` reports. Formulas, sources and
every difference from the published code: docs/metrics.md.
"""

from studio.metrics.beats import (
    bas,
    beat_align_score,
    motion_beats,
    motion_motion_score,
    music_beats_from_features,
    music_beats_from_times,
)
from studio.metrics.distribution import FidDiv, diversity, fid, fid_div, multimodality, normalize
from studio.metrics.duet import CAPSULES, duet_features, interpenetration, interpenetration_frames
from studio.metrics.evaluate import DanceMeasures, evaluate, measure_dance, summarize
from studio.metrics.feet import FootSkating, foot_skating, pfc
from studio.metrics.genre import genre_matching_score
from studio.metrics.geometric import geometric_features
from studio.metrics.joints import BODY22, DUET10, SMPL24, hand_positions_local, lodge_body_positions
from studio.metrics.kinetic import kinetic_features, kinetic_frame_time
from studio.metrics.seams import SeamJumps, seam_jumps

__all__ = [
    "BODY22",
    "CAPSULES",
    "DUET10",
    "SMPL24",
    "DanceMeasures",
    "FidDiv",
    "FootSkating",
    "SeamJumps",
    "bas",
    "beat_align_score",
    "diversity",
    "duet_features",
    "evaluate",
    "fid",
    "fid_div",
    "foot_skating",
    "genre_matching_score",
    "geometric_features",
    "hand_positions_local",
    "interpenetration",
    "interpenetration_frames",
    "kinetic_features",
    "kinetic_frame_time",
    "lodge_body_positions",
    "measure_dance",
    "motion_beats",
    "motion_motion_score",
    "multimodality",
    "music_beats_from_features",
    "music_beats_from_times",
    "normalize",
    "pfc",
    "seam_jumps",
    "summarize",
]
