"""Songs made from numbers: click tracks with known beats, and a small pop song for benchmarks.

Tests and benchmarks use these instead of real recordings, so that the truth (tempo, beat times, bar
lines) is known exactly and nothing depends on files outside the repository.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BEATS_PER_BAR = 4


@dataclass(frozen=True)
class ClickTrack:
    """A synthetic song and the truth about it."""

    samples: np.ndarray  # float32 mono
    sample_rate: int
    beats: np.ndarray  # seconds
    downbeats: np.ndarray  # seconds, a subset of ``beats``


def _tone(frequency: float, seconds: float, sample_rate: int, decay: float) -> np.ndarray:
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    return (np.sin(2 * np.pi * frequency * t) * np.exp(-t * decay)).astype(np.float32)


def _add(out: np.ndarray, sound: np.ndarray, start: int) -> None:
    end = min(len(out), start + len(sound))
    if start < end:
        out[start:end] += sound[: end - start]


def click_track(
    bpm: float,
    seconds: float,
    *,
    sample_rate: int = 22050,
    first_beat: float = 0.25,
    pickup_beats: int = 1,
) -> ClickTrack:
    """Clicks on every beat, the bar's first beat louder and higher (4/4).

    ``pickup_beats`` beats come before the first downbeat, so a bar finder that just takes beat 0 as
    the downbeat fails the tests.
    """
    period = 60.0 / bpm
    n = int(seconds * sample_rate)
    out = np.zeros(n, dtype=np.float32)
    click = _tone(1000.0, 0.05, sample_rate, decay=80.0) * 0.5
    accent = _tone(1500.0, 0.05, sample_rate, decay=60.0) * 0.9
    beats = np.arange(first_beat, seconds - 0.1, period)
    is_down = (np.arange(len(beats)) - pickup_beats) % BEATS_PER_BAR == 0
    for time, down in zip(beats, is_down, strict=True):
        _add(out, accent if down else click, round(time * sample_rate))
    return ClickTrack(out, sample_rate, beats, beats[is_down])


def _midi_hz(note: int) -> float:
    return 440.0 * 2.0 ** ((note - 69) / 12.0)


def demo_song(seconds: float = 180.0, *, bpm: float = 120.0, sample_rate: int = 22050, seed: int = 0) -> ClickTrack:
    """A small 4/4 pop song: kick, snare, hi-hat, bass and a I-V-vi-IV chord loop.

    Built bar by bar so that a 15-minute song costs no more memory than its samples.
    """
    rng = np.random.default_rng(seed)
    period = 60.0 / bpm
    n = int(seconds * sample_rate)
    out = np.zeros(n, dtype=np.float32)
    t_kick = np.arange(int(0.15 * sample_rate)) / sample_rate
    kick = (np.sin(2 * np.pi * (50 + 80 * np.exp(-t_kick * 30)) * t_kick) * np.exp(-t_kick * 18)).astype(np.float32)
    noise = rng.standard_normal(int(0.12 * sample_rate)).astype(np.float32)
    snare = noise * np.exp(-np.arange(len(noise)) / sample_rate * 25).astype(np.float32) * 0.5
    hat = np.diff(noise[: int(0.03 * sample_rate)], prepend=0.0) * 0.15
    progression = [(60, 64, 67), (67, 71, 74), (69, 72, 76), (65, 69, 72)]  # C G Am F
    bar_seconds = period * BEATS_PER_BAR
    beats = np.arange(0.0, seconds - 0.1, period)
    for bar, bar_start in enumerate(np.arange(0.0, seconds, bar_seconds)):
        chord = progression[bar % len(progression)]
        start = int(bar_start * sample_rate)
        pad = sum(_tone(_midi_hz(note), bar_seconds, sample_rate, decay=1.5) for note in chord) * 0.08
        _add(out, pad, start)
        bass = _tone(_midi_hz(chord[0] - 24), period * 2, sample_rate, decay=3.0) * 0.35
        _add(out, bass, start)
        _add(out, bass, start + int(2 * period * sample_rate))
        for beat in range(BEATS_PER_BAR):
            at = start + int(beat * period * sample_rate)
            _add(out, kick if beat % 2 == 0 else snare, at)
            _add(out, hat, at)
            _add(out, hat, at + int(period / 2 * sample_rate))
    peak = float(np.max(np.abs(out))) or 1.0
    out *= 0.8 / peak
    return ClickTrack(out, sample_rate, beats, beats[::BEATS_PER_BAR])
