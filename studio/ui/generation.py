"""Generators behind one request/response interface: FDGN when a trained model loads, else the procedural
baseline; partners from duet rules; ranking by GCRM when it is trained, else by a documented fallback.

Everything here runs on the generation worker thread (``studio.ui.workers``), never on the UI thread:
``load_generators`` imports torch only when an FDGN or GCRM model folder exists, so an editor without
models never pays for torch.

Interface: ``generators.generate(request, song, progress, interrupt) -> GenerationResponse`` where
``progress(done, total)`` is called per denoising step (per candidate for the baseline) and
``interrupt`` is a ``threading.Event``: when set, the generator raises ``Cancelled`` at its next step.

Ranking fallback (until GCRM weights exist in ``models/gcrm-small``): GS is the probability of the
candidate's genre under the song's genre guess relative to the likeliest genre's (so 1 for the best
guess; 1 when the candidate dances the user's override; 0 when its genre is unknown); CS is minus the
norm of the (52, 3) joint-position difference between the previous segment's chosen motion at
frame -5 and the candidate at frame 5 (GCRM's own CS); score = alpha * GS + beta * CS.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from studio.core.errors import Cancelled, ModelError, StudioError
from studio.core.motion import Motion
from studio.core.segments import Candidate
from studio.ui.requests import GenerationRequest, GenerationResponse, GenreGuess

log = logging.getLogger(__name__)

FPS = 30.0
FDGN_MODEL = "fdgn-small"
GCRM_MODEL = "gcrm-small"
PROCEDURAL_ID = "procedural"
PARTNER_ID = "duet-rules"
PARTNER_SPACING = 1.4  # metres between the two dancers (lead at x ~ 0, partner to its left, +x)
CS_FRAME = 5

Progress = Callable[[int, int], None]


class GeneratorUnavailable(StudioError):
    """No generator can make dances here (no model, no baseline)."""


# -- the interface ------------------------------------------------------------------------------------
class MotionSource(Protocol):
    """Makes the raw candidate motions of one segment (unranked): (motion, genre or None[, label]) each; a
    label (e.g. the duet rule) is appended to the candidates' model id as ``model:label``."""

    name: str
    model_id: str
    device: str

    def motions(
        self, request: GenerationRequest, song: Any, progress: Progress, interrupt: threading.Event
    ) -> list[tuple[Motion, str | None]]: ...


def segment_frames(request: GenerationRequest) -> tuple[int, int]:
    """The segment as [start, end) frames at 30 fps (the same rounding as the song's segment grid)."""
    start, end = round(request.start * FPS), round(request.end * FPS)
    return start, max(end, start + 1)


def check_interrupt(interrupt: threading.Event | None) -> None:
    if interrupt is not None and interrupt.is_set():
        raise Cancelled("generation cancelled")


# -- genre guess ----------------------------------------------------------------------------------------
def tempo_genre_guess(tempo: float, top: int = 3) -> GenreGuess:
    """A stand-in for GCRM's genre detection: which genres' music usually has this tempo.

    Each genre of the procedural corpus has a tempo range; the closer the song's tempo (or its half or
    double) is to a genre's range, the likelier the genre.
    """
    try:
        from studio.data.procedural.genres import GENRE_SPECS
    except ImportError:  # the corpus package is not there: no guess
        return GenreGuess((), "none")
    scores = {}
    for name, genre in GENRE_SPECS.items():
        low, high = genre.music.tempo
        best = min(max(low - t, 0.0, t - high) for t in (tempo, tempo * 2, tempo / 2)) if tempo > 0 else 30.0
        width = max(high - low, 1.0)
        scores[name] = np.exp(-0.5 * (best / 8.0) ** 2) / np.sqrt(width)
    names = sorted(scores, key=lambda n: -scores[n])
    total = sum(scores.values()) or 1.0
    return GenreGuess(tuple((n, float(scores[n] / total)) for n in names[:top]), "tempo")


# -- ranking ----------------------------------------------------------------------------------------------
class FallbackRanker:
    """GS from the genre guess, CS from forward kinematics (see the module docstring)."""

    name = "fallback ranking"

    def __init__(self, skeleton=None) -> None:
        self._skeleton = skeleton

    @property
    def skeleton(self):
        if self._skeleton is None:
            from studio.body.provider import default_skeleton

            self._skeleton = default_skeleton()
        return self._skeleton

    def coherence(self, prev: Motion | None, motion: Motion) -> float:
        if prev is None or len(prev) == 0:
            return 0.0
        end = prev[len(prev) - min(CS_FRAME, len(prev)) :][:1].positions(self.skeleton)[0]
        frame = min(CS_FRAME, len(motion) - 1)
        start = motion[frame : frame + 1].positions(self.skeleton)[0]
        return -float(np.linalg.norm(start - end))  # the paper's norm over the whole pose, as GCRM

    def rank(
        self, motions: Sequence[tuple[Motion, str | None]], request: GenerationRequest, song: Any, guess: GenreGuess
    ) -> list[tuple[int, dict[str, float], str | None]]:
        rows = []
        for i, (motion, genre) in enumerate(motions):
            if request.genre is not None:
                gs = 1.0 if genre in (None, request.genre) else 0.0
                genre = genre or request.genre
            else:  # relative to the likeliest genre: the guess's best genre scores 1
                best = guess.top[0][1] if guess.top else 0.0
                gs = guess.probability(genre) / best if genre is not None and best > 0 else 0.0
            cs = self.coherence(request.prev, motion)
            score = request.alpha * gs + request.beta * cs
            rows.append((i, {"score": score, "gs": gs, "cs": cs}, genre))
        rows.sort(key=lambda row: (-row[1]["score"], row[0]))
        return rows


class GCRMRanker:
    """``studio.ml.genre.GenreRanker`` behind the fallback's interface."""

    name = "GCRM"

    def __init__(self, ranker) -> None:
        self.ranker = ranker

    def rank(self, motions, request: GenerationRequest, song: Any, guess: GenreGuess):
        start, end = segment_frames(request)
        mel = np.asarray(song.mel)[min(start, len(song.mel) - 1) : max(end, start + 1)]
        self.ranker.alpha, self.ranker.beta = request.alpha, request.beta
        ranked = self.ranker.rank(mel, [m for m, _ in motions], prev=request.prev, genre=request.genre)
        label = request.genre or guess.best
        return [(r.index, r.as_scores(), motions[r.index][1] or label) for r in ranked]

    def guess(self, song: Any) -> GenreGuess:
        return GenreGuess(tuple(self.ranker.detect_genres(song.mel, top=3)), "GCRM")


# -- motion sources -----------------------------------------------------------------------------------------
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
    model_id = PROCEDURAL_ID
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
    """The FineNet diffusion model (``studio.ml.pipeline.Choreographer``); falls back to the CPU on CUDA OOM."""

    name = "FDGN"

    def __init__(self, folder: str | Path, device: str = "auto") -> None:
        from studio.ml.pipeline import Choreographer

        self.pipeline = Choreographer.from_pretrained(folder, device=None if device == "auto" else device)
        if self.pipeline.device.type == "cpu":
            import os

            import torch

            # Leave one core to the UI thread: on a 2-core machine torch's default of 2 threads made the
            # window stall, and one thread generated as fast (docs/fdgn.md, benchmark).
            torch.set_num_threads(max(1, (os.cpu_count() or 2) - 1))
        self.model_id = self.pipeline.model_id or Path(folder).name
        self.name = f"FDGN {self.model_id}"
        self.notes: list[str] = []

    def warm(self) -> None:
        """One tiny sampling pass now: torch initialises its kernels on the first call, holding the GIL for up
        to a quarter of a second, which belongs in "loading" rather than in the first segment."""
        music = np.zeros((40, 35), dtype=np.float32)
        self.warm_result = self.pipeline.generate_segment(music, 0, 40, num_candidates=1, seeds=0, steps=1)

    @property
    def device(self) -> str:
        return describe_torch_device(self.pipeline.device)

    def motions(self, request, song, progress, interrupt):
        start, end = segment_frames(request)
        kwargs = dict(
            num_candidates=request.num_candidates, seeds=list(request.seeds), prev=request.prev,
            next=request.next, callback=progress, interrupt=interrupt,
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


class PartnerSource:
    """A second dancer from the lead's chosen motion, by duet rules: mirror, unison and canons.

    The partner stands ``PARTNER_SPACING`` m to the lead's left. A canon repeats the lead ``delay`` beats
    later (its first beats come from the end of the lead's previous segment). Seeds pick the rules, so
    the same seeds give the same partner.
    """

    name = "duet rules"
    model_id = PARTNER_ID
    device = "CPU"
    RULES = ("mirror", "canon-2", "unison", "mirror-canon-4", "canon-4", "mirror-canon-2")

    def rule(self, seed: int) -> str:
        return self.RULES[seed % len(self.RULES)]

    def motions(self, request, song, progress, interrupt):
        if request.lead is None:
            raise GeneratorUnavailable(f"segment {request.segment + 1} has no lead dance to partner yet")
        beat = 60.0 / song.tempo if getattr(song, "tempo", 0) else 0.5
        out = []
        for i, seed in enumerate(request.seeds):
            check_interrupt(interrupt)
            rule = self.rule(seed)
            out.append((self.partner(request, rule, beat), request.lead_genre, rule))
            progress(i + 1, request.num_candidates)
        return out

    def partner(self, request: GenerationRequest, rule: str, beat_seconds: float) -> Motion:
        lead = request.lead
        if "canon" in rule:
            delay = max(1, round(int(rule.rsplit("-", 1)[1]) * beat_seconds * lead.fps))
            before = request.lead_prev if request.lead_prev is not None else lead[:1]
            if len(before) < delay:  # the song's start: hold the first pose
                pad = Motion(np.repeat(before.trans[:1], delay - len(before), 0),
                             np.repeat(before.rotations[:1], delay - len(before), 0), lead.fps)  # fmt: skip
                before = _join(pad, before)
            lead = _join(before[len(before) - delay :], lead)[: len(request.lead)]
        if rule.startswith("mirror"):
            return lead.mirrored().translated([PARTNER_SPACING, 0.0, 0.0])
        return lead.translated([PARTNER_SPACING, 0.0, 0.0])


def _join(a: Motion, b: Motion) -> Motion:
    return Motion(np.concatenate([a.trans, b.trans]), np.concatenate([a.rotations, b.rotations]), b.fps)


# -- the set the worker uses -----------------------------------------------------------------------------------
@dataclass
class Generators:
    """The lead's motion source, the partner's, and the ranker, with the song's genre guess."""

    lead: MotionSource
    partner: MotionSource = field(default_factory=PartnerSource)
    ranker: Any = field(default_factory=FallbackRanker)
    notes: list[str] = field(default_factory=list)  # said once to the user after loading (fallbacks)
    guesses: dict[str, GenreGuess] = field(default_factory=dict)  # per song content hash

    @property
    def name(self) -> str:
        return self.lead.name

    @property
    def device(self) -> str:
        return self.lead.device

    def guess(self, song: Any) -> GenreGuess:
        """The song's top-3 genres (GCRM when loaded, else the tempo guess); cached per song."""
        key = getattr(song, "content_hash", "") or str(id(song))
        if key not in self.guesses:
            guess = None
            if hasattr(self.ranker, "guess"):
                try:
                    guess = self.ranker.guess(song)
                except Exception as error:  # a ranker without prototypes: fall back, say why in the log
                    log.warning("genre detection failed (%s); using the tempo guess", error)
            self.guesses[key] = guess or tempo_genre_guess(float(getattr(song, "tempo", 0.0)))
        return self.guesses[key]

    def generate(
        self, request: GenerationRequest, song: Any, progress: Progress, interrupt: threading.Event
    ) -> GenerationResponse:
        started = time.perf_counter()
        guess = self.guess(song)
        source = self.partner if request.role == "partner" else self.lead
        if isinstance(source, ProceduralSource):
            source.guess = guess
        motions = source.motions(request, song, progress, interrupt)
        check_interrupt(interrupt)
        if len(motions) != request.num_candidates:
            raise ModelError(source.name, expected=f"{request.num_candidates} candidates", found=str(len(motions)))
        expected = segment_frames(request)[1] - segment_frames(request)[0]
        labels = [f"{source.model_id}:{m[2]}" if len(m) > 2 and m[2] else source.model_id for m in motions]
        motions = [(_fit_length(m[0], expected), m[1]) for m in motions]
        ranked = self.ranker.rank(motions, request, song, guess)
        candidates = tuple(
            Candidate(motions[i][0], request.seeds[i], scores, genre, labels[i]) for i, scores, genre in ranked
        )
        notes = tuple(getattr(source, "notes", ()))
        if notes:
            source.notes.clear()
        return GenerationResponse(request, candidates, time.perf_counter() - started, source.device, notes)


def _fit_length(motion: Motion, frames: int) -> Motion:
    """Exactly ``frames`` frames (a generator one frame off would shift the rest of the song)."""
    if len(motion) == frames:
        return motion
    if len(motion) > frames:
        return motion[:frames]
    extra = frames - len(motion)
    trans = np.concatenate([motion.trans, np.repeat(motion.trans[-1:], extra, 0)])
    rotations = np.concatenate([motion.rotations, np.repeat(motion.rotations[-1:], extra, 0)])
    return Motion(trans, rotations, motion.fps)


# -- choosing and loading -------------------------------------------------------------------------------------
def models_dir() -> Path:
    """Where model folders live (the same rule as ``studio.ml.weights``, without importing torch)."""
    env = os.environ.get("CHOREO_STUDIO_MODELS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "models"


def model_folder(name: str) -> Path | None:
    folder = models_dir() / name
    return folder if (folder / "config.json").is_file() and (folder / "model.safetensors").is_file() else None


def describe_torch_device(device) -> str:
    """'CUDA: <GPU name>' or 'CPU' for a torch.device."""
    if getattr(device, "type", str(device)) == "cuda":
        import torch

        return f"CUDA: {torch.cuda.get_device_name(device)}"
    return "CPU"


def load_generators(device: str = "auto", *, allow_models: bool = True) -> Generators:
    """The best generators this machine has (call on a worker thread: it may import torch and load weights).

    FDGN when ``models/fdgn-small`` exists and loads, else the procedural baseline; GCRM ranking when
    ``models/gcrm-small`` exists and loads, else the fallback ranking. Fallbacks are reported in ``notes``.
    """
    notes: list[str] = []
    lead: MotionSource | None = None
    folder = model_folder(FDGN_MODEL) if allow_models else None
    if folder is not None:
        from studio.ml.preload import preload_torch_libraries

        preload_torch_libraries()  # without the GIL: the window keeps turning while libtorch is mapped
        try:
            lead = FDGNSource(folder, device)
            lead.warm()
        except Exception as error:
            notes.append(f"The FDGN model in {folder} did not load ({error}); using the procedural baseline.")
    if lead is None:
        try:
            lead = ProceduralSource()
        except GeneratorUnavailable as error:
            raise GeneratorUnavailable(f"No dance generator is available: no FDGN model and {error}.") from None
        lead.warm()
    ranker: Any = FallbackRanker()
    ranker.skeleton  # noqa: B018 - loads the avatar's skeleton now, not on the first ranking
    folder = model_folder(GCRM_MODEL) if allow_models else None
    if folder is not None:
        try:
            from studio.ml.genre.ranker import GenreRanker

            ranker = GCRMRanker(GenreRanker.from_pretrained(folder, device=None if device == "auto" else device))
            warm = getattr(lead, "warm_result", None)
            if warm is not None:  # its first call initialises torch's kernels too (see FDGNSource.warm)
                ranker.ranker.rank(np.zeros((40, 128), np.float32), warm.features, prev=warm.features[0])
        except Exception as error:
            notes.append(f"The GCRM ranker in {folder} did not load ({error}); ranking by the fallback scores.")
    return Generators(lead, ranker=ranker, notes=notes)


def with_lead(generators: Generators, lead: MotionSource) -> Generators:
    """The same set with another lead source (tests inject small sources this way)."""
    return replace(generators, lead=lead)
