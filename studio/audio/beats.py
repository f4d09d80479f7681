"""``librosa.beat.beat_track`` for a known tempo, in numpy: the same beats without numba.

librosa 0.11 runs its beat tracker's dynamic programme as numba gufuncs; one of them
(``__beat_local_score``) is declared ``cache=False``, so every new process compiles it again (1.8 s of CPU
here, with the on-disk cache warm), and on an empty cache importing ``librosa.beat`` compiles the rest too
(8 s of CPU). The editor's first song paid for both. This is the same algorithm, step by step, with the
same floating-point types as the numba code (float32 storage, float64 arithmetic), so the beat frames are
identical (``tests/audio/test_beats.py`` checks them against librosa on generated songs).

Only what the recipe uses: one static tempo, a 1-d envelope, ``trim=True``, beat frames out.
"""

from __future__ import annotations

import numpy as np


def beat_track(envelope: np.ndarray, frame_rate: float, bpm: float, *, tightness: float = 100.0) -> np.ndarray:
    """``librosa.beat.beat_track(onset_envelope=envelope, sr=sr, hop_length=hop, bpm=bpm,
    tightness=tightness)[1]`` with ``frame_rate = sr / hop``: beat frames (int64)."""
    envelope = np.asarray(envelope)
    if envelope.ndim != 1:
        raise ValueError(f"one envelope (1-d) expected, got shape {envelope.shape}")
    if not envelope.any():
        return np.zeros(0, dtype=np.int64)
    if bpm <= 0 or tightness <= 0:
        raise ValueError(f"bpm ({bpm}) and tightness ({tightness}) must be positive")
    dtype = np.float32 if envelope.dtype == np.float32 else np.float64  # the gufunc signature numba picks
    frames_per_beat = dtype(np.round(float(frame_rate) * 60.0 / bpm))
    onsets = envelope / (envelope.std(ddof=1) + np.finfo(envelope.dtype).tiny)
    local = local_score(onsets.astype(dtype), frames_per_beat)
    backlink, cumulative = _dynamic_programme(local, frames_per_beat, np.float32(tightness))
    beats = np.zeros(len(local), dtype=bool)
    frame = _last_beat(cumulative)
    while frame >= 0:
        beats[frame] = True
        frame = backlink[frame]
    return np.flatnonzero(_trim(local, beats)).astype(np.int64)


def local_score(onsets: np.ndarray, frames_per_beat) -> np.ndarray:
    """The onsets convolved (same mode) with a Gaussian one beat wide, accumulated as numba does: each
    product added in float64 to the float32 running sum, rounded back to float32 after every term."""
    dtype = onsets.dtype.type
    fpb = float(frames_per_beat)  # the compiled code builds the window in float64
    window = np.exp(-0.5 * (np.arange(-fpb, fpb + 1) * 32.0 / fpb) ** 2)
    n, width = len(onsets), len(window)
    half = width // 2
    score = np.zeros(n, dtype=dtype)
    i = np.arange(n)
    values = onsets.astype(np.float64)
    for k in range(width):  # score[i] += window[k] * onsets[i + half - k], k ascending, where in range
        valid = (k > i + half - n) & (k < np.minimum(i + half, width))
        rows = i[valid]
        score[rows] = (score[rows].astype(np.float64) + window[k] * values[rows + half - k]).astype(dtype)
    return score


def _dynamic_programme(local: np.ndarray, fpb, tightness: np.float32) -> tuple[np.ndarray, np.ndarray]:
    """Best predecessor of every frame (0.5 to 2 beats back) and the cumulative score, in song order."""
    n = len(local)
    cumulative = np.empty(n, dtype=local.dtype)
    backlink = np.empty(n, dtype=np.int64)
    threshold = 0.01 * local.max()
    near, far = int(np.round(fpb / 2)), int(2 * fpb)
    log_fpb = np.log(fpb)  # float32, as in the compiled code
    # Candidates from the nearest back to the farthest; a strictly better one replaces the best, so ties
    # keep the nearest, as the compiled loop does.
    offsets = np.arange(near, far + 1)
    penalty = tightness * (np.log(offsets.astype(np.float64)) - log_fpb) ** 2
    first_beat = True
    for i in range(n):
        score_i = local[i]
        count = max(0, min(len(offsets), i - near + 1))  # candidates loc = i - near ... i - far, loc >= 0
        if count > 0:
            scores = cumulative[i - offsets[:count]].astype(np.float64) - penalty[:count]
            best = int(np.argmax(scores))
            cumulative[i] = score_i + scores[best]
            location = i - int(offsets[best])
        else:
            cumulative[i] = score_i
            location = -1
        if first_beat and score_i < threshold:
            backlink[i] = -1
        else:
            backlink[i] = location
            first_beat = False
    return backlink, cumulative


def _local_max(values: np.ndarray) -> np.ndarray:
    """``librosa.util.localmax`` on 1-d: the first frame never, the last when it rises."""
    peaks = np.zeros(len(values), dtype=bool)
    peaks[1:-1] = (values[1:-1] > values[:-2]) & (values[1:-1] >= values[2:])
    if len(values) > 1:
        peaks[-1] = values[-1] > values[-2]
    return peaks


def _last_beat(cumulative: np.ndarray) -> int:
    """The last local maximum of the cumulative score at or above half the median of the local maxima."""
    peaks = _local_max(cumulative)
    threshold = cumulative.dtype.type(0.5 * np.median(cumulative[peaks])) if peaks.any() else 0.0
    found = np.flatnonzero(peaks & (cumulative >= threshold))
    return int(found[-1]) if len(found) else len(cumulative) - 1


def _trim(local: np.ndarray, beats: np.ndarray) -> np.ndarray:
    """Drop the beats at leading and trailing frames weaker than half the RMS of the smoothed beat envelope."""
    trimmed = beats.copy()
    window = np.hanning(5)
    smooth = np.convolve(local[beats].astype(np.float64), window)[len(window) // 2 : len(local) + len(window) // 2]
    threshold = 0.5 * np.sqrt((smooth**2).mean())
    n = 0
    while n < len(local) and local[n] <= threshold:
        trimmed[n] = False
        n += 1
    n = len(local) - 1
    while n >= 0 and local[n] <= threshold:
        trimmed[n] = False
        n -= 1
    return trimmed
