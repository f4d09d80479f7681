"""The 35-d FineDance / LODGE / EDGE-baseline music feature at 30 fps, and the log-mel beside it.

Recipe (DESIGN.md section 3): audio at SR = 15360 Hz (30 fps x hop 512); columns in this order

    0       onset-strength envelope               librosa.onset.onset_strength
    1:21    MFCC, n_mfcc = 20                     librosa.feature.mfcc
    21:33   chroma_cens, 12 bins                  librosa.feature.chroma_cens
    33      onset one-hot                         librosa.onset.onset_detect on the envelope
    34      beat one-hot                          librosa.beat.beat_track(start_bpm, tightness=100)

``start_bpm`` is the tempo estimated on the song loaded at librosa's default 22050 Hz.  T = 1 + n // 512
frames (centred frames), frame t at t / 30 s.

librosa 0.11 (ours) against 0.7.2 (pinned by FineDance):

Matched on purpose, by passing the 0.7.2 defaults explicitly:
- STFT padding: 0.7.2 padded the signal with ``pad_mode='reflect'``; 0.10+ pads with zeros
  (``'constant'``).  We pass ``'reflect'`` to the mel spectrograms (envelope, MFCC, 22050 Hz tempo), the
  CQT and its tuning estimate (chroma), so the first and last frames match.
- chroma_cens resolution: 0.7.2's ``bins_per_octave=None`` meant 12 bins per octave; 0.11's default is
  36.  We pass 12 (84-bin CQT from C1, tuning estimated, as 0.7.2 did).
- Identical defaults in both, relied on: mel (128 bands, Slaney norm = 0.7.2's ``norm=1``),
  power_to_db (ref 1, top_db 80), DCT-II ortho for MFCC, onset_strength (lag 1, mean over bands, centre
  compensation), onset_detect peak picking (min-max normalised envelope, delta 0.07), tempo (8-s
  autocorrelation tempogram, log-normal prior around 120 BPM, max 320 BPM).
- The envelope and MFCC share one mel spectrogram: both recipes compute exactly this one, so this only
  saves time.  The spectrograms, the CQT's tuning estimate and the tempograms behind both tempo
  estimates are computed block by block (``blockwise.py``): the same numbers up to float summation
  order, without holding several 200-800 MB arrays for a 15-minute song.

Not matched (cannot be, or not worth it):
- Resampling: 0.7.2's ``librosa.load`` used resampy ``kaiser_best``; we use soxr HQ, 0.11's default
  (``decode(path, sr)`` equals ``librosa.load(path, sr=sr)`` of 0.11).  Values differ at the 1e-3 level.
- The CQT was rewritten in 0.8-0.10 (early downsampling now with soxr, filter lengths): chroma values
  move slightly.
- beat_track: 0.11's numba dynamic programme ignores predecessors before frame 0 (0.7.2 scored them as
  zero), and its trimming differs: 0.7.2 trimmed on the smoothed beat envelope and, through an
  off-by-one (``beats[valid.min():valid.max()]``), always dropped the last beat; 0.11 trims frames below
  half the RMS of that envelope and keeps the last beat.  So the beat column can differ in its first and
  last beats.
- MP3: 0.7.2 decoded it through audioread (ffmpeg/GStreamer), we through libsndfile's mpg123; encoder
  delay handling can shift a few samples.
- API only: ``librosa.beat.tempo`` moved to ``librosa.feature.tempo``; beat_track's tempo is an array.

Beyond the recipe (the 35 columns above are not touched by these): the tracker runs at a whole number
of frames per beat, so ``SongAnalysis.tempo`` is taken from the mean beat interval instead, and
``SongAnalysis.beats`` drops first/last beats that break the tempo (``rhythm.steady_beats``).

The log-mel (``mel``) is the 128-band power mel spectrogram in dB that the envelope and MFCC are made
from (n_fft 2048, hop 512 at 15360 Hz, so 0-7680 Hz at exactly the 30 fps of the motion), stored frames
first as (T, 128) float32.  The genre encoder takes 120-frame windows of it, aligned with the segments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studio.audio import beats as beats_module
from studio.audio import blockwise
from studio.core.finedance import MUSIC_DIM

FPS = 30
HOP_LENGTH = 512
SAMPLE_RATE = FPS * HOP_LENGTH  # 15360
TEMPO_SAMPLE_RATE = 22050  # librosa's default rate, where FineDance estimates start_bpm
N_MELS = 128
TIGHTNESS = 100
FEATURE_DIM = MUSIC_DIM  # the 35 columns below (the owner of the number: studio.core.finedance)

ENVELOPE = 0
MFCC = slice(1, 21)
CHROMA = slice(21, 33)
ONSET = 33
BEAT = 34
CONTINUOUS = slice(0, 33)  # envelope, MFCC, chroma: the columns whose scale depends on the recording
MUSIC_NORMS = ("none", "song")


@dataclass(frozen=True, eq=False)
class MusicFeatures:
    features: np.ndarray  # (T, 35) float32
    mel: np.ndarray  # (T, 128) float32, dB
    tempo: float  # the tracker's tempo, BPM (whole frames per beat)
    start_bpm: float  # the 22050 Hz estimate that seeded it
    beat_frames: np.ndarray  # int, frames at 30 fps


def estimate_start_bpm(samples_22050: np.ndarray) -> float:
    """FineDance's ``lr.beat.tempo(y=lr.load(path)[0])[0]``, in 0.11 terms."""
    import librosa

    mel_db = librosa.power_to_db(blockwise.mel_power(samples_22050, TEMPO_SAMPLE_RATE))
    envelope = librosa.onset.onset_strength(S=mel_db, sr=TEMPO_SAMPLE_RATE)
    return blockwise.tempo(envelope, TEMPO_SAMPLE_RATE, start_bpm=120.0)


def music_features(samples: np.ndarray, bpm_hint: float) -> MusicFeatures:
    """The 35-d feature of ``samples`` (mono float32 at 15360 Hz), beat tracking seeded at ``bpm_hint``."""
    import librosa

    sr, hop = SAMPLE_RATE, HOP_LENGTH
    mel_db = librosa.power_to_db(blockwise.mel_power(samples, sr))
    envelope = librosa.onset.onset_strength(S=mel_db, sr=sr, hop_length=hop)
    mfcc = librosa.feature.mfcc(S=mel_db, sr=sr, n_mfcc=20)
    tuning = blockwise.tuning(samples, sr)
    cqt = librosa.cqt(samples, sr=sr, hop_length=hop, n_bins=84, bins_per_octave=12, tuning=tuning, pad_mode="reflect")
    chroma = librosa.feature.chroma_cens(C=np.abs(cqt), sr=sr, hop_length=hop, n_chroma=12, bins_per_octave=12)
    del cqt

    frames = envelope.shape[-1]
    onsets = np.zeros(frames, dtype=np.float32)
    onsets[librosa.onset.onset_detect(onset_envelope=envelope.copy(), sr=sr, hop_length=hop)] = 1.0
    if envelope.any():
        tempo = blockwise.tempo(envelope, sr, start_bpm=bpm_hint)  # what beat_track would estimate
        # librosa.beat.beat_track(onset_envelope=envelope, sr=sr, hop_length=hop, start_bpm=bpm_hint,
        # tightness=TIGHTNESS, bpm=tempo), the same frames without its numba compiles (beats.py)
        beat_frames = beats_module.beat_track(envelope, sr / hop, tempo, tightness=TIGHTNESS)
    else:  # nothing moves: no beats rather than a made-up grid
        tempo, beat_frames = 0.0, np.zeros(0, dtype=int)
    beats = np.zeros(frames, dtype=np.float32)
    beats[beat_frames] = 1.0

    features = np.concatenate([envelope[:, None], mfcc.T, chroma.T, onsets[:, None], beats[:, None]], axis=1)
    return MusicFeatures(
        features=features.astype(np.float32),
        mel=np.ascontiguousarray(mel_db.T, dtype=np.float32),
        tempo=tempo,
        start_bpm=float(bpm_hint),
        beat_frames=np.asarray(beat_frames, dtype=np.int64),
    )


def song_normalized(features: np.ndarray) -> np.ndarray:
    """The 35-d features with their continuous columns z-scored over the song itself.

    Loudness, mixing and the recording chain shift the envelope and the MFCC of a real song far from those of
    synthesised music while its rhythm stays readable: measured over a song, what is left is how each column
    moves within it.  The onset and beat one-hots are left as they are.  A column that does not move keeps
    its offset from the mean at 0.
    """
    features = np.asarray(features, dtype=np.float32)
    out = np.array(features, copy=True)
    part = features[:, CONTINUOUS].astype(np.float64)
    std = part.std(axis=0)
    out[:, CONTINUOUS] = (part - part.mean(axis=0)) / np.where(std > 1e-6, std, 1.0)
    return out


def condition_features(features: np.ndarray, norm: str) -> np.ndarray:
    """What a model with ``music_norm = norm`` sees of a whole song's features."""
    if norm == "song":
        return song_normalized(features)
    if norm == "none":
        return np.asarray(features, dtype=np.float32)
    raise ValueError(f"music_norm must be one of {MUSIC_NORMS}, got {norm!r}")
