"""Motion sources: what makes a segment's raw (unranked) candidate motions.

- ``FDGNSource``: the FineNet diffusion model (``studio.ml.pipeline.Choreographer``), torch imported only here;
- ``ProceduralSource``: the procedural baseline (``studio.data.procedural``), when no model is there;
- ``studio.choreography.partner.PartnerSource``: a second dancer from the lead's dance.

Interface (``MotionSource``): ``motions(request, song, progress, interrupt)`` -> one ``(motion, genre or None[,
label])`` per seed; ``progress(done, total)`` per denoising step (per candidate for the baseline);
``interrupt`` is a ``threading.Event``: when set, the source raises ``Cancelled`` at its next step.
A new source: a class here with ``name``, ``model_id``, ``device`` and ``motions``, chosen in
``generators.load_generators``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from studio.choreography.plan import segment_frames
from studio.choreography.requests import GenerationRequest, GenreGuess
from studio.core.errors import Cancelled, StudioError
from studio.core.finedance import MUSIC_DIM
from studio.core.motion import Motion

Progress = Callable[[int, int], None]


class GeneratorUnavailable(StudioError):
    """No generator can make dances here (no model, no baseline)."""


class MotionSource(Protocol):
    """Makes the raw candidate motions of one segment (unranked): (motion, genre or None[, label]) each; a
    label (e.g. the duet rule) is appended to the candidates' model id as ``model:label``."""

    name: str
    model_id: str
    device: str

    def motions(
        self, request: GenerationRequest, song: Any, progress: Progress, interrupt: threading.Event
    ) -> list[tuple[Motion, str | None]]: ...


def check_interrupt(interrupt: threading.Event | None) -> None:
    if interrupt is not None and interrupt.is_set():
        raise Cancelled("generation cancelled")


def _procedural_api():
    """``studio.data.procedural.choreograph_segment`` when the corpus package provides it, else None."""
    try:
        from studio.data.procedural import choreograph_segment
    except ImportError:
        return None
    return choreograph_segment


class ProceduralSource:
    """The procedural baseline: dances composed from each genre's move vocabulary, on the song's beats.

    Candidates differ by seed and, without a genre override, by genre (the song's top-3 guesses in turn).
    """

    name = "procedural baseline"
    model_id = "procedural"
    device = "CPU"

    def __init__(self, compose: Callable[..., Motion] | None = None, guess: GenreGuess | None = None) -> None:
        compose = compose or _procedural_api()
        if compose is None:
            raise GeneratorUnavailable("the procedural baseline (studio.data.procedural) is not installed")
        self.compose = compose
        self.guess = guess or GenreGuess(())

    def warm(self) -> None:
        """Compose one short dance now (the first call builds the leg model from the avatar's mesh), so the
        first segment a person waits for does not pay for it."""
        beats = np.arange(0.0, 4.0, 0.5)
        self.compose(beats, 0.0, 2.0, genre=None, seed=0)

    def genres_for(self, request: GenerationRequest) -> list[str | None]:
        if request.genre is not None:
            return [request.genre] * request.num_candidates
        top = [g for g, _ in self.guess.top] or [None]
        return [top[i % len(top)] for i in range(request.num_candidates)]

    def motions(self, request, song, progress, interrupt):
        out = []
        genres = self.genres_for(request)
        for i, (seed, genre) in enumerate(zip(request.seeds, genres, strict=True)):
            check_interrupt(interrupt)
            motion = self.compose(song, request.start, request.end, genre=genre, seed=seed, prev=request.prev)
            out.append((motion, genre))
            progress(i + 1, request.num_candidates)
        check_interrupt(interrupt)
        return out


class FDGNSource:
    """The FineNet diffusion model; falls back to the CPU on CUDA OOM.

    ``steps``: DDIM steps (None: the model's); ``threads``: torch CPU threads to use (None: torch's setting).
    """

    name = "FDGN"

    def __init__(
        self, folder: str | Path, device: str = "auto", *, steps: int | None = None, threads: int | None = None
    ) -> None:
        from studio.ml.pipeline import Choreographer

        self.pipeline = Choreographer.from_pretrained(folder, device=None if device == "auto" else device)
        if threads and self.pipeline.device.type == "cpu":
            import torch

            torch.set_num_threads(threads)
        self.steps = steps
        self.model_id = self.pipeline.model_id or Path(folder).name
        self.name = f"FDGN {self.model_id}"
        self.notes: list[str] = []

    def warm(self) -> None:
        """One tiny sampling pass now: torch initialises its kernels on the first call, holding the GIL for up
        to a quarter of a second, which belongs in "loading" rather than in the first segment."""
        music = np.zeros((40, MUSIC_DIM), dtype=np.float32)
        self.warm_result = self.pipeline.generate_segment(music, 0, 40, num_candidates=1, seeds=0, steps=1)

    @property
    def device(self) -> str:
        return describe_torch_device(self.pipeline.device)

    def motions(self, request, song, progress, interrupt):
        start, end = segment_frames(request.start, request.end)
        kwargs = dict(
            num_candidates=request.num_candidates, seeds=list(request.seeds), prev=request.prev,
            next=request.next, callback=progress, interrupt=interrupt, steps=getattr(self, "steps", None),
        )  # fmt: skip
        try:
            result = self.pipeline.generate_segment(song.features, start, end, **kwargs)
        except RuntimeError as error:
            if "out of memory" not in str(error).lower() or self.pipeline.device.type == "cpu":
                raise
            self._move_to_cpu()
            self.notes.append("The GPU ran out of memory: generating on the CPU from now on (slower).")
            result = self.pipeline.generate_segment(song.features, start, end, **kwargs)
        return [(motion, None) for motion in result.motions()]

    def _move_to_cpu(self) -> None:
        import torch

        from studio.ml.pipeline import Choreographer

        old = self.pipeline
        self.pipeline = Choreographer(old.model.cpu(), old.normalizer, device=torch.device("cpu"),
                                      model_id=old.model_id)  # fmt: skip
        if torch.cuda.is_available():
            torch.cuda.empty_cache()


def describe_torch_device(device) -> str:
    """'CUDA: <GPU name>' or 'CPU' for a torch.device."""
    if getattr(device, "type", str(device)) == "cuda":
        import torch

        return f"CUDA: {torch.cuda.get_device_name(device)}"
    return "CPU"
