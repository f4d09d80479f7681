import numpy as np
import pytest

from studio.core.errors import InputError
from studio.metrics import geometric_features
from studio.metrics.geometric import FEATURES, HL, NUM_FEATURES


@pytest.fixture(scope="module")
def rest():
    from studio.body.provider import default_skeleton

    return default_skeleton().rest_positions[:22]


def _index(test, joint):
    return next(i for i, f in enumerate(FEATURES) if f[0] == test and f[1] == joint)


def test_static_t_pose(rest):
    positions = np.repeat(rest[None], 10, axis=0)
    features = geometric_features(positions)
    assert features.shape == (NUM_FEATURES,) == (32,)
    assert set(np.unique(features)) <= {0.0, 1.0}
    for joint in ("rwrist", "lwrist", "rankle", "lankle", "root"):
        assert features[_index("fast", joint)] == 0.0
    # straight knees: 180 degrees, not inside (0, 110)
    assert features[_index("angle", "rknee")] == 0.0
    # spine axis (neck -> root) points down: 180 degrees from +Y, not inside (70, 110)
    assert features[28] == 0.0
    # T-pose arms out at shoulder height: more than 1.2 HL above the lowest joint -> feature 29 false
    assert features[29] == 0.0


def test_fast_wrist(rest):
    positions = np.repeat(rest[None], 6, axis=0)
    step = 2.5 * HL / 120 * 1.5  # 1.5 x the published threshold (per 1/120 s "frame")
    positions[:, 21, 0] += step * np.arange(6)
    features = geometric_features(positions)
    assert features[_index("fast", "rwrist")] == 1.0
    assert features[_index("fast", "lwrist")] == 0.0
    assert geometric_features(positions, per_frame=True).shape == (5, 32)


def test_half_of_the_frames(rest):
    positions = np.repeat(rest[None], 5, axis=0)
    positions[2:, 21, 0] += 0.1  # one jump between frames 1 and 2: 1 of 4 steps is fast
    assert geometric_features(positions)[_index("fast", "rwrist")] == pytest.approx(0.25)


def test_degenerate_pose_gives_false_not_nan():
    features = geometric_features(np.zeros((4, 22, 3)))
    assert np.all(np.isfinite(features))


def test_errors():
    with pytest.raises(InputError):
        geometric_features(np.full((4, 22, 3), np.nan))
    with pytest.raises(InputError, match="at least 2 frames"):
        geometric_features(np.zeros((1, 22, 3)))
    with pytest.raises(ValueError):
        geometric_features(np.zeros((4, 10, 3)))
