"""Sounds made from numbers: drums, plucked and bowed strings, winds, keys, pads (numpy only).

Every function returns a float32 mono array that starts at the note's onset. Noise comes from the
caller's generator, so a song is the same bytes for the same seed. Timbres are simple (additive
partials with their own decays, pitch sweeps, filtered noise) but distinct enough for a listener and a
music feature to tell a guzheng from a kick drum.
"""

from __future__ import annotations

import numpy as np

SR = 22050


def _t(seconds: float, sr: int) -> np.ndarray:
    return np.arange(int(seconds * sr)) / sr


def _env(t: np.ndarray, attack: float, decay: float) -> np.ndarray:
    """Linear attack, exponential decay (time constant ``decay`` s)."""
    rise = np.clip(t / max(attack, 1e-4), 0.0, 1.0)
    return rise * np.exp(-np.maximum(t - attack, 0.0) / decay)


def _highpass(x: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.diff(x)]).astype(np.float32)


def _lowpass(x: np.ndarray, keep: float) -> np.ndarray:
    """One-pole low-pass by an exponential moving average (keep in (0, 1): higher = darker)."""
    from scipy.signal import lfilter

    return lfilter([1.0 - keep], [1.0, -keep], x).astype(np.float32)


def hz(midi: float) -> float:
    return 440.0 * 2.0 ** ((midi - 69.0) / 12.0)


# -- drums --------------------------------------------------------------------------------------------
def drum(voice: str, rng: np.random.Generator, sr: int = SR) -> np.ndarray:
    fn = _DRUMS.get(voice)
    if fn is None:
        raise KeyError(f"unknown drum voice {voice!r}")
    return fn(rng, sr).astype(np.float32)


def _pitched_drum(f0: float, f1: float, sweep: float, decay: float, noise: float, rng, sr, length=0.6):
    t = _t(length, sr)
    freq = f1 + (f0 - f1) * np.exp(-t / sweep)
    phase = 2 * np.pi * np.cumsum(freq) / sr
    body = np.sin(phase) * _env(t, 0.002, decay)
    hit = _highpass(rng.standard_normal(len(t))) * _env(t, 0.001, 0.015) * noise
    return body + hit


def _kick(rng, sr):
    return _pitched_drum(150, 48, 0.03, 0.18, 0.3, rng, sr, 0.45)


def _snare(rng, sr):
    t = _t(0.3, sr)
    noise = _highpass(rng.standard_normal(len(t))) * _env(t, 0.001, 0.07) * 0.8
    return noise + np.sin(2 * np.pi * 190 * t) * _env(t, 0.001, 0.05) * 0.6


def _clap(rng, sr):
    t = _t(0.3, sr)
    bursts = sum(_env(np.maximum(t - d, 0.0), 0.001, 0.008) * (t >= d) for d in (0.0, 0.011, 0.022))
    tail = _env(np.maximum(t - 0.03, 0), 0.001, 0.06) * (t >= 0.03)
    return _highpass(rng.standard_normal(len(t))) * (bursts + tail) * 0.8


def _hat(rng, sr, decay=0.03):
    t = _t(decay * 6, sr)
    n = _highpass(_highpass(rng.standard_normal(len(t))))
    return n * _env(t, 0.0005, decay) * 0.35


def _metal(partials, decay, rng, sr, length, noise=0.2):
    t = _t(length, sr)
    out = sum(np.sin(2 * np.pi * f * t + rng.uniform(0, 6.28)) / (i + 1) for i, f in enumerate(partials))
    out = out * _env(t, 0.002, decay)
    return out + _highpass(rng.standard_normal(len(t))) * _env(t, 0.001, decay / 3) * noise


def _woodblock(rng, sr, f=900.0):
    t = _t(0.12, sr)
    return (np.sin(2 * np.pi * f * t) + 0.4 * np.sin(2 * np.pi * f * 2.7 * t)) * _env(t, 0.0005, 0.025)


def _clapper(rng, sr):
    t = _t(0.1, sr)
    click = _highpass(rng.standard_normal(len(t))) * _env(t, 0.0003, 0.008)
    return click * 1.2 + _woodblock(rng, sr, 1500.0)[: len(t)] * 0.6


def _gong(rng, sr):
    t = _t(3.0, sr)
    out = 0.0
    for i, f in enumerate((110.0, 167.0, 231.0, 298.0, 412.0)):
        drift = f * (1.0 + 0.01 * np.exp(-t / 0.5))
        out = out + np.sin(2 * np.pi * np.cumsum(drift) / sr) / (i + 1)
    return out * _env(t, 0.03, 1.2) * 0.8


def _shaker(rng, sr):
    t = _t(0.09, sr)
    return _highpass(rng.standard_normal(len(t))) * _env(t, 0.02, 0.02) * 0.35


def _tak(rng, sr):
    t = _t(0.12, sr)
    return (_highpass(rng.standard_normal(len(t))) * 0.6 + np.sin(2 * np.pi * 700 * t)) * _env(t, 0.0005, 0.02)


def _bronze(rng, sr):
    return _pitched_drum(120, 90, 0.05, 0.3, 0.4, rng, sr, 0.8) + _metal((420, 683, 1130), 0.25, rng, sr, 0.8) * 0.3


_DRUMS = {
    "kick": _kick,
    "snare": _snare,
    "clap": _clap,
    "hat": _hat,
    "openhat": lambda rng, sr: _hat(rng, sr, 0.16),
    "ride": lambda rng, sr: _metal((3050.0, 4210.0, 5340.0, 6850.0), 0.6, rng, sr, 1.2, 0.15) * 0.3,
    "shaker": _shaker,
    "tom": lambda rng, sr: _pitched_drum(200, 120, 0.06, 0.18, 0.2, rng, sr, 0.5),
    "taiko": lambda rng, sr: _pitched_drum(95, 55, 0.08, 0.45, 0.5, rng, sr, 1.2) * 1.2,
    "elephant": lambda rng, sr: _pitched_drum(110, 70, 0.1, 0.35, 0.25, rng, sr, 1.0),
    "woodblock": _woodblock,
    "clapper": _clapper,
    "gong": _gong,
    "bell": lambda rng, sr: _metal((1320.0, 3643.0, 7128.0), 0.9, rng, sr, 2.0, 0.0) * 0.35,
    "cymbal": lambda rng, sr: _metal((3900.0, 5470.0, 7200.0), 0.35, rng, sr, 1.0, 0.4) * 0.35,
    "dum": lambda rng, sr: _pitched_drum(95, 75, 0.03, 0.16, 0.4, rng, sr, 0.5),
    "tak": _tak,
    "bronze": _bronze,
}
DRUM_VOICES = tuple(_DRUMS)


# -- pitched ------------------------------------------------------------------------------------------
def note(timbre: str, midi: float, seconds: float, rng: np.random.Generator, sr: int = SR) -> np.ndarray:
    """One note of ``timbre`` at MIDI pitch ``midi`` held ``seconds`` (plucks ring on past it)."""
    fn = _TIMBRES.get(timbre)
    if fn is None:
        raise KeyError(f"unknown timbre {timbre!r}")
    return fn(hz(midi), max(seconds, 0.05), rng, sr).astype(np.float32)


def _additive(f, t, amps, decays=None):
    out = np.zeros_like(t)
    phase = 2 * np.pi * f * t
    for k, a in enumerate(amps, start=1):
        if k * f > 9000:  # keep partials under Nyquist at 22.05 kHz
            break
        partial = np.sin(k * phase) * a
        if decays is not None:
            partial = partial * np.exp(-t * decays[k - 1])
        out += partial
    return out


def _vibrato(t, rate, depth):
    return 1.0 + depth * np.sin(2 * np.pi * rate * t) * np.clip(t / 0.3, 0, 1)


def _sustain(t, seconds, attack, release):
    return np.clip(t / attack, 0, 1) * np.clip((seconds + release - t) / release, 0, 1)


def _pluck(f, seconds, rng, sr, bright=1.0, ring=1.5):
    t = _t(max(seconds, ring), sr)
    k = np.arange(1, 11)
    return _additive(f, t, bright / k**1.1, 1.5 + 1.3 * k / ring) * _env(t, 0.002, 10.0) * 0.5


def _pipa(f, seconds, rng, sr):
    if seconds < 0.5:
        return _pluck(f, seconds, rng, sr, 1.3, 0.7)
    t = _t(seconds + 0.3, sr)  # long notes: the pipa's tremolo (lunzhi), fast repeated plucks
    tremolo = 0.55 + 0.45 * np.abs(np.sin(np.pi * 12 * t))
    k = np.arange(1, 9)
    return _additive(f, t, 1.3 / k**1.1, 0.8 + 0.9 * k) * tremolo * _sustain(t, seconds, 0.01, 0.25) * 0.45


def _bowed(f, seconds, rng, sr, harmonics=10, rate=5.5, depth=0.006, breath=0.0):
    t = _t(seconds + 0.15, sr)
    vib = _vibrato(t, rate, depth)
    phase = 2 * np.pi * f * np.cumsum(vib) / sr
    out = sum(np.sin(k * phase) / k**0.9 for k in range(1, harmonics + 1) if k * f < 9000)
    if breath:
        out = out + _lowpass(rng.standard_normal(len(t)), 0.6) * breath
    return out * _sustain(t, seconds, 0.08, 0.15) * 0.3


def _flute(f, seconds, rng, sr):
    t = _t(seconds + 0.12, sr)
    phase = 2 * np.pi * f * np.cumsum(_vibrato(t, 5.0, 0.005)) / sr
    tone = np.sin(phase) + 0.25 * np.sin(2 * phase) + 0.08 * np.sin(3 * phase)
    breath = _highpass(rng.standard_normal(len(t))) * 0.08
    return (tone + breath) * _sustain(t, seconds, 0.05, 0.1) * 0.4


def _lusheng(f, seconds, rng, sr):
    t = _t(seconds + 0.1, sr)
    out = 0.0
    for ratio, gain in ((1.0, 1.0), (1.5, 0.6), (2.0, 0.5)):
        out = out + _additive(f * ratio, t, 1.0 / np.arange(1, 8)) * gain
    return out * (0.85 + 0.15 * np.sin(2 * np.pi * 6 * t)) * _sustain(t, seconds, 0.04, 0.08) * 0.18


def _piano(f, seconds, rng, sr):
    t = _t(max(seconds, 1.2), sr)
    k = np.arange(1, 9)
    return _additive(f, t, 1.0 / k**1.4, 1.2 + 0.9 * k) * _env(t, 0.003, 3.0) * 0.35


def _rhodes(f, seconds, rng, sr):
    t = _t(max(seconds, 1.0), sr)
    index = 1.5 * np.exp(-t / 0.2)
    return np.sin(2 * np.pi * f * t + index * np.sin(2 * np.pi * f * t)) * _env(t, 0.003, 1.0) * 0.35


def _organ(f, seconds, rng, sr):
    t = _t(seconds + 0.05, sr)
    tone = _additive(f, t, (1.0, 0.8, 0.5, 0.4, 0.0, 0.3, 0.0, 0.2))
    return tone * (0.9 + 0.1 * np.sin(2 * np.pi * 6.5 * t)) * _sustain(t, seconds, 0.01, 0.04) * 0.18


def _brass(f, seconds, rng, sr):
    t = _t(seconds + 0.08, sr)
    out = sum(np.sin(2 * np.pi * k * f * t) / k * np.clip(t / (0.01 * k), 0, 1) for k in range(1, 12) if k * f < 9000)
    return out * _sustain(t, seconds, 0.02, 0.08) * 0.22


def _pad(f, seconds, rng, sr):
    t = _t(seconds + 0.4, sr)
    out = sum(_additive(f * d, t, 1.0 / np.arange(1, 9)) for d in (0.997, 1.0, 1.003))
    return _lowpass(out, 0.5) * _sustain(t, seconds, 0.35, 0.4) * 0.1


def _square(f, seconds, rng, sr):
    t = _t(seconds + 0.05, sr)
    return _additive(f, t, (1.0, 0, 0.33, 0, 0.2, 0, 0.14, 0, 0.11)) * _sustain(t, seconds, 0.005, 0.05) * 0.18


def _sax(f, seconds, rng, sr):
    return _bowed(f, seconds, rng, sr, harmonics=8, rate=5.0, depth=0.008, breath=0.05) * 1.1


def _bell_lead(f, seconds, rng, sr):
    t = _t(max(seconds, 1.0), sr)
    return (np.sin(2 * np.pi * f * t) + 0.4 * np.sin(2 * np.pi * 3.01 * f * t) * np.exp(-t * 4)) * _env(
        t, 0.002, 0.6
    ) * 0.3


def _sine_bass(f, seconds, rng, sr):
    t = _t(seconds + 0.05, sr)
    return np.tanh(1.5 * np.sin(2 * np.pi * f * t)) * _sustain(t, seconds, 0.005, 0.05) * 0.45


def _synth_bass(f, seconds, rng, sr):
    t = _t(seconds + 0.05, sr)
    k = np.arange(1, 12)
    return _additive(f, t, 1.0 / k, 2.0 + 6.0 * k) * _sustain(t, seconds, 0.004, 0.04) * 0.45


def _sub808(f, seconds, rng, sr):
    t = _t(seconds + 0.2, sr)
    freq = f * (1.0 + 0.5 * np.exp(-t / 0.02))
    return np.tanh(2.0 * np.sin(2 * np.pi * np.cumsum(freq) / sr)) * _env(t, 0.003, 0.9) * 0.45


def _upright(f, seconds, rng, sr):
    t = _t(seconds + 0.2, sr)
    return _additive(f, t, (1.0, 0.5, 0.2), (3.0, 6.0, 9.0)) * _sustain(t, seconds, 0.005, 0.1) * 0.5


_TIMBRES = {
    "pluck": lambda f, s, rng, sr: _pluck(f, s, rng, sr),  # guzheng
    "pipa": _pipa,
    "rawap": lambda f, s, rng, sr: _pluck(f, s, rng, sr, 1.6, 0.6),
    "erhu": lambda f, s, rng, sr: _bowed(f, s, rng, sr),
    "strings": lambda f, s, rng, sr: _pad(f, s, rng, sr) * 1.5,
    "dizi": _flute,
    "hulusi": lambda f, s, rng, sr: _flute(f, s, rng, sr) * 0.9,
    "lusheng": _lusheng,
    "piano": _piano,
    "rhodes": _rhodes,
    "organ": _organ,
    "brass": _brass,
    "pad": _pad,
    "square": _square,
    "sax": _sax,
    "bell": _bell_lead,
    "sine": _sine_bass,
    "synth": _synth_bass,
    "sub808": _sub808,
    "upright": _upright,
}
TIMBRES = tuple(_TIMBRES)
