"""How far apart two kinds of music look to a model: a small classifier that tells their feature windows apart.

Each song's 35-d features (``music_npy/NNN.npy`` of a FineDance-layout folder, or any ``*.npy`` of shape
(T, 35)) are cut into 4-s windows every 2 s; a window is described by the mean and the standard deviation of
every column.  A logistic regression learns to tell the two folders' windows apart, cross-validated with the
songs kept whole (no song has windows on both sides of a fold).  Its balanced accuracy is the gap: 1.0 means
the model can always tell where the music came from, 0.5 (chance) that it cannot.

    python -m studio.metrics.domain SYNTHETIC_DIR REAL_DIR [--norm none|song]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from studio.core.errors import InputError

WINDOW = 120  # frames: a segment
HOP = 60


def feature_files(folder: str | Path) -> list[Path]:
    folder = Path(folder)
    inner = folder / "music_npy"
    files = sorted((inner if inner.is_dir() else folder).glob("*.npy"))
    if not files:
        raise InputError(folder, expected="music feature files (music_npy/*.npy or *.npy, (T, 35))", found="none")
    return files


def window_descriptors(features: np.ndarray) -> np.ndarray:
    """(N, 70): mean and standard deviation of every column of each 4-s window."""
    starts = range(0, max(len(features) - WINDOW, 0) + 1, HOP)
    windows = [features[s : s + WINDOW] for s in starts if len(features) >= WINDOW]
    if not windows:
        return np.zeros((0, 2 * features.shape[1]), dtype=np.float64)
    return np.stack([np.concatenate([w.mean(0), w.std(0)]) for w in windows]).astype(np.float64)


def domain_gap(first: list[np.ndarray], second: list[np.ndarray], folds: int = 5, seed: int = 0) -> dict:
    """Balanced accuracy of telling the windows of ``first``'s songs from ``second``'s, songs kept whole."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.model_selection import GroupKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rows, labels, groups = [], [], []
    for label, songs in enumerate((first, second)):
        for index, song in enumerate(songs):
            d = window_descriptors(np.asarray(song, dtype=np.float64))
            rows.append(d)
            labels += [label] * len(d)
            groups += [label * 1_000_000 + index] * len(d)
    x, y, g = np.concatenate(rows), np.asarray(labels), np.asarray(groups)
    if min(np.sum(y == 0), np.sum(y == 1)) < folds or len(set(g)) < folds:
        raise InputError(None, expected=f"at least {folds} songs with 4-s windows on each side", found=f"{len(set(g))}")
    classifier = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, class_weight="balanced"))
    predicted = cross_val_predict(classifier, x, y, groups=g, cv=GroupKFold(folds))
    return {
        "balanced_accuracy": float(balanced_accuracy_score(y, predicted)),
        "windows": [int(np.sum(y == 0)), int(np.sum(y == 1))],
        "songs": [len(first), len(second)],
    }


def main(argv: list[str] | None = None) -> int:
    from studio.audio.features import MUSIC_NORMS, condition_features

    parser = argparse.ArgumentParser(prog="python -m studio.metrics.domain", description=__doc__.split("\n")[0])
    parser.add_argument("first", help="a folder of music features (e.g. the procedural corpus)")
    parser.add_argument("second", help="another (e.g. real recordings)")
    parser.add_argument("--norm", choices=MUSIC_NORMS, default="none", help="what the model sees of each song")
    args = parser.parse_args(argv)
    try:
        first, second = ([condition_features(np.load(f), args.norm) for f in feature_files(folder)]
                         for folder in (args.first, args.second))  # fmt: skip
        gap = domain_gap(first, second)
    except InputError as error:
        print(f"domain gap: {error}", file=sys.stderr)
        return 2
    print(f"{args.norm}: balanced accuracy {gap['balanced_accuracy']:.3f} (0.5 = chance) on {gap['windows'][0]} + "
          f"{gap['windows'][1]} windows of {gap['songs'][0]} + {gap['songs'][1]} songs")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
