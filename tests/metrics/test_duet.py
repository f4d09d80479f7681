import numpy as np
import pytest

from studio.core.errors import InputError
from studio.core.motion import Motion
from studio.metrics import CAPSULES, duet_features, interpenetration, interpenetration_frames
from studio.metrics.duet import (
    CLEARANCE,
    _segment_distance,
    close_share,
    closest_distance,
    closest_per_frame,
    facing_front,
    mirrored_positions,
    motion_pose_distances,
    symmetric_skeleton,
)


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


# -- clearance and pose distance ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def skeleton():
    from studio.body.provider import default_skeleton

    return default_skeleton()


@pytest.fixture(scope="module")
def dances():
    from studio.metrics.bench import synthetic_dances

    return synthetic_dances(3, 90, seed=4)


def _turned(motion: Motion, degrees: float, offset=(0.0, 0.0, 0.0)) -> Motion:
    """The motion turned about +Y around the origin (the whole body and its path), then moved by ``offset``."""
    a = np.radians(degrees)
    turn = np.array([[np.cos(a), 0.0, np.sin(a)], [0.0, 1.0, 0.0], [-np.sin(a), 0.0, np.cos(a)]])
    rotations = motion.rotations.copy()
    rotations[:, 0] = turn @ rotations[:, 0]
    return Motion(motion.trans @ turn.T + np.asarray(offset), rotations, motion.fps)


def test_closest_distance_and_close_share_by_hand():
    a = np.zeros((4, 52, 3))
    b = np.full((4, 52, 3), 5.0)
    b[:, 30] = [0.0, 0.0, 0.5]  # one finger joint of B is the closest part: 0.5 m, then 0.1 m in the last two frames
    b[2:, 30] = [0.0, 0.1, 0.0]
    np.testing.assert_allclose(closest_per_frame(a, b), [0.5, 0.5, 0.1, 0.1])
    assert closest_distance(a, b) == pytest.approx(0.1)
    assert close_share(a, b) == 0.5 and close_share(a, b, threshold=0.6) == 1.0
    assert close_share(a[:3], b) == pytest.approx(1 / 3)  # the common frames
    assert CLEARANCE == 0.2


def test_fingers_count_for_clearance(skeleton, dances):
    """The 52 joints: dancers whose bodies keep 0.2 m apart but whose fingers come closer are too close."""
    lead = dances[0].positions(skeleton)
    beside = np.array([0.45, 0.0, 0.0])
    body = closest_per_frame(lead[:, :22], lead[:, :22] + beside)
    every = closest_per_frame(lead, lead + beside)
    assert np.all(every <= body + 1e-12) and np.any(every < body - 0.01)


def test_dancers_apart_are_clear(body):
    assert close_share(_dancer(body, 6), _dancer(body, 6, (2.0, 0.0, 0.0))) == 0.0
    assert close_share(_dancer(body, 6), _dancer(body, 6, (0.1, 0.0, 0.0))) == 1.0


def test_a_copy_and_a_mirror_copy_score_zero(skeleton, dances):
    lead = dances[0]
    for partner, lead_or_mirror in (
        (lead.translated([1.4, 0.0, 0.0]), 0),  # unison, side by side
        (lead.mirrored().translated([-1.6, 0.0, 0.0]), 1),  # mirror
        (_turned(lead, 180.0, (0.0, 0.0, 1.5)), 0),  # unison, face to face
        (_turned(lead.mirrored(), 180.0, (0.0, 0.0, 1.5)), 1),  # mirror image, face to face
        (_turned(lead, 70.0, (0.3, 0.0, 2.0)), 0),  # any heading
    ):
        distances = motion_pose_distances(lead, partner, skeleton)
        assert distances[lead_or_mirror] == pytest.approx(0.0, abs=1e-9)
        assert distances[1 - lead_or_mirror] > 0.05  # a dance is not its own mirror image


def test_a_different_dance_is_not_a_copy(skeleton, dances):
    to_lead, to_mirror = motion_pose_distances(dances[0], dances[1].translated([1.4, 0.0, 0.0]), skeleton)
    assert to_lead > 0.1 and to_mirror > 0.1
    # a canon (the lead 10 frames later) is not a copy either
    canon = motion_pose_distances(dances[0][10:], dances[0][:-10], skeleton)
    assert min(canon) > 0.05


def test_mirrored_positions_match_the_mirrored_motion_on_a_symmetric_skeleton(skeleton, dances):
    symmetric = symmetric_skeleton(skeleton)
    motion = dances[2]
    np.testing.assert_allclose(
        mirrored_positions(motion.positions(symmetric)), motion.mirrored().positions(symmetric), atol=1e-9
    )
    p = motion.positions(skeleton)
    np.testing.assert_allclose(mirrored_positions(mirrored_positions(p)), p)
    np.testing.assert_allclose(mirrored_positions(p[:, :22]), mirrored_positions(p)[:, :22])


def test_facing_front_removes_the_heading(skeleton, dances):
    motion = dances[1]
    turned = _turned(motion, 135.0, (2.0, 0.0, -1.0))
    np.testing.assert_allclose(
        facing_front(turned.positions(skeleton), turned.rotations),
        facing_front(motion.positions(skeleton), motion.rotations),
        atol=1e-9,
    )
    front = facing_front(motion.positions(skeleton), motion.rotations)
    assert front.shape == (90, 22, 3) and np.all(front[:, 0] == 0.0)
    with pytest.raises(InputError, match="frames"):
        facing_front(motion.positions(skeleton), motion.rotations[:10])
