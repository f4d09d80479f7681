"""The demo song shipped in ``resources/demo/demo.wav``: 60 s of the synthesiser, mono 22.05 kHz 16-bit."""

from __future__ import annotations

from os import PathLike
from pathlib import Path

import numpy as np

DEMO_GENRE = "Korean"  # four-on-the-floor pop: clear beats for a first look at the editor
DEMO_SECONDS = 60.0


def write_demo(path: str | PathLike, seed: int = 2024) -> float:
    """Write the demo song; returns its length in seconds."""
    import soundfile as sf

    from studio.data.procedural.music import synthesize

    song = synthesize(DEMO_GENRE, DEMO_SECONDS, np.random.default_rng(seed))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, song.samples, song.sample_rate, subtype="PCM_16", format="WAV")
    return song.duration
