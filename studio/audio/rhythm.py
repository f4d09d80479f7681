"""Bars and segments from beats.  numpy and scipy only, no librosa: cheap to test and to rerun on a
cache hit (segments are not cached; only the beats they are made from are).

Bars assume 4/4: a downbeat is every 4th beat.  Which beat of the four starts the bar is the phase
whose beats score highest on three cues, each scaled to unit spread and summed: the onset strength at
the beat (accents, all bands), the onset strength of the low bands (kick drum, bass notes), and the
harmonic change across the beat (chords change on bar lines; drums are filtered out first).  Accents
alone cannot tell beat 1 from beat 3 in a kick-snare pattern; harmonic change alone is blind on a
click track; together they get both right on the generated songs in the tests.

Segments, the units the choreographer regenerates:
- ``grid_segments``: 4-s windows (120 frames at 30 fps) from 0.  The remainder at the end stays a
  shorter last segment when it is at least 1 s long (the generator makes a full 4-s clip and the
  timeline crops it); a shorter remainder is merged into the previous segment, which then lasts at
  most 5 s, the upper bound the bar-snapped mode has anyway.
- ``bar_segments``: 3-5 s segments whose inner boundaries are downbeats, chosen by a shortest-path
  over candidate boundaries so that lengths stay near 4 s.  Where no downbeat fits (a bar of 2.7 s at
  90 BPM gives 2.7 or 5.3 s) a beat is taken, and where there are no beats (a breakdown) a 0.5-s grid
  point; a final segment shorter than 3 s is allowed only when the song cannot be split otherwise.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import pairwise

import numpy as np

BEATS_PER_BAR = 4
SEGMENT_SECONDS = 4.0
MIN_TAIL_SECONDS = 1.0
BAR_SEGMENT_RANGE = (3.0, 5.0)
LOW_BANDS = 12  # of 128 mel bands at 15360 Hz: roughly 0-300 Hz

# Boundary penalties of the bar-snapped path; a length's cost is (length - 4)^2 <= 1 within 3-5 s.
_DOWNBEAT, _BEAT, _GRID, _SHORT_TAIL = 0.0, 1.5, 4.0, 10.0
_GRID_STEP = 0.5

Segment = tuple[float, float]


def steady_beats(beat_frames: np.ndarray, tolerance: float = 0.1) -> np.ndarray:
    """Drop first/last beats whose gap to their neighbour is off the median gap by more than ``tolerance``.

    librosa's tracker (tightness 100) ends its path on the song's last frame and then trims that beat,
    which can leave a final beat pulled a few frames early; the editor wants true beat times.
    """
    frames = np.asarray(beat_frames)
    if len(frames) < 4:
        return frames
    period = np.median(np.diff(frames))
    start, stop = 0, len(frames)
    while stop - start > 2 and abs(frames[stop - 1] - frames[stop - 2] - period) > tolerance * period:
        stop -= 1
    while stop - start > 2 and abs(frames[start + 1] - frames[start] - period) > tolerance * period:
        start += 1
    return frames[start:stop]


def beat_tempo(beats: np.ndarray, fallback: float = 0.0) -> float:
    """BPM from the mean beat interval, gaps (breaks, dropped beats) left out.

    More precise than the tracker's own estimate, which is a whole number of 30-fps frames per beat
    (124 BPM = 14.5 frames reads as 120 there; the beats themselves alternate 14 and 15 frames).
    """
    gaps = np.diff(np.asarray(beats, dtype=float))
    if len(gaps) == 0:
        return fallback
    steady = gaps[np.abs(gaps - np.median(gaps)) <= 0.25 * np.median(gaps)]
    return 60.0 / steady.mean()


def downbeat_phase(beat_frames: np.ndarray, envelope: np.ndarray, mel_db: np.ndarray | None = None) -> int:
    """Which of the first four beats is a downbeat (0-3)."""
    frames = np.asarray(beat_frames)
    if len(frames) < 2 * BEATS_PER_BAR:
        return 0
    accent = _unit(_at_beats(envelope, frames))
    if mel_db is not None and len(mel_db):
        low = mel_db[:, :LOW_BANDS].mean(axis=1)
        low_onset = np.maximum(0.0, np.diff(low, prepend=low[0]))
        accent = accent + _unit(_at_beats(low_onset, frames)) + _unit(harmonic_change(mel_db, frames))
    scores = [accent[phase::BEATS_PER_BAR].mean() for phase in range(BEATS_PER_BAR)]
    return int(np.argmax(scores))


def harmonic_change(mel_db: np.ndarray, beat_frames: np.ndarray) -> np.ndarray:
    """Per beat, how much the sustained sound differs between the beat before and the beat after it.

    A median over one beat period keeps what is held (chords, bass notes, pads) and removes drum hits,
    so chord changes, which mostly fall on bar lines, stand out and drums do not.
    """
    import scipy.ndimage

    frames = np.clip(np.asarray(beat_frames), 0, len(mel_db))
    period = int(np.median(np.diff(frames))) | 1
    bands = mel_db[:, : mel_db.shape[1] // 4 * 4].reshape(len(mel_db), -1, 4).mean(axis=2)  # 32 bands: enough
    held = scipy.ndimage.median_filter(bands, size=(period, 1), mode="nearest")
    sums = np.concatenate([np.zeros((1, held.shape[1])), np.cumsum(held, axis=0)])
    lengths = np.maximum(np.diff(frames), 1)[:, None]
    means = (sums[frames[1:]] - sums[frames[:-1]]) / lengths  # mean of each beat interval
    means -= means.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(means, axis=1)
    before, after = means[:-1], means[1:]
    cosine = (before * after).sum(axis=1) / np.maximum(norms[:-1] * norms[1:], 1e-9)
    change = np.empty(len(frames))
    change[1:-1] = 1.0 - cosine
    change[[0, -1]] = np.median(change[1:-1])  # no interval on one side: neutral
    return change


def downbeats(beats: np.ndarray, phase: int) -> np.ndarray:
    """Every 4th beat from ``phase``."""
    return np.asarray(beats)[phase::BEATS_PER_BAR]


def _at_beats(curve: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """The curve's maximum within one frame of each beat (beat tracking is frame-accurate at best)."""
    padded = np.pad(curve, 1, mode="edge")
    frames = np.clip(frames, 0, len(curve) - 1) + 1
    return np.max([padded[frames - 1], padded[frames], padded[frames + 1]], axis=0)


def _unit(values: np.ndarray) -> np.ndarray:
    """Centred and scaled to unit spread; a spread under 5% of the mean is noise, not accent."""
    centre = values.mean()
    spread = max(values.std(), 0.05 * abs(centre))
    return (values - centre) / spread if spread > 0 else np.zeros_like(values)


def grid_segments(
    duration: float, length: float = SEGMENT_SECONDS, min_tail: float = MIN_TAIL_SECONDS
) -> list[Segment]:
    """Back-to-back windows of ``length`` seconds covering ``[0, duration]``."""
    count = int(np.floor(duration / length + 1e-9))
    segments = [(i * length, (i + 1) * length) for i in range(count)]
    tail = duration - count * length
    if tail > 1e-9:
        if tail >= min_tail or not segments:
            segments.append((count * length, duration))
        else:
            segments[-1] = (segments[-1][0], duration)
    return segments


def bar_segments(duration: float, beats: np.ndarray, downbeat_times: np.ndarray) -> list[Segment]:
    """Segments of 3-5 s cut at downbeats where possible (see the module notes)."""
    low, high = BAR_SEGMENT_RANGE
    grid = np.arange(_GRID_STEP, duration, _GRID_STEP)
    candidates = sorted(
        [(0.0, 0.0), (duration, 0.0)]
        + [(float(t), _GRID) for t in grid]
        + [(float(t), _BEAT) for t in beats if 0 < t < duration]
        + [(float(t), _DOWNBEAT) for t in downbeat_times if 0 < t < duration]
    )
    times = [t for t, _ in candidates]
    end = len(candidates) - 1  # the node at ``duration``: every other one lies before it
    cost = np.full(len(candidates), np.inf)
    back = np.full(len(candidates), -1)
    cost[0] = 0.0
    for j in range(1, len(candidates)):
        t_j, penalty = candidates[j]
        first = bisect_left(times, t_j - high - 1e-9)
        last = bisect_right(times, t_j - (1e-9 if j == end else low - 1e-9))
        for i in range(first, last):
            if not np.isfinite(cost[i]):
                continue
            length = t_j - times[i]
            step = cost[i] + (length - SEGMENT_SECONDS) ** 2 + penalty
            if length < low - 1e-9:
                step += _SHORT_TAIL
            if step < cost[j]:
                cost[j], back[j] = step, i
    path = [end]
    while back[path[-1]] >= 0:
        path.append(int(back[path[-1]]))
    bounds = [times[k] for k in reversed(path)]
    return list(pairwise(bounds))
