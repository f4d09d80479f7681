"""The 16-bit "smallest three" rotation encoding of project files."""

import numpy as np
import pytest

from studio.core import rotations as rot
from studio.io import quat16


def angle_between(a, b):
    relative = np.swapaxes(a, -1, -2) @ b
    return np.arccos(np.clip((np.trace(relative, axis1=-2, axis2=-1) - 1) / 2, -1, 1))


@pytest.fixture(scope="module")
def rotations():
    return rot.random_rotations((20_000,), np.random.default_rng(0))


def test_round_trip_within_7e_5_rad(rotations):
    values, largest = quat16.encode(rotations)
    assert values.dtype == np.int16 and values.shape == (20_000, 3)
    assert largest.dtype == np.uint8 and set(np.unique(largest)) == {0, 1, 2, 3}
    error = angle_between(rotations, quat16.decode(values, largest))
    assert error.max() < 7e-5 and error.mean() < 3e-5


@pytest.mark.parametrize(
    "axis_angle",
    [[0, 0, 0], [np.pi, 0, 0], [0, np.pi, 0], [0, 0, np.pi], [np.pi / np.sqrt(2), np.pi / np.sqrt(2), 0],
     [np.pi / 2, 0, 0], [0, -np.pi / 2, 0], [2.0943951, 2.0943951, 2.0943951], [1e-9, 0, 0], [0, 0, 3.1415]],
)  # fmt: skip
def test_special_rotations(axis_angle):
    """Half turns (no w to lean on), quarter turns (two equal components), a third of a turn about (1, 1, 1)
    (four equal components), identity: all as precise as any other."""
    matrix = rot.axis_angle_to_matrix(np.array(axis_angle, float))
    decoded = quat16.decode(*quat16.encode(matrix))
    assert decoded.shape == (3, 3)
    assert angle_between(matrix, decoded) < 7e-5
    np.testing.assert_allclose(decoded @ decoded.T, np.eye(3), atol=1e-12)


def test_encoding_again_gives_the_same_integers(rotations):
    """A project saved again is unchanged: decoding then encoding is the identity on the integers, even for
    the near ties where rounding could make a kept component overtake the dropped one."""
    values, largest = quat16.encode(rotations)
    again_values, again_largest = quat16.encode(quat16.decode(values, largest))
    np.testing.assert_array_equal(again_values, values)
    np.testing.assert_array_equal(again_largest, largest)


def test_near_ties_stay_stable():
    # Rotations whose two largest quaternion components differ by less than a quantisation step.
    rng = np.random.default_rng(1)
    half = 1 / np.sqrt(2)
    quats = np.zeros((5000, 4))
    quats[:, 0] = half + rng.uniform(-3e-5, 3e-5, 5000)
    quats[:, 3] = half
    quats[:, 1:3] = rng.normal(scale=1e-3, size=(5000, 2))
    matrices = rot.quat_to_matrix(quats)
    values, largest = quat16.encode(matrices)
    assert set(np.unique(largest)) == {0, 3}
    again = quat16.encode(quat16.decode(values, largest))
    np.testing.assert_array_equal(again[0], values)
    np.testing.assert_array_equal(again[1], largest)
    assert angle_between(matrices, quat16.decode(values, largest)).max() < 7e-5


def test_any_integers_decode_to_proper_rotations():
    rng = np.random.default_rng(2)
    values = rng.integers(-32768, 32768, (10_000, 3)).astype(np.int16)
    largest = rng.integers(0, 256, 10_000).astype(np.uint8)  # only the low 2 bits count
    matrices = quat16.decode(values, largest)
    assert np.all(np.isfinite(matrices))
    np.testing.assert_allclose(matrices @ np.swapaxes(matrices, -1, -2), np.broadcast_to(np.eye(3), matrices.shape),
                               atol=1e-12)  # fmt: skip
    np.testing.assert_allclose(np.linalg.det(matrices), 1.0, atol=1e-12)


def test_leading_dimensions_are_kept(rotations):
    frames = rotations[:520].reshape(10, 52, 3, 3)
    values, largest = quat16.encode(frames)
    assert values.shape == (10, 52, 3) and largest.shape == (10, 52)
    assert quat16.decode(values, largest).shape == (10, 52, 3, 3)


@pytest.mark.parametrize("joints", [52, 1, 4, 5])
def test_pack_four_indices_a_byte(joints):
    largest = np.random.default_rng(joints).integers(0, 4, (7, joints)).astype(np.uint8)
    packed = quat16.pack(largest)
    assert packed.shape == (7, -(-joints // 4)) and packed.dtype == np.uint8
    np.testing.assert_array_equal(quat16.unpack(packed, joints), largest)
    assert quat16.pack(np.array([[1, 2, 3, 0, 3]], np.uint8)).tolist() == [[1 | 2 << 2 | 3 << 4, 3]]
