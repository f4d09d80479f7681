"""The 16 FineDance genres: for each, how its music is made and how its dancers carry themselves.

Music and dance facts in brief (they are what makes the genres tell apart, in sound and in motion):

- street styles (Breaking, Popping, Locking, Hiphop, Urban, Korean, Choreography, Jazz) dance on a drum
  kit: breakbeats for Breaking, electro-funk for Popping, funk horns for Locking, swung boom-bap for
  Hiphop, trap hats and 808s for Urban, four-on-the-floor for Korean pop, swing ride and walking bass
  for Jazz, a pop ballad beat for Choreography (contemporary);
- the Chinese classical genres (Chinese, HanTang, ShenYun, Kun, DunHuang) move slower, on pentatonic
  plucked strings (guzheng, pipa), bowed erhu or dizi flute over drones, with temple blocks, clappers,
  big drums and bells;
- the folk genres have their own percussion: the elephant-foot drum and gongs of the Dai (2/4), the
  dap frame drum and rawap lute of the Uighur (a maqam-like scale), the bronze drum and lusheng mouth
  organ of the Miao.

Drum patterns cover one bar with 4 steps per beat: ``X`` accent, ``x`` hit, ``g`` ghost note, ``.`` rest.
A bass line gives chord-relative scale degrees (``1`` root ... ``8`` octave) per step, ``-`` holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from studio.core.finedance_layout import GENRES

COARSE = {  # FineDance's coarse style of each genre
    **dict.fromkeys(("Breaking", "Popping", "Locking", "Hiphop", "Urban", "Jazz", "Korean", "Choreography"), "Modern"),
    **dict.fromkeys(("HanTang", "ShenYun", "Kun", "DunHuang", "Chinese"), "Classic"),
    **dict.fromkeys(("Dai", "Uighur", "Miao"), "Folk"),
}

MAJOR_PENTA = (0, 2, 4, 7, 9)
MINOR_PENTA = (0, 3, 5, 7, 10)
MAJOR = (0, 2, 4, 5, 7, 9, 11)
MINOR = (0, 2, 3, 5, 7, 8, 10)
DORIAN = (0, 2, 3, 5, 7, 9, 10)
MIXOLYDIAN = (0, 2, 4, 5, 7, 9, 10)
HARMONIC_MINOR = (0, 2, 3, 5, 7, 8, 11)
HIJAZ = (0, 1, 4, 5, 7, 8, 10)  # the augmented second of Uighur muqam melodies
SILK_ROAD = (0, 1, 5, 7, 8)  # a hemitonic pentatonic for the Dunhuang murals' music


@dataclass(frozen=True)
class MusicSpec:
    tempo: tuple[float, float]  # BPM range
    meter: int  # beats per bar
    swing: float  # where the off-beat falls within a beat: 0.5 straight, 0.67 triplet swing
    drums: dict[str, str]  # voice -> one bar of steps
    fill: str  # the voice that plays the phrase-end fills
    bass: str  # bass timbre ('' for none)
    bass_line: str  # one bar of chord-relative degrees
    chords: tuple[int, ...]  # chord roots as scale degrees, one per bar, looping
    chord_voice: str  # '' for none
    chord_rhythm: str  # one bar: 'x' strike, '-' hold, '.' rest
    scale: tuple[int, ...]
    tonic: tuple[int, int]  # MIDI range of the key's tonic
    lead: str
    lead_rhythm: str  # one bar: 'x' note, '-' hold, '.' rest (varied per phrase)
    drone: str = ""  # timbre of a held tonic + fifth, '' for none
    walking: bool = False  # bass walks in quarter notes (jazz)


@dataclass(frozen=True)
class DanceStyle:
    base: dict[str, float]  # pose parameters over the neutral standing pose
    hand: str  # resting hand shape
    stance: float  # distance between the ankles, m
    turnout: float  # feet turned out, degrees
    bounce: float  # pelvis dip per count, m
    bounce_on: str  # 'down' = lowest on the beat (hip-hop groove), 'up' = highest on the beat
    ease: str  # how keys are reached unless a key says otherwise
    amplitude: tuple[float, float] = (0.85, 1.1)
    swing: float = 0.5  # where a key on "and" lands within the beat
    rest_hands: tuple[str, ...] = field(default=())  # shapes it may rest in between moves


@dataclass(frozen=True)
class Genre:
    name: str
    coarse: str
    music: MusicSpec
    dance: DanceStyle


def _arms(elev: float, azim: float, elbow: float, roll: float = 0.0) -> dict[str, float]:
    values = (elev, azim, elbow, roll)
    return {f"{s}_{k}": v for s in "lr" for k, v in zip(("elev", "azim", "elbow", "roll"), values, strict=True)}


def _wrists(flex: float, dev: float = 0.0, palm: float = 0.0) -> dict[str, float]:
    return {f"{s}_{k}": v for s in "lr" for k, v in zip(("wrist", "dev", "palm"), (flex, dev, palm), strict=True)}


_SPECS: dict[str, tuple[MusicSpec, DanceStyle]] = {
    "Breaking": (
        MusicSpec((108, 124), 4, 0.54,
                  {"kick": "X.x.......x..x..", "snare": "....X..g.g..X..g", "hat": "x.x.x.x.x.xxx.x.",
                   "openhat": "..............x."},
                  "snare", "synth", "1..1......5.1...", (1, 1, 4, 5), "brass", "x.......x.x.....",
                  DORIAN, (40, 46), "organ", "x.x...x.x.-.x..."),
        DanceStyle({"level": 0.1, "lean": 12} | _arms(-45, 35, 75), "fist", 0.38, 20, 0.03, "down", "smooth",
                   rest_hands=("fist", "relaxed", "flat")),
    ),
    "Popping": (
        MusicSpec((96, 110), 4, 0.5,
                  {"kick": "X.......X.x.....", "snare": "....X.......X...", "clap": "....X.......X...",
                   "hat": "xxXxxxXxxxXxxxXx"},
                  "clap", "synth", "1.1.8.1..1.5.7..", (1, 4, 1, 5), "rhodes", "x..x..x.........",
                  MIXOLYDIAN, (41, 47), "square", "x.x.x...x.x.x-.."),
        DanceStyle({"level": 0.05, "lean": 3} | _arms(-60, 20, 60), "knife", 0.32, 5, 0.018, "down", "hit",
                   rest_hands=("knife", "fist", "claw")),
    ),
    "Locking": (
        MusicSpec((104, 120), 4, 0.52,
                  {"kick": "X.....x.X.......", "snare": "....X.......X...", "hat": "x.x.x.x.x.x.x.x.",
                   "openhat": "..............g."},
                  "snare", "sine", "1..1.3.45.1..7..", (1, 1, 4, 4), "organ", "....x.......x...",
                  MIXOLYDIAN, (43, 48), "brass", "x.x.....x.x.x..."),
        DanceStyle({"level": 0.08, "lean": 8} | _arms(-55, 30, 50), "fist", 0.34, 10, 0.03, "up", "hit",
                   rest_hands=("fist", "point", "flat")),
    ),
    "Hiphop": (
        MusicSpec((86, 98), 4, 0.6,
                  {"kick": "X......x.X......", "snare": "....X.......X...", "hat": "x.x.x.x.x.x.x.x."},
                  "snare", "sine", "1.......1.....5.", (1, 6, 4, 5), "piano", "x.......x.......",
                  MINOR, (38, 44), "rhodes", "x...x.x.....x..."),
        DanceStyle({"level": 0.12, "lean": 15} | _arms(-65, 20, 40), "relaxed", 0.38, 15, 0.045, "down", "smooth",
                   swing=0.6, rest_hands=("relaxed", "fist", "flat")),
    ),
    "Urban": (
        MusicSpec((90, 104), 4, 0.5,
                  {"kick": "X......X..X.....", "clap": "....X.......X...", "hat": "xgggxgggxgggxggg"},
                  "hat", "sub808", "1-------1-------", (1, 6, 3, 7), "pad", "x---------------",
                  HARMONIC_MINOR, (37, 42), "bell", "x..x..x...x.x..."),
        DanceStyle({"level": 0.1, "lean": 10} | _arms(-60, 25, 50), "relaxed", 0.34, 10, 0.025, "down", "hit",
                   rest_hands=("relaxed", "fist", "spread", "point")),
    ),
    "Jazz": (
        MusicSpec((112, 136), 4, 0.67,
                  {"ride": "X...X.x.X...X.x.", "hat": "....x.......x...", "kick": "x...x...x...x...",
                   "snare": "......g.......g."},
                  "snare", "upright", "1...3...5...6...", (2, 5, 1, 6), "piano", "x.....x...x.....",
                  DORIAN, (45, 50), "sax", "x.x.x...x-x.x...", walking=True),
        DanceStyle({"level": 0.03, "lean": -3, "nod": -5} | _arms(-40, 20, 15), "spread", 0.26, 25, 0.012, "up",
                   "smooth", swing=0.67, rest_hands=("spread", "flat", "relaxed")),
    ),
    "Dai": (
        MusicSpec((84, 100), 2, 0.5,
                  {"elephant": "X..xX...", "cymbal": "..g...g.", "gong": "X......."},
                  "elephant", "", "", (1,), "", "", MAJOR_PENTA, (50, 55), "hulusi", "x.x.x-x.",
                  drone="hulusi"),
        DanceStyle({"level": 0.14, "sway": 0.05, "bend": -10, "tilt": 8} | _arms(0, 10, 90) | _wrists(-50),
                   "peacock", 0.26, 20, 0.035, "down", "smooth", rest_hands=("peacock", "flat", "orchid")),
    ),
    "Uighur": (
        MusicSpec((104, 130), 2, 0.5,
                  {"dum": "X...x..x", "tak": "..g.X..."},
                  "tak", "sine", "1.....5.", (1, 1, 5, 1), "", "", HIJAZ, (47, 52), "rawap", "x.xxx.x.",
                  drone="pad"),
        DanceStyle({"level": 0.02, "lean": -6, "nod": -8} | _arms(-30, 40, 60) | _wrists(-30), "flat", 0.24, 15,
                   0.012, "up", "smooth", rest_hands=("flat", "snap_ready", "cupped")),
    ),
    "Miao": (
        MusicSpec((92, 110), 4, 0.5,
                  {"bronze": "X...x...X...x...", "cymbal": "......g.......g.", "shaker": "x.g.x.g.x.g.x.g."},
                  "bronze", "", "", (1,), "", "", MINOR_PENTA, (48, 53), "lusheng", "x.x.x.x-x.x.x-..",
                  drone="lusheng"),
        DanceStyle({"level": 0.12, "lean": 14} | _arms(-70, 30, 30), "cupped", 0.3, 10, 0.045, "down", "smooth",
                   rest_hands=("cupped", "relaxed", "flat")),
    ),
    "HanTang": (
        MusicSpec((60, 76), 4, 0.5,
                  {"taiko": "X.......x.......", "bell": "x.......x.......", "clapper": "....x.......x..."},
                  "taiko", "", "", (1,), "bell", "x.......x.......", MAJOR_PENTA, (50, 55), "pipa",
                  "x.x.x-x.x---x.x.", drone="pad"),
        DanceStyle({"level": 0.1, "lean": 15} | _arms(-30, 10, 20), "lotus", 0.16, 25, 0.0, "down", "flow",
                   rest_hands=("lotus", "flat", "orchid")),
    ),
    "ShenYun": (
        MusicSpec((64, 80), 4, 0.5,
                  {"taiko": "X.......X...x...", "gong": "X...............", "woodblock": "....x.......x..."},
                  "taiko", "", "", (1, 6, 4, 5), "pluck", "x.x.x.x.x.x.x.x.", MAJOR_PENTA, (50, 55), "erhu",
                  "x---x.x.x---x-x.", drone="strings"),
        DanceStyle({"level": 0.05} | _arms(-35, 45, 50) | _wrists(-25), "orchid", 0.2, 30, 0.0, "down", "flow",
                   rest_hands=("orchid", "flat", "sword")),
    ),
    "Kun": (
        MusicSpec((54, 68), 4, 0.5,
                  {"clapper": "X...x...X...x...", "woodblock": "....x.......x..."},
                  "clapper", "", "", (1,), "", "", MAJOR_PENTA, (52, 57), "dizi", "x---x.x-x---x-x-",
                  drone="pad"),
        DanceStyle({"level": 0.04, "lean": 5, "nod": 10} | _arms(-55, 50, 80) | _wrists(-15), "orchid", 0.12,
                   20, 0.0, "down", "flow", rest_hands=("orchid", "flat")),
    ),
    "DunHuang": (
        MusicSpec((60, 76), 4, 0.5,
                  {"dum": "X.......X.......", "tak": "....x.......x...", "bell": "x.......x......."},
                  "dum", "", "", (1,), "bell", "x...............", SILK_ROAD, (49, 54), "pipa",
                  "x.x-x.x.x---x.x.", drone="pad"),
        DanceStyle({"level": 0.08, "sway": 0.06, "bend": -15, "tilt": 15} | _arms(-20, 20, 90) | _wrists(-30),
                   "orchid", 0.22, 35, 0.0, "down", "flow", rest_hands=("orchid", "lotus", "peacock")),
    ),
    "Korean": (
        MusicSpec((118, 130), 4, 0.5,
                  {"kick": "X...X...X...X...", "clap": "....X.......X...", "openhat": "..g...g...g...g."},
                  "clap", "synth", "1.1.1.1.1.1.1.1.", (6, 4, 1, 5), "pad", "x.x.x.x.x.x.x.x.",
                  MAJOR, (48, 53), "square", "x.x.x.xx..x.x.x."),
        DanceStyle({"level": 0.04, "lean": 2} | _arms(-65, 15, 30), "flat", 0.28, 5, 0.02, "up", "hit",
                   rest_hands=("flat", "point", "fist", "heart")),
    ),
    "Choreography": (
        MusicSpec((96, 118), 4, 0.5,
                  {"kick": "X.....x.X.......", "snare": "....X.......X...", "hat": "x.x.x.x.x.x.x.x."},
                  "snare", "sine", "1.......5.......", (1, 5, 6, 4), "piano", "x..x..x.x..x..x.",
                  MAJOR, (45, 50), "strings", "x---x.x.x---x..."),
        DanceStyle({"level": 0.06, "lean": 5} | _arms(-60, 30, 25), "relaxed", 0.3, 10, 0.01, "down", "flow",
                   rest_hands=("relaxed", "flat", "spread")),
    ),
    "Chinese": (
        MusicSpec((72, 90), 4, 0.5,
                  {"woodblock": "x...x...x...x...", "tom": "X.......x.x.....", "cymbal": "........x......."},
                  "tom", "sine", "1.......5.......", (1, 6, 4, 5), "pluck", "x.x.x.x.x.x.x.x.",
                  MAJOR_PENTA, (50, 55), "erhu", "x---x.x.x-x.x---"),
        DanceStyle({"level": 0.03, "lean": -2} | _arms(-45, 35, 40) | _wrists(-20), "orchid", 0.18, 30, 0.0,
                   "down", "flow", rest_hands=("orchid", "flat", "lotus")),
    ),
}

GENRE_SPECS: dict[str, Genre] = {
    name: Genre(name, COARSE[name], music, dance) for name, (music, dance) in _SPECS.items()
}


def genre(name: str) -> Genre:
    """The genre called ``name`` (case-insensitive), with a clear error for anything else."""
    for known in GENRES:
        if known.lower() == str(name).lower():
            return GENRE_SPECS[known]
    raise KeyError(f"unknown genre {name!r}; the 16 FineDance genres are: {', '.join(GENRES)}")


def genre_for_tempo(bpm: float) -> str:
    """The genre whose tempo range is nearest ``bpm`` (a song's best guess without a genre)."""

    def distance(name: str) -> float:
        lo, hi = GENRE_SPECS[name].music.tempo
        return 0.0 if lo <= bpm <= hi else min(abs(bpm - lo), abs(bpm - hi))

    return min(GENRES, key=lambda name: (distance(name), GENRES.index(name)))
