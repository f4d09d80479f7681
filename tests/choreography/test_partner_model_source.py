"""The learned partner as a motion source (``PartnerModelSource``), with a tiny random partner model saved to a
folder as ``studio train partner`` saves one: M candidates per request, the first segment where the formation
puts the partner beside the lead."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from studio.choreography.partner_model import PartnerModelSource  # noqa: E402
from studio.choreography.requests import GenerationRequest  # noqa: E402
from studio.choreography.sources import GeneratorUnavailable  # noqa: E402
from studio.core.finedance import heading, to_array  # noqa: E402
from studio.core.formation import Formation  # noqa: E402
from studio.core.motion import Motion  # noqa: E402
from studio.core.rotations import yaw_to_matrix  # noqa: E402
from studio.ml.duet import LEAD_DIM  # noqa: E402
from studio.ml.fdgn import FDGN, partner_config, preset  # noqa: E402
from studio.ml.normalize import Normalizer  # noqa: E402
from studio.ml.weights import save_pretrained  # noqa: E402


@pytest.fixture(scope="module")
def partner_folder(tmp_path_factory):
    torch.manual_seed(3)
    config = partner_config(preset("tiny"), LEAD_DIM)
    folder = tmp_path_factory.mktemp("models") / "partner-small"
    from studio.core.finedance import MUSIC_DIM

    return save_pretrained(folder, FDGN(config), Normalizer.identity(MUSIC_DIM + LEAD_DIM), {"note": "test"})


def _lead(frames: int, x: float, z: float, yaw: float) -> Motion:
    """A lead standing at (x, z) facing ``yaw`` (radians about +Y)."""
    rotations = np.tile(np.eye(3), (frames, 52, 1, 1))
    rotations[:, 0] = yaw_to_matrix(yaw)  # the pelvis's local rotation is the body's world orientation
    trans = np.tile([x, 0.9, z], (frames, 1))
    return Motion(trans, rotations, 30)


def _watched(folder, monkeypatch):
    """A source on ``folder`` and the list of anchors its pipeline is asked to sample at."""
    source = PartnerModelSource(folder, "cpu", steps=2, threads=1)
    anchors = []
    generate = source.pipeline.generate_segment
    monkeypatch.setattr(source.pipeline, "generate_segment",
                        lambda *a, **k: anchors.append(k["anchor"]) or generate(*a, **k))  # fmt: skip
    return source, anchors


LEAD_XZ, LEAD_YAW = (0.5, -0.3), math.pi / 2  # a lead off the origin, turned a quarter toward +x


def test_a_first_partner_segment_starts_where_the_formation_says(partner_folder, song_like, monkeypatch):
    source, anchors = _watched(partner_folder, monkeypatch)
    lead = _lead(120, *LEAD_XZ, LEAD_YAW)
    assert heading(to_array(lead[:8])) == pytest.approx(LEAD_YAW)
    spots = {kind: Formation(kind, 2.0).place(LEAD_XZ, LEAD_YAW) for kind in ("side", "facing", "behind")}
    for kind, spot in spots.items():
        request = GenerationRequest("dancer-2", 0, 0.0, 4.0, (5, 6, 7), role="partner", lead=lead,
                                    formation=Formation(kind, 2.0), reason="partner")  # fmt: skip
        motions = source.motions(request, song_like, lambda done, total: None, None)
        assert len(motions) == 3 and all(motion.num_frames == 120 for motion, _ in motions)
        # exact: the net samples the partner in the frame of the formation's spot and facing; side by side, the
        # lead is on the partner's right, which the net knows as the mirror image (the lead on its left)
        x, z, yaw = spot
        assert anchors[-1] == pytest.approx((-x, z, -yaw) if kind == "side" else spot)
        # an untrained net wanders off that spot (~1 m here), but each candidate starts nearer its own
        # formation's spot than any other's (they are 2.8 m or more apart)
        for motion, _genre in motions:
            start = to_array(motion[:1])[0, [0, 2]]
            nearest = min(spots, key=lambda k: math.dist(start, spots[k][:2]))
            assert nearest == kind, (kind, start)


def test_later_partner_segments_continue_the_partner_not_the_formation(partner_folder, song_like, monkeypatch):
    source, anchors = _watched(partner_folder, monkeypatch)
    lead = _lead(120, *LEAD_XZ, LEAD_YAW)
    prev = _lead(120, 3.0, 1.0, 0.0)
    request = GenerationRequest("dancer-2", 1, 4.0, 8.0, (1, 2), role="partner", lead=lead, lead_prev=lead,
                                lead_next=lead, prev=prev, formation=Formation("facing"), reason="partner")  # fmt: skip
    motions = source.motions(request, song_like, lambda done, total: None, None)
    assert len(motions) == 2 and anchors == [None]


def test_a_lead_on_the_partners_right_is_sampled_as_its_mirror_image():
    from studio.choreography.partner_model import lead_on_the_right

    lead = _lead(1, 0.0, 0.0, 0.0)
    # a partner facing front (+z) at +x has the lead (at the origin) on its right; at -x, on its left
    assert lead_on_the_right(lead, None, (1.4, 0.0, 0.0))
    assert not lead_on_the_right(lead, None, (-1.4, 0.0, 0.0))
    # face to face and behind: the lead is straight ahead
    assert not lead_on_the_right(lead, None, Formation("facing").place((0.0, 0.0), 0.0))
    assert not lead_on_the_right(lead, None, Formation("behind").place((0.0, 0.0), 0.0))
    # from the partner's previous segment: at +x but turned round (facing -z), the lead is on its left
    assert not lead_on_the_right(lead, _lead(10, 1.4, 0.0, math.pi), None)


def test_a_partner_model_needs_a_lead(partner_folder, song_like):
    source = PartnerModelSource(partner_folder, "cpu", steps=2, threads=1)
    request = GenerationRequest("dancer-2", 0, 0.0, 4.0, (1,), role="partner", reason="partner")
    with pytest.raises(GeneratorUnavailable, match="no lead"):
        source.motions(request, song_like, lambda done, total: None, None)
