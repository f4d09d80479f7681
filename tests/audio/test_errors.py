"""Every way a song file can be bad gives its own clear error: the file, what was expected, what was found."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from studio.audio import decoding as decode_module
from studio.audio.analysis import analyze
from studio.core.errors import AudioError

SR = 22050


def _noise(seconds: float) -> np.ndarray:
    return (0.2 * np.random.default_rng(0).standard_normal(int(seconds * SR))).astype(np.float32)


def _expect(path: Path, reason: str, *words: str) -> AudioError:
    with pytest.raises(AudioError) as caught:
        analyze(path, cache=False)
    error = caught.value
    message = str(error)
    assert error.reason == reason, message
    assert error.source == str(path) and str(path) in message
    assert error.expected and error.found and f"expected {error.expected}, found {error.found}" in message
    for word in words:
        assert word in message, message
    return error


def _cut(path: Path, keep: float) -> Path:
    data = path.read_bytes()
    cut = path.with_name(f"cut_{path.name}")
    cut.write_bytes(data[: int(len(data) * keep)])
    return cut


def test_missing_file(tmp_path):
    _expect(tmp_path / "nowhere.wav", "missing", "no file")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.touch()
    _expect(path, "empty", "0 bytes")


def test_text_file_renamed_to_wav(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("These are my choreography notes, not a song.\n" * 20)
    _expect(path, "not-audio", "text file")


def test_an_image_renamed_to_mp3_is_not_audio(tmp_path):
    path = tmp_path / "cover.mp3"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(np.random.default_rng(1).integers(0, 256, 5000, dtype=np.uint8)))
    _expect(path, "not-audio", "no audio format")


def test_truncated_wav(tmp_path):
    path = tmp_path / "song.wav"
    soundfile.write(path, _noise(10), SR)
    _expect(_cut(path, 0.5), "corrupt", "cut off")


def test_truncated_flac(tmp_path):
    path = tmp_path / "song.flac"
    soundfile.write(path, _noise(10), SR)
    _expect(_cut(path, 0.5), "corrupt", "FLAC")


def test_truncated_ogg(tmp_path):
    path = tmp_path / "song.ogg"
    soundfile.write(path, _noise(10), SR)
    _expect(_cut(path, 0.5), "corrupt", "cut off")


def test_damaged_header(tmp_path):
    path = tmp_path / "song.ogg"
    soundfile.write(path, _noise(10), SR)
    _expect(_cut(path, 0.02), "corrupt", "damaged")


def test_silence(tmp_path):
    path = tmp_path / "silence.wav"
    soundfile.write(path, np.zeros(10 * SR, dtype=np.float32), SR)
    _expect(path, "silence", "digital silence")


def test_nearly_silent_hiss_is_silence(tmp_path):
    path = tmp_path / "hiss.wav"
    soundfile.write(path, _noise(10) * 1e-4, SR, subtype="FLOAT")
    _expect(path, "silence", "dBFS")


def test_too_short(tmp_path):
    path = tmp_path / "short.wav"
    soundfile.write(path, _noise(2.5), SR)
    _expect(path, "too-short", "2.50 s", "at least 4 s")


@pytest.mark.parametrize(
    "value, subtype, found",
    [
        (np.nan, "FLOAT", "found 300 NaN samples in 10.0 s of audio, the first at 2.000 s"),
        (np.inf, "FLOAT", "found 300 infinite samples in 10.0 s of audio, the first at 2.000 s"),
        (-np.inf, "DOUBLE", "found 300 infinite samples"),
    ],
)
def test_non_finite_samples(tmp_path, value, subtype, found):
    """A float WAV with NaN or infinite samples (a broken exporter) is refused, not danced to."""
    samples = _noise(10)
    samples[2 * SR : 2 * SR + 300] = value
    path = tmp_path / "broken.wav"
    soundfile.write(path, samples, SR, subtype=subtype)
    assert np.count_nonzero(~np.isfinite(soundfile.read(path, dtype="float32")[0])) == 300  # really in the file
    error = _expect(path, "corrupt", found, "export the song again")
    assert error.expected == "finite sample values"


def test_nan_in_one_channel_and_both_kinds(tmp_path):
    stereo = np.stack([_noise(10), _noise(10)], axis=1)
    stereo[SR // 2, 1] = np.nan  # one channel: the mixed-down sample is NaN too
    stereo[3 * SR, 0] = np.inf
    path = tmp_path / "stereo.wav"
    soundfile.write(path, stereo, SR, subtype="FLOAT")
    _expect(path, "corrupt", "1 NaN sample and 1 infinite sample", "the first at 0.500 s")


def test_all_nan_is_not_taken_for_silence(tmp_path):
    path = tmp_path / "nothing.wav"
    soundfile.write(path, np.full(10 * SR, np.nan, np.float32), SR, subtype="FLOAT")
    _expect(path, "corrupt", "220500 NaN samples")


def test_validate_song_refuses_non_finite_samples():
    samples = _noise(10)
    samples[-1] = np.nan
    with pytest.raises(AudioError, match=r"song\.wav: expected finite sample values, found 1 NaN sample in 10\.0 s"):
        decode_module.validate_song(samples, SR, "song.wav")
    decode_module.validate_song(_noise(10), SR, "song.wav")  # a good one passes


def test_unsupported_extension(tmp_path):
    path = tmp_path / "song.mid"
    path.write_bytes(b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x01\xe0")
    _expect(path, "unsupported", "'.mid'")


def test_unsupported_wav_codec(tmp_path):
    path = tmp_path / "song.wav"
    soundfile.write(path, _noise(5), SR, subtype="PCM_16")
    data = bytearray(path.read_bytes())
    fmt = data.find(b"fmt ")
    data[fmt + 8 : fmt + 10] = struct.pack("<H", 0x1234)
    path.write_bytes(bytes(data))
    _expect(path, "unsupported", "0x1234")


def test_m4a_without_ffmpeg_says_to_install_it(tmp_path, monkeypatch):
    path = tmp_path / "song.m4a"
    path.write_bytes(b"\x00\x00\x00\x20ftypM4A " + bytes(64))
    monkeypatch.setattr(decode_module.shutil, "which", lambda name: None)
    _expect(path, "unsupported", "ffmpeg")


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg not installed (Debian package 'ffmpeg')")
def test_truncated_m4a(tmp_path):
    wav, m4a = tmp_path / "source.wav", tmp_path / "song.m4a"
    soundfile.write(wav, _noise(6), SR)
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(wav), "-c:a", "aac", str(m4a)], check=True)
    _expect(_cut(m4a, 0.3), "corrupt")
