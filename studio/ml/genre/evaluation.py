"""Retrieval figures of a GCRM on labelled segments (the acceptance figures in the model card).

- ``music_to_dance_top1``: for each music segment, a gallery of one dance segment per genre (drawn at
  random, the right genre's from ANOTHER clip when the genre has one, so the paired dance never helps);
  top-1 = the right genre's dance has the highest cosine. Averaged over ``galleries`` draws per segment.
  (A genre with a single segment has to use the segment's own dance: ``music_to_dance_own_dance_used``.)
- ``dance_to_genre_top1``: each dance segment against the dance prototypes (nearest prototype).
- ``dance_to_music_prototype_top1``: the same against the music prototypes (cross-modal).
- ``music_to_genre_top1`` / ``_top3``: each music segment against the music prototypes.
"""

from __future__ import annotations

import numpy as np
import torch

from studio.ml.genre.prototypes import GenrePrototypes


def retrieval_figures(
    music: torch.Tensor,
    dance: torch.Tensor,
    labels: np.ndarray,
    clips: np.ndarray,
    prototypes: GenrePrototypes,
    galleries: int = 5,
    seed: int = 0,
) -> dict[str, float | int]:
    """``music``, ``dance``: (N, D) unit embeddings of aligned segments; ``labels`` genre index; ``clips`` clip id."""
    labels, clips = np.asarray(labels), np.asarray(clips)
    music, dance = music.float().cpu(), dance.float().cpu()
    rng = np.random.default_rng(seed)
    genres = np.unique(labels)
    by_genre = {g: np.flatnonzero(labels == g) for g in genres}
    sim = (music @ dance.T).numpy()
    hits, trials, fallbacks = 0, 0, 0
    for i in range(len(labels)):
        g = labels[i]
        own = by_genre[g][clips[by_genre[g]] != clips[i]]
        if len(own) == 0:
            own = by_genre[g][by_genre[g] != i]
        if len(own) == 0:  # the only segment of its genre: its own dance it is
            own, fallbacks = np.array([i]), fallbacks + 1
        for _ in range(galleries):
            picks = {h: rng.choice(own if h == g else by_genre[h]) for h in genres}
            best = max(genres, key=lambda h: sim[i, picks[h]])
            hits += int(best == g)
            trials += 1
    figures: dict[str, float | int] = {
        "segments": len(labels),
        "genres": len(genres),
        "music_to_dance_top1": hits / trials if trials else float("nan"),
        "music_to_dance_own_dance_used": fallbacks,
    }
    dance_p = (dance @ prototypes.dance.T).numpy()
    cross_p = (dance @ prototypes.music.T).numpy()
    music_p = (music @ prototypes.music.T).numpy()
    figures["dance_to_genre_top1"] = float(np.mean(dance_p.argmax(1) == labels))
    figures["dance_to_music_prototype_top1"] = float(np.mean(cross_p.argmax(1) == labels))
    figures["music_to_genre_top1"] = float(np.mean(music_p.argmax(1) == labels))
    top3 = np.argsort(-music_p, axis=1)[:, :3]
    figures["music_to_genre_top3"] = float(np.mean((top3 == labels[:, None]).any(1)))
    matched = np.sum(music.numpy() * dance.numpy(), axis=1)
    figures["gs_paired_mean"] = float(matched.mean())
    return figures
