import numpy as np
import pytest

from studio.data.procedural.genres import GENRE_SPECS, GENRES, genre
from studio.data.procedural.music import COUNTS_PER_PHRASE, MAX_SECONDS, MIN_SECONDS, plan_phrases, synthesize


def test_sixteen_finedance_genres_with_complete_specs():
    assert len(GENRES) == 16 and set(GENRES) == set(GENRE_SPECS)
    for spec in GENRE_SPECS.values():
        steps = 4 * spec.music.meter
        assert all(len(p) == steps for p in spec.music.drums.values())
        assert spec.music.tempo[0] < spec.music.tempo[1]
        assert spec.music.fill in spec.music.drums
    assert genre("shenyun").name == "ShenYun"
    with pytest.raises(KeyError, match="16 FineDance genres"):
        genre("Polka")


@pytest.mark.parametrize("name", ["Breaking", "Kun"])
def test_song_is_deterministic_and_counted_in_eights(name):
    a = synthesize(name, 20.0, np.random.default_rng(5))
    b = synthesize(name, 20.0, np.random.default_rng(5))
    assert np.array_equal(a.samples, b.samples) and a.bpm == b.bpm
    assert MIN_SECONDS <= a.duration <= MAX_SECONDS
    assert a.samples.dtype == np.float32 and 0.5 < np.abs(a.samples).max() <= 0.9
    counts = len(a.beats) - 1
    assert counts % COUNTS_PER_PHRASE == 0 and counts // COUNTS_PER_PHRASE == a.phrases >= 3
    assert np.allclose(np.diff(a.beats), 60.0 / a.bpm)
    lo, hi = genre(name).music.tempo
    assert lo <= a.bpm <= hi
    assert a.sections[0].name == "intro" and a.sections[-1].name == "outro"
    assert a.beats[-1] < a.duration  # the final hit rings inside the file


def test_different_seeds_make_different_songs():
    a = synthesize("Jazz", 20.0, np.random.default_rng(1))
    b = synthesize("Jazz", 20.0, np.random.default_rng(2))
    assert len(a.samples) != len(b.samples) or not np.array_equal(a.samples, b.samples)


def test_phrase_count_keeps_songs_within_20_to_90_seconds():
    for bpm in (54.0, 90.0, 130.0):
        for seconds in (1.0, 20.0, 60.0, 500.0):
            n = plan_phrases(bpm, seconds)
            length = 0.35 + 2.0 + n * COUNTS_PER_PHRASE * 60.0 / bpm
            assert n >= 3 and (MIN_SECONDS <= length <= MAX_SECONDS or n == 3)
