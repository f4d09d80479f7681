"""Analysis cache keyed by the song file's content (sha256), so a renamed or moved song is a hit and an
edited one is a miss.

Folder: ``$CHOREO_STUDIO_CACHE/analysis`` when that variable is set (tests point it at a temporary
folder), else the platform's user cache folder (``~/.cache/choreo-studio/analysis`` on Linux).  The entry
name carries the analysis recipe version and the librosa version, because either changes the numbers.
A damaged entry is deleted and recomputed, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from importlib import metadata
from pathlib import Path

from studio.audio.song import SongAnalysis
from studio.core.errors import AudioError

CACHE_ENV = "CHOREO_STUDIO_CACHE"
ANALYSIS_VERSION = 1  # bump when the recipe in features.py / analysis.py changes its output
_CHUNK = 1 << 20


def cache_root() -> Path:
    """The app's cache folder (all packages); ``CHOREO_STUDIO_CACHE`` overrides it."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("choreo-studio", appauthor=False))


def file_sha256(path: str | Path) -> str:
    """sha256 of the file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        while block := stream.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


class AnalysisCache:
    """One ``.npz`` per (content, recipe version, librosa version)."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else cache_root() / "analysis"
        try:
            librosa_version = metadata.version("librosa")
        except metadata.PackageNotFoundError:  # pragma: no cover - librosa is a dependency
            librosa_version = "unknown"
        self._tag = f"v{ANALYSIS_VERSION}-librosa{librosa_version}"

    def path_for(self, digest: str) -> Path:
        return self.folder / digest[:2] / f"{digest}.{self._tag}.npz"

    def get(self, digest: str) -> SongAnalysis | None:
        path = self.path_for(digest)
        if not path.is_file():
            return None
        try:
            analysis = SongAnalysis.load(path)
        except AudioError:
            path.unlink(missing_ok=True)
            return None
        if analysis.content_hash != digest:
            path.unlink(missing_ok=True)
            return None
        return analysis

    def put(self, analysis: SongAnalysis) -> None:
        """Store; a cache that cannot be written (read-only home, full disk) only costs speed."""
        with contextlib.suppress(OSError):
            analysis.save(self.path_for(analysis.content_hash))
