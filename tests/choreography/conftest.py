"""A song as the generators see it: an analysis-like object of zeros (20 s, 120 BPM)."""

from __future__ import annotations

import numpy as np
import pytest


class SongLike:
    content_hash = "ab" * 32
    duration = 20.0
    tempo = 120.0
    beats = np.arange(0.25, 20.0, 0.5)
    mel = np.zeros((600, 128), np.float32)
    features = np.zeros((600, 35), np.float32)


@pytest.fixture
def song_like():
    return SongLike()
