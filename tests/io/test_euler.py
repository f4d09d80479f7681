import numpy as np
import pytest

from studio.core import rotations as rot
from studio.io.euler import continuous_euler, euler_angles

ORDERS = ["ZXY", "XYZ", "ZYX", "YZX", "xyz", "zxy", "yxz"]


@pytest.mark.parametrize("order", ORDERS)
def test_angles_rebuild_the_matrix_even_at_gimbal_lock(order):
    rng = np.random.default_rng(1)
    matrices = rot.random_rotations((500,), rng)
    locked = rot.euler_to_matrix(np.array([[30.0, 90.0, 20.0], [10.0, -90.0, -40.0], [0.0, 90.0, 0.0]]), order)
    matrices = np.concatenate([matrices, locked])
    angles = euler_angles(matrices, order)
    assert np.abs(rot.euler_to_matrix(angles, order) - matrices).max() < 1e-12
    assert np.abs(angles[:, 1]).max() <= 90.0


@pytest.mark.parametrize("order", ["ZXY", "xyz"])
@pytest.mark.parametrize("axis", [0, 1, 2])
def test_spins_unwrap_without_jumps(order, axis):
    """Three turns in 120 frames about each axis (with a wobble): exact, and no angle jumps a turn."""
    t = np.linspace(0.0, 6 * np.pi, 120)
    axis_angle = np.zeros((120, 1, 3))
    axis_angle[:, 0, axis] = t
    wobble = rot.axis_angle_to_matrix(np.stack([0.2 * np.sin(t), 0.1 * np.cos(t), 0 * t], axis=1))[:, None]
    matrices = rot.axis_angle_to_matrix(axis_angle) @ wobble
    angles = continuous_euler(matrices, order)
    assert np.abs(rot.euler_to_matrix(angles, order) - matrices).max() < 1e-12
    assert np.abs(np.diff(angles, axis=0)).max() < 180.0
    assert np.ptp(angles, axis=0).max() > 700.0  # the spin accumulates instead of wrapping at 180
