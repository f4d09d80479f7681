"""Camera math without GL: look-at, projection, orbit/pan/zoom, presets framing the right joints."""

from __future__ import annotations

import numpy as np
import pytest

from studio.core.skeleton import HANDS
from studio.ui.viewport.camera import (
    PRESETS,
    OrbitCamera,
    facing_yaw,
    follow,
    look_at,
    perspective,
    preset_camera,
    project,
)

W, H = 640, 360


def test_look_at_puts_eye_at_origin_and_target_straight_ahead():
    eye, target = np.array([1.0, 2.0, 5.0]), np.array([0.0, 1.0, 0.0])
    view = look_at(eye, target)
    assert np.allclose(view @ [*eye, 1], [0, 0, 0, 1])
    ahead = view @ [*target, 1]
    assert np.allclose(ahead[:2], 0, atol=1e-12)
    assert ahead[2] == pytest.approx(-np.linalg.norm(eye - target))
    assert np.allclose(view[:3, :3] @ view[:3, :3].T, np.eye(3))  # a rigid transform
    # world up stays up on screen
    assert (view @ [0, 10, 0, 0])[1] > 0


def test_look_at_straight_down_is_well_defined():
    view = look_at([0, 5, 0], [0, 0, 0])
    assert np.all(np.isfinite(view))
    assert np.allclose(view[:3, :3] @ view[:3, :3].T, np.eye(3))
    with pytest.raises(ValueError, match="coincide"):
        look_at([1, 1, 1], [1, 1, 1])


def test_perspective_maps_near_far_and_field_of_view():
    proj = perspective(60.0, 2.0, 0.1, 100.0)

    def ndc(p):
        clip = proj @ [*p, 1]
        return clip[:3] / clip[3]

    assert ndc([0, 0, -0.1])[2] == pytest.approx(-1)
    assert ndc([0, 0, -100])[2] == pytest.approx(1)
    edge = np.tan(np.radians(30))  # half the vertical field of view, at depth 1
    assert ndc([0, edge, -1])[1] == pytest.approx(1)
    assert ndc([2 * edge, 0, -1])[0] == pytest.approx(1)  # aspect 2: twice as wide
    with pytest.raises(ValueError):
        perspective(0, 1, 0.1, 1)


def test_project_uses_image_coordinates():
    camera = OrbitCamera(target=np.zeros(3), yaw=0, pitch=0, distance=3)
    view, proj = camera.view(), camera.projection(W / H)
    px = project([[0, 0, 0], [0, 0.5, 0], [0.5, 0, 0], [0, 0, 10]], view, proj, W, H)
    assert px[0, :2] == pytest.approx([W / 2, H / 2])
    assert px[1, 1] < H / 2  # up is toward the top row
    assert px[2, 0] > W / 2  # +X is to the right when looking at the dancer's front (from +Z)
    assert np.isnan(px[3, 0])  # behind the camera


def test_orbit_keeps_the_distance_and_clamps_pitch():
    camera = OrbitCamera(target=np.array([0.3, 1.0, -0.2]), distance=3.5)
    start = np.linalg.norm(camera.eye() - camera.target)
    for d_yaw, d_pitch in [(40, 10), (-170, 30), (500, -80), (0, 300), (0, -600)]:
        camera.orbit(d_yaw, d_pitch)
        assert np.linalg.norm(camera.eye() - camera.target) == pytest.approx(start)
        assert -85 <= camera.pitch <= 89


def test_pan_slides_in_the_view_plane_and_zoom_changes_distance():
    camera = OrbitCamera(target=np.zeros(3), yaw=30, pitch=20, distance=4)
    forward = camera.target - camera.eye()
    before = camera.target.copy()
    camera.pan(50, -20, H)
    moved = camera.target - before
    assert np.linalg.norm(moved) > 0
    assert np.dot(moved, forward) == pytest.approx(0, abs=1e-9)
    assert camera.distance == 4

    camera.zoom(2)
    assert camera.distance == pytest.approx(4 * 0.85**2)
    camera.zoom(-1000)
    assert camera.distance == 60.0
    camera.zoom(1000)
    assert camera.distance == 0.15


def _inside(pixels: np.ndarray, margin: float = 0.0) -> bool:
    return bool(
        np.all(np.isfinite(pixels[:, :2]))
        and np.all(pixels[:, 0] >= margin)
        and np.all(pixels[:, 0] <= W - margin)
        and np.all(pixels[:, 1] >= margin)
        and np.all(pixels[:, 1] <= H - margin)
    )


def _joints(dance, avatar, frame=30):
    return dance.positions(avatar.skeleton)[frame]


def test_front_side_top_frame_every_dancer(dance, partner, avatar):
    dancers = [_joints(dance, avatar), _joints(partner, avatar)]
    eyes = {}
    for name in ("front", "side", "top"):
        camera = preset_camera(name, dancers, W / H)
        px = project(np.concatenate(dancers), camera.view(), camera.projection(W / H), W, H)
        assert _inside(px, margin=5), name
        eyes[name] = camera.eye() - camera.target
    assert eyes["front"][2] > abs(eyes["front"][0])  # from +Z: the audience side
    assert eyes["side"][0] > abs(eyes["side"][2])  # from +X: the dancers' left
    assert eyes["top"][1] > 10 * np.linalg.norm(eyes["top"][[0, 2]])  # from above


def test_hands_preset_frames_both_hands_close(dance, avatar):
    joints = _joints(dance, avatar)
    front = preset_camera("front", [joints], W / H)
    hands = preset_camera("hands", [joints], W / H)
    assert hands.distance < 0.7 * front.distance
    px = project(joints[HANDS], hands.view(), hands.projection(W / H), W, H)
    assert _inside(px, margin=2)
    spread = px[:, :2].max(axis=0) - px[:, :2].min(axis=0)
    assert spread[0] > 0.45 * W or spread[1] > 0.45 * H  # the hands fill the picture
    # seen from the dancer's front
    assert abs(((hands.yaw - facing_yaw(joints)) + 180) % 360 - 180) < 1e-6


def test_follow_tracks_the_pelvis_in_the_floor_plane(dance, avatar):
    positions = dance.positions(avatar.skeleton)
    camera = preset_camera("follow", [positions[0]], W / H)
    anchor = camera.target - positions[0, 0]
    height = camera.target[1]
    for frame in (10, 60, 110):
        follow(camera, positions[frame, 0], anchor)
        assert camera.target[[0, 2]] == pytest.approx(positions[frame, 0, [0, 2]] + anchor[[0, 2]])
        assert camera.target[1] == height


def test_facing_yaw_of_a_turned_dancer(avatar):
    from studio.core import rotations as rot
    from studio.core.motion import Motion

    rest = Motion.rest(1, avatar.skeleton)
    # the rest hips are a little asymmetric
    assert facing_yaw(rest.positions(avatar.skeleton)[0]) == pytest.approx(0, abs=3.0)
    rotations = rest.rotations.copy()
    rotations[0, 0] = rot.axis_angle_to_matrix(np.array([0, np.radians(90), 0]))
    turned = Motion(rest.trans, rotations).positions(avatar.skeleton)[0]
    assert facing_yaw(turned) == pytest.approx(90, abs=3.0)  # now facing +X


def test_unknown_preset_is_a_clear_error():
    assert PRESETS == ("front", "side", "top", "hands", "follow")
    with pytest.raises(ValueError, match="presets are front, side, top, hands, follow"):
        preset_camera("closeup", [], 1.0)
