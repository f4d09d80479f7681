"""The viewport's plain data: colours, frame choice, the FK cache, skinning matrices, shadows, the demo dance."""

from __future__ import annotations

import numpy as np
import pytest

from studio.core.motion import Motion, concatenate
from studio.ui.viewport.scene import (
    DancerView,
    PoseCache,
    build_scene,
    contact_shadow,
    frame_at,
    parse_color,
    vertex_normals,
)


def test_parse_color():
    assert parse_color("#e07a5f") == pytest.approx((224 / 255, 122 / 255, 95 / 255))
    assert parse_color("#fff") == (1.0, 1.0, 1.0)
    assert parse_color("3D85C6") == pytest.approx((61 / 255, 133 / 255, 198 / 255))
    for bad in ("red", "#12345", "", None, "#ggg"):
        with pytest.raises(ValueError, match="dancer colour"):
            parse_color(bad)


def test_frame_at_floors_and_clamps():
    motion = Motion.rest(30, fps=30.0)
    assert frame_at(motion, 0.0) == 0
    assert frame_at(motion, 0.5) == 15
    assert frame_at(motion, 0.999) == 29
    assert frame_at(motion, 1.0) == 29  # past the end: the last frame
    assert frame_at(motion, 100.0) == 29
    assert frame_at(motion, -3.0) == 0
    assert frame_at(motion, float("nan")) == 0
    assert frame_at(Motion.rest(10, fps=60.0), 0.1) == 6


def test_cache_runs_fk_once_per_chunk_of_a_motion(avatar, dance):
    cache = PoseCache(avatar.skeleton, capacity=2)
    long = concatenate([dance] * 3)  # 360 frames: 3 chunks
    positions = long.positions(avatar.skeleton)
    skinning, joints = cache.pose(long, 5)
    assert skinning.shape == (52, 4, 4) and skinning.dtype == np.float32
    assert np.allclose(joints, positions[5])
    assert cache.computed == 1  # only the chunk holding frame 5
    for frame in (0, 100, 127):
        cache.pose(long, frame)
    assert cache.computed == 1
    assert np.allclose(cache.pose(long, 300)[1], positions[300])
    assert cache.computed == 2
    others = [dance.translated([0.1 * i, 0, 0]) for i in range(2)]
    for other in others:
        cache.pose(other, 0)
    assert cache.computed == 4
    cache.pose(long, 5)  # pushed out of the bounded cache: computed again
    assert cache.computed == 5


def test_build_scene_preview_replaces_and_missing_motion_is_skipped(avatar, dance, partner):
    cache = PoseCache(avatar.skeleton)
    dancers = [DancerView(dance, "#e07a5f", "Ana"), DancerView(None, "#3d85c6", "Ben")]
    poses = build_scene(dancers, {}, 1.0, cache, avatar.pelvis_height)
    assert [p.name for p in poses] == ["Ana"]
    assert poses[0].frame == 30
    assert poses[0].color == pytest.approx(parse_color("#e07a5f"))
    assert np.allclose(poses[0].joints, dance.positions(avatar.skeleton)[30])

    poses = build_scene(dancers, {1: partner, 0: dance[:10]}, 1.0, cache, avatar.pelvis_height)
    assert [p.name for p in poses] == ["Ana", "Ben"]
    assert poses[0].frame == 9  # the short preview clamps
    assert np.allclose(poses[1].joints, partner.positions(avatar.skeleton)[30])
    assert build_scene(dancers, {}, 0.0, None, 1.0) == []


def test_contact_shadow_sits_under_the_body_and_fades_with_height(avatar, dance):
    joints = dance.positions(avatar.skeleton)[0]
    center, radius, strength = contact_shadow(joints, avatar.pelvis_height)
    assert np.linalg.norm(center - joints[0, [0, 2]]) < 0.2
    assert 0.3 <= radius < 1.0
    assert strength > 0.9
    jumped = joints + np.array([0, 0.4, 0])
    assert 0 < contact_shadow(jumped, avatar.pelvis_height)[2] < strength
    assert contact_shadow(joints + np.array([0, 2.0, 0]), avatar.pelvis_height)[2] == 0.0


def test_vertex_normals_point_outward(avatar):
    # a tetrahedron with outward counter-clockwise faces
    v = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=float)
    f = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])
    n = vertex_normals(v, f)
    assert np.allclose(np.linalg.norm(n, axis=1), 1)
    assert np.all(np.sum(n * (v - v.mean(axis=0)), axis=1) > 0)
    # the avatar: the top of the head points up, the soles point down
    normals = vertex_normals(avatar.vertices, avatar.faces)
    assert normals[np.argmax(avatar.vertices[:, 1]), 1] > 0.9
    assert normals[np.argmin(avatar.vertices[:, 1]), 1] < -0.9


def test_demo_dance_stands_on_the_floor_and_moves_fingers(avatar, dance):
    frames = np.arange(0, dance.num_frames, 10)
    lowest = avatar.skin(dance, frames)[:, :, 1].min(axis=1)
    assert np.all(np.abs(lowest) < 0.03), lowest  # soles on y = 0, within 3 cm
    from studio.core.skeleton import HANDS

    angles = np.linalg.norm(dance.axis_angle()[:, HANDS], axis=-1)
    assert angles.max() > np.radians(45) and np.ptp(angles, axis=0).min() > np.radians(10)
