import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from studio.core import rotations as rot

finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False)
quats = arrays(np.float64, (4,), elements=st.floats(-1, 1)).filter(lambda q: np.linalg.norm(q) > 0.1)


def _matrix(q):
    return rot.quat_to_matrix(q / np.linalg.norm(q))


@settings(max_examples=200, deadline=None)
@given(quats)
def test_rot6d_round_trip(q):
    matrix = _matrix(q)
    assert np.allclose(rot.rot6d_to_matrix(rot.matrix_to_rot6d(matrix)), matrix, atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(quats)
def test_quaternion_round_trip_canonical(q):
    matrix = _matrix(q)
    back = rot.matrix_to_quat(matrix)
    assert back[3] >= 0
    assert np.allclose(rot.quat_to_matrix(back), matrix, atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, (3,), elements=st.floats(-3.0, 3.0)))
def test_axis_angle_round_trip(v):
    matrix = rot.axis_angle_to_matrix(v)
    assert np.allclose(rot.axis_angle_to_matrix(rot.matrix_to_axis_angle(matrix)), matrix, atol=1e-9)


@pytest.mark.filterwarnings("ignore:Gimbal lock")
@settings(max_examples=100, deadline=None)
@given(quats, st.sampled_from(["XYZ", "ZXY", "ZYX", "YXZ"]))
def test_euler_round_trip(q, order):
    matrix = _matrix(q)
    # 1e-7, not 1e-9: within 1e-8 of gimbal lock the middle angle comes from asin/acos near +-1, where float64
    # keeps only half its digits (hypothesis found q = (1, 1e-8, 1, 0): the round trip is off by 1e-8)
    assert np.allclose(rot.euler_to_matrix(rot.matrix_to_euler(matrix, order), order), matrix, atol=1e-7)


def test_rot6d_is_first_two_rows():
    matrix = rot.axis_angle_to_matrix(np.array([0.3, -0.2, 0.9]))
    six = rot.matrix_to_rot6d(matrix)
    assert np.array_equal(six, np.concatenate([matrix[0], matrix[1]]))


def test_rot6d_decodes_unnormalised_rows():
    matrix = rot.axis_angle_to_matrix(np.array([1.0, 0.5, -0.4]))
    noisy = rot.matrix_to_rot6d(matrix) * np.array([2, 2, 2, 0.5, 0.5, 0.5])
    assert np.allclose(rot.rot6d_to_matrix(noisy), matrix, atol=1e-12)


def test_rot6d_degenerate_raises():
    with pytest.raises(ValueError, match="not a rotation"):
        rot.rot6d_to_matrix(np.array([1.0, 0, 0, 2.0, 0, 0]))


def test_vectorised_shapes():
    rng = np.random.default_rng(0)
    matrices = rot.random_rotations((5, 7), rng)
    assert rot.matrix_to_axis_angle(matrices).shape == (5, 7, 3)
    assert rot.matrix_to_quat(matrices).shape == (5, 7, 4)
    assert rot.rot6d_to_matrix(rot.matrix_to_rot6d(matrices)).shape == (5, 7, 3, 3)


def test_slerp_endpoints_and_midpoint():
    q0 = rot.matrix_to_quat(np.eye(3))
    q1 = rot.matrix_to_quat(rot.axis_angle_to_matrix(np.array([0.0, 0.0, 1.0])))
    assert np.allclose(rot.slerp_quat(q0, q1, 0.0), q0)
    assert np.allclose(rot.slerp_quat(q0, q1, 1.0), q1)
    mid = rot.quat_to_matrix(rot.slerp_quat(q0, q1, 0.5))
    assert np.allclose(rot.matrix_to_axis_angle(mid), [0, 0, 0.5])


def test_scalar_order_helpers():
    q = np.array([0.1, 0.2, 0.3, 0.9])
    assert np.array_equal(rot.quat_wxyz_to_xyzw(rot.quat_xyzw_to_wxyz(q)), q)
    assert rot.quat_xyzw_to_wxyz(q)[0] == 0.9


def test_yaw_of_turns_about_y_and_of_tilted_turns():
    angles = np.radians([0.0, 30.0, 150.0, -100.0, 179.0])
    turns = rot.axis_angle_to_matrix(np.outer(angles, [0.0, 1.0, 0.0]))
    np.testing.assert_allclose(rot.matrix_to_yaw(turns), angles, atol=1e-12)
    np.testing.assert_allclose(rot.yaw_to_matrix(angles), turns, atol=1e-12)
    assert np.allclose(rot.yaw_to_matrix(np.pi / 2) @ [0.0, 0.0, 1.0], [1.0, 0.0, 0.0])  # +Z turns toward +X
    # a body turned 150 degrees and bent forward 89 (about its own x; its forward axis points down): still 150
    bent = turns[2] @ rot.axis_angle_to_matrix(np.radians([89.0, 0.0, 0.0]))
    assert np.degrees(rot.matrix_to_yaw(bent)) == pytest.approx(150.0, abs=1e-9)
    leaning = (
        bent
        @ rot.axis_angle_to_matrix(np.radians([-59.0, 0.0, 0.0]))
        @ rot.axis_angle_to_matrix(np.radians([0.0, 0.0, 15.0]))
    )  # bent 30 and leaning 15 to the side: close to 150
    assert np.degrees(rot.matrix_to_yaw(leaning)) == pytest.approx(150.0, abs=5.0)
    assert rot.matrix_to_yaw(rot.random_rotations((4, 2), np.random.default_rng(0))).shape == (4, 2)


@settings(max_examples=100, deadline=None)
@given(quats, st.floats(-np.pi, np.pi))
def test_yaw_adds_under_a_turn_about_y(q, turn):
    matrix = _matrix(q)
    assume(np.hypot(matrix[0, 2] - matrix[2, 0], matrix[0, 0] + matrix[2, 2]) > 1e-3)  # turned upside down: no yaw
    before = rot.matrix_to_yaw(matrix)
    after = rot.matrix_to_yaw(rot.yaw_to_matrix(turn) @ matrix)
    assert abs(rot.wrap_angle(after - before - turn)) < 1e-9


def test_wrap_angle():
    np.testing.assert_allclose(rot.wrap_angle(np.radians([190.0, -190.0, 30.0, 720.0])),
                               np.radians([-170.0, 170.0, 30.0, 0.0]), atol=1e-12)  # fmt: skip
