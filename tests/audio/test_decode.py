"""Decoding: formats, mono mixdown, resampling, long files."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest
import soundfile

from studio.audio.decoding import decode, resample

SR = 22050


@pytest.fixture(scope="module")
def stereo() -> np.ndarray:
    t = np.arange(5 * SR) / SR
    left = 0.5 * np.sin(2 * np.pi * 440 * t)
    right = 0.3 * np.sin(2 * np.pi * 660 * t)
    return np.stack([left, right], axis=1).astype(np.float32)


def test_wav_stereo_is_mixed_to_the_channel_mean(tmp_path, stereo):
    path = tmp_path / "stereo.wav"
    soundfile.write(path, stereo, SR, subtype="FLOAT")

    samples, sr = decode(path)

    assert sr == SR
    assert samples.dtype == np.float32 and samples.ndim == 1
    np.testing.assert_array_equal(samples, stereo.mean(axis=1))


@pytest.mark.parametrize(
    ("ext", "subtype", "tolerance"),
    [("flac", "PCM_16", 1e-4), ("ogg", "VORBIS", None), ("mp3", "MPEG_LAYER_III", None)],
)
def test_other_soundfile_formats_decode(tmp_path, stereo, ext, subtype, tolerance):
    path = tmp_path / f"song.{ext}"
    soundfile.write(path, stereo, SR, subtype=subtype)

    samples, sr = decode(path)

    assert sr == SR and samples.dtype == np.float32
    assert abs(len(samples) - len(stereo)) < 0.05 * SR
    reference = stereo.mean(axis=1)
    if tolerance is not None:  # lossless
        np.testing.assert_allclose(samples, reference, atol=tolerance)
    else:  # lossy: same loudness
        n = min(len(samples), len(reference))
        assert np.sqrt(np.mean(samples[:n] ** 2)) == pytest.approx(np.sqrt(np.mean(reference[:n] ** 2)), rel=0.1)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # audioread, imported by librosa.load
def test_resampled_decode_equals_librosa_load(tmp_path, stereo):
    import librosa

    path = tmp_path / "stereo.wav"
    soundfile.write(path, stereo, SR, subtype="PCM_16")

    samples, sr = decode(path, sr=15360)
    expected, _ = librosa.load(path, sr=15360)

    assert sr == 15360
    np.testing.assert_array_equal(samples, expected)


def test_resample_length_rule():
    out = resample(np.zeros(44101, dtype=np.float32), 44100, 15360)
    assert len(out) == int(np.ceil(44101 * 15360 / 44100)) and out.dtype == np.float32


def test_a_fifteen_minute_song_decodes_as_float32(tmp_path):
    sr = 8000
    samples = (0.1 * np.sin(np.arange(15 * 60 * sr) * 0.05)).astype(np.float32)
    path = tmp_path / "long.wav"
    soundfile.write(path, samples, sr, subtype="PCM_16")

    decoded, rate = decode(path)

    assert rate == sr and decoded.dtype == np.float32 and len(decoded) == len(samples)


needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
    reason="ffmpeg/ffprobe not installed (Debian package 'ffmpeg'): m4a/aac decoding cannot be tested",
)


@needs_ffmpeg
@pytest.mark.parametrize("ext", ["m4a", "aac"])
def test_aac_decodes_through_ffmpeg(tmp_path, stereo, ext):
    wav, out = tmp_path / "source.wav", tmp_path / f"song.{ext}"
    soundfile.write(wav, stereo, SR, subtype="PCM_16")
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(wav), "-c:a", "aac", str(out)], check=True)

    samples, sr = decode(out)

    assert sr == SR and samples.dtype == np.float32
    assert abs(len(samples) / sr - 5.0) < 0.1
    reference = stereo.mean(axis=1)
    assert np.sqrt(np.mean(samples**2)) == pytest.approx(np.sqrt(np.mean(reference**2)), rel=0.1)
