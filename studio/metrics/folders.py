"""Reading dances for evaluation from FineDance-layout folders.

A ground-truth folder is a FineDance folder: ``motion/NNN.npy`` (T, 315), ``music_wav/NNN.wav``,
``music_npy/NNN.npy`` (T, 35), optionally ``partner/NNN.npy`` (second dancer) and ``split.json``
(``{"train": [...], "val": [...], "test": [...]}``). Nothing beyond the FineDance layout is required. A corpus
folder's ``label_json/NNN.json`` may say a duet's rule (``{"duet": {"rule": "mirror", "formation": "side",
"spacing": 1.4, "closest": 0.36}}``, ``studio corpus --duets``): ``DanceFolder.duet(stem)``.

A generated folder holds motions as ``motion/*.npy`` or directly ``*.npy`` (optionally ``partner/*.npy``),
(T, 315) or (T, 319) (the training feature: contacts dropped), or body-only (T, 135) / (T, 139) (hands flat,
no FID_h). A generated file is matched to its music by stem: ``063.npy``, or the first ``_``/``-``-separated
part of the stem that names a music (``063_2.npy``, ``test_063.npy``). Several files for one music -> MM.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

import numpy as np

from studio.core import finedance
from studio.core.errors import InputError, MotionFormatError
from studio.core.finedance_layout import genre_split
from studio.core.motion import Motion
from studio.metrics.beats import music_beats_from_features, music_beats_from_times

_BODY_WIDTH = 3 + 22 * 6  # 135
AUDIO_FPS = 30.0  # frame rate of the 35-d music features (sr 15360, hop 512)
_IDENTITY_6D = np.array([1.0, 0.0, 0.0, 0.0, 1.0, 0.0], dtype=np.float32)

__all__ = ["DanceFolder", "load_dance", "music_beats", "scan"]


@dataclass
class DanceFolder:
    root: Path
    motions: dict[str, Path]
    partners: dict[str, Path] = field(default_factory=dict)
    music_npy: dict[str, Path] = field(default_factory=dict)
    music_wav: dict[str, Path] = field(default_factory=dict)
    split: dict[str, list[str]] | None = None
    labels: dict[str, Path] = field(default_factory=dict)

    def duet(self, stem: str) -> dict:
        """The ``duet`` entry of ``label_json/<stem>.json`` (rule, formation, spacing, closest), or {} when the
        folder has no such label or the label no duet; a label that is not JSON is an ``InputError``."""
        path = self.labels.get(stem)
        if path is None:
            return {}
        try:
            label = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError) as error:
            raise InputError(path, expected="a JSON label", found=f"unreadable ({error})") from None
        duet = label.get("duet") if isinstance(label, dict) else None
        return dict(duet) if isinstance(duet, dict) else {}

    def ids(self, split: str | None = None) -> list[str]:
        """Motion stems, restricted to a split (split.json, or FineDance's test list for ``test``)."""
        names = sorted(self.motions)
        if split is None:
            return names
        if self.split is not None:
            if split not in self.split:
                raise InputError(
                    self.root / "split.json", expected=f"a {split!r} list", found=f"keys {sorted(self.split)}"
                )
            wanted = {str(x) for x in self.split[split]}
        elif split in ("test", "train"):
            wanted = set(genre_split(sorted(names))[split])
        else:
            raise InputError(
                self.root, expected=f"a split.json with a {split!r} list", found="no split.json",
                hint="without split.json only FineDance's 'test' and 'train' are known",
            )  # fmt: skip
        chosen = [name for name in names if name in wanted]
        if not chosen:
            raise InputError(self.root, expected=f"motions of split {split!r}", found="none of them in motion/")
        return chosen

    def music_of(self, stem: str) -> str | None:
        """The music a generated dance belongs to, by stem (see the module docstring)."""
        known = set(self.music_npy) | set(self.music_wav) | set(self.motions)
        if stem in known:
            return stem
        return next((part for part in re.split(r"[_\-]", stem) if part in known), None)


def scan(root: str | PathLike, role: str = "data") -> DanceFolder:
    """Index a folder; ``role`` ("data" or "generated") only shapes the error messages."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(root, expected=f"a {role} folder", found="no such folder")
    motion_dir = root / "motion"
    if motion_dir.is_dir():
        motions = _npy_files(motion_dir)
    elif role == "generated":
        motions = _npy_files(root)
    else:
        raise InputError(root, expected="a FineDance folder with motion/*.npy", found="no motion/ folder")
    if not motions:
        where = motion_dir if motion_dir.is_dir() else root
        raise InputError(where, expected="motion .npy files", found="none")
    split = None
    split_path = root / "split.json"
    if split_path.is_file():
        try:
            split = json.loads(split_path.read_text(encoding="utf-8"))
        except (ValueError, OSError) as error:
            raise InputError(split_path, expected="JSON", found=f"unreadable ({error})") from None
        if not isinstance(split, dict) or not all(isinstance(v, list) for v in split.values()):
            raise InputError(split_path, expected='{"train": [...], "val": [...], "test": [...]}', found="other JSON")
    return DanceFolder(
        root=root,
        motions=motions,
        partners=_npy_files(root / "partner"),
        music_npy=_npy_files(root / "music_npy"),
        music_wav={p.stem: p for p in sorted((root / "music_wav").glob("*.wav"))}
        if (root / "music_wav").is_dir()
        else {},
        split=split,
        labels={p.stem: p for p in sorted((root / "label_json").glob("*.json"))}
        if (root / "label_json").is_dir()
        else {},
    )


def _npy_files(folder: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted(folder.glob("*.npy"))} if folder.is_dir() else {}


def load_dance(path: str | PathLike, fps: float = 30.0, max_frames: int | None = None) -> tuple[Motion, bool]:
    """A motion file -> (Motion, has_hands). Accepts (T, 315), (T, 319), (T, 135), (T, 139)."""
    path = Path(path)
    try:
        array = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as error:
        raise MotionFormatError(path, expected="a NumPy .npy array", found=f"unreadable data ({error})") from None
    if array.ndim == 2 and array.shape[1] in (finedance.FEATURE_DIM, _BODY_WIDTH + 4):
        array = array[:, 4:]
    has_hands = True
    if array.ndim == 2 and array.shape[1] == _BODY_WIDTH:
        hands = np.broadcast_to(np.tile(_IDENTITY_6D, 30), (array.shape[0], 180))
        array = np.concatenate([array, hands.astype(array.dtype)], axis=1)
        has_hands = False
    if max_frames is not None:
        array = array[:max_frames]
    return finedance.from_array(array, fps, source=path), has_hands


def music_beats(
    folder: DanceFolder, music: str, fps: float = 30.0, source: str = "auto"
) -> tuple[np.ndarray | None, str]:
    """Beat frames of one music and where they came from ("features"/"audio"), or (None, why not).

    ``source``: "features" = column 34 of music_npy/NNN.npy; "audio" = the same column of the features
    ``studio.audio.analyze`` computes from music_wav/NNN.wav (librosa, cached per file); "auto" = features
    when music_npy/NNN.npy exists, else audio.
    """
    npy, wav = folder.music_npy.get(music), folder.music_wav.get(music)
    if source in ("features", "auto") and npy is not None:
        try:
            array = np.load(npy, allow_pickle=False)
        except (ValueError, OSError, EOFError) as error:
            raise InputError(npy, expected="a NumPy .npy array", found=f"unreadable data ({error})") from None
        return music_beats_from_features(array, str(npy)), "features"
    if source == "features":
        return None, f"no music_npy/{music}.npy"
    if wav is None:
        return None, f"no music_npy/{music}.npy or music_wav/{music}.wav"
    try:
        from studio.audio.analysis import analyze
    except ImportError:
        return None, "studio.audio.analyze is not available"
    analysis = analyze(wav)
    # The analysis's own 35-d features hold librosa's raw beat_track one-hot (column 34), computed exactly as
    # FineDance's music_npy; ``analysis.beats`` is trimmed for the editor (steady first/last beats).
    features = getattr(analysis, "features", None)
    if features is not None and np.ndim(features) == 2 and np.shape(features)[1] == 35:
        seconds = music_beats_from_features(np.asarray(features), str(wav)) / AUDIO_FPS
    else:
        seconds = np.asarray(analysis.beats)
    return music_beats_from_times(seconds, fps), "audio"
