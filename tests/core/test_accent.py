"""Beat accents: the time warp's shape, its inverse, resampling, and that it makes motion beats of music beats."""

import numpy as np
import pytest

from studio.core.accent import MAX_GAP, accent_times, release_times, resample
from studio.core.errors import InputError
from studio.metrics.beats import bas

BEATS = np.arange(10, 200, 16)  # 112.5 BPM at 30 fps


def test_beats_stay_put_and_the_speed_dips_on_them():
    t = np.arange(0, 220, 0.25)
    w = accent_times(t, BEATS, 0.4)
    on_beat = np.isin(t, BEATS)
    np.testing.assert_allclose(w[on_beat], t[on_beat], atol=1e-12)  # nothing drifts
    speed = np.gradient(w, t)
    inside = (t > BEATS[0] + 1) & (t < BEATS[-1] - 1)
    assert np.all(np.diff(w) > 0)  # still a retiming: never backwards
    assert speed[inside].min() == pytest.approx(0.6, abs=1e-3)  # (1 - a) x on the beat ...
    assert speed[inside].max() == pytest.approx(1.4, abs=1e-3)  # ... (1 + a) x half way
    np.testing.assert_allclose(speed[np.isin(t, BEATS[1:-1])], 0.6, atol=1e-3)
    assert np.abs(w - t).max() == pytest.approx(0.4 * 16 / (2 * np.pi), rel=1e-3)


def test_no_accent_outside_the_beats_nor_across_a_break():
    beats = np.array([0, 16, 32, 48, 48 + 16 * 3, 112, 128])  # a break of three beats after 48
    t = np.arange(0.0, 140.0)
    w = accent_times(t, beats, 0.5)
    np.testing.assert_array_equal(w[(t >= 48) & (t <= 96)], t[(t >= 48) & (t <= 96)])
    np.testing.assert_array_equal(w[t >= 128], t[t >= 128])
    assert not np.allclose(w[:48], t[:48])
    assert MAX_GAP < 3  # a gap of three beats is a break
    np.testing.assert_array_equal(accent_times(t, beats, 0.0), t)
    np.testing.assert_array_equal(accent_times(t, [5], 0.5), t)  # one beat: no period to accent


def test_release_undoes_the_accent():
    t = np.arange(0.0, 210.0)
    back = release_times(accent_times(t, BEATS, 0.3), BEATS, 0.3)
    np.testing.assert_allclose(back, t, atol=5e-3)  # a table inverse: exact up to its step
    np.testing.assert_allclose(accent_times(release_times(t, BEATS, 0.3), BEATS, 0.3), t, atol=5e-3)


def test_resample_interpolates_extrapolates_and_keeps_contacts_whole():
    features = np.zeros((5, 6))
    features[:, 4] = np.arange(5) * 2.0  # a channel moving 2 per frame
    features[:, 0] = [1, 1, 0, 0, 1]  # a contact
    out = resample(features, np.array([10.5, 11.25, 9.0, 15.5]), first=10)
    np.testing.assert_allclose(out[:, 4], [1.0, 2.5, -2.0, 11.0])
    np.testing.assert_array_equal(out[:, 0], [1, 1, 1, 1])  # nearest frames 0 (10.5 rounds to even), 1, 0, 4
    assert out.dtype == features.dtype
    with pytest.raises(InputError, match="T >= 2"):
        resample(features[:1], np.array([0.0]))


def test_bad_strength_or_beats_are_refused():
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        accent_times(np.arange(10.0), BEATS, 1.0)
    with pytest.raises(InputError, match="finite"):
        accent_times(np.arange(10.0), [0.0, np.nan], 0.2)


def test_accented_motion_has_its_motion_beats_on_the_music_beats():
    """A motion that pulses every 23 frames (as the shipped net does, against beats every 16) has its motion
    beats off the music's; accented, its speed minima fall on the music beats."""
    frames = 230
    t = np.arange(frames)
    angle = (t * 0.05 + 0.01 * np.sin(2 * np.pi * t / 23))[:, None] + np.arange(24)[None, :]
    positions = np.stack([np.cos(angle), np.zeros_like(angle), np.sin(angle)], axis=-1)  # 24 joints circling
    flat = positions.reshape(frames, -1)
    accented = resample(flat, accent_times(t, BEATS, 0.3)).reshape(positions.shape)
    assert bas(positions, BEATS) < 0.4
    assert bas(accented, BEATS) > 0.85
