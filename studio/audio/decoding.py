"""Decode a song file to mono float32 samples, or say clearly why not.

wav/flac/ogg/opus/mp3/aiff go through libsndfile (``soundfile``); m4a/aac/mp4 through the ``ffmpeg``
program.  Samples are read in blocks and mixed down to mono as they come (the mean of the channels, as
``librosa.to_mono`` does), so a 15-minute stereo song costs only its mono float32 samples.  Resampling
uses soxr "HQ" and the length rule of ``librosa.resample`` so that ``decode(path, sr)`` returns exactly
what ``librosa.load(path, sr=sr)`` returns in librosa 0.11.

Every failure is an ``AudioError`` whose ``reason`` attribute is one of ``REASONS``, so the UI can pick a
message or an icon without parsing text.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np

from studio.core.errors import AudioError

SOUNDFILE_EXTENSIONS = frozenset({".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff"})
FFMPEG_EXTENSIONS = frozenset({".m4a", ".aac", ".mp4"})
SUPPORTED_EXTENSIONS = SOUNDFILE_EXTENSIONS | FFMPEG_EXTENSIONS

MIN_SONG_SECONDS = 4.0  # one generation segment
SILENCE_DBFS = -60.0  # a peak below this is no song
REASONS = ("missing", "unreadable", "empty", "unsupported", "not-audio", "corrupt", "silence", "too-short")

_BLOCK_FRAMES = 1 << 18
# WAV codec tags libsndfile decodes: PCM, IEEE float, A-law, µ-law, MS/IMA ADPCM, GSM 6.10, extensible.
_WAV_CODECS = {0x0001, 0x0003, 0x0006, 0x0007, 0x0002, 0x0011, 0x0031, 0xFFFE}
_SUPPORTED_TEXT = ", ".join(sorted(ext.lstrip(".") for ext in SUPPORTED_EXTENSIONS))


def audio_error(source: str | Path, reason: str, *, expected: str, found: str, hint: str = "") -> AudioError:
    """An ``AudioError`` tagged with a machine-readable ``reason`` (one of ``REASONS``)."""
    error = AudioError(source, expected=expected, found=found, hint=hint)
    error.reason = reason
    return error


def decode(path: str | Path, sr: int | None = None) -> tuple[np.ndarray, int]:
    """Samples (float32, mono) and their sample rate; resampled to ``sr`` when given."""
    path = Path(path)
    check_file(path)
    if path.suffix.lower() in FFMPEG_EXTENSIONS:
        samples, native = _decode_ffmpeg(path)
    else:
        samples, native = _decode_soundfile(path)
    check_finite(samples, native, path)
    if sr is not None and sr != native:
        samples = resample(samples, native, sr)
        native = sr
    return samples, native


def resample(samples: np.ndarray, orig_sr: int, target_sr: int) -> np.ndarray:
    """soxr HQ, trimmed or padded to ceil(n * ratio) samples (the ``librosa.resample`` rule)."""
    import soxr

    out = soxr.resample(samples, orig_sr, target_sr, quality="soxr_hq")
    size = int(np.ceil(len(samples) * float(target_sr) / orig_sr))
    if len(out) >= size:
        return np.ascontiguousarray(out[:size], dtype=np.float32)
    return np.pad(out, (0, size - len(out))).astype(np.float32)


def check_finite(samples: np.ndarray, sr: int, source: str | Path) -> None:
    """Reject samples that are not numbers (NaN) or infinite: a float file written by a broken program.

    The message says how many there are and where the first one is. A sum is the cheap test (NaN and inf
    survive it); the counting runs only for a bad file.
    """
    if np.isfinite(np.sum(samples, dtype=np.float64)):
        return
    bad = ~np.isfinite(samples)
    if not bad.any():  # only the float64 sum overflowed (samples near float64's limit): they are finite
        return
    nan = int(np.count_nonzero(np.isnan(samples)))
    inf = int(np.count_nonzero(bad)) - nan
    kinds = " and ".join(f"{count} {name} sample{'s' if count > 1 else ''}"
                         for count, name in ((nan, "NaN"), (inf, "infinite")) if count)  # fmt: skip
    first = int(np.argmax(bad)) / sr
    raise audio_error(
        source,
        "corrupt",
        expected="finite sample values",
        found=f"{kinds} in {len(samples) / sr:.1f} s of audio, the first at {first:.3f} s",
        hint="the program that wrote the file stored invalid numbers; export the song again, e.g. as 16-bit PCM",
    )


def validate_song(samples: np.ndarray, sr: int, source: str | Path) -> None:
    """Reject what decodes fine but is no song to dance to: NaN or infinite samples, too short, or silent."""
    check_finite(samples, sr, source)
    seconds = len(samples) / sr
    if seconds < MIN_SONG_SECONDS:
        raise audio_error(
            source,
            "too-short",
            expected=f"a song of at least {MIN_SONG_SECONDS:g} s",
            found=f"{seconds:.2f} s of audio",
        )
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    if peak <= 10 ** (SILENCE_DBFS / 20):
        level = "digital silence" if peak == 0 else f"a peak level of {20 * np.log10(peak):.0f} dBFS"
        raise audio_error(
            source,
            "silence",
            expected=f"audible sound (peak above {SILENCE_DBFS:g} dBFS)",
            found=level,
            hint="check the file plays in another player",
        )


# -- checks before decoding -----------------------------------------------------------------------


def check_file(path: Path) -> None:
    """Errors that need no decoding: missing, empty, unsupported extension, a text file."""
    if not path.exists():
        raise audio_error(path, "missing", expected="an audio file", found="no file at this path")
    if not path.is_file():
        raise audio_error(path, "missing", expected="an audio file", found="a folder")
    if path.stat().st_size == 0:
        raise audio_error(path, "empty", expected="an audio file", found="an empty file (0 bytes)")
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        found = f"the extension '{path.suffix}'" if path.suffix else "a file name without extension"
        raise audio_error(
            path,
            "unsupported",
            expected=f"one of the formats {_SUPPORTED_TEXT}",
            found=found,
            hint="convert the song to wav, flac or mp3",
        )
    try:
        head = _head(path)
    except OSError as error:
        raise audio_error(
            path, "unreadable", expected="a file this user may read", found=f"{error.strerror or error}"
        ) from None
    if _looks_like_text(head):
        raise audio_error(path, "not-audio", expected="audio data", found="a text file")


def _head(path: Path, size: int = 4096) -> bytes:
    with path.open("rb") as stream:
        return stream.read(size)


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:  # a multi-byte character cut at the end of the window
        if error.start < len(head) - 4:
            return False
        text = head[: error.start].decode("utf-8")
    return all(ch.isprintable() or ch in "\r\n\t\f" for ch in text)


def _container(head: bytes) -> str | None:
    """The container the first bytes announce, if any we know."""
    if head[:4] in (b"RIFF", b"RF64") and head[8:12] == b"WAVE":
        return "WAV"
    if head[:4] == b"fLaC":
        return "FLAC"
    if head[:4] == b"OggS":
        return "Ogg"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "AIFF"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "MPEG audio"
    if head[4:8] == b"ftyp":
        return "MP4"
    return None


# -- libsndfile ------------------------------------------------------------------------------------


def _decode_soundfile(path: Path) -> tuple[np.ndarray, int]:
    import soundfile

    head = _head(path)
    try:
        stream = soundfile.SoundFile(path)
    except soundfile.LibsndfileError as error:
        raise _open_error(path, head, error) from None
    with stream:
        declared, sr, fmt = stream.frames, stream.samplerate, stream.format
        samples = np.empty(max(declared, 0), dtype=np.float32)
        filled = 0
        try:
            for block in stream.blocks(_BLOCK_FRAMES, dtype="float32", always_2d=True):
                mono = block[:, 0] if block.shape[1] == 1 else block.mean(axis=1)
                if filled + len(mono) > len(samples):  # the header undercounted: grow
                    samples = np.concatenate([samples[:filled], np.empty(len(mono) + len(samples), np.float32)])
                samples[filled : filled + len(mono)] = mono
                filled += len(mono)
        except soundfile.LibsndfileError as error:
            raise audio_error(
                path,
                "corrupt",
                expected=f"a complete {fmt} file",
                found=f"a decoding error after {filled / sr:.1f} s ({error.error_string.strip()})",
                hint="the file is damaged or was cut off; export or download it again",
            ) from None
    samples = samples[:filled]
    _check_complete(path, fmt, declared, filled, sr)
    return samples, sr


def _open_error(path: Path, head: bytes, error: Exception) -> AudioError:
    container = _container(head)
    if container == "WAV":
        tag = _wav_codec(path)
        if tag is not None and tag not in _WAV_CODECS:
            return audio_error(
                path,
                "unsupported",
                expected="a WAV file in PCM, float, A-law, µ-law, ADPCM or GSM",
                found=f"a WAV file in codec 0x{tag:04X}",
                hint="convert the song to plain PCM wav or flac",
            )
    if container is not None:
        return audio_error(
            path,
            "corrupt",
            expected=f"a readable {container} file",
            found=f"a damaged {container} file ({getattr(error, 'error_string', str(error)).strip()})",
            hint="the file is damaged or was cut off; export or download it again",
        )
    return audio_error(
        path, "not-audio", expected="audio data", found=f"data in no audio format we know (starts {head[:8]!r})"
    )


def _check_complete(path: Path, fmt: str, declared: int, decoded: int, sr: int) -> None:
    """libsndfile quietly plays what is there of a cut-off file: compare with what the file promised."""
    if fmt == "WAV":
        cut = _wav_missing_bytes(path) > 0
    elif fmt == "OGG":
        cut = not _ogg_ends_cleanly(path)
    else:  # FLAC and MP3 headers give the frame count; 5% slack for encoder estimates
        cut = declared > 0 and decoded < 0.95 * declared
    if cut:
        raise audio_error(
            path,
            "corrupt",
            expected=f"a complete {fmt} file",
            found=f"a file cut off after {decoded / sr:.1f} s",
            hint="the file was not fully written or downloaded; export or download it again",
        )


def _wav_chunks(path: Path):
    """(chunk id, offset of its data, declared size) of each top-level RIFF chunk."""
    size = path.stat().st_size
    with path.open("rb") as stream:
        offset = 12
        while offset + 8 <= size:
            stream.seek(offset)
            chunk_id, length = struct.unpack("<4sI", stream.read(8))
            yield chunk_id, offset + 8, length
            offset += 8 + length + (length & 1)


def _wav_codec(path: Path) -> int | None:
    for chunk_id, start, _ in _wav_chunks(path):
        if chunk_id == b"fmt ":
            with path.open("rb") as stream:
                stream.seek(start)
                data = stream.read(2)
            return struct.unpack("<H", data)[0] if len(data) == 2 else None
    return None


def _wav_missing_bytes(path: Path) -> int:
    size = path.stat().st_size
    for chunk_id, start, length in _wav_chunks(path):
        if chunk_id == b"data":
            if length in (0, 0xFFFFFFFF):  # streaming writers leave the size open
                return 0
            return max(0, start + length - size)
    return 0


def _ogg_ends_cleanly(path: Path) -> bool:
    """The last Ogg page must be complete and carry the end-of-stream flag."""
    size = path.stat().st_size
    with path.open("rb") as stream:
        stream.seek(max(0, size - 70_000))  # an Ogg page is at most 65,307 bytes
        tail = stream.read()
    at = tail.rfind(b"OggS")
    if at < 0 or len(tail) < at + 27:
        return False
    flags, segments = tail[at + 5], tail[at + 26]
    table = tail[at + 27 : at + 27 + segments]
    complete = len(table) == segments and at + 27 + segments + sum(table) == len(tail)
    return complete and bool(flags & 0x04)


# -- ffmpeg ----------------------------------------------------------------------------------------


def _decode_ffmpeg(path: Path) -> tuple[np.ndarray, int]:
    ffmpeg, ffprobe = shutil.which("ffmpeg"), shutil.which("ffprobe")
    if ffmpeg is None or ffprobe is None:
        raise audio_error(
            path,
            "unsupported",
            expected=f"the ffmpeg program to decode {path.suffix} files",
            found="no ffmpeg/ffprobe on this computer",
            hint="install ffmpeg (Debian/Ubuntu: apt install ffmpeg) or convert the song to wav, flac or mp3",
        )
    entries = "stream=sample_rate,channels,codec_name:format=duration"
    probe = subprocess.run(
        [ffprobe, "-v", "error", "-select_streams", "a:0", "-show_entries", entries, "-of", "json", str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    info = json.loads(probe.stdout or "{}") if probe.returncode == 0 else {}
    streams = info.get("streams", [])
    if probe.returncode == 0 and not streams:
        raise audio_error(path, "not-audio", expected="a file with an audio stream", found="no audio stream in it")
    if not streams:
        container = _container(_head(path))
        detail = probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else f"ffprobe exit {probe.returncode}"
        if container is not None:
            raise audio_error(
                path,
                "corrupt",
                expected=f"a readable {container} file",
                found=f"a damaged file ({detail})",
                hint="the file is damaged or was cut off; export or download it again",
            )
        raise audio_error(path, "not-audio", expected="audio data", found=f"data ffmpeg cannot read ({detail})")
    sr, channels = int(streams[0]["sample_rate"]), max(1, int(streams[0].get("channels") or 1))
    # The mean of the channels, as for the other formats (ffmpeg's own "-ac 1" scales by 1/sqrt(2)).
    mono = "pan=mono|c0=" + "+".join(f"{1 / channels:.9g}*c{i}" for i in range(channels))
    run = subprocess.run(
        [ffmpeg, "-nostdin", "-v", "error", "-i", str(path), "-map", "0:a:0", "-af", mono, "-f", "f32le", "-"],
        capture_output=True, check=False,
    )  # fmt: skip
    if run.returncode != 0:
        detail = run.stderr.decode(errors="replace").strip().splitlines()
        raise audio_error(
            path,
            "corrupt",
            expected=f"a decodable {streams[0].get('codec_name', 'audio')} stream",
            found=f"a decoding error ({detail[-1] if detail else f'ffmpeg exit {run.returncode}'})",
            hint="the file is damaged or was cut off; export or download it again",
        )
    samples = np.frombuffer(run.stdout, dtype="<f4").astype(np.float32)
    promised = float(info.get("format", {}).get("duration", 0) or 0)
    if len(samples) < 0.95 * promised * sr:
        raise audio_error(
            path,
            "corrupt",
            expected=f"{promised:.1f} s of audio, as the file header says",
            found=f"a file cut off after {len(samples) / sr:.1f} s",
            hint="the file was not fully written or downloaded; export or download it again",
        )
    return samples, sr
