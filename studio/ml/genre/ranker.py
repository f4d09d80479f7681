"""``GenreRanker``: GCRM's ranking of the M candidates of a segment by genre match (GS) and coherence (CS).

For a music segment (its log-mel, ``SongAnalysis.mel[start:end]``) and M candidate dances:

- ``GS_i = cos(music embedding, dance embedding of candidate i)`` in [-1, 1]; with a genre override
  (``genre="Jazz"``) the music embedding is replaced by that genre's music prototype;
- ``CS_i = -|| Y_prev[N' - 5] - Y_i[5] ||_F`` (the paper's definition): minus the Euclidean (Frobenius) norm of the
  (52, 3) difference of all 52 joint positions (fingers included), in metres and in world coordinates (root
  translation included, no re-facing), between the previous segment's chosen dance at its 5th frame from the end
  (index -5) and candidate i at frame index 5 (its 6th frame). A segment shorter than 6 frames uses its first/last
  frame. ``CS_i = 0`` when there is no previous segment (the first segment of a song);
- ``score_i = alpha GS_i + beta CS_i`` (alpha 1.0, beta 0.5 as in the paper), combined by
  ``studio.core.ranking.ScoreWeights`` (the one place the weights are applied).

``rank`` returns the candidates best first as :class:`RankedCandidate` (input index, score, gs, cs).
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from os import PathLike
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from studio.core.errors import InputError
from studio.core.ranking import CS_FRAME, ScoreWeights, best_first
from studio.ml.genre.model import GCRM
from studio.ml.genre.positions import forward_kinematics, to_positions
from studio.ml.genre.prototypes import GenrePrototypes

AUTO = "auto"
_threads_lock = threading.Lock()


@contextlib.contextmanager
def torch_threads(count: int | None):
    """Run with ``count`` torch CPU threads, then restore (None: leave torch's setting alone).

    torch's thread count is process-wide: this is for calls that run one at a time (a worker thread).
    """
    if count is None or count == torch.get_num_threads():
        yield
        return
    with _threads_lock:
        before = torch.get_num_threads()
        torch.set_num_threads(count)
        try:
            yield
        finally:
            torch.set_num_threads(before)


@dataclass(frozen=True)
class RankedCandidate:
    """One candidate's place in the ranking: ``index`` into the candidates as given, and its numbers."""

    index: int
    score: float  # ScoreWeights.combine: alpha * gs + beta * cs
    gs: float  # genre-matching score (cosine similarity)
    cs: float  # coherence score (minus the norm of the joint-position difference, m; 0 for the first segment)

    def as_scores(self) -> dict[str, float]:
        """For ``studio.core.segments.Candidate(scores=...)``."""
        return {"score": self.score, "gs": self.gs, "cs": self.cs}


def coherence_scores(prev: torch.Tensor | None, positions: torch.Tensor, frame: int = CS_FRAME) -> torch.Tensor:
    """CS of M candidates ``positions`` (M, N, 52, 3) after ``prev`` (N', 52, 3) or None -> (M,).

    ``-|| prev[-5] - positions[i, 5] ||``: the Frobenius norm over joints and axes (the paper's CS), in metres.
    """
    if prev is None:
        return positions.new_zeros(positions.shape[0])
    end = prev[-min(frame, prev.shape[0])]
    start = positions[:, min(frame, positions.shape[1] - 1)]
    return -(start - end.to(start)).flatten(1).norm(dim=-1)


def window_starts(length: int, window: int) -> list[int]:
    """Starts of ``window``-frame windows covering ``length`` frames: every ``window`` frames, the last one
    ending at the end (it may overlap its predecessor). ``[0]`` when ``length <= window`` (one shorter window)."""
    if length <= window:
        return [0]
    starts = list(range(0, length - window + 1, window))
    if starts[-1] + window < length:
        starts.append(length - window)
    return starts


def _stack_windows(x: torch.Tensor, window: int, longest: int) -> torch.Tensor:
    """(T, ...) -> (K, min(T, window), ...): the whole of it when ``T <= longest``, else 4-s windows."""
    if x.shape[0] <= longest:
        return x[None]
    return torch.stack([x[s : s + window] for s in window_starts(x.shape[0], window)])


class GenreRanker:
    """Rank candidates of a segment; detect a song's genres; score (music, dance) pairs (GS)."""

    def __init__(
        self,
        model: GCRM,
        prototypes: GenrePrototypes | None = None,
        *,
        alpha: float = 1.0,
        beta: float = 0.5,
        skeleton=None,
        device: str | torch.device = "cpu",
        model_id: str = "",
        threads: int | None = 1,
    ) -> None:
        self.device = torch.device(device)
        # A ranking is a few tens of ms of small tensors: one thread is fastest, and on a busy 2-core machine two
        # threads spin against each other (5-15x slower, see `studio bench ranking`). None: torch's setting.
        self.threads = threads if self.device.type == "cpu" else None
        self.model = model.to(self.device).eval()
        self.config = model.config
        self.prototypes = prototypes
        self.weights = ScoreWeights(gs=alpha, cs=beta)
        self.model_id = model_id
        self._skeleton = skeleton
        self._fk = None

    @classmethod
    def from_pretrained(cls, name_or_path: str | PathLike = "gcrm-small", device: str | None = None, **kwargs: Any):
        from studio.ml.genre.weights import load_gcrm

        dev = torch.device(device or "cpu")
        loaded = load_gcrm(name_or_path, dev)
        return cls(loaded.model, loaded.prototypes, device=dev, model_id=loaded.model_id, **kwargs)

    @property
    def genres(self) -> tuple[str, ...]:
        return self.prototypes.names if self.prototypes is not None else ()

    @property
    def fk(self):
        if self._fk is None:
            self._fk = forward_kinematics(self._skeleton).to(self.device)
        return self._fk

    # -- embeddings ----------------------------------------------------------------------------------
    def _mel(self, mel: Any) -> torch.Tensor:
        m = torch.as_tensor(np.asarray(mel, dtype=np.float32) if not isinstance(mel, torch.Tensor) else mel).float()
        if m.ndim != 2 or m.shape[1] != self.config.n_mels or m.shape[0] < 1 or not torch.isfinite(m).all():
            raise InputError(None, expected=f"a finite log-mel segment of shape (T, {self.config.n_mels})",
                             found=f"shape {tuple(m.shape)}" if m.ndim != 2 or m.shape[1] != self.config.n_mels
                             else "empty or non-finite values")  # fmt: skip
        return m.to(self.device)

    @torch.inference_mode()
    def embed_music(self, mel: Any) -> torch.Tensor:
        """(T, 128) log-mel -> (D,) unit vector (mean of window embeddings when T > max_frames)."""
        m = _stack_windows(self._mel(mel), self.config.window, self.config.max_frames)
        return F.normalize(self.model.embed_music(m).mean(0), dim=-1)

    @torch.inference_mode()
    def embed_dances(self, dances: Any) -> torch.Tensor:
        """M dances (any form :func:`to_positions` takes) -> (M, D) unit vectors."""
        positions = to_positions(dances, self.fk).to(self.device)
        return self._embed_positions(positions)

    def _embed_positions(self, positions: torch.Tensor) -> torch.Tensor:
        if positions.shape[1] < 2:
            raise InputError(None, expected="dances of at least 2 frames", found=f"{positions.shape[1]}")
        c = self.config
        if positions.shape[1] <= c.max_frames:
            return self.model.embed_dance(positions)
        starts = window_starts(positions.shape[1], c.window)
        m = positions.shape[0]
        pieces = torch.cat([positions[:, s : s + c.window] for s in starts])  # (K * M, window, 52, 3)
        emb = self.model.embed_dance(pieces).reshape(len(starts), m, -1)
        return F.normalize(emb.mean(0), dim=-1)

    def _require_prototypes(self) -> GenrePrototypes:
        if self.prototypes is None:
            raise InputError(self.model_id or "genre ranker", expected="a model with genre prototypes",
                             found="none (the model was saved before prototypes were fitted)")  # fmt: skip
        return self.prototypes

    def genre_embedding(self, genre: str) -> torch.Tensor:
        """The music prototype of ``genre`` (D,), what an override ranks against."""
        prototypes = self._require_prototypes()
        return prototypes.music[prototypes.index(genre)].to(self.device)

    # -- ranking -------------------------------------------------------------------------------------
    @torch.inference_mode()
    def rank(
        self, mel: Any, candidates: Any, prev: Any = None, genre: str | None = None, weights: ScoreWeights | None = None
    ) -> list[RankedCandidate]:
        """Rank M candidates of one segment, best first (by ``weights``, default the ranker's own).

        ``mel``: the segment's (T, 128) log-mel (may be None with a genre override); ``candidates``: M dances;
        ``prev``: the previous segment's chosen dance (None for the first segment: CS = 0); ``genre``: None or
        ``"auto"`` to match the song, or a genre name to match that genre's prototype instead.
        """
        with torch_threads(self.threads):
            target = self._target(mel, genre)
            positions = to_positions(candidates, self.fk).to(self.device)
            gs = self._embed_positions(positions) @ target
            prev_positions = None if prev is None else to_positions(prev, self.fk)[0].to(self.device)
            cs = coherence_scores(prev_positions, positions)
        return self._ranked(gs, cs, weights or self.weights)

    def _target(self, mel: Any, genre: str | None) -> torch.Tensor:
        if genre is not None and str(genre).lower() != AUTO:
            return self.genre_embedding(genre)
        if mel is None:
            raise InputError(None, expected="the segment's log-mel (or a genre override)", found="neither")
        return self.embed_music(mel)

    @staticmethod
    def _ranked(gs: torch.Tensor, cs: torch.Tensor, weights: ScoreWeights) -> list[RankedCandidate]:
        scores = [weights.scored({"gs": g, "cs": c}) for g, c in zip(gs.tolist(), cs.tolist(), strict=True)]
        return [RankedCandidate(i, scores[i]["score"], scores[i]["gs"], scores[i]["cs"]) for i in best_first(scores)]

    # -- genres --------------------------------------------------------------------------------------
    @torch.inference_mode()
    def genre_distribution(self, mel: Any) -> np.ndarray:
        """(G,) probabilities of the genres for a segment or a whole song (mean over its 4-s windows)."""
        prototypes = self._require_prototypes()
        m = _stack_windows(self._mel(mel), self.config.window, self.config.window)
        with torch_threads(self.threads):
            embeddings = self.model.embed_music(m)
        probabilities = prototypes.probabilities(embeddings).mean(0)
        return probabilities.cpu().numpy().astype(np.float64)

    def detect_genres(self, mel: Any, top: int = 3) -> list[tuple[str, float]]:
        """The ``top`` most likely genres of a segment or song, ``[(genre, probability), ...]``."""
        return self._require_prototypes().top(self.genre_distribution(mel), top)

    @torch.inference_mode()
    def genre_score(self, mel: Any, dance: Any) -> float:
        """GS of one (music, dance) pair of the same length, as the mean over aligned 4-s windows."""
        m = self._mel(mel)
        positions = to_positions(dance, self.fk)[0].to(self.device)
        length = min(m.shape[0], positions.shape[0])
        if length < 2:
            raise InputError(None, expected="music and dance of at least 2 frames", found=f"{length}")
        w = self.config.window
        with torch_threads(self.threads):
            music = self.model.embed_music(_stack_windows(m[:length], w, w))
            dance = self.model.embed_dance(_stack_windows(positions[:length], w, w))
        return float((music * dance).sum(-1).mean())
