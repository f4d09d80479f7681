"""The partner model's condition (studio.ml.duet) and how the pipeline samples a partner with it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.core.errors import InputError
from studio.core.finedance import FEATURE_DIM, MUSIC_DIM, heading, rotate_about_y
from studio.core.rotations import matrix_to_rot6d, yaw_to_matrix
from studio.ml.duet import LEAD_DIM, canonical_duet, lead_condition, turn_points, widen_condition
from studio.ml.fdgn import FDGN, partner_config, preset
from studio.ml.normalize import ROOT_X, ROOT_Z
from studio.ml.pipeline import Choreographer


def _standing(frames: int, x: float, z: float, yaw: float) -> np.ndarray:
    """(T, 319) features of a body standing at (x, z) facing ``yaw``."""
    features = np.zeros((frames, FEATURE_DIM), dtype=np.float32)
    identity = matrix_to_rot6d(np.eye(3))
    features[:, 7:] = np.tile(identity, 52)
    features[:, 7:13] = matrix_to_rot6d(yaw_to_matrix(yaw))
    features[:, ROOT_X], features[:, 5], features[:, ROOT_Z] = x, 0.9, z
    return features


def test_turn_points_turns_as_a_body_turns():
    body = _standing(1, 1.0, 2.0, 0.0)
    turned = rotate_about_y(body, 0.7, (0.5, -0.5))
    point = turn_points(np.array([[1.0, 0.9, 2.0]]), 0.7, (0.5, -0.5))
    assert np.allclose(point[0, [0, 2]], turned[0, [ROOT_X, ROOT_Z]], atol=1e-6)


def test_a_window_is_put_in_the_partners_frame():
    # the partner at (3, 1) facing a quarter turn; the lead 1.5 m away along the partner's facing direction
    partner = _standing(20, 3.0, 1.0, np.pi / 2)
    ahead = turn_points(np.array([[0.0, 0.0, 1.5]]), np.pi / 2, (0.0, 0.0))[0]
    lead = np.zeros((20, 22, 3))
    lead[:, :, 0], lead[:, :, 1], lead[:, :, 2] = 3.0 + ahead[0], 1.0, 1.0 + ahead[2]
    features, condition = canonical_duet(partner, lead.reshape(20, LEAD_DIM), context_frames=8)
    assert np.allclose(features[0, [ROOT_X, ROOT_Z]], 0.0, atol=1e-6)
    assert heading(features[:8]) == pytest.approx(0.0, abs=1e-5)
    assert condition.shape == (20, LEAD_DIM)
    # in the partner's frame the lead is straight ahead of it (facing front = +z), 1.5 m away
    pelvis = condition[0, :3]
    assert pelvis[0] == pytest.approx(0.0, abs=1e-5) and pelvis[2] == pytest.approx(1.5, abs=1e-5)
    assert pelvis[1] == pytest.approx(1.0)


def test_lead_condition_checks_its_input():
    with pytest.raises(ValueError, match="22"):
        lead_condition(np.zeros((5, 10, 3)), 0.0, (0, 0), (0, 0))


def test_a_widened_solo_model_dances_as_the_solo_model():
    torch.manual_seed(0)
    solo = FDGN(preset("tiny")).eval()
    partner = FDGN(partner_config(solo.config, LEAD_DIM)).eval()
    partner.load_state_dict(widen_condition(solo.state_dict(), MUSIC_DIM, MUSIC_DIM + LEAD_DIM))
    x, t, music = torch.randn(2, 24, FEATURE_DIM), torch.tensor([700, 20]), torch.randn(2, 24, MUSIC_DIM)
    with torch.no_grad():
        alone = solo(x, t, music)
        with_lead = partner(x, t, torch.cat((music, torch.randn(2, 24, LEAD_DIM)), dim=-1))
    assert torch.allclose(alone, with_lead, atol=1e-6)
    assert partner.body.cond_projection.weight.shape[1] == MUSIC_DIM + LEAD_DIM


@pytest.fixture(scope="module")
def partner_pipeline():
    torch.manual_seed(1)
    config = partner_config(preset("tiny"), LEAD_DIM)
    return Choreographer(FDGN(config), device="cpu")


def _lead(frames: int, x: float, z: float) -> np.ndarray:
    positions = np.zeros((frames, 22, 3), dtype=np.float32)
    positions[:, :, 0], positions[:, :, 1], positions[:, :, 2] = x, 1.0, z
    return positions


def test_a_partner_model_needs_the_lead(partner_pipeline):
    music = np.zeros((60, MUSIC_DIM), dtype=np.float32)
    with pytest.raises(InputError, match="lead"):
        partner_pipeline.generate_segment(music, 0, 30, num_candidates=1)


def test_the_net_sees_the_lead_in_the_partners_frame(partner_pipeline, monkeypatch):
    seen = []
    encode = partner_pipeline.model.encode_music
    monkeypatch.setattr(partner_pipeline.model, "encode_music", lambda m: seen.append(m.clone()) or encode(m))
    music = np.zeros((90, MUSIC_DIM), dtype=np.float32)
    # the partner starts at (2, 0) facing a quarter turn left; the lead stands at the origin
    partner_pipeline.generate_segment(music, 0, 30, num_candidates=2, lead=(_lead(90, 0.0, 0.0), 0),
                                      anchor=(2.0, 0.0, np.pi / 2))  # fmt: skip
    condition = seen[0][0, :, MUSIC_DIM:].numpy()  # the normaliser is the identity here
    expected = turn_points(np.array([[-2.0, 1.0, 0.0]]), -np.pi / 2, (0.0, 0.0))[0]
    assert np.allclose(condition[:, :3], expected, atol=1e-5)


def test_partner_seam_frames_are_kept_exactly(partner_pipeline):
    music = np.zeros((120, MUSIC_DIM), dtype=np.float32)
    prev = rotate_about_y(_standing(30, 1.5, 0.3, 0.0), 2.5, (1.5, 0.3))
    result = partner_pipeline.generate_segment(music, 30, 60, num_candidates=3, prev=prev,
                                               lead=(_lead(120, 0.0, 0.0), 0))  # fmt: skip
    kp, _ = result.context
    k = partner_pipeline.config.context_frames
    assert kp == k
    assert np.allclose(result.window[:, :kp], prev[-k:], atol=1e-5)
    assert result.features.shape == (3, 30, FEATURE_DIM)


@pytest.mark.parametrize(("clearance", "draws"), [(0.25, 1), (1e4, 3)])
def test_a_partner_too_close_to_the_lead_is_sampled_again(clearance, draws, monkeypatch):
    from studio.ml.pipeline import REDRAWS

    torch.manual_seed(1)
    config = partner_config(preset("tiny"), LEAD_DIM)
    assert config.min_clearance > 0.2  # the duet metrics' limit, with a margin
    pipeline = Choreographer(FDGN(config.replace(min_clearance=clearance)), device="cpu")
    calls = []
    sample = pipeline._sample
    monkeypatch.setattr(pipeline, "_sample", lambda *a: calls.append(1) or sample(*a))
    positions = np.zeros((90, 52, 3), dtype=np.float32)
    positions[..., 0], positions[..., 1] = 100.0, 1.0
    # a lead 100 m off is out of the way of an untrained net's partner; no partner is 10 km clear of it
    pipeline.generate_segment(np.zeros((90, MUSIC_DIM), np.float32), 0, 30, num_candidates=2,
                              lead=(positions, 0), anchor=(0.0, 0.0, 0.0))  # fmt: skip
    assert len(calls) == draws and REDRAWS == 2
