"""librosa's whole-song spectral steps, computed block by block: the same numbers, a fraction of the memory.

A 15-minute song at 22050 Hz has about 39,000 frames; one STFT of it is 318 MB (complex64), and the
autocorrelation tempogram behind ``librosa.feature.tempo`` peaks near 850 MB (float64).  Every step here
works frame by frame, so cutting the frames into blocks changes nothing but the order of float sums.
Padding follows librosa 0.7.2 (``reflect``), like the rest of the recipe in ``features.py``.
"""

from __future__ import annotations

import numpy as np

N_FFT = 2048  # librosa's default, in every step of the recipe
HOP_LENGTH = 512
N_MELS = 128
BLOCK_FRAMES = 4096  # about 2 minutes at 30 fps
AC_SECONDS = 8.0  # librosa.feature.tempo's ``ac_size``


def _signal_blocks(samples: np.ndarray):
    """Pieces of the centre-padded signal that give ``BLOCK_FRAMES`` STFT frames each (``center=False``)."""
    padded = np.pad(samples, N_FFT // 2, mode="reflect")
    frames = 1 + len(samples) // HOP_LENGTH
    for first in range(0, frames, BLOCK_FRAMES):
        last = min(frames, first + BLOCK_FRAMES)
        yield padded[first * HOP_LENGTH : (last - 1) * HOP_LENGTH + N_FFT]


def mel_power(samples: np.ndarray, sr: int) -> np.ndarray:
    """``librosa.feature.melspectrogram(y=samples, sr=sr, pad_mode='reflect')``, (128, T)."""
    import librosa

    blocks = [
        librosa.feature.melspectrogram(y=piece, sr=sr, n_fft=N_FFT, hop_length=HOP_LENGTH, n_mels=N_MELS, center=False)
        for piece in _signal_blocks(samples)
    ]
    return np.concatenate(blocks, axis=1)


def tuning(samples: np.ndarray, sr: int, bins_per_octave: int = 12) -> float:
    """``librosa.estimate_tuning(y=samples, sr=sr, pad_mode='reflect')``: what the CQT uses for ``tuning=None``."""
    import librosa

    pitches, magnitudes = [], []
    for piece in _signal_blocks(samples):
        spectrum = np.abs(librosa.stft(piece, n_fft=N_FFT, hop_length=HOP_LENGTH, center=False))
        pitch, magnitude = librosa.piptrack(S=spectrum, sr=sr, n_fft=N_FFT, hop_length=HOP_LENGTH)
        found = pitch > 0
        pitches.append(pitch[found])
        magnitudes.append(magnitude[found])
    pitch, magnitude = np.concatenate(pitches), np.concatenate(magnitudes)
    threshold = np.median(magnitude) if len(magnitude) else 0.0
    return float(librosa.pitch_tuning(pitch[magnitude >= threshold], resolution=0.01, bins_per_octave=bins_per_octave))


def mean_tempogram(envelope: np.ndarray, sr: int) -> np.ndarray:
    """``librosa.feature.tempogram(onset_envelope=envelope, sr=sr)`` averaged over time, (win, 1)."""
    import librosa

    win = int(librosa.time_to_frames(AC_SECONDS, sr=sr, hop_length=HOP_LENGTH).item())
    window = librosa.filters.get_window("hann", win, fftbins=True)
    padded = np.pad(envelope, win // 2, mode="linear_ramp", end_values=[0, 0])
    total = np.zeros(win)
    for first in range(0, len(envelope), BLOCK_FRAMES):
        last = min(len(envelope), first + BLOCK_FRAMES)
        frames = librosa.util.frame(padded[first : last - 1 + win], frame_length=win, hop_length=1)
        correlation = librosa.autocorrelate(frames * window[:, None], axis=0)
        total += librosa.util.normalize(correlation, norm=np.inf, axis=0).sum(axis=1)
    return (total / len(envelope))[:, None]


def tempo(envelope: np.ndarray, sr: int, start_bpm: float) -> float:
    """``librosa.feature.tempo(onset_envelope=envelope, sr=sr, start_bpm=start_bpm)[0]``."""
    import librosa

    tempogram = mean_tempogram(envelope, sr)
    estimate = librosa.feature.tempo(tg=tempogram, sr=sr, hop_length=HOP_LENGTH, start_bpm=start_bpm, aggregate=None)
    return float(estimate[0])
