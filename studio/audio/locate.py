"""Finding a song that moved: a project remembers its song's path and the sha256 of its bytes.

When the path is gone, the song is looked for near the project (the project's folder and its parent, two
folders deep): first files of the same name, then any audio file, each accepted only when its content hash
matches, so a different song of the same name is never taken for it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

from studio.audio.cache import file_sha256

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3", ".m4a", ".aac")
MAX_FILES = 400  # hashed at most: the search stays quick in a big music folder
MAX_DEPTH = 2


def find_moved_song(content_hash: str, name: str, near: Iterable[Path], max_files: int = MAX_FILES) -> Path | None:
    """A file near ``near`` whose bytes hash to ``content_hash`` (same ``name`` first), else None."""
    folders = list(dict.fromkeys(Path(f).resolve() for f in near if Path(f).is_dir()))
    files = list(itertools.islice(_audio_files(folders), max_files))
    same_name = [f for f in files if f.name == name]
    for path in [*same_name, *(f for f in files if f.name != name)]:
        try:
            if file_sha256(path) == content_hash:
                return path
        except OSError:  # unreadable: not it
            continue
    return None


def _audio_files(folders: list[Path]) -> Iterator[Path]:
    seen: set[Path] = set()
    for folder in folders:
        for depth in range(MAX_DEPTH + 1):
            pattern = "/".join(["*"] * (depth + 1))
            for path in sorted(folder.glob(pattern)):
                if path.suffix.lower() in AUDIO_SUFFIXES and path not in seen and path.is_file():
                    seen.add(path)
                    yield path
