"""Reading a folder in the FineDance layout: the real dataset or our procedural corpus, the same way.

::

    ROOT/motion/NNN.npy       (T, 315) motion (required)
    ROOT/music_npy/NNN.npy    (T', 35) music features (T' may differ from T by a few frames in FineDance)
    ROOT/music_wav/NNN.wav    the song
    ROOT/label_json/NNN.json  {"name", "style1" (coarse style), "style2" (genre), ...}
    ROOT/partner/NNN.npy      (T, 315) a second dancer (procedural corpus with --duets)
    ROOT/split.json           {"train": [...], "val": [...], "test": [...]} (optional)

Without ``split.json`` the split is FineDance@Genre (DESIGN.md section 3): its 20 test songs, its ignore
list left out, everything else train. Errors name the file, what was expected and what was found.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

import numpy as np

from studio.core import finedance
from studio.core.errors import InputError
from studio.core.finedance_layout import MUSIC_DIM, genre_in_label, genre_split
from studio.core.motion import Motion


class DatasetError(InputError):
    """A dataset folder or one of its files that is missing or not in the FineDance layout."""


@dataclass(frozen=True)
class SongLabel:
    id: str
    name: str
    genre: str | None  # the fine-grained genre (FineDance "style2")
    coarse: str | None  # the coarse style (FineDance "style1")
    bpm: float | None
    raw: dict = field(repr=False)


class FineDanceFolder:
    """A FineDance-layout folder: ``ids()``, and ``load_*`` for each song id (``"001"``)."""

    def __init__(self, root: str | PathLike) -> None:
        self.root = Path(root)
        if not self.root.exists():
            raise DatasetError(self.root, expected="a FineDance-layout folder", found="no such folder")
        if not self.root.is_dir():
            raise DatasetError(self.root, expected="a FineDance-layout folder", found="a file")
        if not (self.root / "motion").is_dir():
            present = sorted(p.name for p in self.root.iterdir())[:8]
            raise DatasetError(
                self.root,
                expected="a folder with motion/NNN.npy (and music_npy/, music_wav/, label_json/)",
                found=f"no motion/ folder (it holds: {', '.join(present) or 'nothing'})",
            )
        self._ids = sorted(p.stem for p in (self.root / "motion").glob("*.npy"))
        if not self._ids:
            raise DatasetError(self.root / "motion", expected="NNN.npy motion files", found="no .npy files")

    def __len__(self) -> int:
        return len(self._ids)

    def __repr__(self) -> str:
        return f"FineDanceFolder({str(self.root)!r}, {len(self)} songs)"

    def ids(self) -> list[str]:
        return list(self._ids)

    # -- paths ---------------------------------------------------------------------------------------
    def motion_path(self, song: str) -> Path:
        return self.root / "motion" / f"{self._check_id(song)}.npy"

    def features_path(self, song: str) -> Path:
        return self.root / "music_npy" / f"{self._check_id(song)}.npy"

    def music_path(self, song: str) -> Path:
        """The song's audio file (``.wav``; other extensions soundfile reads are accepted too)."""
        folder = self.root / "music_wav"
        song = self._check_id(song)
        for suffix in (".wav", ".flac", ".ogg", ".mp3"):
            if (folder / f"{song}{suffix}").is_file():
                return folder / f"{song}{suffix}"
        raise DatasetError(folder / f"{song}.wav", expected="the song's audio file", found="no such file")

    def label_path(self, song: str) -> Path:
        return self.root / "label_json" / f"{self._check_id(song)}.json"

    def partner_path(self, song: str) -> Path:
        return self.root / "partner" / f"{self._check_id(song)}.npy"

    @property
    def has_partners(self) -> bool:
        return (self.root / "partner").is_dir()

    # -- loading -------------------------------------------------------------------------------------
    def load_motion(self, song: str) -> Motion:
        return finedance.load(self.motion_path(song))

    def load_motion_array(self, song: str) -> np.ndarray:
        """(T, 315) float32 as stored, checked."""
        return self._array(self.motion_path(song), finedance.MOTION_DIM, "a (T, 315) FineDance motion")

    def load_features(self, song: str) -> np.ndarray:
        """(T, 35) float32 music features."""
        return self._array(self.features_path(song), MUSIC_DIM, "a (T, 35) music feature array")

    def load_partner(self, song: str) -> Motion:
        path = self.partner_path(song)
        if not path.is_file():
            hint = "" if self.has_partners else "the corpus was written without --duets"
            raise DatasetError(path, expected="a partner dance (T, 315)", found="no such file", hint=hint)
        return finedance.load(path)

    def load_label(self, song: str) -> SongLabel:
        path = self.label_path(song)
        if not path.is_file():
            raise DatasetError(path, expected="a label JSON file", found="no such file")
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise DatasetError(path, expected="JSON", found=f"unreadable text ({error})") from None
        if not isinstance(raw, dict):
            raise DatasetError(path, expected="a JSON object", found=type(raw).__name__)
        genre = genre_in_label(raw)
        bpm = raw.get("bpm")
        return SongLabel(
            id=song,
            name=str(raw.get("name", song)),
            genre=genre,
            coarse=str(raw["style1"]) if raw.get("style1") else None,
            bpm=float(bpm) if isinstance(bpm, int | float) else None,
            raw=raw,
        )

    def genre_of(self, song: str) -> str | None:
        return self.load_label(song).genre

    def split(self) -> dict[str, list[str]]:
        """{"train", "val", "test"} -> song ids present in the folder."""
        path = self.root / "split.json"
        present = set(self._ids)
        if not path.exists():
            return genre_split(self._ids)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise DatasetError(path, expected="JSON", found=f"unreadable text ({error})") from None
        if not isinstance(raw, dict) or not all(isinstance(raw.get(k, []), list) for k in ("train", "val", "test")):
            raise DatasetError(path, expected='{"train": [ids], "val": [ids], "test": [ids]}', found=str(raw)[:80])
        out = {}
        for name in ("train", "val", "test"):
            ids = [str(s) for s in raw.get(name, [])]
            missing = [s for s in ids if s not in present]
            if missing:
                raise DatasetError(path, expected=f"{name} ids that have motion files",
                                   found=f"{len(missing)} missing, e.g. {missing[0]}")  # fmt: skip
            out[name] = ids
        return out

    # -- helpers -------------------------------------------------------------------------------------
    def _check_id(self, song: str) -> str:
        song = str(song)
        if song not in self._ids:
            raise DatasetError(self.root, expected=f"a song id such as {self._ids[0]!r}", found=f"{song!r}",
                               hint="no motion file for it")  # fmt: skip
        return song

    @staticmethod
    def _array(path: Path, width: int, what: str) -> np.ndarray:
        if not path.is_file():
            raise DatasetError(path, expected=what, found="no such file")
        try:
            array = np.load(path, allow_pickle=False)
        except (ValueError, OSError, EOFError) as error:
            raise DatasetError(path, expected="a NumPy .npy array", found=f"unreadable data ({error})") from None
        if array.ndim != 2 or array.shape[1] != width or array.shape[0] == 0:
            raise DatasetError(path, expected=what, found=f"shape {array.shape}")
        if not np.issubdtype(array.dtype, np.floating):
            raise DatasetError(path, expected="floating-point values", found=f"dtype {array.dtype}")
        if not np.all(np.isfinite(array)):
            raise DatasetError(path, expected="finite values", found="NaN or infinity")
        return array.astype(np.float32, copy=False)
