"""The song synthesiser: a genre's groove, bass, chords, lead and drone, arranged in 8-count phrases.

Form: an intro phrase (thin: drone or pad, hats or bells, no lead), body phrases that alternate a verse
pair and a fuller chorus pair, a drum fill over the last two counts of every phrase but the last, a crash
(or gong, or cymbal) on the next downbeat, and an outro phrase ending on a final hit on the count after
it, which rings out. Every beat is a dance count: ``Song.beats`` holds them, the final hit included.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studio.data.procedural import instruments as ins
from studio.data.procedural.genres import MusicSpec, genre

COUNTS_PER_PHRASE = 8
LEAD_IN = 0.35  # s of silence before the first count
TAIL = 2.0  # s the final hit rings after the last count
MIN_SECONDS, MAX_SECONDS = 20.0, 90.0
_VELOCITY = {"X": 1.0, "x": 0.7, "g": 0.28}
_CRASH = {"Modern": "openhat", "Classic": "gong", "Folk": "cymbal"}
_GAINS = {"drums": 0.9, "bass": 0.7, "chords": 0.45, "lead": 0.5, "drone": 0.35}


@dataclass(frozen=True, eq=False)
class Section:
    name: str  # "intro", "verse", "chorus", "outro"
    first: int  # first count
    counts: int


@dataclass(frozen=True, eq=False)
class Song:
    genre: str
    samples: np.ndarray  # float32 mono, peak 0.89
    sample_rate: int
    bpm: float
    meter: int  # beats per bar
    beats: np.ndarray  # seconds of every count, the final hit (count 8 x phrases) last
    sections: tuple[Section, ...]
    tonic: int  # MIDI

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate

    @property
    def phrases(self) -> int:
        return (len(self.beats) - 1) // COUNTS_PER_PHRASE

    @property
    def downbeats(self) -> np.ndarray:
        return self.beats[:: self.meter]

    def section_of(self, count: int) -> str:
        for s in self.sections:
            if s.first <= count < s.first + s.counts:
                return s.name
        return "end"


def plan_phrases(bpm: float, seconds: float) -> int:
    """How many phrases make a song closest to ``seconds`` long, within 20-90 s, at least 3."""
    phrase = COUNTS_PER_PHRASE * 60.0 / bpm
    fixed = LEAD_IN + TAIL
    n = max(3, round((seconds - fixed) / phrase))
    while n > 3 and fixed + n * phrase > MAX_SECONDS:
        n -= 1
    while fixed + n * phrase < MIN_SECONDS:
        n += 1
    return n


class _Mixer:
    """Tracks to add sounds into, with a cache: a song repeats its notes and drum hits many times."""

    def __init__(self, length: int, sr: int, rng: np.random.Generator) -> None:
        self.sr = sr
        self.rng = rng
        self.tracks = {name: np.zeros(length, dtype=np.float32) for name in _GAINS}
        self._notes: dict[tuple[str, int, int], np.ndarray] = {}
        self._hits: dict[tuple[str, int], np.ndarray] = {}

    def note(self, timbre: str, midi: int, seconds: float) -> np.ndarray:
        key = (timbre, int(midi), round(seconds * 100))
        if key not in self._notes:
            self._notes[key] = ins.note(timbre, midi, key[2] / 100, self.rng, self.sr)
        return self._notes[key]

    def hit(self, voice: str) -> np.ndarray:
        """One of three takes of a drum voice, so repeated hits are not all identical."""
        key = (voice, int(self.rng.integers(0, 3)))
        if key not in self._hits:
            self._hits[key] = ins.drum(voice, self.rng, self.sr)
        return self._hits[key]

    def add(self, track: str, sound: np.ndarray, seconds: float, gain: float = 1.0) -> None:
        out = self.tracks[track]
        start = round(seconds * self.sr)
        end = min(len(out), start + len(sound))
        if 0 <= start < end:
            out[start:end] += gain * sound[: end - start]

    def master(self) -> np.ndarray:
        mix = sum(self.tracks[name] * gain for name, gain in _GAINS.items())
        mix = np.tanh(1.2 * mix) / np.tanh(1.2)
        peak = float(np.abs(mix).max())
        return (mix * (0.89 / peak if peak > 0 else 1.0)).astype(np.float32)


def _step_offsets(swing: float) -> np.ndarray:
    """Where the 4 sixteenth-steps of a beat fall (fractions of a beat), the off-beat eighth at ``swing``."""
    return np.array([0.0, swing / 2.0, swing, swing + (1.0 - swing) / 2.0])


def _pitch(spec: MusicSpec, tonic: int, chord: int, degree: int, octave: int = 0) -> int:
    """MIDI pitch of the chord-relative ``degree`` (1 = chord root) of chord root ``chord`` (1-based)."""
    steps = chord - 1 + degree - 1
    n = len(spec.scale)
    return tonic + spec.scale[steps % n] + 12 * (steps // n + octave)


def synthesize(genre_name: str, seconds: float, rng: np.random.Generator, sr: int = ins.SR) -> Song:
    """A song of ``genre_name`` close to ``seconds`` long (20-90 s), fully determined by ``rng``."""
    g = genre(genre_name)
    spec = g.music
    bpm = float(np.round(rng.uniform(*spec.tempo) * 2.0) / 2.0)
    tonic = int(rng.integers(spec.tonic[0], spec.tonic[1] + 1))
    phrases = plan_phrases(bpm, seconds)
    beat = 60.0 / bpm
    counts = phrases * COUNTS_PER_PHRASE
    beats = LEAD_IN + beat * np.arange(counts + 1)
    length = int((beats[-1] + TAIL) * sr)
    sections = [Section("intro", 0, COUNTS_PER_PHRASE)]
    for p in range(1, phrases - 1):
        sections.append(Section("chorus" if (p - 1) // 2 % 2 else "verse", p * COUNTS_PER_PHRASE, COUNTS_PER_PHRASE))
    sections.append(Section("outro", (phrases - 1) * COUNTS_PER_PHRASE, COUNTS_PER_PHRASE))
    mix = _Mixer(length, sr, rng)
    offsets = _step_offsets(spec.swing)
    steps_per_bar = 4 * spec.meter
    bars = counts // spec.meter
    melody = _Melody(spec, tonic, rng)
    for bar in range(bars):
        first = bar * spec.meter
        section = next(s.name for s in sections if s.first <= first < s.first + s.counts)
        last_bar_of_phrase = (first + spec.meter) % COUNTS_PER_PHRASE == 0
        phrase = first // COUNTS_PER_PHRASE
        t0 = beats[first]
        step_time = [t0 + (j // 4 + offsets[j % 4]) * beat for j in range(steps_per_bar)]
        chord = spec.chords[bar % len(spec.chords)]
        _drums(mix, spec, section, last_bar_of_phrase and phrase < phrases - 1, step_time, beat, rng)
        if section != "intro":
            _bass(mix, spec, tonic, chord, step_time, beat, rng, spec.chords[(bar + 1) % len(spec.chords)])
        _chords(mix, spec, tonic, chord, step_time, beat, rng, section)
        if section in ("verse", "chorus") or (section == "outro" and not last_bar_of_phrase):
            melody.bar(mix, step_time, beat, chord, octave=1 if section == "chorus" else 0)
    for p in range(phrases):
        if spec.drone:
            drone_gain = 0.6 if p == 0 else 1.0
            start = beats[p * COUNTS_PER_PHRASE]
            for degree in (1, 5):
                pitch = _pitch(spec, tonic - 12, 1, degree if degree < len(spec.scale) + 1 else 1)
                mix.add("drone", mix.note(spec.drone, pitch, COUNTS_PER_PHRASE * beat), start, drone_gain)
        if p > 0:  # a crash on every phrase's downbeat marks the new eight
            mix.add("drums", mix.hit(_CRASH[g.coarse]), beats[p * COUNTS_PER_PHRASE], 0.8)
    _final_hit(mix, spec, g.coarse, tonic, beats[-1], rng)
    return Song(g.name, mix.master(), sr, bpm, spec.meter, beats, tuple(sections), tonic)


def _drums(mix, spec, section, fill, step_time, beat, rng) -> None:
    steps = len(step_time)
    for voice, pattern in spec.drums.items():
        if section == "intro" and voice in ("kick", "snare", "clap", "taiko", "bronze", "elephant", "dum"):
            pattern = pattern[: steps // 2].replace("X", "x") + "." * (steps - steps // 2) if voice == "kick" else ""
        for j, ch in enumerate(pattern):
            if fill and voice == spec.fill and j >= steps - 8:
                continue  # the fill replaces the last two counts of this voice
            if ch in _VELOCITY:
                velocity = _VELOCITY[ch] * (1.15 if section == "chorus" else 1.0)
                mix.add("drums", mix.hit(voice), step_time[j] + rng.normal(0, 0.002), velocity)
    if fill:
        rate = 4 if 60.0 / beat >= 80 else 2  # sixteenths, or eighths for slow songs
        start = step_time[steps - 8]
        for i in range(2 * rate):
            velocity = 0.45 + 0.55 * i / (2 * rate - 1)
            mix.add("drums", mix.hit(spec.fill), start + i * beat / rate, velocity)


def _bass(mix, spec, tonic, chord, step_time, beat, rng, next_chord) -> None:
    if not spec.bass:
        return
    if spec.walking:  # quarter notes: root, two passing tones, an approach to the next root
        degrees = (1, 2 + int(rng.integers(0, 2)), 3 + int(rng.integers(0, 3)))
        for i, d in enumerate(degrees):
            mix.add("bass", mix.note(spec.bass, _pitch(spec, tonic - 12, chord, d), beat * 0.9),
                    step_time[4 * i])  # fmt: skip
        approach = _pitch(spec, tonic - 12, next_chord, 1) - 1
        mix.add("bass", mix.note(spec.bass, approach, beat * 0.9), step_time[12])
        return
    line = spec.bass_line
    for j, ch in enumerate(line):
        if ch.isdigit():
            hold = 1
            while j + hold < len(line) and line[j + hold] == "-":
                hold += 1
            seconds = hold * beat / 4 * 0.95
            mix.add("bass", mix.note(spec.bass, _pitch(spec, tonic - 12, chord, int(ch)), seconds),
                    step_time[j])  # fmt: skip


def _chords(mix, spec, tonic, chord, step_time, beat, rng, section) -> None:
    if not spec.chord_voice:
        return
    tones = [_pitch(spec, tonic, chord, d) for d in (1, 3, 5)]
    arpeggio = spec.chord_voice in ("pluck", "bell")
    rhythm = spec.chord_rhythm
    strikes = [j for j, ch in enumerate(rhythm) if ch == "x"]
    if section == "intro":
        strikes = strikes[:1]
    for n, j in enumerate(strikes):
        hold = 1
        while j + hold < len(rhythm) and rhythm[j + hold] == "-":
            hold += 1
        seconds = max(hold * beat / 4, beat / 2)
        if arpeggio:  # guzheng and bells roll through the chord instead of striking it
            pitch = tones[n % 3] + (12 if n % 6 >= 3 else 0)
            mix.add("chords", mix.note(spec.chord_voice, pitch, seconds), step_time[j], 0.8)
        else:
            for pitch in tones:
                mix.add("chords", mix.note(spec.chord_voice, pitch, seconds), step_time[j], 0.5)


class _Melody:
    """A lead line: a one-bar motif per phrase, repeated with variations, walking the scale."""

    def __init__(self, spec: MusicSpec, tonic: int, rng: np.random.Generator) -> None:
        self.spec, self.tonic, self.rng = spec, tonic, rng
        self.motif: list[tuple[int, int, int]] = []  # (step, length in steps, scale index)
        self.bars = 0

    def _new_motif(self) -> None:
        rhythm = list(self.spec.lead_rhythm)
        for j in range(len(rhythm)):  # a few rests become notes and notes rests: each phrase its own tune
            if self.rng.random() < 0.15:
                rhythm[j] = "." if rhythm[j] == "x" else ("x" if rhythm[j] == "." else rhythm[j])
        index, motif = int(self.rng.integers(0, len(self.spec.scale))), []
        for j, ch in enumerate(rhythm):
            if ch != "x":
                continue
            hold = 1
            while j + hold < len(rhythm) and rhythm[j + hold] == "-":
                hold += 1
            index = int(np.clip(index + self.rng.choice([-2, -1, -1, 1, 1, 2, 3]), -2, 2 * len(self.spec.scale)))
            motif.append((j, hold, index))
        self.motif = motif

    def bar(self, mix: _Mixer, step_time: list[float], beat: float, chord: int, octave: int) -> None:
        phrase_bars = max(1, COUNTS_PER_PHRASE // self.spec.meter)
        if self.bars % phrase_bars == 0 or not self.motif:
            self._new_motif()
        shift = (self.bars % phrase_bars) % 2 * int(self.rng.choice([-1, 1, 2]))  # answer the motif a step away
        self.bars += 1
        n = len(self.spec.scale)
        for j, hold, index in self.motif:
            idx = index + shift + chord - 1
            pitch = self.tonic + 12 + self.spec.scale[idx % n] + 12 * (idx // n + octave)
            seconds = hold * beat / 4 * 0.95
            mix.add("lead", mix.note(self.spec.lead, pitch, seconds), step_time[j])


def _final_hit(mix, spec, coarse, tonic, at, rng) -> None:
    """The last count: a big hit that rings out (the dancers' final pose lands on it)."""
    for voice in ("kick", "taiko", "elephant", "bronze", "dum"):
        if voice in spec.drums or (voice == "kick" and coarse == "Modern"):
            mix.add("drums", mix.hit(voice), at, 1.0)
            break
    mix.add("drums", mix.hit(_CRASH[coarse]), at, 1.0)
    voice = spec.chord_voice or spec.lead
    for d in (1, 3, 5):
        mix.add("chords", mix.note(voice, _pitch(spec, tonic, 1, d), TAIL * 0.8), at, 0.6)
