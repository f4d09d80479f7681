"""The GCRM training loss of the FineDance paper: ``L = y (1 - s) + (1 - y) max(0, s)``, s = cosine similarity.

``y = 1`` for a genre-matched (music, dance) pair, ``0`` for a mismatched one: matched pairs are pulled to
s = 1, mismatched ones pushed to s <= 0 (orthogonal or opposite; no further reward below 0).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def cosine_pair_loss(similarity: torch.Tensor, matched: torch.Tensor) -> torch.Tensor:
    """Element-wise ``y (1 - s) + (1 - y) max(0, s)`` (same shapes; ``matched`` as 0/1 or bool)."""
    y = matched.to(similarity.dtype)
    return y * (1 - similarity) + (1 - y) * similarity.clamp_min(0)


def pairwise_genre_loss(music: torch.Tensor, dance: torch.Tensor, genres: torch.Tensor) -> tuple[torch.Tensor, dict]:
    """The loss over ALL music x dance pairs of a batch, matched pairs and mismatched pairs weighted equally.

    ``music``, ``dance``: (B, D) embeddings (normalised here); ``genres``: (B,) genre index of each row (music
    row i and dance row i come from the same clip and time). Pair (i, j) is matched when genre i == genre j.
    Returns the loss and figures for the log: mean s of matched and mismatched pairs.
    """
    s = F.normalize(music, dim=-1) @ F.normalize(dance, dim=-1).T
    y = genres[:, None] == genres[None, :]
    terms = cosine_pair_loss(s, y)
    pos, neg = y, ~y
    pos_loss = terms[pos].mean()
    neg_loss = terms[neg].mean() if neg.any() else terms.new_zeros(())
    with torch.no_grad():
        stats = {"s_match": s[pos].mean().item(), "s_mismatch": s[neg].mean().item() if neg.any() else 0.0}
    return 0.5 * (pos_loss + neg_loss), stats
