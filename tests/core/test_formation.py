"""Formations: where a partner stands beside its lead, and which way it faces."""

import math

import numpy as np
import pytest

from studio.core import rotations as rot
from studio.core.finedance import heading, to_array
from studio.core.formation import FORMATIONS, SPACING_RANGE, Formation
from studio.core.motion import Motion
from studio.core.skeleton import JOINT_NAMES, MIRROR


def forward(yaw):
    """The floor direction (x, z) a dancer at ``yaw`` faces: Ry(yaw) applied to +Z."""
    return rot.yaw_to_matrix(yaw)[[0, 2], 2]


def test_the_default_is_the_old_partner_place():
    assert Formation() == Formation("side", 1.4)
    assert Formation().place((0.0, 0.0), 0.0) == pytest.approx((1.4, 0.0, 0.0))  # +x: PARTNER_SPACING's place


def test_plus_x_is_the_left_of_a_dancer_facing_plus_z():
    from studio.body.provider import load_avatar

    skeleton = load_avatar().skeleton  # the mannequin: SMPL-X joints in the T-pose, facing +Z
    rest = skeleton.rest_positions
    left_joints = [j for j, name in enumerate(JOINT_NAMES[:22]) if name.startswith("left")]
    assert left_joints and all(rest[j, 0] > rest[MIRROR[j], 0] for j in left_joints)


@pytest.mark.parametrize("yaw", [0.0, 0.7, -2.0, math.pi])
@pytest.mark.parametrize("spacing", [0.8, 1.4, 3.5])
def test_each_kind_stands_where_it_says_and_faces_the_right_way(yaw, spacing):
    lead = np.array([0.3, -1.2])
    ahead = forward(yaw)
    left = rot.yaw_to_matrix(yaw)[[0, 2], 0]  # Ry(yaw) applied to +X
    for kind, offset, facing in (("side", left, yaw), ("facing", ahead, yaw + math.pi), ("behind", -ahead, yaw)):
        x, z, partner_yaw = Formation(kind, spacing).place(tuple(lead), yaw)
        np.testing.assert_allclose([x, z], lead + spacing * offset, atol=1e-12)
        assert math.hypot(x - lead[0], z - lead[1]) == pytest.approx(spacing)
        assert -math.pi <= partner_yaw < math.pi
        assert rot.wrap_angle(partner_yaw - facing) == pytest.approx(0.0, abs=1e-9)


def test_face_to_face_partners_look_at_each_other():
    for yaw in (0.0, 1.0, -2.5):
        x, z, partner_yaw = Formation("facing", 2.0).place((1.0, 1.0), yaw)
        to_lead = np.array([1.0 - x, 1.0 - z]) / 2.0
        np.testing.assert_allclose(forward(partner_yaw), to_lead, atol=1e-12)


@pytest.mark.parametrize("kind", FORMATIONS)
def test_a_placed_dance_is_moved_rigidly_to_the_formations_place(kind):
    rng = np.random.default_rng(0)
    trans = np.cumsum(rng.normal(scale=0.01, size=(20, 3)), axis=0) + np.array([0.0, 0.9, 0.0])
    trans[0] = [0.0, 0.9, 0.0]
    rotations = np.broadcast_to(np.eye(3), (20, 52, 3, 3)).copy()
    rotations[:, 0] = rot.yaw_to_matrix(0.0)
    dance = Motion(trans, rotations)
    formation = Formation(kind, 2.0)
    placed = formation.place_dance(dance)
    x, z, yaw = formation.place((0.0, 0.0), 0.0)
    np.testing.assert_allclose(placed.trans[0], [x, 0.9, z], atol=1e-12)
    assert rot.wrap_angle(heading(to_array(placed)) - yaw) == pytest.approx(0.0, abs=1e-6)
    steps = np.linalg.norm(np.diff(dance.trans, axis=0), axis=1)
    np.testing.assert_allclose(np.linalg.norm(np.diff(placed.trans, axis=0), axis=1), steps, atol=1e-12)
    np.testing.assert_allclose(placed.rotations[:, 1:], dance.rotations[:, 1:])  # the body's pose is the same


@pytest.mark.parametrize(
    "kind, spacing, message",
    [
        ("diagonal", 1.4, "one of side, side-right, facing, behind"),
        ("side", 0.5, "0.8 to 4 m"),
        ("side", 4.5, "0.8 to 4 m"),
        ("side", float("nan"), "a number of metres"),
        ("side", "1.4", "a number of metres"),
        ("side", True, "a number of metres"),
    ],
)
def test_bad_formations_are_refused_with_a_clear_message(kind, spacing, message):
    with pytest.raises(ValueError, match=message):
        Formation(kind, spacing)


def test_the_spacing_range_ends_are_allowed_and_stored_as_floats():
    assert Formation("behind", SPACING_RANGE[0]).spacing == 0.8
    assert isinstance(Formation("facing", 4).spacing, float)
    assert Formation("facing", 2).label == "face to face, 2.0 m"


def test_side_right_is_the_mirror_of_side():
    for yaw in (0.0, 0.7, -2.0):
        lx, lz, lyaw = Formation("side", 1.6).place((0.3, -0.2), yaw)
        rx, rz, ryaw = Formation("side-right", 1.6).place((0.3, -0.2), yaw)
        assert (lx + rx) / 2 == pytest.approx(0.3) and (lz + rz) / 2 == pytest.approx(-0.2) and ryaw == lyaw
    assert Formation("side-right").place((0.0, 0.0), 0.0) == pytest.approx((-1.4, 0.0, 0.0))
    assert "right" in Formation("side-right").label
