"""GCRM, FineNet's genre and coherence ranking: encoders, loss, prototypes, ranker, genre detection, GS scorer.

    from studio.ml.genre import GenreRanker, detect_genres, gs_scorer, GreedyPicker
    ranker = GenreRanker.from_pretrained("gcrm-small")
    ranked = ranker.rank(analysis.mel[start:end], candidates, prev=previous_dance, genre=None)

Submodules import torch; import this package only where torch is wanted.
"""

from studio.ml.genre.api import default_ranker, detect_genres, gs_scorer
from studio.ml.genre.config import GCRMConfig, preset
from studio.ml.genre.dance_encoder import DanceGenreEncoder
from studio.ml.genre.loss import cosine_pair_loss, pairwise_genre_loss
from studio.ml.genre.model import GCRM
from studio.ml.genre.music_encoder import MusicStyleEncoder
from studio.ml.genre.picking import GreedyPicker, rank_and_pick, scored_candidates
from studio.ml.genre.prototypes import GenrePrototypes
from studio.ml.genre.ranker import GenreRanker, RankedCandidate, coherence_scores
from studio.ml.genre.weights import LoadedGCRM, load_gcrm, save_gcrm

__all__ = [
    "GCRM",
    "DanceGenreEncoder",
    "GCRMConfig",
    "GenrePrototypes",
    "GenreRanker",
    "GreedyPicker",
    "LoadedGCRM",
    "MusicStyleEncoder",
    "RankedCandidate",
    "coherence_scores",
    "cosine_pair_loss",
    "default_ranker",
    "detect_genres",
    "gs_scorer",
    "load_gcrm",
    "pairwise_genre_loss",
    "preset",
    "rank_and_pick",
    "save_gcrm",
    "scored_candidates",
]
