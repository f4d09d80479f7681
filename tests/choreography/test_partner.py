"""Partners: the plan's partner requests (formation, the lead around the segment), the duet rules placed by the
formation, and the learned partner's candidates first with the rules as extra ones."""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
import pytest

from studio.choreography.generators import Generators
from studio.choreography.partner import PARTNER_SPACING, DuetSource, PartnerSource, rule_extras
from studio.choreography.plan import request_for, song_seeds
from studio.choreography.ranking import Unranked
from studio.choreography.requests import GenerationRequest
from studio.core import rotations as rot
from studio.core.document import Candidate, Project, Song
from studio.core.finedance import heading, to_array
from studio.core.formation import Formation
from studio.core.motion import Motion

FRAMES = 120


def walk(x0=0.0, dz=0.004, frames=FRAMES, yaw=0.0):
    """A body facing ``yaw`` walking forward from (x0, 0): root moves, the pose stays."""
    trans = np.zeros((frames, 3))
    trans[:, 0], trans[:, 1], trans[:, 2] = x0, 0.9, dz * np.arange(frames)
    rotations = np.broadcast_to(np.eye(3), (frames, 52, 3, 3)).copy()
    rotations[:, 0] = rot.yaw_to_matrix(yaw)
    return Motion(trans, rotations)


def duet_project(formation=None):
    song = Song("s.wav", "ab" * 32, 12.0, 120.0, segments=[(0, 4), (4, 8), (8, 12)])
    project = Project(song)
    for segment in range(3):
        project.set_candidates(0, segment, [Candidate(walk(dz=0.004 * (segment + 1)), seed=segment)])
    project.add_dancer("Bea", formation=formation)
    return project


def test_a_partner_request_has_its_formation_and_the_lead_around_the_segment():
    project = duet_project(Formation("facing", 2.0))
    partner = project.dancers[1].id
    middle = request_for(project, partner, 1, (5, 6), "partner")
    assert middle.formation == Formation("facing", 2.0)
    assert middle.lead is project.chosen_motion(0, 1)
    assert middle.lead_prev is project.chosen_motion(0, 0) and middle.lead_next is project.chosen_motion(0, 2)
    last = request_for(project, partner, 2, (5,), "partner", next_motion=False)
    assert last.lead_next is None and last.lead_prev is project.chosen_motion(0, 1)
    assert request_for(project, partner, 1, (5,), "follow", next_motion=False).lead_next is not None
    lead = request_for(project, 0, 1, (5,), "regenerate")
    assert lead.formation is None and lead.lead is None and lead.lead_next is None


def test_the_default_formation_places_rule_partners_as_before():
    lead = walk(x0=0.2)
    request = GenerationRequest("p", 0, 0.0, 4.0, (0, 2), role="partner", lead=lead)  # no formation: default
    source = PartnerSource()
    mirror = source.partner(request, "mirror", 0.5)
    unison = source.partner(request, "unison", 0.5)
    np.testing.assert_allclose(unison.trans, lead.trans + np.array([PARTNER_SPACING, 0.0, 0.0]))
    np.testing.assert_allclose(mirror.trans, lead.mirrored().trans + np.array([PARTNER_SPACING, 0.0, 0.0]))
    placed = GenerationRequest("p", 0, 0.0, 4.0, (0,), role="partner", lead=lead, formation=Formation())
    np.testing.assert_allclose(source.partner(placed, "unison", 0.5).trans, unison.trans)


@pytest.mark.parametrize("kind", ["side", "facing", "behind"])
def test_rule_partners_stand_where_the_formation_says(kind):
    lead = walk()  # from the lead's home spot, facing the audience
    formation = Formation(kind, 2.0)
    request = GenerationRequest("p", 0, 0.0, 4.0, (0,), role="partner", lead=lead, formation=formation)
    x, z, yaw = formation.place((0.0, 0.0), 0.0)
    for rule in PartnerSource.RULES:
        partner = PartnerSource().partner(request, rule, 0.5)
        assert partner.num_frames == lead.num_frames
        np.testing.assert_allclose(partner.trans[0, [0, 2]], [x, z], atol=1e-9)  # the first frame: held lead pose
        assert abs(rot.wrap_angle(heading(to_array(partner)) - yaw)) < 1e-6
    unison = PartnerSource().partner(request, "unison", 0.5)
    gap = np.linalg.norm(unison.trans[:, [0, 2]] - lead.trans[:, [0, 2]], axis=1)
    if kind == "facing":  # both walk forward, toward each other
        assert gap[-1] < gap[0] == pytest.approx(2.0)
    else:  # side by side or one behind the other: they walk together
        np.testing.assert_allclose(gap, 2.0, atol=1e-9)


def test_rule_labels_are_kept_whatever_the_formation(song_like):
    request = GenerationRequest("p", 1, 4.0, 8.0, tuple(range(6)), role="partner", lead=walk(), lead_prev=walk(),
                                formation=Formation("behind", 1.0))  # fmt: skip
    response = Generators(PartnerSource(), ranker=Unranked()).generate(
        request, song_like, lambda d, t: None, threading.Event()
    )
    assert {c.model_id for c in response.candidates} == {f"duet-rules:{r}" for r in PartnerSource.RULES}


class FakeModel:
    """A partner model stand-in: one walk per seed, 10 progress steps, a note the first time."""

    name, model_id, device = "partner tiny", "partner-tiny", "CPU"

    def __init__(self):
        self.asked = []
        self.notes = ["the GPU ran out of memory"]

    def motions(self, request, song, progress, interrupt):
        self.asked.append(request.seeds)
        for step in range(10):
            progress(step + 1, 10)
        return [(walk(x0=3.0 + seed / 100), request.lead_genre) for seed in request.seeds]


def test_rule_extras_are_a_quarter_rounded_down():
    assert [rule_extras(n) for n in (1, 3, 4, 7, 8, 12)] == [0, 0, 1, 1, 2, 3]


def test_the_learned_partner_comes_first_and_the_rules_are_extra_labelled_candidates(song_like):
    model = FakeModel()
    generators = Generators(PartnerSource(), partner=DuetSource(model), ranker=Unranked())
    seeds = song_seeds("ab" * 32, "dancer-2", 1, 8)
    request = GenerationRequest("dancer-2", 1, 4.0, 8.0, seeds, role="partner", lead=walk(), lead_prev=walk(),
                                formation=Formation())  # fmt: skip
    steps = []
    response = generators.generate(request, song_like, lambda d, t: steps.append((d, t)), threading.Event())
    assert model.asked == [seeds[:6]]  # the lowest six seeds: the model's, in one batch
    by_seed = {c.seed: c.model_id for c in response.candidates}
    assert [by_seed[s] for s in seeds[:6]] == ["partner-tiny"] * 6
    assert {by_seed[s] for s in seeds[6:]} <= {f"duet-rules:{r}" for r in PartnerSource.RULES}
    assert steps[-1] == (12, 12) and all(d <= t for d, t in steps)  # 10 model steps + 2 rule candidates
    assert response.notes == ("the GPU ran out of memory",) and not model.notes  # said once
    # a follow passes the seeds best first: each seed goes to the same source again
    again = generators.generate(GenerationRequest("dancer-2", 1, 4.0, 8.0, tuple(reversed(seeds)), role="partner",
                                                  lead=walk(), lead_prev=walk()),
                                song_like, lambda d, t: None, threading.Event())  # fmt: skip
    assert {c.seed: c.model_id for c in again.candidates} == by_seed
    assert sorted(model.asked[-1]) == sorted(seeds[:6]) and not again.notes


def test_rule_extras_that_do_not_join_the_partners_previous_segment_go_to_the_model(song_like):
    model = FakeModel()
    source = DuetSource(model)
    seeds = song_seeds("cd" * 32, "dancer-2", 2, 8)
    # the partner's own previous segment ended 3 m from where the rules stand: none of them joins it
    far = walk(x0=-3.0)
    request = GenerationRequest("dancer-2", 2, 8.0, 12.0, seeds, role="partner", lead=walk(), lead_prev=walk(),
                                prev=far, formation=Formation())  # fmt: skip
    made = source.motions(request, song_like, lambda d, t: None, threading.Event())
    assert sorted(model.asked[-1]) == sorted(seeds) and all(m[0] is not None for m in made)
    # where the previous segment ends at a rule partner's first spot, that rule's extra stays
    near = PartnerSource().partner(replace(request, seeds=seeds[:1]), "unison", 0.5)
    made = source.motions(replace(request, prev=near[:1]), song_like, lambda d, t: None, threading.Event())
    assert len(model.asked[-1]) <= 7 and len(made) == 8


def test_without_a_model_the_rules_make_every_candidate_and_say_why(song_like):
    source = DuetSource(None, notes=["No partner model: the duet rules make the partner."])
    generators = Generators(PartnerSource(), partner=source, ranker=Unranked())
    request = GenerationRequest("p", 1, 4.0, 8.0, tuple(range(8)), role="partner", lead=walk(), lead_prev=walk())
    first = generators.generate(request, song_like, lambda d, t: None, threading.Event())
    assert all(c.model_id.startswith("duet-rules:") for c in first.candidates) and len(first.candidates) == 8
    assert first.notes == ("No partner model: the duet rules make the partner.",)
    assert not generators.generate(request, song_like, lambda d, t: None, threading.Event()).notes


def test_no_partner_source_refuses_partner_requests(song_like):
    from studio.choreography.sources import GeneratorUnavailable

    generators = Generators(PartnerSource(), partner=None, ranker=Unranked())
    request = GenerationRequest("p", 1, 4.0, 8.0, (1,), role="partner", lead=walk())
    with pytest.raises(GeneratorUnavailable, match="partners are turned off"):
        generators.generate(request, song_like, lambda d, t: None, threading.Event())


def test_load_partner_kinds(monkeypatch, tmp_path):
    from studio.choreography.generators import load_partner

    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path))  # no partner-small here
    assert load_partner("none") is None
    assert isinstance(load_partner("rules"), PartnerSource)
    assert isinstance(load_partner("model", allow_models=False), PartnerSource)  # models off: no note either
    missing = load_partner("model")
    assert isinstance(missing, DuetSource) and missing.model is None and missing.model_id == "duet-rules"
    assert "No partner model (partner-small)" in missing.notes[0]
    with pytest.raises(ValueError, match="model, rules, none"):
        load_partner("copy")


def test_a_partner_model_that_fails_to_load_falls_back_to_the_rules_when_first_needed(monkeypatch, tmp_path,
                                                                                        song_like):  # fmt: skip
    from studio.choreography.generators import load_partner

    folder = tmp_path / "partner-small"
    folder.mkdir()
    (folder / "config.json").write_text("{not json")
    (folder / "model.safetensors").write_bytes(b"\0" * 16)
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path))
    source = load_partner("model", "cpu")
    assert isinstance(source, DuetSource) and source.loader is not None and not source.notes  # not loaded yet
    generators = Generators(PartnerSource(), partner=source, ranker=Unranked())
    request = GenerationRequest("p", 1, 4.0, 8.0, tuple(range(4)), role="partner", lead=walk(), lead_prev=walk())
    response = generators.generate(request, song_like, lambda d, t: None, threading.Event())
    assert all(c.model_id.startswith("duet-rules:") for c in response.candidates)
    assert len(response.notes) == 1 and f"The partner model in {folder} did not load" in response.notes[0]
    assert "the duet rules make the partner" in response.notes[0]


def test_load_partner_makes_the_learned_partners_candidates_with_the_rules_after_them(monkeypatch, tmp_path,
                                                                                      song_like):  # fmt: skip
    torch = pytest.importorskip("torch")
    from studio.choreography.generators import load_partner
    from studio.core.finedance import MUSIC_DIM
    from studio.ml.duet import LEAD_DIM
    from studio.ml.fdgn import FDGN, partner_config, preset
    from studio.ml.normalize import Normalizer
    from studio.ml.weights import save_pretrained

    torch.manual_seed(3)
    save_pretrained(tmp_path / "partner-small", FDGN(partner_config(preset("tiny"), LEAD_DIM)),
                    Normalizer.identity(MUSIC_DIM + LEAD_DIM), {"note": "test"})  # fmt: skip
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path))
    source = load_partner("model", "cpu", threads=1, steps=2)
    generators = Generators(PartnerSource(), partner=source, ranker=Unranked())
    seeds = tuple(range(40, 48))
    request = GenerationRequest("dancer-2", 0, 0.0, 4.0, seeds, role="partner", lead=walk(), lead_next=walk(),
                                formation=Formation("facing", 2.0), reason="partner")  # fmt: skip
    response = generators.generate(request, song_like, lambda d, t: None, threading.Event())
    assert source.model is not None and not response.notes
    ids = {c.seed: c.model_id for c in response.candidates}
    assert [ids[s] for s in seeds[:6]] == [source.model.model_id] * 6
    assert all(ids[s].startswith("duet-rules:") for s in seeds[6:])
    spots = {kind: np.array(Formation(kind, 2.0).place((0.0, 0.0), 0.0)[:2]) for kind in ("side", "facing", "behind")}
    for candidate in response.candidates:  # in front of the lead: the rules exactly, the (random) model nearest
        assert candidate.motion.num_frames == FRAMES
        start = candidate.motion.trans[0, [0, 2]]
        if candidate.model_id.startswith("duet-rules:"):
            np.testing.assert_allclose(start, spots["facing"], atol=1e-9)
        assert min(spots, key=lambda kind: np.linalg.norm(start - spots[kind])) == "facing"
