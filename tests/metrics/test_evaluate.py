import numpy as np
import pytest

from studio.core.errors import InputError
from studio.core.motion import Motion
from studio.metrics import evaluate, hand_positions_local, kinetic_features, measure_dance, summarize
from studio.metrics.bench import bench_metrics, synthetic_dances


@pytest.fixture(scope="module")
def skeleton():
    from studio.body.provider import default_skeleton

    return default_skeleton()


def test_report_has_every_metric(skeleton):
    dances = synthetic_dances(5, 40, seed=3)
    beside = np.array([0.9, 0.0, 0.0])
    partners = {"002": Motion(dances[3].trans + beside, dances[3].rotations)}
    partners["002_b"] = Motion(dances[4].trans + beside, dances[4].rotations)
    report = evaluate(
        [("001", dances[0]), ("002", dances[1]), ("003", dances[2])],
        [("002", dances[3]), ("002_b", dances[4]), ("001", dances[2])],
        skeleton,
        music_beats={"001": np.arange(0, 40, 15), "002": np.arange(5, 40, 15)},
        partners=partners,
        seam_every=20,
    )
    metrics = report["metrics"]
    assert report["kinetic_formula"] == "correct"
    assert report["counts"] == {"ground_truth": 3, "generated": 3, "generated_duets": 2, "ground_truth_duets": 1}
    for key in ("fid_k", "fid_g", "div_k", "div_g", "fid_h", "div_h", "bas", "mm_k", "mm_g", "foot_skating", "pfc",
                "mms", "interpenetration", "seam_velocity_ratio", "bas_gt", "div_k_gt"):  # fmt: skip
        assert key in metrics and np.isfinite(metrics[key]), key
    assert "fid_duet" in report["skipped"]  # only one ground-truth duet
    assert report["per_dance"]["002_b"]["music"] == "002"
    assert "bas" not in report["per_dance"]["002_b"] or 0 <= report["per_dance"]["002_b"]["bas"] <= 1


def test_generated_equal_to_ground_truth_scores_fid_zero(skeleton):
    dances = [(f"{i:03d}", m) for i, m in enumerate(synthetic_dances(4, 30, seed=5))]
    report = evaluate(dances, dances, skeleton, compat=True)
    assert report["kinetic_formula"] == "compat"
    assert report["metrics"]["fid_k"] == pytest.approx(0.0, abs=1e-6)
    assert report["metrics"]["div_k"] == pytest.approx(report["metrics"]["div_k_gt"])
    assert "bas" in report["skipped"]


def test_static_dances_are_defined(skeleton):
    still = [(f"{i:03d}", Motion.rest(10, skeleton).translated([i * 0.1, 0, 0])) for i in range(3)]
    report = evaluate(still, still, skeleton, music_beats={"000": [3]})
    for value in report["metrics"].values():
        assert np.isfinite(value)
    assert report["metrics"]["foot_skating"] == 0.0 and report["metrics"]["pfc"] == 0.0


def test_hand_features_ignore_whole_hand_motion(skeleton):
    rest = Motion.rest(12, skeleton)
    turning = rest.rotations.copy()
    angles = np.linspace(0, 1.0, 12)
    turning[:, 20] = [[[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]] for a in angles]  # wrist
    moving = Motion(rest.trans + np.linspace(0, 1, 12)[:, None], turning)
    transforms = moving.global_transforms(skeleton)
    local = hand_positions_local(transforms[..., :3, 3], transforms[..., :3, :3])
    np.testing.assert_allclose(kinetic_features(local), 0.0, atol=1e-9)


def test_too_short_dance_is_a_clear_error(skeleton):
    with pytest.raises(InputError, match="at least 3 frames"):
        measure_dance("tiny", Motion.rest(2, skeleton), skeleton)


def test_bench_runs_small():
    result = bench_metrics(count=2, frames=40)
    assert result["name"] == "metrics" and result["seconds"] > 0
    assert "fid_k" in result["metrics_computed"]


def test_duet_report_measures_the_partner_and_the_pair(skeleton):
    dances = synthetic_dances(8, 60, seed=9)
    beats = np.arange(4, 60, 15)
    rules = {"000": "mirror", "001": "unison", "002": "canon", "003": "call_response"}

    def measures(partners):
        def one(i, name):
            return measure_dance(name, dances[i], skeleton, music=name, music_beats=beats, partner=partners[i],
                                 duet_rule=rules[name])  # fmt: skip

        return [one(i, name) for i, name in enumerate(rules)]

    # ground truth: four duets, partners 3 m to the side (the synthetic dancers are 1.6 m wide), two of them
    # labelled with copy rules
    gt = measures([dances[4 + i].translated([3.0, 0.0, 0.0]) for i in range(4)])
    # generated: the same leads with copies for partners (unison, mirror image, and two on top of the lead)
    copies = [dances[0].translated([3.0, 0.0, 0.0]), dances[1].mirrored().translated([3.0, 0.0, 0.0]),
              dances[2].translated([0.05, 0.0, 0.0]), dances[3].translated([0.05, 0.0, 0.0])]  # fmt: skip
    assert summarize(gt, gt)["metrics"]["fid_partner_k"] == pytest.approx(0.0, abs=1e-6)
    report = summarize(gt, measures(copies))
    metrics = report["metrics"]
    for key in ("fid_partner_k", "fid_partner_g", "fid_partner_h", "div_partner_k", "fid_duet", "mms", "bas_partner",
                "close_share", "closest_m", "pose_to_lead", "pose_to_mirror", "pose_to_lead_non_copy"):  # fmt: skip
        assert key in metrics and np.isfinite(metrics[key]), key
    assert metrics["fid_partner_k"] > 0.0 and metrics["close_share"] == pytest.approx(0.5)
    assert metrics["closest_m"] < 0.1 < metrics["closest_m_gt"]
    assert metrics["pose_to_lead_non_copy"] == pytest.approx(0.0, abs=1e-9)  # rules 002, 003: copies on top
    assert metrics["pose_to_lead_non_copy_gt"] > 0.1 and metrics["pose_to_mirror_non_copy_gt"] > 0.1
    assert metrics["mms"] == pytest.approx(1.0)  # a copy moves on the same beats
    row = report["per_dance"]["001"]
    assert row["duet_rule"] == "unison" and row["pose_to_mirror"] < 1e-9 and "bas" in row["partner"]
