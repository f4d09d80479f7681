"""A short dance obeys the physical rules: planted feet, floor, joint limits, hands that move."""

import numpy as np
import pytest

from studio.data.procedural.choreographer import plan_song, render_plan
from studio.data.procedural.clearance import clearance
from studio.data.procedural.genres import genre
from studio.data.procedural.legs import default_leg_model, sole_heights
from studio.metrics.feet import foot_skating

COUNTS = 40  # five eights, about 20-40 s


def regular_beats(bpm: float, counts: int, start: float = 0.4) -> np.ndarray:
    return start + 60.0 / bpm * np.arange(counts + 1)


def _dance(name: str, seed: int = 3):
    bpm = float(np.mean(genre(name).music.tempo))
    beats = regular_beats(bpm, COUNTS)
    plan = plan_song(name, COUNTS, np.random.default_rng(seed))
    frames = int((beats[-1] + 1.5) * 30)
    return plan, beats, render_plan(plan, beats, frames)


@pytest.fixture(scope="module", params=["Breaking", "Dai", "ShenYun"])
def dance(request):
    return request.param, *_dance(request.param)


def test_deterministic_for_a_seed():
    a = _dance("Popping", 9)[2]
    b = _dance("Popping", 9)[2]
    assert np.array_equal(a.trans, b.trans) and np.array_equal(a.rotations, b.rotations)


def test_feet_do_not_slide_and_stay_on_the_floor(dance):
    _, _, _, motion = dance
    model = default_leg_model()
    positions = motion.positions(model.skeleton)
    assert foot_skating(positions).ratio <= 0.05
    soles = sole_heights(model, motion)
    assert soles.min() >= -0.01  # no foot more than 1 cm under the floor
    assert soles.min(axis=1).max() < 0.6  # somebody is always near the floor (small hops only)
    # a foot that rests on the floor rests ON it: the lowest sole of the frame is at y = 0 (within 5 mm)
    standing = np.abs(np.diff(positions[:, [7, 8]], axis=0)).max(axis=(1, 2)) < 1e-9
    assert np.abs(soles.min(axis=1)[1:][standing]).max() < 0.005


def test_planted_ankle_is_exactly_still(dance):
    _, _, _, motion = dance
    positions = motion.positions(default_leg_model().skeleton)
    for ankle in (7, 8):
        height = positions[:, ankle, 1]
        low = height < height.min() + 1e-6  # on the floor
        moves = np.linalg.norm(np.diff(positions[:, ankle], axis=0), axis=1)
        still = low[1:] & low[:-1]
        assert moves[still].max() < 1e-6


def test_joints_within_human_limits(dance):
    _, _, _, motion = dance
    angles = np.degrees(np.linalg.norm(motion.axis_angle(), axis=-1))  # (T, 52)
    assert angles[:, [4, 5]].max() <= 150.5  # knees
    assert angles[:, [18, 19]].max() <= 145.5  # elbows
    assert angles[:, [3, 6, 9]].max() <= 40.0  # each spine joint
    assert angles[:, 22:].max() <= 110.0  # finger joints
    assert angles[:, [7, 8]].max() <= 60.0  # ankles
    # knees and elbows are hinges that never bend backwards
    knee_flexion = motion.rotations[:, [4, 5], 2, 1]  # sin(theta) of R_x(theta)
    assert knee_flexion.min() >= -0.02


def test_limbs_stay_out_of_the_body(dance):
    _, _, _, motion = dance
    assert clearance(motion.positions(default_leg_model().skeleton)).min() >= -0.03


def test_hands_really_move(dance):
    _, _, beats, motion = dance
    angles = np.degrees(np.linalg.norm(motion.axis_angle()[:, 22:], axis=-1))
    assert angles.std(axis=0).mean() >= 10.0
    frames = np.rint(beats * 30).astype(int)
    for start in range(0, COUNTS - 8, 8):  # a new hand shape in every eight
        window = angles[frames[start] : frames[start + 8]]
        assert np.ptp(window, axis=0).max() >= 20.0


def test_dance_follows_the_counts(dance):
    from studio.metrics.beats import bas, music_beats_from_times

    _, _, beats, motion = dance
    assert bas(motion.positions(default_leg_model().skeleton), music_beats_from_times(beats)) >= 0.25
