"""The paper's cosine loss on hand-made pairs."""

from __future__ import annotations

import pytest
import torch

from studio.ml.genre import cosine_pair_loss, pairwise_genre_loss


@pytest.mark.parametrize(
    ("s", "y", "expected"),
    [
        (1.0, 1, 0.0),  # matched and identical: nothing to learn
        (0.5, 0, 0.5),  # mismatched but similar: pay s
        (0.5, 1, 0.5),  # matched, half way: pay 1 - s
        (0.0, 0, 0.0),  # mismatched and orthogonal: fine
        (-0.3, 0, 0.0),  # mismatched and opposite: no reward below 0
        (-1.0, 1, 2.0),  # matched but opposite: the worst case
        (0.2, 1, 0.8),
    ],
)
def test_cosine_pair_loss_values(s, y, expected):
    value = cosine_pair_loss(torch.tensor([s]), torch.tensor([y]))
    assert value.item() == pytest.approx(expected)


def test_pairwise_loss_is_zero_for_perfect_embeddings():
    genres = torch.tensor([0, 1, 2, 0])
    table = torch.eye(3)
    loss, stats = pairwise_genre_loss(table[genres], 5 * table[genres], genres)
    assert loss.item() == pytest.approx(0.0)
    assert stats["s_match"] == pytest.approx(1.0) and stats["s_mismatch"] == pytest.approx(0.0)


def test_pairwise_loss_weighs_matched_and_mismatched_equally():
    genres = torch.tensor([0, 1])
    same = torch.tensor([[1.0, 0.0], [1.0, 0.0]])  # everything collapsed onto one direction
    loss, stats = pairwise_genre_loss(same, same, genres)
    # matched pairs: s = 1 -> 0; mismatched: s = 1 -> 1; mean of the two halves = 0.5
    assert loss.item() == pytest.approx(0.5)
    assert stats["s_mismatch"] == pytest.approx(1.0)


def test_pairwise_loss_has_gradients():
    music = torch.randn(6, 8, requires_grad=True)
    dance = torch.randn(6, 8, requires_grad=True)
    loss, _ = pairwise_genre_loss(music, dance, torch.tensor([0, 0, 1, 1, 2, 2]))
    loss.backward()
    assert music.grad is not None and dance.grad is not None
