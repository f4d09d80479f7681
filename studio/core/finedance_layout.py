"""The FineDance folder layout's facts, in one place: what every reader of a FineDance-layout folder agrees on.

::

    ROOT/motion/NNN.npy       (T, 315) motion (studio.core.finedance)
    ROOT/music_npy/NNN.npy    (T', 35) music features (MUSIC_DIM)
    ROOT/music_wav/NNN.wav    the song
    ROOT/label_json/NNN.json  {"name", "style1" (coarse style), "style2" (genre), ...}
    ROOT/split.json           {"train": [...], "val": [...], "test": [...]} (optional)

Without ``split.json`` the split is FineDance@Genre (DESIGN.md section 3): its 20 test songs, its ignore
list left out, everything else train.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from studio.core.finedance import MUSIC_DIM

# FineDance's 16 genres (its "style2" labels)
GENRES: tuple[str, ...] = (
    "Breaking", "Popping", "Locking", "Hiphop", "Urban", "Jazz", "Dai", "Uighur", "Miao",
    "HanTang", "ShenYun", "Kun", "DunHuang", "Korean", "Choreography", "Chinese",
)  # fmt: skip
GENRE_TEST_SONGS = (
    "063", "132", "143", "036", "098", "198", "130", "012", "211", "193",
    "179", "065", "137", "161", "092", "120", "037", "109", "204", "144",
)  # fmt: skip
GENRE_IGNORED_SONGS = ("116", "117", "118", "119", "120", "121", "122", "123", "202")

# Where a label_json file names the genre, first found wins. FineDance's own field ("style2") comes first: a
# FineDance file may carry other keys, and a clip must get the same genre from every reader. Our corpora
# write "genre" equal to "style2"; "style" and "dance_genre" are other datasets' spellings.
LABEL_KEYS = ("style2", "genre", "style", "dance_genre")

__all__ = [
    "GENRES", "GENRE_IGNORED_SONGS", "GENRE_TEST_SONGS", "LABEL_KEYS", "MUSIC_DIM", "genre_in_label", "genre_split",
]  # fmt: skip


def genre_in_label(label: Any) -> str | None:
    """The genre a parsed label_json names (a dict with one of ``LABEL_KEYS``, or a bare string), else None."""
    if isinstance(label, str):
        return label.strip() or None
    if isinstance(label, dict):
        for key in LABEL_KEYS:
            value = label.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def genre_split(ids: Sequence[str]) -> dict[str, list[str]]:
    """FineDance@Genre's split of the song ids present: its test songs, no val, the rest but the ignored train."""
    present = set(ids)
    test = sorted(s for s in GENRE_TEST_SONGS if s in present)
    train = [s for s in ids if s not in GENRE_TEST_SONGS and s not in GENRE_IGNORED_SONGS]
    return {"train": train, "val": [], "test": test}
