"""Duets: every rule gives a partner at a sensible distance that never runs into the leader."""

import numpy as np
import pytest

from studio.data.procedural.choreographer import plan_song, render_plan
from studio.data.procedural.duet import DUET_HOME_RADIUS, FORMATIONS, RULES, make_duet
from studio.data.procedural.genres import genre
from studio.data.procedural.legs import default_leg_model
from studio.metrics.duet import interpenetration
from studio.metrics.feet import foot_skating

COUNTS = 32


@pytest.fixture(scope="module")
def leader():
    name = "Locking"
    bpm = float(np.mean(genre(name).music.tempo))
    beats = 0.4 + 60.0 / bpm * np.arange(COUNTS + 1)
    plan = plan_song(name, COUNTS, np.random.default_rng(4), home_radius=DUET_HOME_RADIUS)
    frames = int((beats[-1] + 1.0) * 30)
    return plan, beats, frames, render_plan(plan, beats, frames)


@pytest.mark.parametrize("formation", FORMATIONS)
@pytest.mark.parametrize("rule", RULES)
def test_partner_keeps_its_distance(leader, rule, formation):
    plan, beats, frames, motion = leader
    duet = make_duet(plan, beats, frames, motion, np.random.default_rng(1), rule=rule, formation=formation)
    skeleton = default_leg_model().skeleton
    a, b = motion.positions(skeleton), duet.partner.positions(skeleton)
    assert duet.partner.num_frames == motion.num_frames
    assert 1.2 <= duet.spacing <= 2.0
    pelvis = np.linalg.norm((a[:, 0] - b[:, 0])[:, [0, 2]], axis=1)
    assert pelvis.min() >= 0.9 and pelvis.max() <= 2.8
    assert duet.closest >= 0.15
    assert interpenetration(a, b) == 0.0
    assert foot_skating(b).ratio <= 0.05  # the partner's feet are planted like anyone's


def test_rules_differ(leader):
    plan, beats, frames, motion = leader
    partners = {
        rule: make_duet(plan, beats, frames, motion, np.random.default_rng(2), rule=rule, formation="side").partner
        for rule in ("unison", "mirror", "canon")
    }
    unison, mirror, canon = (partners[r].rotations[:, 16:22] for r in ("unison", "mirror", "canon"))
    assert np.allclose(unison, motion.rotations[:, 16:22], atol=1e-6)  # the same arms
    assert not np.allclose(mirror, unison, atol=1e-3)
    assert not np.allclose(canon, unison, atol=1e-3)
