"""Set-level metrics on feature vectors: normalisation, FID, Div, MM.

Source: Bailando ``utils/metrics_new.py`` (``normalize``, ``calc_fid``, ``calculate_avg_distance``,
``quantized_metrics``), copied into LODGE ``metric/metrics_finedance.py`` and Duolando
``utils/metrics_duet.py``:

- both sets are normalised with the ground truth's per-dimension mean and std (``ddof=0``, ``+1e-10``);
- FID = |mu_g - mu_t|^2 + tr(S_g) + tr(S_t) - 2 tr(sqrtm(S_g S_t)), ``np.cov`` covariances; if the square
  root is not finite, 1e-5 is added to both diagonals and it is taken again; the real part is kept;
- Div = mean L2 distance over all unordered pairs of (normalised) samples.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from studio.core.errors import InputError
from studio.metrics.joints import check_features

NORMALISE_EPS = 1e-10
FID_EPS = 1e-5

__all__ = ["FidDiv", "diversity", "fid", "fid_div", "multimodality", "normalize"]


@dataclass(frozen=True)
class FidDiv:
    """FID of the generated set against the ground truth, and Div of both sets, all on normalised features."""

    fid: float
    div: float
    div_gt: float


def normalize(ground_truth: np.ndarray, generated: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both sets scaled with the ground truth's per-dimension mean and std (Bailando's ``normalize``)."""
    gt = check_features(ground_truth, "ground-truth features")
    gen = check_features(generated, "generated features")
    if gt.shape[1] != gen.shape[1]:
        raise ValueError(f"feature sizes differ: ground truth {gt.shape[1]}, generated {gen.shape[1]}")
    mean = gt.mean(axis=0)
    std = gt.std(axis=0) + NORMALISE_EPS
    return (gt - mean) / std, (gen - mean) / std


def fid(generated: np.ndarray, ground_truth: np.ndarray) -> float:
    """Fréchet distance between the Gaussians fitted to two (N, D) sets (N >= 2 each).

    Features are used as given (normalise first for the published FID_k / FID_g). Negative results from
    rounding (identical sets) are returned as 0.
    """
    gen = check_features(generated, "generated features", min_samples=2)
    gt = check_features(ground_truth, "ground-truth features", min_samples=2)
    if gen.shape[1] != gt.shape[1]:
        raise ValueError(f"feature sizes differ: generated {gen.shape[1]}, ground truth {gt.shape[1]}")
    mu_gen, mu_gt = gen.mean(axis=0), gt.mean(axis=0)
    sigma_gen = np.atleast_2d(np.cov(gen, rowvar=False))
    sigma_gt = np.atleast_2d(np.cov(gt, rowvar=False))
    covmean = _sqrtm(sigma_gen @ sigma_gt)
    if not np.all(np.isfinite(covmean)):
        offset = np.eye(sigma_gen.shape[0]) * FID_EPS
        covmean = _sqrtm((sigma_gen + offset) @ (sigma_gt + offset))
    diff = mu_gen - mu_gt
    value = float(diff @ diff + np.trace(sigma_gen) + np.trace(sigma_gt) - 2.0 * np.trace(np.real(covmean)))
    return max(value, 0.0)


def _sqrtm(matrix: np.ndarray) -> np.ndarray:
    # singular products are common (fewer dances than dimensions); like the published code we only fall
    # back to the regularised product when the root is not finite, so scipy's warning is not shown.
    # scipy.linalg (and scipy.spatial below) on first use: the editor imports this package with the ranking.
    from scipy import linalg

    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        try:
            return np.asarray(linalg.sqrtm(matrix))
        except (linalg.LinAlgError, ValueError):
            return np.full_like(matrix, np.nan)


def diversity(features: np.ndarray) -> float:
    """Mean pairwise L2 distance between samples (Bailando's ``calculate_avg_distance``); N >= 2."""
    from scipy.spatial.distance import pdist

    array = check_features(features, "features for Div", min_samples=2)
    return float(pdist(array).mean())


def fid_div(ground_truth: np.ndarray, generated: np.ndarray) -> FidDiv:
    """Bailando's ``quantized_metrics`` for one feature kind: normalise with the ground truth, then FID and Div."""
    gt = check_features(ground_truth, "ground-truth features", min_samples=2)
    gen = check_features(generated, "generated features", min_samples=2)
    gt_n, gen_n = normalize(gt, gen)
    return FidDiv(fid=fid(gen_n, gt_n), div=diversity(gen_n), div_gt=diversity(gt_n))


def multimodality(groups: Mapping[str, np.ndarray] | Iterable[np.ndarray]) -> float:
    """MM: mean over music pieces of the mean pairwise distance between the dances generated for it.

    ``groups`` holds one (n_i, D) array per music piece (normalised like the FID features); pieces with
    fewer than two dances are left out. At least one piece must have two.
    """
    arrays = list(groups.values()) if isinstance(groups, Mapping) else list(groups)
    scores = [diversity(a) for a in (np.asarray(g, dtype=np.float64) for g in arrays) if a.ndim == 2 and len(a) >= 2]
    if not scores:
        raise InputError(
            "dances per music for MM", expected="two or more dances generated for the same music", found="at most one"
        )
    return float(np.mean(scores))
