"""The procedural paired music-dance corpus: songs synthesised per genre, dances composed for them.

Public API (light to import; the audio analysis is imported only where a function needs it):

- :func:`synthesize` (``music``): a genre's song as samples, with its beats and sections;
- :func:`choreograph` / :func:`choreograph_segment` (``choreographer``): the non-learned baseline, a
  dance for any song's beats (whole, or one segment continuing from the previous one);
- :func:`write_corpus` (``writer``): the FineDance-layout corpus; :func:`contact_sheet` (``preview``);
- ``GENRES``: the 16 FineDance genre names.
"""

from studio.data.procedural.choreographer import choreograph, choreograph_segment
from studio.data.procedural.genres import GENRES, genre
from studio.data.procedural.music import Song, synthesize
from studio.data.procedural.preview import contact_sheet
from studio.data.procedural.writer import write_corpus

__all__ = [
    "GENRES",
    "Song",
    "choreograph",
    "choreograph_segment",
    "contact_sheet",
    "genre",
    "synthesize",
    "write_corpus",
]
