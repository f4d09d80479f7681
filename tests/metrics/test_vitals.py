"""Dance vitals on hand-made motions whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from studio.core import finedance
from studio.core import rotations as rot
from studio.core.errors import InputError
from studio.core.motion import Motion
from studio.metrics import vitals as v

FPS = 30.0


@pytest.fixture(scope="module")
def skeleton():
    from studio.body.provider import default_skeleton

    return default_skeleton()


def _yaw_rotations(degrees) -> np.ndarray:
    """(T, 52, 3, 3) local rotations: the root turned by ``degrees`` about +Y, every other joint at rest."""
    degrees = np.asarray(degrees, dtype=np.float64)
    r = np.broadcast_to(np.eye(3), (len(degrees), 52, 3, 3)).copy()
    r[:, 0] = rot.axis_angle_to_matrix(np.radians(degrees)[:, None] * np.array([0.0, 1.0, 0.0]))
    return r


def test_a_still_dancer_is_still(skeleton):
    figures = v.vitals(Motion.rest(60, skeleton), skeleton)
    assert figures["still_share"] == 1.0
    assert figures["mean_speed"] == 0.0 and figures["p99_speed"] == 0.0
    assert figures["finger_activity_deg"] == 0.0
    assert figures["pelvis_path_m_per_min"] == 0.0 and figures["pelvis_extent_m"] == 0.0
    assert figures["snap_frames"] == 0
    assert figures["bas"] is None  # no music beats given
    assert figures["frames"] == 60 and figures["seconds"] == pytest.approx(2.0)


def test_speeds_of_a_body_gliding_at_known_speeds():
    t = np.arange(31)
    positions = np.zeros((31, 52, 3))
    positions[..., 0] = (0.3 / FPS) * t[:, None]  # every joint at 0.3 m/s along x
    assert v.still_share(positions, FPS) == 0.0
    assert v.mean_speed(positions, FPS) == pytest.approx(0.3)
    assert v.p99_speed(positions, FPS) == pytest.approx(0.3)
    speeds = v.body_joint_speeds(positions, FPS)
    assert speeds.shape == (30, 22)

    slow = positions * (0.1 / 0.3)  # 0.1 m/s: under the 0.15 m/s line
    assert v.still_share(slow, FPS) == 1.0
    # half the steps fast, half still
    half = positions.copy()
    half[16:] = half[15]
    assert v.still_share(half, FPS) == pytest.approx(0.5)


def test_p99_catches_one_joint_spike():
    positions = np.zeros((101, 22, 3))
    positions[50, 3, 1] = 0.2  # one joint pops 20 cm for a frame: two steps of 6 m/s among 2200
    assert v.mean_speed(positions, FPS) == pytest.approx(2 * 6.0 / 2200)
    assert v.p99_speed(positions, FPS) == 0.0  # 2 of 2200 samples is under 1 %
    assert v.p99_speed(positions, FPS, percentile=99.95) > 1.0


def test_pelvis_turning_45_degrees_in_one_frame_is_one_snap():
    yaw = np.zeros(20)
    yaw[10:] = 45.0
    assert v.snap_frames(_yaw_rotations(yaw)) == 1
    np.testing.assert_allclose(v.pelvis_yaw(_yaw_rotations(yaw)), yaw, atol=1e-9)
    assert v.snap_frames(_yaw_rotations(np.linspace(0, 90, 20))) == 0  # 4.7 degrees per frame


def test_wrap_around_is_not_a_snap():
    assert v.snap_frames(_yaw_rotations([179.0, -179.0, 179.0, -178.0])) == 0
    assert v.snap_frames(_yaw_rotations([170.0, -150.0])) == 1  # 40 degrees across the wrap
    whole_turn = np.linspace(0.0, 720.0, 121)  # two turns in 4 s: 6 degrees a frame, wrapping twice
    assert v.snap_frames(_yaw_rotations(whole_turn)) == 0


def test_yaw_ignores_a_lean_of_the_body():
    r = _yaw_rotations([30.0, 30.0, 30.0, 30.0])
    pitch = rot.axis_angle_to_matrix(np.array([np.radians(20.0), 0.0, 0.0]))  # about the local x axis
    roll = rot.axis_angle_to_matrix(np.array([0.0, 0.0, np.radians(-35.0)]))
    face_down = rot.axis_angle_to_matrix(np.array([np.radians(90.0), 0.0, 0.0]))  # forward axis points down
    r[1, 0], r[2, 0], r[3, 0] = r[1, 0] @ pitch, r[2, 0] @ roll, r[3, 0] @ face_down
    np.testing.assert_allclose(v.pelvis_yaw(r), [30.0] * 4, atol=1e-9)
    assert v.snap_frames(r) == 0
    np.testing.assert_allclose(v.pelvis_yaw(_yaw_rotations([90.0, -120.0, 180.0])), [90.0, -120.0, 180.0])


def test_fingers_oscillating_with_a_known_amplitude():
    frames = 60  # two periods of 30 frames
    angle = 40.0 + 20.0 * np.sin(2 * np.pi * np.arange(frames) / 30)  # degrees, always positive
    r = np.broadcast_to(np.eye(3), (frames, 52, 3, 3)).copy()
    turning = rot.axis_angle_to_matrix(np.radians(angle)[:, None] * np.array([0.0, 0.6, 0.8]))[:, None]
    r[:, 22:] = turning
    assert v.finger_activity(r) == pytest.approx(20.0 / np.sqrt(2.0), rel=1e-9)
    r[:, 37:] = np.eye(3)  # the right hand still: half the joints at 0
    assert v.finger_activity(r) == pytest.approx(10.0 / np.sqrt(2.0), rel=1e-9)
    r[:, 22:] = np.eye(3)
    r[:, :22] = turning  # the body moves
    assert v.finger_activity(r) == 0.0


def test_pelvis_walking_one_metre_in_30_seconds():
    frames = 901  # 900 steps of 1/30 s
    pelvis = np.zeros((frames, 3))
    pelvis[:, 0] = np.linspace(0.0, 0.6, frames)
    pelvis[:, 2] = np.linspace(0.0, 0.8, frames)  # 1 m along a diagonal
    pelvis[:, 1] = 0.9 + 0.05 * np.sin(np.arange(frames))  # bouncing does not count
    assert v.pelvis_path_per_minute(pelvis, FPS) == pytest.approx(2.0)
    assert v.pelvis_extent(pelvis) == pytest.approx(0.8)
    there_and_back = np.concatenate([pelvis[:451], pelvis[449::-1]])  # 0.5 m out and back in 30 s
    assert v.pelvis_path_per_minute(there_and_back, FPS) == pytest.approx(2.0)
    assert v.pelvis_extent(there_and_back) == pytest.approx(0.4)


def test_a_foot_3_cm_under_the_floor(skeleton):
    rest = Motion.rest(10, skeleton)
    lowest = v.lowest_foot(rest.positions(skeleton))
    sunk = rest.translated([0.0, -0.03 - lowest, 0.0])
    assert v.lowest_foot(sunk.positions(skeleton)) == pytest.approx(-0.03)
    assert v.vitals(sunk, skeleton)["under_floor_cm"] == pytest.approx(3.0)
    positions = np.zeros((5, 12, 3))
    positions[:, :, 1] = 0.5
    positions[3, 10, 1] = -0.03
    assert v.lowest_foot(positions) == pytest.approx(-0.03)
    positions[3, 10, 1] = 0.02
    positions[:, 9, 1] = -1.0  # not a foot joint
    assert v.lowest_foot(positions) == pytest.approx(0.02)


def test_vitals_takes_finedance_arrays_and_scores_bas(skeleton):
    from studio.metrics.bench import synthetic_dances

    dance = synthetic_dances(1, 90, seed=2)[0]
    array = finedance.to_array(dance)
    figures = v.vitals(array, skeleton, music_beats=np.arange(5, 90, 15))
    assert set(v.FIGURES) <= set(figures)
    assert 0.0 <= figures["bas"] <= 1.0
    assert figures["frames"] == 90
    feature = np.concatenate([np.zeros((90, 4), np.float32), array], axis=1)
    assert v.vitals(feature, skeleton, music_beats=np.arange(5, 90, 15)) == figures
    assert v.vitals(array, skeleton, music_beats=np.array([500]))["bas"] is None  # no beat inside


def test_bad_input_is_an_input_error():
    with pytest.raises(InputError, match="at least 2 frames"):
        v.still_share(np.zeros((1, 22, 3)))
    with pytest.raises(InputError, match="22 body joints"):
        v.mean_speed(np.zeros((5, 10, 3)))
    with pytest.raises(InputError, match="rotation matrices"):
        v.finger_activity(np.zeros((5, 22, 3, 3)))
    with pytest.raises(InputError, match="315"):
        v.vitals(np.zeros((5, 100), np.float32))
