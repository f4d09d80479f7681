"""Every genre's vocabulary, and the checks a move must pass to be in it."""

from __future__ import annotations

import numpy as np

from studio.data.procedural.clearance import clearance
from studio.data.procedural.genres import GENRES, genre
from studio.data.procedural.moves import Move

PENETRATION = 0.02  # m of overlap between our rough capsules and a limb that we call a limb in the body


def _all() -> dict[str, tuple[Move, ...]]:
    from studio.data.procedural import vocab_classical, vocab_folk, vocab_street

    table = {**vocab_street.VOCABULARY, **vocab_classical.VOCABULARY, **vocab_folk.VOCABULARY}
    missing = [g for g in GENRES if g not in table]
    if missing:
        raise RuntimeError(f"no vocabulary for {missing}")
    return table


_TABLE: dict[str, tuple[Move, ...]] | None = None


def moves_for(genre_name: str) -> tuple[Move, ...]:
    global _TABLE
    if _TABLE is None:
        _TABLE = _all()
    return _TABLE[genre(genre_name).name]


def move_named(genre_name: str, name: str) -> Move:
    for move in moves_for(genre_name):
        if move.name == name:
            return move
    raise KeyError(f"{genre_name} has no move {name!r}")


def check_move(genre_name: str, move: Move) -> list[str]:
    """Problems of a move danced alone (and mirrored) from a neutral stance: empty when it is sound.

    Both feet must end in the same offset and facing (so the next move starts from a clean stance), no
    hand or elbow may pass through the body, knees stay within 150 degrees.
    """
    from studio.data.procedural.choreographer import render_placements
    from studio.data.procedural.legs import default_leg_model
    from studio.data.procedural.render import Placement

    problems = []
    style = genre(genre_name).dance
    loudest = max(style.amplitude)
    variants = ((False, 1.0, 0.0), (True, 1.0, 0.0), (False, loudest, 0.05), (True, loudest, -0.02))
    for mirror, amplitude, level in variants:
        placements = [Placement(move, 1, mirror=mirror, amplitude=amplitude, level=level)]
        beats = np.arange(move.counts + 4) * 0.5 + 0.5
        motion, state = render_placements(placements, genre_name, beats, int((move.counts + 3) * 15 + 15))
        facing = state.facing
        if abs(facing[0] - facing[1]) > 1.0:
            problems.append(f"feet end facing {facing[0]:.0f} and {facing[1]:.0f} degrees")
        offsets = state.feet - state.feet.mean(axis=0)
        width = np.linalg.norm(offsets[0] - offsets[1])
        if abs(width - style.stance) > 0.03:
            problems.append(f"feet end {width:.2f} m apart instead of the stance {style.stance:.2f} m")
        positions = motion.positions(default_leg_model().skeleton)
        gap = clearance(positions)
        if gap.min() < -PENETRATION:
            frame = int(np.argmin(gap))
            from studio.data.procedural.clearance import worst_probe

            joint, part, value = worst_probe(positions, frame)
            variant = f"mirror={mirror} amplitude={amplitude:.2f} level={level:+.2f}"
            problems.append(f"{variant}: limb in the body at frame {frame}: joint {joint} in part {part} "
                            f"by {-value:.3f} m")
        knee = np.degrees(np.linalg.norm(motion.axis_angle()[:, [4, 5]], axis=-1)).max()
        if knee > 150.5:
            problems.append(f"knee bent {knee:.0f} degrees")
    return problems
