"""Foot locking: planted feet held still by moving the pelvis with them and two-bone IK on the legs."""

from __future__ import annotations

import numpy as np
import pytest

from studio.body.provider import default_skeleton
from studio.core.footlock import keep_above_floor, lock_feet
from studio.core.motion import Motion

LEFT_ANKLE, RIGHT_ANKLE, LEFT_TOE, RIGHT_TOE = 7, 8, 10, 11
FEET = [LEFT_ANKLE, RIGHT_ANKLE, LEFT_TOE, RIGHT_TOE]
TOE_ON_FLOOR = 0.015  # m: the mannequin's toe joints standing on the floor


@pytest.fixture(scope="module")
def skeleton():
    return default_skeleton()


def _rot_x(degrees: float) -> np.ndarray:
    c, s = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def _swaying(skeleton, frames=120, lift_right=False) -> Motion:
    """Knees bent 50 degrees, feet flat on the floor; the pelvis sways 5 cm / 4 cm: the legs do not follow, so
    the feet skate."""
    rest = Motion.rest(frames, skeleton)
    rotations = rest.rotations.copy()
    for hip, knee, ankle in ((1, 4, 7), (2, 5, 8)):
        rotations[:, hip], rotations[:, knee], rotations[:, ankle] = _rot_x(-25), _rot_x(50), _rot_x(-25)
    if lift_right:  # right hip flexed 60 degrees more: the right foot is in the air throughout
        rotations[:, 2] = _rot_x(-85)
    toes = Motion(rest.trans[:1], rotations[:1]).positions(skeleton)[0, [LEFT_TOE, RIGHT_TOE], 1]
    phase = np.linspace(0, 8 * np.pi, frames)
    trans = rest.trans.copy()
    trans[:, 0] += 0.05 * np.sin(phase)
    trans[:, 2] += 0.04 * np.cos(phase)
    trans[:, 1] += TOE_ON_FLOOR - toes.min()
    return Motion(trans, rotations)


def _horizontal_steps(points: np.ndarray) -> np.ndarray:
    return np.linalg.norm(np.diff(points[:, [0, 2]], axis=0), axis=-1)


@pytest.mark.parametrize("carry_root", [False, True])
def test_planted_feet_stop_sliding_and_the_legs_keep_their_length(skeleton, carry_root):
    motion = _swaying(skeleton)
    before = motion.positions(skeleton)
    assert _horizontal_steps(before[:, LEFT_ANKLE]).max() > 0.005  # skates to begin with
    locked, report = lock_feet(motion, skeleton, carry_root=carry_root)
    after = locked.positions(skeleton)
    assert report.locked_frames == {"left": 120, "right": 120}
    for joint in (LEFT_ANKLE, RIGHT_ANKLE, LEFT_TOE, RIGHT_TOE):
        assert _horizontal_steps(after[:, joint]).max() < 1e-4  # 0.1 mm: reach stops short of a straight knee
        np.testing.assert_allclose(after[:, joint, 1], before[:, joint, 1], atol=1e-4)  # heights kept
    assert np.isfinite(after).all()
    if not carry_root:
        np.testing.assert_allclose(locked.trans, motion.trans)
        others = [j for j in range(52) if j not in (1, 2, 4, 5, 7, 8)]  # hips, knees, ankles may change
        np.testing.assert_allclose(locked.rotations[:, others], motion.rotations[:, others])
        np.testing.assert_allclose(after[:, 15], before[:, 15])  # the head did not move
    else:
        assert np.abs(locked.trans - motion.trans).max() > 0.01  # the body went with the planted feet
    # the two-bone IK is rigid: every bone keeps its length
    for child, parent in ((4, 1), (7, 4), (5, 2), (8, 5)):
        length = np.linalg.norm(after[:, child] - after[:, parent], axis=-1)
        np.testing.assert_allclose(length, np.linalg.norm(skeleton.offsets[child]), atol=1e-9)


def test_a_foot_in_the_air_is_left_alone(skeleton):
    motion = _swaying(skeleton, lift_right=True)
    locked, report = lock_feet(motion, skeleton, carry_root=False)
    assert report.locked_frames["right"] == 0 and report.locked_frames["left"] == 120
    np.testing.assert_allclose(locked.rotations[:, [2, 5, 8]], motion.rotations[:, [2, 5, 8]])


def test_a_run_reaching_fixed_frames_at_the_end_keeps_them(skeleton):
    motion = _swaying(skeleton, frames=60)
    before = motion.positions(skeleton)
    locked, _ = lock_feet(motion, skeleton, anchor_end=True)
    after = locked.positions(skeleton)
    # the whole window is one run touching the end: the foot is held where the LAST frame has it
    np.testing.assert_allclose(after[:, LEFT_ANKLE, [0, 2]], np.repeat(before[-1:, LEFT_ANKLE, [0, 2]], 60, 0),
                               atol=1e-6)  # fmt: skip
    np.testing.assert_allclose(locked.trans[-1], motion.trans[-1], atol=1e-9)  # the root joins the next frames


def _contact_slides(positions: np.ndarray) -> int:
    """Frames on which a foot is in contact (LODGE heights, floor at the toes' standing height) and slides."""
    from studio.metrics.feet import foot_skating

    skating = foot_skating(positions)
    return round(skating.left * skating.left_contact_frames + skating.right * skating.right_contact_frames)


def test_a_foot_sweeping_the_floor_is_lifted_clear(skeleton):
    """Standing straight, the right leg swings out 12 degrees in 3 frames (its foot sweeps ~18 cm along the
    floor: a step, too fast to hold) and stays there: the foot is lifted off the floor for the sweep (eased in
    and out), so no contact frame slides; the left foot does not move."""
    rest = Motion.rest(60, skeleton)
    rotations = rest.rotations.copy()
    spread = np.concatenate((np.zeros(20), np.linspace(0, 12, 4)[1:], np.full(37, 12.0)))
    c, s = np.cos(np.radians(spread)), np.sin(np.radians(spread))
    rotations[:, 2] = np.stack([np.stack([c, -s, 0 * c], -1), np.stack([s, c, 0 * c], -1),
                                np.stack([0 * c, 0 * c, 1 + 0 * c], -1)], axis=1)  # fmt: skip
    trans = rest.trans.copy()
    trans[:, 1] += TOE_ON_FLOOR - rest.positions(skeleton)[0, [LEFT_TOE, RIGHT_TOE], 1].min()
    sweeping = Motion(trans, rotations)
    swept = sweeping.positions(skeleton)
    assert _horizontal_steps(swept[:, RIGHT_ANKLE]).max() > 0.05 and _contact_slides(swept) >= 2  # skates
    locked, _ = lock_feet(sweeping, skeleton)
    after = locked.positions(skeleton)
    assert _contact_slides(after) == 0
    assert after[20:23, RIGHT_ANKLE, 1].min() > swept[20:23, RIGHT_ANKLE, 1].max() + 0.02  # lifted for the step
    np.testing.assert_allclose(after[:, LEFT_ANKLE], swept[:, LEFT_ANKLE], atol=1e-6)
    lift = after[:, RIGHT_ANKLE, 1] - swept[:, RIGHT_ANKLE, 1]
    assert np.abs(np.diff(lift)).max() < 0.04  # eased in and out, no pop
    assert np.abs(lift[:14]).max() < 1e-6 and np.abs(lift[30:]).max() < 1e-6  # only around the step


def test_a_planted_foot_keeps_its_whole_orientation_so_the_toe_holds_too(skeleton):
    """The pelvis sways and the left foot pitches (heel lifting 10 degrees and back) on the floor: with the
    ankle and the foot's orientation held, the toe joint does not slide either."""
    motion = _swaying(skeleton, frames=60)
    rotations = motion.rotations.copy()
    pitch = 10 * np.sin(np.linspace(0, np.pi, 60))
    for t, angle in enumerate(pitch):
        rotations[t, 7] = _rot_x(-25 + angle)
    locked, _ = lock_feet(Motion(motion.trans, rotations), skeleton, lift_feet=False)
    after = locked.positions(skeleton)
    assert _horizontal_steps(after[:, LEFT_TOE]).max() < 1e-4


def test_fixed_first_frames_are_kept_and_a_run_from_them_stays_where_they_put_the_foot(skeleton):
    motion = _swaying(skeleton, frames=60)
    before = motion.positions(skeleton)
    locked, _ = lock_feet(motion, skeleton, fixed_start=8)
    after = locked.positions(skeleton)
    np.testing.assert_allclose(locked.trans[:8], motion.trans[:8])
    np.testing.assert_allclose(locked.rotations[:8], motion.rotations[:8])
    # one run through the whole window: held at the last fixed frame's place
    np.testing.assert_allclose(after[8:, LEFT_ANKLE, [0, 2]], np.repeat(before[7:8, LEFT_ANKLE, [0, 2]], 52, 0),
                               atol=1e-6)  # fmt: skip


def test_a_pop_after_the_fixed_frames_is_taken_back(skeleton):
    """The generated frames start 8 cm away from the fixed ones (the net missed its constraint: faster than a
    planted foot may move): the planted feet still stay where the fixed frames put them."""
    motion = _swaying(skeleton, frames=40)
    trans = motion.trans.copy()
    trans[8:, 0] += 0.08
    popped = Motion(trans, motion.rotations)
    before = popped.positions(skeleton)
    locked, _ = lock_feet(popped, skeleton, fixed_start=8)
    after = locked.positions(skeleton)
    for ankle in (LEFT_ANKLE, RIGHT_ANKLE):
        np.testing.assert_allclose(after[8:, ankle, [0, 2]], np.repeat(before[7:8, ankle, [0, 2]], 32, 0), atol=1e-6)


def test_no_foot_is_left_under_the_floor_and_the_raise_eases_in_and_out(skeleton):
    motion = _swaying(skeleton)
    trans = motion.trans.copy()
    trans[50:60, 1] -= 0.04  # the whole body sinks 4 cm into the floor for ten frames
    sunk = Motion(trans, motion.rotations)
    assert sunk.positions(skeleton)[:, FEET, 1].min() < -0.02

    raised = keep_above_floor(sunk, skeleton)
    feet = raised.positions(skeleton)[:, FEET, 1]
    assert feet.min() >= -1e-6
    assert np.array_equal(raised.rotations, sunk.rotations)  # the pose is kept: only the body is raised
    raise_by = raised.trans[:, 1] - sunk.trans[:, 1]
    assert raise_by.max() > 0.02
    assert np.abs(np.diff(raise_by)).max() <= raise_by.max() / 2  # eased: the raise does not pop in one frame
    assert np.allclose(raised.trans[:40], sunk.trans[:40])  # frames far from it are untouched


def test_the_floor_raise_leaves_fixed_frames_as_they_are(skeleton):
    motion = _swaying(skeleton)
    trans = motion.trans.copy()
    trans[:, 1] -= 0.03
    sunk = Motion(trans, motion.rotations)
    raised = keep_above_floor(sunk, skeleton, fixed_start=10, fixed_end=True)
    assert np.allclose(raised.trans[:10], sunk.trans[:10]) and np.allclose(raised.trans[-1], sunk.trans[-1])
    assert raised.positions(skeleton)[20:100, FEET, 1].min() >= -1e-6


def test_lock_feet_leaves_no_foot_under_the_floor(skeleton):
    motion = _swaying(skeleton)
    trans = motion.trans.copy()
    trans[30:40, 1] -= 0.05
    locked, _ = lock_feet(Motion(trans, motion.rotations), skeleton, floor=TOE_ON_FLOOR)
    assert locked.positions(skeleton)[:, FEET, 1].min() >= -1e-6
