"""The set of generators a driver uses: the lead's motion source, the partner's, the ranker, the genre guess.

``Generators.generate(request, song, progress, interrupt) -> GenerationResponse``: the source makes the raw
motions, each is cut or held to the segment's length, the ranker puts them best first. ``load_generators``
picks the best this machine has (FDGN when ``models/fdgn-small`` loads, else the procedural baseline; GCRM
ranking when ``models/gcrm-small`` loads, else the fallback ranking); it imports torch only when a model
folder exists, so an editor without models never pays for torch. Call it off the UI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from studio.choreography.partner import DuetSource, PartnerSource
from studio.choreography.plan import segment_frames
from studio.choreography.ranking import DuetRanker, FallbackRanker, GCRMRanker, tempo_genre_guess
from studio.choreography.requests import GenerationRequest, GenerationResponse, GenreGuess
from studio.choreography.sources import (
    FDGNSource,
    GeneratorUnavailable,
    MotionSource,
    ProceduralSource,
    Progress,
    check_interrupt,
)
from studio.core import resources
from studio.core.errors import ModelError
from studio.core.motion import fit_length
from studio.core.segments import Candidate

log = logging.getLogger(__name__)

FDGN_MODEL = "fdgn-small"
GCRM_MODEL = "gcrm-small"
PARTNER_MODEL = "partner-small"
PARTNERS = ("model", "rules", "none")  # who makes a partner's dance: the learned partner, the duet rules, nobody


@dataclass
class Generators:
    """The lead's motion source, the partner's, and the ranker, with the song's genre guess."""

    lead: MotionSource
    partner: MotionSource | None = field(default_factory=PartnerSource)  # None: no partners (solo only)
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
        if source is None:
            raise GeneratorUnavailable("partners are turned off here (no partner source): remove the partner")
        if isinstance(source, ProceduralSource):
            source.guess = guess
        motions = source.motions(request, song, progress, interrupt)
        check_interrupt(interrupt)
        if len(motions) != request.num_candidates:
            raise ModelError(source.name, expected=f"{request.num_candidates} candidates", found=str(len(motions)))
        first, last = segment_frames(request.start, request.end)
        labels = [_label(source, m) for m in motions]
        motions = [(fit_length(m[0], last - first), m[1]) for m in motions]
        ranker = DuetRanker(self.ranker) if request.role == "partner" else self.ranker  # MM, clearance with the lead
        ranked = ranker.rank(motions, request, song, guess)
        candidates = tuple(
            Candidate(motions[i][0], request.seeds[i], scores, genre, labels[i]) for i, scores, genre in ranked
        )
        notes = tuple(getattr(source, "notes", ()))
        if notes:
            source.notes.clear()
        return GenerationResponse(request, candidates, time.perf_counter() - started, source.device, notes)


def _label(source: MotionSource, motion: tuple) -> str:
    """A candidate's model id: the source's, with the source's label (``duet-rules:mirror``); a label that
    already names its model (``model:label``: a set of sources such as ``partner.DuetSource``) as it is."""
    label = motion[2] if len(motion) > 2 else None
    if not label:
        return source.model_id
    return label if ":" in label else f"{source.model_id}:{label}"


def model_folder(name: str) -> Path | None:
    """The model folder ``name`` (the same search as ``studio.ml.weights``, without importing torch), or None."""
    folder = resources.find_model(name)
    return folder if folder is not None and (folder / "model.safetensors").is_file() else None


def load_generators(
    device: str = "auto", *, allow_models: bool = True, threads: int | None = None, partner: str = "model"
) -> Generators:
    """The best generators this machine has (call on a worker thread: it may import torch and load weights).

    FDGN when ``models/fdgn-small`` exists and loads, else the procedural baseline; GCRM ranking when
    ``models/gcrm-small`` exists and loads, else the fallback ranking. Fallbacks are reported in ``notes``.
    ``threads``: torch CPU threads for FDGN (None: torch's default). ``partner``: see ``load_partner``.
    """
    notes: list[str] = []
    lead: MotionSource | None = None
    folder = model_folder(FDGN_MODEL) if allow_models else None
    if folder is not None:
        from studio.ml.preload import preload_torch_libraries

        preload_torch_libraries()  # without the GIL: the window keeps turning while libtorch is mapped
        try:
            lead = FDGNSource(folder, device, threads=threads)
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
    return Generators(lead, partner=load_partner(partner, device, threads=threads, allow_models=allow_models),
                      ranker=ranker, notes=notes)  # fmt: skip


def load_partner(
    kind: str = "model", device: str = "auto", *, threads: int | None = None, steps: int | None = None,
    allow_models: bool = True,
) -> MotionSource | None:  # fmt: skip
    """The partner's motion source: ``"model"``, the learned partner (``models/partner-small``) with the duet
    rules as extra candidates (``partner.DuetSource``), loaded when the first partner segment is made (a solo
    never waits for it); without that folder, or when it fails to load, the rules make every candidate and a
    note says so with the first partner segment. ``"rules"``: the duet rules alone; ``"none"``: no partner
    (None: partner requests are refused). ``allow_models`` False: the rules, without a note.
    """
    if kind not in PARTNERS:
        raise ValueError(f"partner must be one of {', '.join(PARTNERS)}, got {kind!r}")
    if kind == "none":
        return None
    if kind == "rules" or not allow_models:
        return PartnerSource()
    folder = model_folder(PARTNER_MODEL)
    if folder is None:
        return DuetSource(notes=[f"No partner model ({PARTNER_MODEL}) is installed: the duet rules make the partner."])

    def load() -> MotionSource:
        from studio.choreography.partner_model import PartnerModelSource
        from studio.ml.preload import preload_torch_libraries

        preload_torch_libraries()  # the partner may be the first to need torch (no FDGN model)
        model = PartnerModelSource(folder, device, steps=steps, threads=threads)
        model.warm()
        return model

    return DuetSource(loader=load, folder=str(folder))


def with_lead(generators: Generators, lead: MotionSource) -> Generators:
    """The same set with another lead source (tests inject small sources this way)."""
    return replace(generators, lead=lead)
