"""Genre prototypes: fitted means, a calibrated temperature, lookup by name."""

from __future__ import annotations

import pytest
import torch

from studio.core.errors import InputError
from studio.ml.genre import GenrePrototypes


def test_fit_means_and_temperature():
    torch.manual_seed(0)
    centres = torch.eye(4)[:3]
    labels = torch.arange(3).repeat_interleave(20)
    music = centres[labels] + 0.3 * torch.randn(60, 4)
    dance = -centres[labels] + 0.3 * torch.randn(60, 4)
    prototypes = GenrePrototypes.fit(("a", "b", "c"), music, dance, labels)
    assert (prototypes.music @ centres.T).argmax(1).tolist() == [0, 1, 2]
    assert (prototypes.dance @ centres.T).argmin(1).tolist() == [0, 1, 2]
    assert 0.005 <= prototypes.temperature <= 1.0
    probabilities = prototypes.probabilities(torch.nn.functional.normalize(music, dim=-1))
    assert probabilities.shape == (60, 3)
    torch.testing.assert_close(probabilities.sum(1), torch.ones(60))
    assert (probabilities.argmax(1) == labels).float().mean() > 0.9


def test_fit_needs_every_genre():
    with pytest.raises(InputError, match="'c'"):
        GenrePrototypes.fit(("a", "b", "c"), torch.randn(4, 3), torch.randn(4, 3), torch.tensor([0, 1, 0, 1]))


def test_lookup_and_top():
    prototypes = GenrePrototypes(("HanTang", "Hiphop"), torch.eye(2), torch.eye(2))
    assert prototypes.index("hantang") == 0 and prototypes.index("Hip-hop") == 1
    with pytest.raises(InputError, match="HanTang, Hiphop"):
        prototypes.index("Polka")
    assert prototypes.top(torch.tensor([0.25, 0.75]), 3) == [("Hiphop", 0.75), ("HanTang", 0.25)]
    with pytest.raises(ValueError):
        GenrePrototypes(("a", "a"), torch.eye(2), torch.eye(2))
