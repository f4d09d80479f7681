"""A second dancer by rules: unison, mirror, canon, call-and-response, complementary levels.

The partner is choreographed from the leader's plan (not from its motion), so its feet are planted and
its legs solved like any dancer's. Formations: side by side (same facing) or face to face. The spacing
starts at 1.2-1.8 m and grows (up to 2 m) until no joint of one dancer comes within ``CLEARANCE`` of the
other's; both dancers stay near home because the leader's choreography was made with a small home radius.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from studio.core.motion import Motion
from studio.data.procedural.choreographer import PHRASE, Choreographer, DancePlan, render_plan
from studio.data.procedural.genres import genre
from studio.data.procedural.legs import default_leg_model
from studio.data.procedural.render import DancerState, Placement

RULES = ("unison", "mirror", "canon", "call_response", "levels")
FORMATIONS = ("side", "facing")
CLEARANCE = 0.25  # m between the closest joints of the two dancers
DUET_HOME_RADIUS = 0.45  # m: a leader who dances with a partner travels less
SPACING = (1.2, 2.0)


@dataclass(frozen=True)
class Duet:
    partner: Motion
    rule: str
    formation: str
    spacing: float  # m between the dancers' starting spots
    closest: float  # m, smallest joint-to-joint distance between the dancers over the dance
    plan: DancePlan

    def info(self) -> dict:
        return {"rule": self.rule, "formation": self.formation, "spacing": round(self.spacing, 3),
                "closest": round(self.closest, 3)}  # fmt: skip


def partner_placements(plan: DancePlan, rule: str, rng: np.random.Generator, facing: bool) -> list[Placement]:
    """The partner's placed moves under ``rule``; face to face, travel runs the other way (no collisions)."""
    if rule not in RULES:
        raise ValueError(f"unknown duet rule {rule!r}; rules: {', '.join(RULES)}")
    out: list[Placement] = []
    if rule in ("unison", "mirror", "levels"):
        for p in plan.placements:
            q = replace(p, backward=p.backward != facing)
            if rule == "mirror":
                q = replace(q, mirror=not p.mirror)
            if rule == "levels":
                q = replace(q, level=p.level + 0.12)
            out.append(q)
    elif rule == "canon":
        out = [replace(p, start=p.start + 1, backward=p.backward != facing) for p in plan.placements]
    else:  # call and response: the partner answers each even phrase one phrase later, grooves otherwise
        c = Choreographer(plan.genre, rng, home_radius=DUET_HOME_RADIUS)
        first = min(p.start for p in plan.placements)
        last = max(p.start + p.move.counts for p in plan.placements)
        for phrase_start in range(first, last, PHRASE):
            index = (phrase_start - first) // PHRASE
            previous = [p for p in plan.placements if phrase_start - PHRASE <= p.start < phrase_start]
            if index % 2 == 0 or not previous:
                out += c.groove(phrase_start, PHRASE)
            else:
                out += [replace(p, start=p.start + PHRASE, backward=p.backward != facing) for p in previous]
    return out


def _closest(a: np.ndarray, b: np.ndarray) -> float:
    """Smallest distance between any joint of dancer a and any joint of dancer b over all frames (m)."""
    step = max(1, len(a) // 400)  # every few frames is enough: nobody moves 25 cm in 2 frames
    pa, pb = a[::step], b[::step]
    d = np.linalg.norm(pa[:, :, None] - pb[:, None, :], axis=-1)
    return float(d.min())


def make_duet(
    plan: DancePlan, beats: np.ndarray, frames: int, leader: Motion, rng: np.random.Generator,
    rule: str | None = None, formation: str | None = None,
) -> Duet:  # fmt: skip
    rule = rule or str(rng.choice(RULES))
    formation = formation or str(rng.choice(FORMATIONS))
    facing = formation == "facing"
    stance = genre(plan.genre).dance.stance
    placements = partner_placements(plan, rule, rng, facing)
    skeleton = default_leg_model().skeleton
    leader_positions = leader.positions(skeleton)
    spacing = float(rng.uniform(SPACING[0], 1.8))
    best: tuple[float, float, Motion, DancePlan] | None = None
    while True:
        if facing:
            start = DancerState.standing(stance, at=(0.0, spacing), facing=180.0)
        else:
            start = DancerState.standing(stance, at=(-spacing, 0.0))
        partner_plan = DancePlan(plan.genre, tuple(placements), start)
        motion = render_plan(partner_plan, beats, frames)
        closest = _closest(leader_positions, motion.positions(skeleton))
        if best is None or closest > best[1]:
            best = (spacing, closest, motion, partner_plan)
        if closest >= CLEARANCE or spacing >= SPACING[1] - 1e-9:
            break
        spacing = min(spacing + 0.1, SPACING[1])
    spacing, closest, motion, partner_plan = best
    return Duet(motion, rule, formation, spacing, closest, partner_plan)
