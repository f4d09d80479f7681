"""``SongAnalysis``: everything the editor and the models need to know about a song, as plain data.

Saved as one ``.npz`` (arrays, plus the scalars and segments as a JSON string in ``meta``), written to a
temporary file and renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import dataclasses
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from studio.audio.features import FEATURE_DIM, FPS, N_MELS
from studio.core.atomic import atomic_path
from studio.core.errors import AudioError

FORMAT_VERSION = 1

Segment = tuple[float, float]


@dataclass(frozen=True, eq=False)
class SongAnalysis:
    """Tempo, beats, bars, segments and per-frame features (30 fps) of one song."""

    source: str  # the path it was analysed from
    content_hash: str  # sha256 of the file's bytes
    duration: float  # seconds
    sample_rate: int  # of the file
    tempo: float  # BPM from the mean beat interval (rhythm.beat_tempo)
    beats: np.ndarray  # seconds; the beat column's beats less edge beats off the tempo (rhythm.steady_beats)
    downbeats: np.ndarray  # seconds, every 4th beat (4/4)
    features: np.ndarray  # (T, 35) float32, FineDance layout
    mel: np.ndarray  # (T, 128) float32, log-mel in dB
    segments: list[Segment] = field(default_factory=list)  # (start, end) seconds
    snap_bars: bool = False  # how ``segments`` were cut
    start_bpm: float = 0.0  # the tempo estimate that seeded beat tracking

    fps = FPS

    @property
    def n_frames(self) -> int:
        return int(self.features.shape[0])

    def segment_frames(self) -> list[tuple[int, int]]:
        """Segments as [start, end) frame indices at 30 fps."""
        last = self.n_frames
        return [(min(round(a * FPS), last), min(round(b * FPS), last)) for a, b in self.segments]

    def with_segments(self, segments: list[Segment], snap_bars: bool) -> SongAnalysis:
        return dataclasses.replace(self, segments=[(float(a), float(b)) for a, b in segments], snap_bars=snap_bars)

    def to_json(self) -> dict:
        """The summary the CLI writes: seconds and BPM, no per-frame arrays."""
        return {
            "source": self.source,
            "content_hash": self.content_hash,
            "duration": self.duration,
            "sample_rate": self.sample_rate,
            "tempo": self.tempo,
            "fps": FPS,
            "beats": [round(float(t), 6) for t in self.beats],
            "downbeats": [round(float(t), 6) for t in self.downbeats],
            "segments": [[round(a, 6), round(b, 6)] for a, b in self.segments],
            "snap_bars": self.snap_bars,
            "features_shape": list(self.features.shape),
            "mel_shape": list(self.mel.shape),
        }

    def save(self, path: str | Path) -> None:
        """Write atomically: a temporary file beside ``path``, then a rename."""
        path = Path(path)
        meta = {
            "format": FORMAT_VERSION,
            "source": self.source,
            "content_hash": self.content_hash,
            "duration": self.duration,
            "sample_rate": self.sample_rate,
            "tempo": self.tempo,
            "start_bpm": self.start_bpm,
            "segments": self.segments,
            "snap_bars": self.snap_bars,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as temporary, open(temporary, "wb") as stream:
            np.savez(
                stream,
                meta=np.array(json.dumps(meta)),
                beats=np.asarray(self.beats, dtype=np.float64),
                downbeats=np.asarray(self.downbeats, dtype=np.float64),
                features=np.asarray(self.features, dtype=np.float32),
                mel=np.asarray(self.mel, dtype=np.float32),
            )

    @classmethod
    def load(cls, path: str | Path) -> SongAnalysis:
        """Read a file written by ``save``; ``AudioError`` when it is not one or is damaged."""
        try:
            with np.load(path, allow_pickle=False) as archive:
                meta = json.loads(str(archive["meta"]))
                arrays = {name: archive[name] for name in ("beats", "downbeats", "features", "mel")}
            if meta.get("format") != FORMAT_VERSION:
                raise ValueError(f"format {meta.get('format')!r}")
            analysis = cls(
                source=str(meta["source"]),
                content_hash=str(meta["content_hash"]),
                duration=float(meta["duration"]),
                sample_rate=int(meta["sample_rate"]),
                tempo=float(meta["tempo"]),
                start_bpm=float(meta["start_bpm"]),
                segments=[(float(a), float(b)) for a, b in meta["segments"]],
                snap_bars=bool(meta["snap_bars"]),
                **arrays,
            )
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as error:
            raise AudioError(
                path, expected=f"a song analysis file (format {FORMAT_VERSION})", found=f"{error}"
            ) from None
        features, mel = analysis.features, analysis.mel
        if features.ndim != 2 or features.shape[1] != FEATURE_DIM or mel.shape != (features.shape[0], N_MELS):
            raise AudioError(
                path,
                expected=f"features (T, {FEATURE_DIM}) and mel (T, {N_MELS})",
                found=f"features {features.shape} and mel {mel.shape}",
            )
        return analysis
