"""Choreographer: batching, seeds, seams, progress and cancellation, with a tiny untrained model."""

from __future__ import annotations

import itertools
import threading

import numpy as np
import pytest
import torch

from studio.core import finedance
from studio.core.errors import Cancelled, InputError
from studio.core.motion import Motion
from studio.core.skeleton import NUM_JOINTS, Skeleton
from studio.ml.fdgn import FDGN, preset
from studio.ml.normalize import Normalizer
from studio.ml.pipeline import Choreographer


@pytest.fixture(scope="module")
def choreographer() -> Choreographer:
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    stats = Normalizer(rng.normal(0, 0.1, 319), rng.uniform(0.5, 1, 319), np.zeros(35), np.ones(35))
    skeleton = Skeleton(rng.normal(0, 0.2, size=(NUM_JOINTS, 3)))
    return Choreographer(FDGN(preset("tiny")), stats, device="cpu", model_id="tiny", skeleton=skeleton)


@pytest.fixture(scope="module")
def music() -> np.ndarray:
    return np.random.default_rng(1).normal(size=(400, 35)).astype(np.float32)


def test_candidates_are_batched_and_convert_to_motions(choreographer, music):
    result = choreographer.generate_segment(music, 30, 150, num_candidates=3, seeds=7)
    assert result.features.shape == (3, 120, 319)
    assert result.seeds == (7, 8, 9)
    motions = result.motions()
    assert len(motions) == 3 and all(isinstance(m, Motion) and m.num_frames == 120 for m in motions)
    np.testing.assert_allclose(motions[1].trans, result.features[1, :, 4:7], atol=1e-6)
    candidates = result.candidates()
    assert [c.seed for c in candidates] == [7, 8, 9] and candidates[0].model_id == "tiny"


def test_generation_is_deterministic_for_a_seed(choreographer, music):
    a = choreographer.generate_segment(music, 0, 40, num_candidates=3, seeds=[5, 6, 11])
    b = choreographer.generate_segment(music, 0, 40, num_candidates=3, seeds=[5, 6, 11])
    alone = choreographer.generate_segment(music, 0, 40, num_candidates=1, seeds=[6])
    np.testing.assert_array_equal(a.features, b.features)
    np.testing.assert_allclose(alone.features[0], a.features[1], atol=1e-4)  # batch-independent
    assert not np.allclose(a.features[0], a.features[1])


@pytest.mark.parametrize("length", [90, 150])
def test_segments_of_90_to_150_frames_with_both_seams_constrained(choreographer, music, length):
    k = choreographer.config.context_frames
    prev = choreographer.generate_segment(music, 0, 40, num_candidates=1, seeds=1).features[0]
    nxt = choreographer.generate_segment(music, 40 + length, 80 + length, num_candidates=1, seeds=2).features[0]
    result = choreographer.generate_segment(music, 40, 40 + length, num_candidates=2, seeds=3, prev=prev, next=nxt)
    assert result.features.shape == (2, length, 319)
    assert result.context == (k, k) and result.window.shape == (2, length + 2 * k, 319)
    for window in result.window:  # the neighbours' frames are re-imposed exactly (up to float32 normalisation)
        np.testing.assert_allclose(window[:k], prev[-k:], atol=1e-5)
        np.testing.assert_allclose(window[-k:], nxt[:k], atol=1e-5)


def test_motion_constraints_are_accepted(choreographer, music):
    k = choreographer.config.context_frames
    prev = choreographer.generate_segment(music, 0, 40, num_candidates=1, seeds=1)
    motion = prev.motion(0)
    result = choreographer.generate_segment(music, 40, 80, num_candidates=1, prev=motion)
    expected = finedance.to_feature(motion, choreographer.skeleton)[-k:]
    np.testing.assert_allclose(result.window[0, :k, 4:], expected[:, 4:], atol=1e-4)


def test_whole_song_goes_segment_by_segment_with_smooth_seams(choreographer, music):
    segments = [(0, 40), (40, 70), (70, 120)]
    results, chosen = choreographer.generate_song(music, segments, num_candidates=2, seed=3,
                                                  choose=lambda i, r: 1)  # fmt: skip
    k = choreographer.config.context_frames
    assert chosen == [1, 1, 1] and [r.features.shape[1] for r in results] == [40, 30, 50]
    assert results[1].seeds == (5, 6)
    for before, after in itertools.pairwise(results):
        np.testing.assert_allclose(after.window[:, :k], np.repeat(before.features[1][None, -k:], 2, 0), atol=1e-5)

    dance = [r.features[1] for r in results]
    again = choreographer.regenerate(music, segments, dance, 1, num_candidates=2, seeds=100)
    np.testing.assert_allclose(again.window[0, :k], dance[0][-k:], atol=1e-5)
    np.testing.assert_allclose(again.window[0, -k:], dance[2][:k], atol=1e-5)


def test_progress_is_reported_every_step(choreographer, music):
    calls = []
    choreographer.generate_segment(music, 0, 20, num_candidates=1, steps=5, callback=lambda i, n: calls.append((i, n)))
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_interrupt_stops_within_one_step(choreographer, music):
    stop = threading.Event()
    calls = []

    def on_step(done: int, total: int) -> None:
        calls.append(done)
        if done == 2:
            stop.set()

    with pytest.raises(Cancelled):
        choreographer.generate_segment(music, 0, 20, num_candidates=2, steps=6, callback=on_step, interrupt=stop)
    assert calls == [1, 2]


def test_guidance_and_more_steps_run(choreographer, music):
    result = choreographer.generate_segment(music, 0, 16, num_candidates=2, steps=3, guidance=2.5)
    assert result.features.shape == (2, 16, 319) and np.isfinite(result.features).all()


def test_bad_input_is_refused(choreographer, music):
    with pytest.raises(InputError, match="35"):
        choreographer.generate_segment(music[:, :30], 0, 20)
    with pytest.raises(InputError, match="319"):
        choreographer.generate_segment(music, 20, 40, prev=np.zeros((5, 315), np.float32))
    with pytest.raises(ValueError):
        choreographer.generate_segment(music, 20, 10)
    with pytest.raises(ValueError):
        choreographer.generate_segment(music, 0, 10, num_candidates=2, seeds=[1])


def test_a_model_can_train_after_sampling(music):
    # caches filled under inference_mode (rotary angles, normaliser tensors) must not break autograd later
    torch.manual_seed(0)
    stats = Normalizer(np.zeros(319), np.full(319, 2.0), np.zeros(35), np.ones(35))
    model = FDGN(preset("tiny"))
    Choreographer(model, stats, device="cpu").generate_segment(music, 0, 20, num_candidates=1, steps=2)
    model.train()
    x = stats.normalize_motion(torch.randn(1, 20, 319))
    out = model(x, torch.tensor([3]), stats.normalize_music(torch.as_tensor(music[:20]))[None])
    stats.denormalize_motion(out).pow(2).mean().backward()
    assert model.body.final_layer.weight.grad is not None


def test_seams_are_handed_over_from_the_constraints_own_continuation():
    from studio.ml.pipeline import hand_over_seams

    window = np.zeros((1, 40, 319), np.float32)
    window[0, :, 4:] = np.arange(40, dtype=np.float32)[:, None] * 0.1  # a steady motion, 0.1 a frame ...
    window[0, 5:35, 4:] += 1.0  # ... whose generated frames sit 1.0 off both constraints
    window[0, :, :4] = 1.0
    out = hand_over_seams(window, 5, 5, 8)
    np.testing.assert_array_equal(out[:, :5], window[:, :5])  # constraint frames as given
    np.testing.assert_array_equal(out[:, 35:], window[:, 35:])
    np.testing.assert_array_equal(out[:, 13:27], window[:, 13:27])  # the middle is the net's
    np.testing.assert_array_equal(out[..., :4], window[..., :4])  # contacts left alone
    steps = np.diff(out[0, :, 4])
    u = 1 / 9  # the first generated frame's share of the net's own frame (a smoothstep over 8 + 1)
    assert steps[4] == pytest.approx(0.1 + u * u * (3 - 2 * u), abs=1e-6)  # the constraint's 0.1 + a little
    assert np.all(np.abs(np.diff(steps)) < 0.1)  # no jump anywhere: the 1.0 offset is caught up over 8 frames
    assert steps.max() < 0.1 + 1.0 / 8 * 1.5 + 1e-6  # at most the smoothstep's peak slope


def test_beat_accent_retimes_what_the_net_makes_and_keeps_the_seams(music):
    """``beat_accent``: the net samples in unaccented time (the same seeds give the same raw dance), and the
    pipeline shows it at the accent's source times; constraint frames stay exactly as given."""
    from studio.core.accent import accent_times, resample
    from studio.metrics.beats import BEAT_COLUMN

    steady = np.array(music, copy=True)
    steady[:, BEAT_COLUMN] = 0.0
    steady[5::15, BEAT_COLUMN] = 1.0  # 120 BPM
    torch.manual_seed(0)
    plain = Choreographer(FDGN(preset("tiny")), device="cpu")
    accented = Choreographer(FDGN(preset("tiny").replace(beat_accent=0.4)), device="cpu")
    accented.model.load_state_dict(plain.model.state_dict())
    raw = plain.generate_segment(steady, 0, 60, num_candidates=2, seeds=3)
    shown = accented.generate_segment(steady, 0, 60, num_candidates=2, seeds=3)
    source = accent_times(np.arange(60), np.arange(5, 400, 15), 0.4)
    inside = (source >= 0) & (source <= 59)
    for i in range(2):
        expected = resample(raw.features[i], source)
        np.testing.assert_allclose(shown.features[i][inside, 4:], expected[inside, 4:], atol=1e-4)
    assert not np.allclose(shown.features[:, :, 4:], raw.features[:, :, 4:], atol=1e-3)
    k = accented.config.context_frames
    middle = accented.generate_segment(steady, 60, 120, num_candidates=2, prev=shown.features[0],
                                       next=shown.features[1])  # fmt: skip
    np.testing.assert_allclose(middle.window[:, :k], np.repeat(shown.features[0][None, -k:], 2, 0), atol=1e-6)
    np.testing.assert_allclose(middle.window[:, -k:], np.repeat(shown.features[1][None, :k], 2, 0), atol=1e-6)
    with pytest.raises(ValueError, match="beat_accent"):
        preset("tiny").replace(beat_accent=1.0)


def test_clean_constraints_mode(music):
    torch.manual_seed(0)
    model = FDGN(preset("tiny").replace(constraints="clean", seam_blend=3))
    choreographer = Choreographer(model, device="cpu")
    k = model.config.context_frames
    prev = choreographer.generate_segment(music, 0, 30, num_candidates=1).features[0]
    result = choreographer.generate_segment(music, 30, 60, num_candidates=2, prev=prev)
    np.testing.assert_allclose(result.window[:, :k], np.repeat(prev[None, -k:], 2, 0), atol=1e-5)
    with pytest.raises(ValueError, match="constraints"):
        preset("tiny").replace(constraints="sometimes")


def test_stage_pull_eases_an_open_segment_back_toward_the_centre():
    from studio.ml.pipeline import pull_to_stage

    window = np.zeros((2, 30, 319), np.float32)
    window[0, :, 4] = 2.0  # 2 m off centre in x: pulled by the cap, 0.01 m/frame x 20 generated frames
    window[1, :, 6] = 0.05  # 5 cm off in z: pulled all the way
    out = pull_to_stage(window, 10, 0.01)
    np.testing.assert_array_equal(out[:, :10], window[:, :10])
    np.testing.assert_allclose(out[0, -1, 4], 1.8, atol=1e-6)
    np.testing.assert_allclose(out[1, -1, 6], 0.0, atol=1e-6)
    assert np.abs(np.diff(out[0, 9:, 4])).max() <= 0.01 + 1e-6
    np.testing.assert_array_equal(np.delete(out, [4, 6], axis=-1), np.delete(window, [4, 6], axis=-1))


def test_foot_lock_runs_on_every_candidate_window(music, monkeypatch):
    """With ``foot_lock`` each candidate's window goes through studio.core.footlock; a window with fixed frames
    after it (a regenerated middle segment) anchors runs at its end, and its context frames before it are
    fixed (they are the previous segment's final frames); an open end is padded by ``OPEN_END_PAD`` frames."""
    import studio.ml.pipeline as pipeline

    calls = []

    def spy(motion, skeleton, *, anchor_end=False, fixed_start=0):
        calls.append((motion.num_frames, anchor_end, fixed_start))
        return motion.translated([0.0, 0.5, 0.0]), None  # visible in the output

    monkeypatch.setattr(pipeline, "lock_feet", spy)
    torch.manual_seed(0)
    model = FDGN(preset("tiny").replace(foot_lock=True))
    choreographer = Choreographer(model, device="cpu", skeleton=Skeleton(np.zeros((NUM_JOINTS, 3))))
    free = choreographer.generate_segment(music, 0, 30, num_candidates=3)
    # an open start and an open end are sampled a little past them ...
    assert calls == [(30 + pipeline.OPEN_START_PAD + pipeline.OPEN_END_PAD, False, 0)] * 3
    assert free.window.shape == (3, 30, 319)  # ...and the extra frames are dropped
    torch.manual_seed(0)  # the same weights without the lock
    plain = Choreographer(FDGN(preset("tiny")), device="cpu").generate_segment(music, 0, 30, num_candidates=3)
    np.testing.assert_allclose(free.features[..., 5], plain.features[..., 5] + 0.5, atol=1e-5)  # root y
    calls.clear()
    k = model.config.context_frames
    choreographer.generate_segment(music, 30, 60, num_candidates=2, prev=free.features[0], next=free.features[1])
    assert calls == [(30 + 2 * k, True, k)] * 2


def test_a_candidate_that_turns_faster_than_a_body_is_redrawn_with_another_seed(music, monkeypatch):
    import studio.ml.pipeline as pipeline

    torch.manual_seed(0)
    choreographer = Choreographer(FDGN(preset("tiny").replace(max_turn=75.0)), device="cpu")
    monkeypatch.setattr(pipeline, "fastest_turn", lambda features: 0.0)
    plain = choreographer.generate_segment(music, 0, 30, num_candidates=3, seeds=[5, 6, 7])
    checked = []

    def turn(features):  # the second candidate is "implausible" the first time it is looked at
        checked.append(len(checked))
        return 999.0 if len(checked) == 2 else 0.0

    monkeypatch.setattr(pipeline, "fastest_turn", turn)
    redrawn = choreographer.generate_segment(music, 0, 30, num_candidates=3, seeds=[5, 6, 7])
    assert redrawn.seeds == (5, 6 + pipeline.REDRAW_SEED_STEP, 7)
    np.testing.assert_allclose(redrawn.features[[0, 2]], plain.features[[0, 2]], atol=1e-5)
    assert not np.allclose(redrawn.features[1], plain.features[1])
    monkeypatch.setattr(pipeline, "fastest_turn", lambda features: 0.0)
    again = choreographer.generate_segment(music, 0, 30, num_candidates=1, seeds=[6 + pipeline.REDRAW_SEED_STEP])
    np.testing.assert_allclose(again.features[0], redrawn.features[1], atol=1e-4)  # the recorded seed remakes it


def test_fastest_turn_measures_degrees_per_frame():
    from studio.core.rotations import axis_angle_to_matrix, matrix_to_rot6d
    from studio.ml.pipeline import fastest_turn

    angles = np.radians([0.0, 10.0, 30.0, 100.0])  # the pelvis turns 10, 20, then 70 degrees about +Y
    rotations = np.broadcast_to(np.eye(3), (4, NUM_JOINTS, 3, 3)).copy()
    rotations[:, 0] = axis_angle_to_matrix(np.outer(angles, [0.0, 1.0, 0.0]))
    features = np.zeros((4, 319))
    features[:, 7:] = matrix_to_rot6d(rotations).reshape(4, -1)
    assert fastest_turn(features) == pytest.approx(70.0, abs=1e-6)
    assert fastest_turn(features[:1]) == 0.0


def test_a_candidate_that_pops_at_its_seam_keeps_its_least_implausible_draw(music, monkeypatch):
    """``max_seam_jump``: a candidate whose step into the segment is a pop is sampled again; of its draws it
    keeps the least implausible one, even when none is under the limit."""
    import studio.ml.pipeline as pipeline

    torch.manual_seed(0)
    choreographer = Choreographer(FDGN(preset("tiny").replace(max_seam_jump=5.0)), device="cpu")
    prev = choreographer.generate_segment(music, 0, 30, num_candidates=1).features[0]
    jumps = iter([1.0, 9.0, 1.0, 7.0, 8.0])  # candidates 0, 1, 2; then candidate 1's two redraws

    monkeypatch.setattr(pipeline, "seam_jump", lambda *args: next(jumps))
    result = choreographer.generate_segment(music, 30, 60, num_candidates=3, seeds=[5, 6, 7], prev=prev)
    step = pipeline.REDRAW_SEED_STEP
    assert result.seeds == (5, 6 + step, 7)  # the first redraw (7x) beat the first draw (9x) and the second (8x)
    assert next(jumps, None) is None  # two redraws, no more
    monkeypatch.setattr(pipeline, "seam_jump", lambda *args: 0.0)
    again = choreographer.generate_segment(music, 30, 60, num_candidates=1, seeds=[6 + step], prev=prev)
    np.testing.assert_allclose(again.features[0], result.features[1], atol=1e-4)


def test_seam_jump_is_the_seam_step_over_the_median_step():
    from studio.core.skeleton import Skeleton
    from studio.ml.pipeline import seam_jump

    features = np.zeros((20, 319))
    features[:, 7:] = np.tile([1.0, 0.0, 0.0, 0.0, 1.0, 0.0], NUM_JOINTS)  # identity rotations
    features[:, 4] = np.arange(20) * 0.01  # the root walks 1 cm a frame...
    features[4:, 4] += 0.05  # ...and jumps 5 cm between frame 3 (the last constraint frame) and 4
    skeleton = Skeleton(np.zeros((NUM_JOINTS, 3)))
    assert seam_jump(features, 4, 0, skeleton) == pytest.approx(6.0)
    assert seam_jump(features, 0, 0, skeleton) == 0.0
    features[10:, 4] += 0.03  # a catch-up 6 frames into the segment: seen when the seam's steps span 8
    assert seam_jump(features, 4, 0, skeleton) == pytest.approx(6.0)
    assert seam_jump(features, 4, 0, skeleton, 8) == pytest.approx(6.0)
    features[4:, 4] -= 0.05
    assert seam_jump(features, 4, 0, skeleton) == pytest.approx(1.0)
    assert seam_jump(features, 4, 0, skeleton, 8) == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("guidance", "setting", "value", "passed"),
    [(1.0, "hand_guidance", 3.0, 3.0), (2.0, "hand_guidance", 3.0, 1.0), (1.0, "hand_guidance", 1.0, 1.0),
     (1.0, "body_guidance", 2.0, 2.0), (2.0, "body_guidance", 2.0, 1.0)],
)  # fmt: skip
def test_expert_guidance_reaches_the_model_unless_the_whole_model_is_guided(music, guidance, setting, value, passed):
    torch.manual_seed(0)
    model = FDGN(preset("tiny").replace(guidance_weight=guidance, **{setting: value}))
    seen = []
    forward = model.forward
    model.forward = lambda *args, **kwargs: seen.append(kwargs[setting]) or forward(*args, **kwargs)
    Choreographer(model, device="cpu").generate_segment(music, 0, 30, num_candidates=2)
    assert seen and set(seen) == {passed}


def test_song_normalised_models_see_each_song_z_scored(music):
    """A model with music_norm "song" gets the same input from a song and from a louder copy of it."""
    torch.manual_seed(0)
    model = FDGN(preset("tiny").replace(music_norm="song"))
    seen = []
    forward = model.forward
    model.forward = lambda x, t, m, **kwargs: seen.append(m[0].clone()) or forward(x, t, m, **kwargs)
    choreographer = Choreographer(model, device="cpu")
    louder = np.array(music, copy=True)
    louder[:, :33] = louder[:, :33] * 3.0 + 5.0
    first = choreographer.generate_segment(music, 0, 30, num_candidates=1)
    count = len(seen)
    second = choreographer.generate_segment(louder, 0, 30, num_candidates=1)
    torch.testing.assert_close(seen[0], seen[count], atol=1e-4, rtol=1e-4)
    np.testing.assert_allclose(first.features, second.features, atol=1e-3)


def _facing(degrees: float, frames: int, at=(0.0, 0.0), seed: int = 0) -> np.ndarray:
    """(frames, 319) constraint frames of a dancer at ``at`` (x, z) facing ``degrees`` about +Y (a little sway,
    random other joints), stored as a net makes them: rot6d rows not quite orthonormal."""
    from studio.core.rotations import axis_angle_to_matrix, matrix_to_rot6d

    rng = np.random.default_rng(seed)
    rotations = axis_angle_to_matrix(rng.normal(0, 0.3, size=(frames, NUM_JOINTS, 3)))
    sway = np.radians(degrees + rng.normal(0, 3, frames))
    rotations[:, 0] = axis_angle_to_matrix(np.outer(sway, [0.0, 1.0, 0.0])) @ axis_angle_to_matrix(
        rng.normal(0, 0.05, size=(frames, 3))
    )
    features = np.zeros((frames, 319), np.float32)
    features[:, 4] = at[0] + 0.01 * np.arange(frames)
    features[:, 5] = 0.9
    features[:, 6] = at[1]
    features[:, 7:] = matrix_to_rot6d(rotations).reshape(frames, -1) + rng.normal(0, 1e-3, size=(frames, 312))
    return features


def _face_front_prior() -> Normalizer:
    """Statistics of a corpus in which everyone faces front: whatever a net predicts, the root's rot6d comes out
    within ~1 degree of the identity (mean identity, std at the floor), as a strongly front-facing net does."""
    mean = np.zeros(319)
    mean[7:] = np.tile([1.0, 0.0, 0.0, 0.0, 1.0, 0.0], NUM_JOINTS)
    std = np.ones(319)
    std[7:13] = 0.0  # floored to STD_FLOOR
    return Normalizer(mean, std, np.zeros(35), np.ones(35))


def test_a_segment_keeps_its_context_s_heading_instead_of_snapping_to_face_front(music):
    """``context_yaw``: after a context facing 150 degrees, a net that always faces front (in its own frame)
    continues facing 150 in the song's frame: no yaw jump into the first generated frame. Without the setting
    the same weights snap round to 0 in one frame (the bug measured on real songs)."""
    from studio.core.finedance import root_yaw
    from studio.core.rotations import wrap_angle

    torch.manual_seed(0)
    skeleton = Skeleton(np.zeros((NUM_JOINTS, 3)))
    turned = Choreographer(FDGN(preset("tiny").replace(context_yaw=True)), _face_front_prior(), device="cpu",
                           skeleton=skeleton)  # fmt: skip
    plain = Choreographer(FDGN(preset("tiny")), _face_front_prior(), device="cpu", skeleton=skeleton)
    plain.model.load_state_dict(turned.model.state_dict())
    k = turned.config.context_frames
    prev = _facing(150.0, 10, at=(1.2, -0.7))

    def jumps(result):
        yaw = np.degrees(root_yaw(result.window[:, k - 1 :]))  # the last context frame, then the segment
        return np.degrees(np.abs(wrap_angle(np.radians(np.diff(yaw, axis=1)))))

    result = turned.generate_segment(music, 40, 80, num_candidates=3, seeds=4, prev=prev)
    for window in result.window:  # the constraint frames come back exactly as given
        np.testing.assert_allclose(window[:k], prev[-k:], atol=1e-5)
    first = np.degrees(root_yaw(result.features[:, 0]))
    assert np.all(np.abs(wrap_angle(np.radians(first - 150.0))) < np.radians(15.0))  # faces 150, not 0
    assert jumps(result).max() < 30.0
    snapped = jumps(plain.generate_segment(music, 40, 80, num_candidates=3, seeds=4, prev=prev))
    assert np.all(snapped[:, 0] > 120.0)  # without it: turned back to face front in one frame


@pytest.mark.parametrize("keep", [0.0, 60.0])
def test_context_yaw_samples_in_the_frame_of_the_context_and_turns_the_dance_back(music, monkeypatch, keep):
    """The net is shown the neighbours' frames turned by minus the head's heading (less ``context_yaw_keep``)
    about the vertical through the head's first frame (so they face front there, or ``keep`` degrees off it;
    positions turned with them), and its window is turned back: a step forward in the net's frame is a step
    along the heading it was turned by; both seams' frames stay exact."""
    from studio.core.finedance import heading, root_yaw
    from studio.ml.normalize import shift_root

    torch.manual_seed(0)
    config = preset("tiny").replace(context_yaw=True, context_yaw_keep=keep)
    choreographer = Choreographer(FDGN(config), device="cpu")
    k = choreographer.config.context_frames
    prev, nxt = _facing(150.0, 6, at=(1.2, -0.7), seed=1), _facing(100.0, 6, at=(2.0, 0.5), seed=2)
    seen = {}

    def fake_sample(window_music, head, tail, reference, seeds, *rest):
        seen.update(head=head, tail=tail, reference=reference)
        x = np.zeros((len(seeds), len(window_music), 319), np.float32)
        x[..., 7:] = np.tile([1.0, 0.0, 0.0, 0.0, 1.0, 0.0], NUM_JOINTS)  # facing front in the net's frame ...
        last = shift_root(head[-1], -reference)
        steps = np.arange(1, len(window_music) - 2 * k + 1)[:, None]
        x[:, k:-k, 4:7] = last[4:7] + steps * [0.0, 0.0, 0.01]  # ... walking forward 1 cm a frame
        x[:, :k], x[:, -k:] = shift_root(head, -reference), shift_root(tail, -reference)
        return x

    monkeypatch.setattr(choreographer, "_sample", fake_sample)
    result = choreographer.generate_segment(music, 40, 70, num_candidates=2, prev=prev, next=nxt)
    facing = heading(prev[-k:])
    assert np.degrees(facing) == pytest.approx(150.0, abs=3.0)
    yaw = facing - np.radians(keep)  # the turn
    pivot = prev[-k, [4, 6]]
    np.testing.assert_allclose(seen["reference"], pivot, atol=1e-6)  # the x/z reference: the head's first frame
    np.testing.assert_allclose(seen["head"][0, [4, 6]], pivot, atol=1e-6)  # the pivot: the same frame
    assert np.degrees(heading(seen["head"])) == pytest.approx(keep, abs=1e-4)  # the net sees the head facing front
    np.testing.assert_allclose(np.degrees(root_yaw(seen["tail"]) - root_yaw(nxt[:k])), np.degrees(-yaw), atol=1e-3)
    np.testing.assert_array_equal(seen["head"][:, 13:], prev[-k:, 13:])  # ... with its joints' rotations as given
    for window in result.window:  # the constraint frames as given, though their rows were not orthonormal
        np.testing.assert_allclose(window[:k], prev[-k:], atol=1e-5)
        np.testing.assert_allclose(window[-k:], nxt[:k], atol=1e-5)
    generated = result.features[0]
    np.testing.assert_allclose(np.degrees(root_yaw(generated)), np.degrees(yaw), atol=1e-3)
    forward = np.array([np.sin(yaw), np.cos(yaw)])  # the net's +Z, in the song's frame
    expected = prev[-1, [4, 6]] + np.arange(1, 31)[:, None] * 0.01 * forward
    np.testing.assert_allclose(generated[:, [4, 6]], expected, atol=1e-5)
    np.testing.assert_allclose(generated[:, 5], prev[-1, 5], atol=1e-6)  # height as the net made it


def test_context_yaw_is_on_in_the_small_presets_and_off_for_older_configs():
    from studio.ml.fdgn import FDGNConfig

    assert preset("small-v2").context_yaw and preset("small-whole").context_yaw
    assert not preset("official").context_yaw and not preset("tiny").context_yaw
    older = {key: value for key, value in preset("small-v2").to_dict().items() if not key.startswith("context_yaw")}
    assert FDGNConfig.from_dict(older).context_yaw is False and FDGNConfig.from_dict(older).context_yaw_keep == 0.0
    with pytest.raises(ValueError, match="context_yaw_keep"):
        preset("tiny").replace(context_yaw_keep=-1.0)


def test_the_redraw_checks_do_not_depend_on_the_turn_of_the_whole_window():
    """``max_turn`` and ``max_seam_jump`` look at a candidate in the net's (turned) frame: a turn of the whole
    window about a vertical line leaves both measures as they are."""
    from studio.core.finedance import rotate_about_y
    from studio.ml.pipeline import fastest_turn, seam_jump

    features = _facing(150.0, 30, at=(0.5, 1.0), seed=5)
    features[:, 4] += np.random.default_rng(6).normal(0, 0.02, 30).cumsum().astype(np.float32)
    turned = rotate_about_y(features, np.radians(-120.0), (0.3, 0.2))
    skeleton = Skeleton(np.random.default_rng(7).normal(0, 0.2, size=(NUM_JOINTS, 3)))
    assert fastest_turn(turned) == pytest.approx(fastest_turn(features), abs=1e-3)
    assert seam_jump(turned, 4, 4, skeleton, 8) == pytest.approx(seam_jump(features, 4, 4, skeleton, 8), rel=1e-4)
