import numpy as np
import pytest

from studio.core.errors import InputError
from studio.metrics import CAPSULES, duet_features, interpenetration, interpenetration_frames
from studio.metrics.duet import _segment_distance


@pytest.fixture(scope="module")
def body():
    from studio.body.provider import default_skeleton

    return default_skeleton().rest_positions[:22]


def _dancer(body, frames, offset=(0.0, 0.0, 0.0)):
    return np.repeat(body[None], frames, axis=0) + np.asarray(offset)


def test_duet_feature_by_hand():
    a = np.zeros((4, 22, 3))
    b = np.zeros((4, 22, 3))
    b[:, :, :2] = [3.0, 4.0]
    features = duet_features(a, b)
    assert features.shape == (100,)
    np.testing.assert_allclose(features, 5.0)


def test_duet_feature_layout_and_common_frames():
    a = np.zeros((6, 22, 3))
    b = np.zeros((4, 22, 3))
    b[:, 7, 0] = 2.0  # B's left ankle (2nd Duolando joint) is 2 m away
    features = duet_features(a, b).reshape(10, 10)
    assert features[0, 1] == 2.0 and features[0, 0] == 0.0 and features[1, 0] == 0.0


def test_dancers_standing_apart_do_not_interpenetrate(body):
    assert interpenetration(_dancer(body, 10), _dancer(body, 10, (2.0, 0.0, 0.0))) == 0.0
    # one 60 cm in front of the other, arms out: close, but no capsule overlaps
    assert interpenetration(_dancer(body, 5), _dancer(body, 5, (0.0, 0.0, 0.6))) == 0.0


def test_overlapping_dancers(body):
    assert interpenetration(_dancer(body, 10), _dancer(body, 10, (0.05, 0.0, 0.0))) == 1.0


def test_walking_through(body):
    a = _dancer(body, 10)
    b = _dancer(body, 10, (0.0, 0.0, 3.0))
    b[5:] -= [0.0, 0.0, 3.0]  # the second half on top of A
    np.testing.assert_array_equal(interpenetration_frames(a, b), [False] * 5 + [True] * 5)
    assert interpenetration(a, b) == 0.5


def test_capsules_cover_the_body_without_hands():
    joints = {j for _, a, b, _ in CAPSULES for j in (a, b)}
    assert joints == set(range(22))
    assert all(0.0 < radius <= 0.12 for *_, radius in CAPSULES)


def test_segment_distance_matches_brute_force():
    rng = np.random.default_rng(0)
    p1, q1, p2, q2 = (rng.normal(size=(200, 3)) for _ in range(4))
    q2[:10] = p2[:10]  # degenerate second segments
    q1[10:20] = p1[10:20]  # degenerate first segments
    q1[20:30] = p1[20:30] + (q2[20:30] - p2[20:30])  # parallel
    got = _segment_distance(p1, q1, p2, q2)
    # brute force: many points on the first segment, each with its exact closest point on the second
    s = np.linspace(0, 1, 2001)[None, :, None]
    points = p1[:, None] + (q1 - p1)[:, None] * s
    d2 = (q2 - p2)[:, None]
    length2 = np.maximum((d2**2).sum(-1, keepdims=True), 1e-300)
    t = np.clip(((points - p2[:, None]) * d2).sum(-1, keepdims=True) / length2, 0, 1)
    brute = np.linalg.norm(points - (p2[:, None] + d2 * t), axis=-1).min(axis=1)
    assert np.all(got <= brute + 1e-9)
    np.testing.assert_allclose(got, brute, atol=1e-5)


def test_nan_partner():
    a = np.zeros((4, 22, 3))
    b = a.copy()
    b[2, 3, 1] = np.nan
    with pytest.raises(InputError, match="second dancer"):
        interpenetration(a, b)
