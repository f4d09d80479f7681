"""Shapes and invariances of the two encoders (tiny seeded models)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from studio.core.skeleton import HANDS, NUM_JOINTS, PARENTS
from studio.ml.genre import GCRM, DanceGenreEncoder, MusicStyleEncoder, preset
from studio.ml.genre.dance_encoder import canonicalise, dance_features, kinematic_graph


@pytest.fixture
def config():
    return preset("tiny")


def _positions(batch: int, frames: int, seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    base = torch.randn(NUM_JOINTS, 3, generator=g) * 0.3
    base[1] = torch.tensor([0.1, -0.1, 0.0])  # left hip at +x, right hip at -x: the body faces +Z
    base[2] = torch.tensor([-0.1, -0.1, 0.0])
    base[0] = torch.tensor([0.0, 0.9, 0.0])
    wobble = 0.05 * torch.randn(batch, frames, NUM_JOINTS, 3, generator=g).cumsum(1) / math.sqrt(frames)
    return base + wobble


def test_music_encoder_shapes(config):
    torch.manual_seed(0)
    encoder = MusicStyleEncoder(config).eval()
    assert encoder(torch.randn(2, 120, 128) * 10 - 40).shape == (2, config.embed_dim)
    assert encoder(torch.randn(3, 37, 128)).shape == (3, config.embed_dim)  # padded to whole patches
    with pytest.raises(ValueError, match="mel must be"):
        encoder(torch.randn(1, config.max_frames + 1, 128))
    with pytest.raises(ValueError, match="mel must be"):
        encoder(torch.randn(1, 120, 64))


def test_music_encoder_ignores_loudness(config):
    torch.manual_seed(0)
    encoder = MusicStyleEncoder(config).eval()
    mel = torch.randn(1, 120, 128) * 10 - 40
    with torch.no_grad():
        torch.testing.assert_close(encoder(mel), encoder(mel + 12.0), atol=1e-5, rtol=1e-5)


def test_dance_encoder_shapes(config):
    torch.manual_seed(0)
    encoder = DanceGenreEncoder(config).eval()
    assert encoder(_positions(2, 120)).shape == (2, config.embed_dim)
    assert encoder(_positions(1, 7)).shape == (1, config.embed_dim)
    with pytest.raises(ValueError, match="positions must be"):
        encoder(torch.zeros(1, 120, 22, 3))


def test_dance_features_are_facing_and_place_invariant():
    positions = _positions(1, 30)
    angle = 1.1
    c, s = math.cos(angle), math.sin(angle)
    rot_y = torch.tensor([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])
    moved = positions @ rot_y.T + torch.tensor([2.0, 0.0, -3.0])
    torch.testing.assert_close(dance_features(moved), dance_features(positions), atol=1e-5, rtol=1e-5)
    first = canonicalise(moved)[0, 0]
    assert abs(float(first[0, 0])) < 1e-5 and abs(float(first[0, 2])) < 1e-5  # pelvis at x = z = 0
    across = first[1] - first[2]
    assert float(across[0]) > 0 and abs(float(across[2])) < 1e-5  # left hip towards +x: facing +Z


def test_dance_features_channels_and_rate():
    x = dance_features(_positions(2, 120), frame_step=3)
    assert x.shape == (2, 40, NUM_JOINTS, 9)


def test_hands_are_in_the_graph(config):
    graph = kinematic_graph()
    assert graph.shape == (3, NUM_JOINTS, NUM_JOINTS)
    for child, parent in enumerate(PARENTS):
        if parent >= 0:
            assert graph[1, child, parent] > 0 and graph[2, parent, child] > 0
    sums = graph[1:].sum(axis=1)
    assert np.allclose(sums[sums > 0], 1.0)  # column-normalised
    torch.manual_seed(0)
    encoder = DanceGenreEncoder(config).eval()
    positions = _positions(1, 60)
    fingers = positions.clone()
    fingers[:, :, HANDS] += 0.02 * torch.randn(1, 60, len(HANDS), 3)
    with torch.no_grad():
        assert not torch.allclose(encoder(positions), encoder(fingers))


def test_gcrm_embeddings_are_unit_vectors(config):
    torch.manual_seed(0)
    model = GCRM(config).eval()
    with torch.no_grad():
        music = model.embed_music(torch.randn(2, 120, 128))
        dance = model.embed_dance(_positions(2, 120))
        similarity = model(torch.randn(2, 120, 128), _positions(2, 120))
    torch.testing.assert_close(music.norm(dim=-1), torch.ones(2))
    torch.testing.assert_close(dance.norm(dim=-1), torch.ones(2))
    assert similarity.shape == (2,) and bool((similarity.abs() <= 1 + 1e-6).all())


def test_backward_reaches_both_encoders(config):
    torch.manual_seed(0)
    model = GCRM(config)
    model(torch.randn(4, 90, 128), _positions(4, 90)).sum().backward()
    assert model.music.patch.weight.grad is not None and model.music.patch.weight.grad.abs().sum() > 0
    assert model.dance.head.weight.grad is not None and model.dance.head.weight.grad.abs().sum() > 0
