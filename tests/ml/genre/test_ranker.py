"""Ranking with stub encoders whose right answers are known; override; CS; greedy picking; the GS scorer."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from studio.core.errors import InputError
from studio.metrics.genre import genre_matching_score
from studio.ml.genre import GCRM, GenrePrototypes, GenreRanker, GreedyPicker, gs_scorer, preset, rank_and_pick
from studio.ml.genre.ranker import coherence_scores, window_starts

from .stubs import dance_along, music_along, stub_ranker

S = 1 / math.sqrt(2)


def _candidates():
    # GS against music along +x: 1, 1/sqrt(2), 0, -1
    return np.stack([dance_along(d) for d in ([0, 0, 1], [1, 0, 0], [S, S, 0], [-1, 0, 0])])


def test_rank_orders_by_gs_on_the_first_segment():
    ranked = stub_ranker().rank(music_along([1, 0, 0]), _candidates())
    assert [r.index for r in ranked] == [1, 2, 0, 3]
    assert [r.gs for r in ranked] == pytest.approx([1.0, S, 0.0, -1.0], abs=1e-6)
    assert all(r.cs == 0.0 for r in ranked)  # no previous segment
    assert [r.score for r in ranked] == pytest.approx([r.gs for r in ranked])


def test_cs_is_minus_the_norm_of_the_pose_difference_between_prev_frame_minus_5_and_frame_5():
    prev = dance_along([1, 0, 0])
    prev[-5] += np.array([0.0, 0.3, 0.0], dtype=np.float32)  # only frame -5 counts
    near = dance_along([1, 0, 0], offset=(0.0, 0.3, 0.0))  # frame 5 matches prev[-5] exactly
    far = dance_along([1, 0, 0], offset=(0.0, 1.3, 0.0))  # every joint 1 m away at frame 5
    ranked = stub_ranker().rank(music_along([1, 0, 0]), [far, near], prev=prev)
    assert [r.index for r in ranked] == [1, 0]
    assert ranked[0].cs == pytest.approx(0.0, abs=1e-6)
    assert ranked[1].cs == pytest.approx(-math.sqrt(52), abs=1e-4)  # the norm of 52 unit offsets, not their mean
    assert ranked[1].score == pytest.approx(ranked[1].gs + 0.5 * ranked[1].cs, abs=1e-6)


def test_alpha_and_beta_are_settable():
    prev = dance_along([1, 0, 0])
    good_gs_bad_seam = dance_along([1, 0, 0], offset=(3.0, 0.0, 0.0))
    bad_gs_good_seam = dance_along([S, S, 0])
    mel = music_along([1, 0, 0])
    by_default = stub_ranker().rank(mel, [good_gs_bad_seam, bad_gs_good_seam], prev=prev)
    assert by_default[0].index == 1  # beta 0.5 x 3 m x sqrt(52) joints outweighs GS
    gs_only = stub_ranker(beta=0.0).rank(mel, [good_gs_bad_seam, bad_gs_good_seam], prev=prev)
    assert gs_only[0].index == 0
    assert gs_only[0].score == pytest.approx(gs_only[0].gs)
    doubled = stub_ranker(alpha=2.0, beta=0.0).rank(mel, [good_gs_bad_seam], prev=prev)
    assert doubled[0].score == pytest.approx(2 * doubled[0].gs)


def test_genre_override_changes_the_order():
    ranker = stub_ranker()
    mel = music_along([1, 0, 0])
    auto = ranker.rank(mel, _candidates(), genre="auto")
    assert auto[0].index == 1
    kun = ranker.rank(mel, _candidates(), genre="Kun")  # Kun's prototype is +z: candidate 0
    assert kun[0].index == 0 and kun[0].gs == pytest.approx(1.0)
    assert ranker.rank(None, _candidates(), genre="kun")[0].index == 0  # no mel needed; any case
    with pytest.raises(InputError, match="Breaking"):
        ranker.rank(mel, _candidates(), genre="Polka")
    with pytest.raises(InputError):
        ranker.rank(None, _candidates())


def test_coherence_scores_first_segment_is_zero():
    positions = torch.randn(3, 10, 52, 3)
    assert torch.equal(coherence_scores(None, positions), torch.zeros(3))


def test_cs_is_the_frobenius_norm_over_joints_and_axes():
    prev = torch.zeros(8, 52, 3)
    prev[-5, 0] = torch.tensor([1.0, 2.0, 0.5])  # only prev's frame -5 counts
    positions = torch.zeros(2, 10, 52, 3)
    positions[:, 5, 0] = torch.tensor([1.0, 2.0, 0.5])  # candidate 0: the same pose at frame 5
    positions[1, 5, 0] += torch.tensor([3.0, 0.0, 0.0])  # candidate 1: joint 0 3 m off in x,
    positions[1, 5, 7] = torch.tensor([0.0, 4.0, 0.0])  # joint 7 4 m off in y
    positions[1, 4] = 100.0  # other frames do not count
    positions[1, 6] = -100.0
    # -sqrt(3^2 + 4^2) = -5 (the mean over joints of the per-joint distance would be -7/52)
    assert coherence_scores(prev, positions).tolist() == pytest.approx([0.0, -5.0], abs=1e-6)


def test_short_segments_clamp_the_cs_frames():
    prev = torch.zeros(3, 52, 3)  # shorter than 5: its first frame is used
    prev[0] = 1.0
    positions = torch.ones(2, 4, 52, 3)  # shorter than 6: its last frame is used
    positions[1, 3] = 0.0
    assert coherence_scores(prev, positions).tolist() == pytest.approx([0.0, -math.sqrt(52 * 3)])


def test_detect_genres_top3_from_prototypes():
    ranker = stub_ranker()
    top = ranker.detect_genres(music_along([0.1, 1.0, 0.0], frames=400))
    assert [name for name, _ in top] == ["Jazz", "Breaking", "Kun"]
    probabilities = [p for _, p in top]
    assert probabilities == sorted(probabilities, reverse=True)
    assert sum(probabilities) == pytest.approx(1.0)
    assert ranker.detect_genres(music_along([0, 0, 1]), top=1)[0][0] == "Kun"


def test_window_starts_cover_the_song():
    assert window_starts(100, 120) == [0]
    assert window_starts(240, 120) == [0, 120]
    assert window_starts(250, 120) == [0, 120, 130]


def _result(directions, start, end):
    features = np.stack([dance_along(d, frames=end - start) for d in directions])
    return SimpleNamespace(features=features, start=start, end=end)


def test_rank_and_pick_slices_the_song_mel_and_picks_by_rank():
    mel = np.concatenate([music_along([1, 0, 0]), music_along([0, 0, 1])])
    second = _result(([1, 0, 0], [0, 0, 1]), 120, 240)
    pick, ranked = rank_and_pick(stub_ranker(), mel, second)
    assert pick == 1 and ranked[0].gs == pytest.approx(1.0)
    pick, _ = rank_and_pick(stub_ranker(), mel, second, rank=1)
    assert pick == 0
    pick, _ = rank_and_pick(stub_ranker(), mel, second, rank=99)  # clamped to the last
    assert pick == 0


def test_greedy_picker_keeps_the_best_and_first_rank_gives_variants():
    mel = np.concatenate([music_along([1, 0, 0]), music_along([1, 0, 0])])
    results = [_result(([S, S, 0], [1, 0, 0], [0, 1, 0]), 0, 120), _result(([0, 1, 0], [1, 0, 0]), 120, 240)]
    picker = GreedyPicker(stub_ranker(), mel)
    assert [picker(i, r) for i, r in enumerate(results)] == [1, 1]
    assert len(picker.rankings) == 2 and picker.rankings[0][0].index == 1
    variant = GreedyPicker(stub_ranker(), mel, first_rank=1)
    assert variant(0, results[0]) == 0  # the second best first
    assert variant(1, results[1]) == 1
    assert picker(0, results[0]) == 1 and len(picker.rankings) == 1  # a new song starts over


def test_gs_scorer_fits_the_metrics_interface():
    scorer = gs_scorer(stub_ranker())
    pairs = [(music_along([1, 0, 0]), dance_along([1, 0, 0])), (music_along([1, 0, 0]), dance_along([0, 1, 0]))]
    assert genre_matching_score(scorer, pairs) == pytest.approx(0.5, abs=1e-6)
    long_music, long_dance = music_along([1, 0, 0], frames=300), dance_along([1, 0, 0], frames=300)
    assert scorer(long_music, long_dance) == pytest.approx(1.0, abs=1e-6)


def test_real_encoders_take_features_and_motions():
    from studio.body.provider import default_skeleton
    from studio.core.finedance import to_feature
    from studio.core.motion import Motion

    torch.manual_seed(0)
    config = preset("tiny")
    names = ("A", "B")
    prototypes = GenrePrototypes(names, torch.randn(2, config.embed_dim), torch.randn(2, config.embed_dim))
    skeleton = default_skeleton()
    ranker = GenreRanker(GCRM(config), prototypes, skeleton=skeleton)
    rng = np.random.default_rng(0)
    motions = [Motion.from_axis_angle(np.tile(skeleton.rest_positions[0], (60, 1)) + rng.normal(0, 0.01, (60, 3)),
                                      rng.normal(0, 0.1, (60, 52, 3))) for _ in range(3)]  # fmt: skip
    features = np.stack([to_feature(m, skeleton) for m in motions])
    mel = rng.normal(-40, 10, (60, 128)).astype(np.float32)
    from_features = ranker.rank(mel, features, prev=features[0])
    from_motions = ranker.rank(mel, motions, prev=motions[0])
    assert [r.index for r in from_features] == [r.index for r in from_motions]
    for a, b in zip(from_features, from_motions, strict=True):
        assert a.gs == pytest.approx(b.gs, abs=1e-4) and a.cs == pytest.approx(b.cs, abs=1e-4)
    assert ranker.rank(mel, features, prev=features[0][:, :]) is not None
    with pytest.raises(InputError):
        ranker.rank(mel, np.zeros((2, 60, 7)))
    with pytest.raises(InputError):
        ranker.rank(np.zeros((60, 12)), features)


def test_ranking_runs_on_one_thread_and_restores_torch_threads():
    from studio.ml.genre.ranker import torch_threads

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        seen = []
        with torch_threads(1):
            seen.append(torch.get_num_threads())
        assert seen == [1] and torch.get_num_threads() == 2
        stub_ranker().rank(music_along([1, 0, 0]), _candidates())
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
