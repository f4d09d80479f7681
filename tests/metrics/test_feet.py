import numpy as np
import pytest

from studio.core.errors import InputError
from studio.metrics import foot_skating, pfc


def _standing(frames=20, height=0.0):
    """22 joints: ankles 7 cm and toes 2 cm above ``height``, pelvis at 0.9 m."""
    p = np.zeros((frames, 22, 3))
    p[:, :, 1] = 0.9 + height
    p[:, [7, 8], 1] = 0.07 + height
    p[:, [10, 11], 1] = 0.02 + height
    p[:, [7, 10], 0] = 0.1
    p[:, [8, 11], 0] = -0.1
    return p


def test_standing_still_does_not_skate():
    result = foot_skating(_standing())
    assert (result.left, result.right, result.ratio) == (0.0, 0.0, 0.0)
    assert result.left_contact_frames == result.right_contact_frames == 20


def test_sliding_feet_skate_on_every_moving_frame():
    p = _standing(frames=10)
    p[:, [7, 8, 10, 11], 0] += 0.03 * np.arange(10)[:, None]  # |mean(vx, vz)| = 0.015 > 0.01 m/frame
    result = foot_skating(p)
    assert result.left == pytest.approx(9 / 10)  # the last frame has velocity 0 by convention
    assert result.ratio == pytest.approx(0.9)


def test_lodge_averages_the_horizontal_components():
    # 0.018 m/frame along x: a horizontal speed above 0.01, but LODGE's |mean(vx, vz)| = 0.009 is not
    p = _standing(frames=10)
    p[:, [7, 10], 0] += 0.018 * np.arange(10)[:, None]
    assert foot_skating(p).left == 0.0


def test_ground_is_taken_from_the_first_frame_and_no_contact_is_zero():
    lifted = _standing(height=5.0)  # the whole dancer high up: the ground follows the toes
    assert foot_skating(lifted).left_contact_frames == 20
    p = _standing()
    p[:, [7, 8], 1] += 0.2  # on tiptoe: the ankles are never low enough for contact
    p[:, [7, 8, 10, 11], 0] += np.arange(20)[:, None] * 0.1
    result = foot_skating(p)
    assert result.left_contact_frames == 0 and result.ratio == 0.0


def test_pfc_by_hand():
    frames, fps = 8, 30.0
    p = _standing(frames)
    t = np.arange(frames) / fps
    p[:, 0, 0] = 0.5 * 2.0 * t**2  # root: constant 2 m/s^2 sideways -> normalised acceleration 1
    p[:, [7, 10], 2] += 0.1 * np.arange(frames)[:, None]  # left foot 0.1 m/frame
    p[:, [8, 11], 2] += 0.2 * np.arange(frames)[:, None]  # right foot 0.2 m/frame
    assert pfc(p, fps) == pytest.approx(0.1 * 0.2 * 1.0 * 10_000)


def test_pfc_of_a_still_root_is_zero_and_short_motion_is_an_error():
    assert pfc(_standing()) == 0.0
    with pytest.raises(InputError, match="at least 3 frames"):
        pfc(_standing(2))
    p = _standing()
    p[4, 7, 0] = np.nan
    with pytest.raises(InputError, match="frame 4, joint 7"):
        foot_skating(p)
