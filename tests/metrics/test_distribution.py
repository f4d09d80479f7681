import numpy as np
import pytest

from studio.core.errors import InputError
from studio.metrics import diversity, fid, fid_div, multimodality, normalize


def _samples(n=200, d=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)) @ rng.normal(size=(d, d))
    return x - x.mean(axis=0)


def test_fid_of_identical_sets_is_zero():
    x = _samples()
    assert fid(x, x) == pytest.approx(0.0, abs=1e-8)


def test_fid_of_shifted_sets_is_the_squared_shift():
    x = _samples()
    shift = np.array([1.0, -2.0, 0.5, 0.0])
    assert fid(x + shift, x) == pytest.approx(shift @ shift, rel=1e-8)


def test_fid_of_scaled_sets_closed_form():
    # same mean, covariance c^2 S vs S: FID = tr(S) (1 - c)^2
    x, c = _samples(), 3.0
    trace = np.trace(np.cov(x, rowvar=False))
    assert fid(c * x, x) == pytest.approx(trace * (1 - c) ** 2, rel=1e-8)


def test_fid_with_singular_covariances_is_finite():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(5, 30)), rng.normal(size=(6, 30))  # fewer samples than dimensions
    value = fid(a, b)
    assert np.isfinite(value) and value > 0


def test_diversity_by_hand():
    points = np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 4.0]])  # distances 5, 3, 4
    assert diversity(points) == pytest.approx(4.0)


def test_normalisation_uses_ground_truth_statistics():
    gt = np.array([[0.0, 10.0], [2.0, 10.0]])  # mean (1, 10), std (1, 0)
    gen = np.array([[3.0, 10.0]])
    gt_n, gen_n = normalize(gt, gen)
    np.testing.assert_allclose(gt_n, [[-1.0, 0.0], [1.0, 0.0]])
    np.testing.assert_allclose(gen_n, [[2.0, 0.0]])


def test_fid_div_summary():
    x = _samples(50, 3)
    result = fid_div(x, x.copy())
    assert result.fid == pytest.approx(0.0, abs=1e-8)
    assert result.div == pytest.approx(result.div_gt)


def test_multimodality():
    groups = {"a": np.array([[0.0, 0.0], [3.0, 4.0]]), "b": np.array([[0.0], [1.0]])[:, [0, 0]], "c": np.ones((1, 2))}
    assert multimodality(groups) == pytest.approx((5.0 + np.sqrt(2)) / 2)
    with pytest.raises(InputError, match="same music"):
        multimodality([np.ones((1, 2))])


def test_too_few_samples_and_nan():
    with pytest.raises(InputError, match="at least 2 samples"):
        fid(np.ones((1, 3)), np.ones((4, 3)))
    with pytest.raises(InputError, match="at least 2 samples"):
        diversity(np.ones((1, 3)))
    bad = np.ones((3, 3))
    bad[1, 2] = np.nan
    with pytest.raises(InputError, match="sample 1, dimension 2"):
        fid(bad, np.ones((3, 3)))
    with pytest.raises(ValueError):
        fid(np.ones((3, 3)), np.ones((3, 2)))
