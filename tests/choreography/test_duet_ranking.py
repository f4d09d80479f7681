"""The duet ranker: a partner's candidates by GS and CS (the solo ranker's) plus the motion-motion score and the
clearance with the lead, all weighted by the request's ScoreWeights; wired in for partner requests only."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from studio.choreography.generators import Generators
from studio.choreography.partner import PartnerSource
from studio.choreography.ranking import DuetRanker, FallbackRanker, Unranked, duet_terms
from studio.choreography.requests import GenerationRequest, GenreGuess
from studio.core.motion import Motion
from studio.core.ranking import ScoreWeights
from studio.core.skeleton import joint_index

FRAMES = 120
APART = np.array([2.5, 0.0, 0.0])  # m: arms out, the mannequin is ~1.6 m wide
GUESS = GenreGuess((("Jazz", 0.6), ("Kun", 0.4)), "tempo")


@pytest.fixture(scope="module")
def ranker():
    return FallbackRanker()


def _swing(skeleton, period: float, phase: float = 0.0, offset=(0.0, 0.0, 0.0)) -> Motion:
    """Both arms swinging up and down with ``period`` frames: motion beats (speed minima) every period / 2."""
    rest = Motion.rest(FRAMES, skeleton)
    rotations = rest.rotations.copy()
    angle = 0.6 * np.sin(2 * np.pi * (np.arange(FRAMES) + phase) / period)
    c, s = np.cos(angle), np.sin(angle)
    about_z = np.zeros((FRAMES, 3, 3))
    about_z[:, 0, 0], about_z[:, 0, 1], about_z[:, 1, 0], about_z[:, 1, 1], about_z[:, 2, 2] = c, -s, s, c, 1.0
    for joint in ("left_shoulder", "right_shoulder"):
        rotations[:, joint_index(joint)] = about_z
    return Motion(rest.trans + np.asarray(offset), rotations, rest.fps)


def _request(lead, weights=None, genre=None):
    return GenerationRequest("p", 1, 4.0, 8.0, (1, 2, 3), role="partner", lead=lead, genre=genre,
                             weights=weights or ScoreWeights())  # fmt: skip


def test_duet_terms_of_a_copy_and_of_an_overlap(ranker):
    lead = _swing(ranker.skeleton, 30).positions(ranker.skeleton)
    apart = duet_terms(lead, lead + APART)
    assert apart["mm"] == pytest.approx(1.0) and apart["clear"] == 0.0 and apart["closest_m"] > 0.2
    overlapping = duet_terms(lead, lead + np.array([0.1, 0.0, 0.0]))
    assert overlapping["clear"] == -1.0 and overlapping["closest_m"] < 0.2


def test_prefers_a_clear_beat_aligned_partner_over_an_overlapping_one(ranker):
    skeleton = ranker.skeleton
    lead = _swing(skeleton, 30)
    aligned = _swing(skeleton, 30, offset=APART)  # on the lead's beats, well apart
    overlapping = _swing(skeleton, 30, offset=[0.1, 0.0, 0.0])  # on the beats, but inside the lead
    off_beat = _swing(skeleton, 30, phase=7.5, offset=APART)  # apart, a quarter period late
    motions = [(overlapping, "Jazz"), (off_beat, "Jazz"), (aligned, "Jazz")]
    rows = DuetRanker(ranker).rank(motions, _request(lead), None, GUESS)
    assert [i for i, _, _ in rows] == [2, 1, 0]
    best, _, worst = (scores for _, scores, _ in rows)
    assert best["mm"] > 0.9 > 0.3 > next(s for i, s, _ in rows if i == 1)["mm"]
    assert worst["clear"] == -1.0 and worst["score"] < -90  # below every clear one
    assert set(best) == {"score", "gs", "cs", "mm", "clear", "closest_m"}
    assert best["score"] == pytest.approx(best["gs"] + 0.5 * best["cs"] + best["mm"])


def test_weights_change_the_order(ranker):
    skeleton = ranker.skeleton
    lead = _swing(skeleton, 30)
    on_beat_kun = _swing(skeleton, 30, offset=APART)  # the less likely genre, on the beats
    off_beat_jazz = _swing(skeleton, 30, phase=7.5, offset=APART)  # the likelier genre, off the beats
    motions = [(on_beat_kun, "Kun"), (off_beat_jazz, "Jazz")]

    def order(**weights):
        rows = DuetRanker(ranker).rank(motions, _request(lead, ScoreWeights(**weights)), None, GUESS)
        return [i for i, _, _ in rows]

    assert order() == [0, 1]  # MM weighs 1: the beats beat the genre (GS 0.67 vs 1)
    assert order(mm=0.0) == [1, 0]
    assert order(gs=3.0) == [1, 0]
    # a touching partner is last with the default clearance weight, and back in the game with none
    touching = _swing(skeleton, 30, offset=[0.1, 0.0, 0.0])
    motions = [(off_beat_jazz, "Jazz"), (touching, "Jazz")]
    assert order() == [0, 1] and order(clear=0.0) == [1, 0]


def test_without_a_lead_or_behind_an_unranked_solo_the_solo_ranking_stands(ranker):
    lead = _swing(ranker.skeleton, 30)
    motions = [(lead.translated(APART), "Jazz"), (lead, "Kun")]
    no_lead = GenerationRequest("p", 1, 4.0, 8.0, (1, 2), role="partner")
    assert DuetRanker(ranker).rank(motions, no_lead, None, GUESS) == ranker.rank(motions, no_lead, None, GUESS)
    rows = DuetRanker(Unranked()).rank(motions, _request(lead), None, GUESS)
    assert [(i, scores) for i, scores, _ in rows] == [(0, {}), (1, {})]


def test_generators_rank_rule_partners_by_the_duet_ranker_and_leads_as_before(song_like, ranker):
    lead_motion = _swing(ranker.skeleton, 30)
    generators = Generators(lead=PartnerSource(), ranker=ranker)  # any source: a solo request never reads it
    request = GenerationRequest("p", 1, 4.0, 8.0, tuple(range(6)), role="partner", lead=lead_motion,
                                lead_prev=lead_motion, lead_genre="Jazz")  # fmt: skip
    response = generators.generate(request, song_like, lambda d, t: None, threading.Event())
    labels = {c.model_id for c in response.candidates}
    assert labels == {f"duet-rules:{rule}" for rule in PartnerSource.RULES}
    for candidate in response.candidates:
        assert {"mm", "clear", "closest_m"} <= set(candidate.scores)
    scores = [c.score for c in response.candidates]
    assert scores == sorted(scores, reverse=True)
    # unison and mirror of a symmetric swing move on the lead's beats; the canons (2 and 4 beats late) need not
    assert response.candidates[0].scores["mm"] == pytest.approx(1.0)
    # a lead request: the solo ranker alone, its terms only
    solo = GenerationRequest("d", 1, 4.0, 8.0, (1,), lead=None)
    generators.lead = type("Still", (), {"name": "still", "model_id": "still", "device": "CPU",
                                         "motions": lambda self, *a: [(lead_motion, "Jazz")]})()  # fmt: skip
    only = generators.generate(solo, song_like, lambda d, t: None, threading.Event()).candidates[0]
    assert set(only.scores) == {"score", "gs", "cs"}
