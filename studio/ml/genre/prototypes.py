"""Per-genre prototype embeddings: the song's genre distribution and the user's genre override.

A genre's prototype is the normalised mean of the (unit) embeddings of its training segments, one set for
the music encoder (``music``) and one for the dance encoder (``dance``), computed with the shipped weights
and stored with them. A song segment's genre distribution is ``softmax(cos(music_embedding, music
prototypes) / temperature)``; the temperature is fitted (the value that minimises
the negative log-likelihood of their true genre) on HELD-OUT segments (the data's val split, else its test
split; the training segments give a far too small, over-confident value), so the probabilities are calibrated
on that data, which is not to say on real songs.
The override ranks candidates against the chosen genre's MUSIC prototype in place of the song's embedding
(what a typical song of that genre looks like to the music encoder, i.e. the same scale as GS).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from studio.core.errors import InputError

TEMPERATURES = np.geomspace(0.005, 1.0, 60)


@dataclass(frozen=True, eq=False)
class GenrePrototypes:
    names: tuple[str, ...]
    music: torch.Tensor  # (G, D) unit vectors
    dance: torch.Tensor  # (G, D) unit vectors
    temperature: float = 0.1

    def __post_init__(self) -> None:
        names = tuple(str(n) for n in self.names)
        if not names or len(set(names)) != len(names):
            raise ValueError(f"genre names must be distinct and non-empty, got {names}")
        music, dance = self.music.detach().float(), self.dance.detach().float()
        if music.ndim != 2 or music.shape[0] != len(names) or dance.shape != music.shape:
            shapes = f"{tuple(music.shape)}, {tuple(dance.shape)}"
            raise ValueError(f"prototypes must be ({len(names)}, D) each, got {shapes}")
        if not self.temperature > 0:
            raise ValueError(f"temperature must be positive, got {self.temperature}")
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "music", F.normalize(music, dim=-1))
        object.__setattr__(self, "dance", F.normalize(dance, dim=-1))
        object.__setattr__(self, "temperature", float(self.temperature))

    def __len__(self) -> int:
        return len(self.names)

    def index(self, genre: str) -> int:
        """The index of ``genre`` (case and spaces/underscores/hyphens do not matter)."""
        key = _key(genre)
        for i, name in enumerate(self.names):
            if _key(name) == key:
                return i
        raise InputError("--genre", expected=f"one of: auto, {', '.join(self.names)}", found=repr(genre))

    def probabilities(self, embeddings: torch.Tensor, modality: str = "music") -> torch.Tensor:
        """(N, D) or (D,) unit embeddings -> (N, G) or (G,) genre probabilities."""
        table = self.music if modality == "music" else self.dance
        logits = embeddings.to(table) @ table.T / self.temperature
        return torch.softmax(logits, dim=-1)

    def top(self, probabilities: torch.Tensor | np.ndarray, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` most likely genres of one (G,) distribution, most likely first."""
        p = np.asarray(torch.as_tensor(probabilities).detach().cpu(), dtype=np.float64).reshape(-1)
        order = np.argsort(-p, kind="stable")[: max(0, k)]
        return [(self.names[i], float(p[i])) for i in order]

    # -- fitting and storage -------------------------------------------------------------------------
    @classmethod
    def fit(
        cls, names: Sequence[str], music: torch.Tensor, dance: torch.Tensor, labels: torch.Tensor
    ) -> GenrePrototypes:
        """Prototypes from unit embeddings (N, D) of training segments with genre indices ``labels`` (N,).

        Every genre needs at least one segment. The temperature minimises the music-side NLL.
        """
        labels = torch.as_tensor(labels, dtype=torch.long)
        missing = [names[g] for g in range(len(names)) if not bool((labels == g).any())]
        if missing:
            raise InputError("genre prototypes", expected="segments of every genre", found=f"none of {missing}")
        music, dance = F.normalize(music.float(), dim=-1), F.normalize(dance.float(), dim=-1)
        music_p = torch.stack([music[labels == g].mean(0) for g in range(len(names))])
        dance_p = torch.stack([dance[labels == g].mean(0) for g in range(len(names))])
        return cls(tuple(names), music_p, dance_p).calibrated(music, labels)

    def calibrated(self, music: torch.Tensor, labels: torch.Tensor) -> GenrePrototypes:
        """The same prototypes with the temperature that minimises the NLL of ``labels`` for ``music`` (N, D).

        Fit it on held-out segments: on the training segments it comes out far too small (over-confident).
        """
        labels = torch.as_tensor(labels, dtype=torch.long)
        cos = F.normalize(music.float(), dim=-1) @ self.music.T
        nll = [F.cross_entropy(cos / t, labels).item() for t in TEMPERATURES]
        return GenrePrototypes(self.names, self.music, self.dance, float(TEMPERATURES[int(np.argmin(nll))]))

    def state_dict(self) -> dict[str, torch.Tensor]:
        return {"prototypes.music": self.music.contiguous(), "prototypes.dance": self.dance.contiguous()}

    @classmethod
    def from_state_dict(cls, tensors: dict[str, torch.Tensor], names: Sequence[str], temperature: float):
        return cls(tuple(names), tensors["prototypes.music"], tensors["prototypes.dance"], temperature)


def _key(name: str) -> str:
    return "".join(ch for ch in str(name).lower() if ch.isalnum())
