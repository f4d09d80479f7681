"""The product's generation logic without Qt: what the editor and ``studio generate`` both drive.

- ``plan``: which segment comes next, its seeds (one rule for the editor and the command line), its request;
- ``requests``: the immutable request and response;
- ``sources``: motion sources (FDGN, the procedural baseline), ``partner``: the duet rules;
- ``ranking``: rankers (GCRM, the fallback, unranked) by named score terms, combined by
  ``studio.core.ranking.ScoreWeights``;
- ``generators``: the set a driver uses and how it is loaded;
- ``driver``: how responses land in the document, and a whole song filled in one go.

Progress comes through a per-step callback and cancel through a ``threading.Event``; nothing here imports Qt,
and torch only when a model is loaded.
"""

from studio.choreography.driver import apply_fill, apply_follow, fill_song
from studio.choreography.generators import Generators, load_generators
from studio.choreography.requests import GenerationRequest, GenerationResponse, GenreGuess

__all__ = [
    "GenerationRequest",
    "GenerationResponse",
    "Generators",
    "GenreGuess",
    "apply_fill",
    "apply_follow",
    "fill_song",
    "load_generators",
]
