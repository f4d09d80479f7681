"""Playback transport: the song's play position in seconds, and the sound when there is a sound card.

The position always comes from a monotonic clock, never from the audio callback: an ALSA ``null`` device
accepts samples as fast as they are written, and a machine without a device has no callback at all.
With a stream the clock is latency compensated: what is heard at time t was written ``latency`` seconds
earlier, so after ``play()`` or ``seek()`` the position holds still for that long before it moves.

When PortAudio is missing (``import sounddevice`` raises OSError), no device exists, or the stream will
not open or start, the transport falls back to a silent clock and says why in ``silent_reason``; the
editor keeps animating the dance in time.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable

import numpy as np


def _sounddevice():
    """The ``sounddevice`` module; a seam for tests.  Raises OSError without libportaudio2."""
    import sounddevice

    return sounddevice


def output_devices() -> list[str]:
    """Names of the audio output devices PortAudio sees (empty without PortAudio or devices)."""
    try:
        devices = _sounddevice().query_devices()
    except Exception:  # OSError without libportaudio2, PortAudioError: nothing to list
        return []
    names = [d["name"] for d in devices if d.get("max_output_channels", 0) > 0]
    return list(dict.fromkeys(names))


class Transport:
    """Play / pause / seek over one song; ``position()`` in seconds."""

    def __init__(
        self,
        samples: np.ndarray | None,
        sample_rate: int,
        *,
        duration: float | None = None,
        use_device: bool = True,
        device: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``device``: the name of an output device (see :func:`output_devices`); None: the default one.
        A named device that cannot be opened falls back to the default (``note`` says so)."""
        self.sample_rate = int(sample_rate)
        self.samples = None if samples is None else np.ascontiguousarray(samples, dtype=np.float32)
        if duration is None:
            duration = 0.0 if self.samples is None else len(self.samples) / self.sample_rate
        self.duration = float(duration)
        self._clock = clock
        self._lock = threading.Lock()
        self._playing = False
        self._anchor_position = 0.0  # song seconds at the anchor
        self._anchor_time = 0.0  # clock time of the anchor
        self._cursor = 0  # next sample the callback writes
        self._stream = None
        self.latency = 0.0
        self.silent_reason = ""
        self.device = device or None
        self.note = ""  # e.g. the chosen device was missing and the default one plays
        if self.samples is None:
            self.silent_reason = "no audio to play"
        elif not use_device:
            self.silent_reason = "sound output turned off"
        else:
            self._open_stream()

    # -- state ------------------------------------------------------------------------------------

    @property
    def is_silent(self) -> bool:
        return self._stream is None

    @property
    def is_playing(self) -> bool:
        return self._playing

    def position(self) -> float:
        """Seconds into the song that the listener hears now; stops at the end."""
        if not self._playing:
            return self._anchor_position
        elapsed = self._clock() - self._anchor_time - self.latency
        position = self._anchor_position + max(0.0, elapsed)
        if position >= self.duration:
            self._stop_at(self.duration)
            return self.duration
        return position

    # -- commands ---------------------------------------------------------------------------------

    def play(self) -> None:
        if self._playing:
            return
        if self._anchor_position >= self.duration:  # play at the end starts over
            self._anchor_position = 0.0
        self._anchor_time = self._clock()
        self._playing = True
        if self._stream is not None:
            self._move_cursor(self._anchor_position)
            try:
                self._stream.start()
            except Exception as error:  # any PortAudio failure: keep time silently
                self._fall_silent(f"the audio stream would not start ({error})")

    def pause(self) -> None:
        if self._playing:
            self._stop_at(self.position())

    def toggle(self) -> None:
        if self._playing:
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        """Jump to ``seconds`` (clamped to the song); keeps playing if it was."""
        self._anchor_position = min(max(float(seconds), 0.0), self.duration)
        self._anchor_time = self._clock()
        self._move_cursor(self._anchor_position)

    def close(self) -> None:
        self._playing = False
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.abort()
            finally:
                stream.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------------------

    def _stop_at(self, position: float) -> None:
        self._anchor_position = position
        self._playing = False
        if self._stream is not None:
            try:
                self._stream.abort()  # abort, not stop: pause must be immediate, not drain the buffer
            except Exception as error:
                self._fall_silent(f"the audio stream failed ({error})")

    def _move_cursor(self, seconds: float) -> None:
        with self._lock:
            self._cursor = round(seconds * self.sample_rate)

    def _open_stream(self) -> None:
        try:
            sd = _sounddevice()
        except OSError as error:
            self.silent_reason = f"no sound: PortAudio is missing ({error}); install libportaudio2"
            return
        except ImportError as error:
            self.silent_reason = f"no sound: the sounddevice package is missing ({error})"
            return
        options = dict(samplerate=self.sample_rate, channels=1, dtype="float32", callback=self._callback)
        stream = None
        if self.device is not None:
            try:
                stream = sd.OutputStream(device=self.device, **options)
            except Exception as error:  # unplugged, renamed, busy
                self.note = f"the audio device {self.device!r} could not be opened ({error}); using the default one"
        try:
            stream = stream or sd.OutputStream(**options)
        except Exception as error:  # PortAudioError, ValueError: no usable device
            self.silent_reason = f"no sound: no audio output device could be opened ({error})"
            return
        self._stream = stream
        self.latency = float(stream.latency or 0.0)

    def _fall_silent(self, reason: str) -> None:
        stream, self._stream = self._stream, None
        self.silent_reason = f"no sound: {reason}"
        self.latency = 0.0
        if stream is not None:
            with contextlib.suppress(Exception):  # already failing; the clock goes on
                stream.close()

    def _callback(self, outdata, frames, time_info, status) -> None:  # audio thread
        with self._lock:
            start = self._cursor
            self._cursor += frames
        chunk = self.samples[start : start + frames] if start < len(self.samples) else self.samples[:0]
        outdata[: len(chunk), 0] = chunk
        outdata[len(chunk) :] = 0.0
