"""Playback: the song's ``studio.audio.transport.Transport`` clock drives the playhead and the viewport.

A ``QTimer`` (~16 ms, about the display's rate) reads ``transport.position()`` while playing and emits
``position_changed``; the position comes from a monotonic clock, so without an audio device the same
code runs on a silent clock (``silent_reason`` says why, the status bar shows it). A loop span (the
selected segment) jumps back to its start when the playhead passes its end.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal

from studio.audio.transport import Transport

TICK_MS = 16


def make_transport(samples: np.ndarray | None, sample_rate: int, duration: float, audio: str) -> Transport:
    """A transport for a song (safe on a worker thread: opening a PortAudio stream can take a moment).

    ``audio``: the Sound preference: "default", "off" (a silent clock) or an output device's name.
    """
    device = None if audio in ("default", "off") else audio
    return Transport(samples, sample_rate, duration=duration, use_device=audio != "off", device=device)


class Playback(QObject):
    """Play / pause / seek / loop over the current song's transport."""

    position_changed = Signal(float)
    playing_changed = Signal(bool)
    transport_changed = Signal(str)  # the silent reason, "" when sound plays through a device

    def __init__(self, parent: QObject | None = None, tick_ms: int = TICK_MS) -> None:
        super().__init__(parent)
        self.transport: Transport | None = None
        self.loop: tuple[float, float] | None = None
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0

    # -- the song ---------------------------------------------------------------------------------------
    def set_transport(self, transport: Transport | None) -> None:
        """Play ``transport`` from now on (the previous one is closed)."""
        was_playing = self.is_playing
        old, self.transport = self.transport, transport
        if old is not None:
            old.close()
        self._timer.stop()
        self.loop = None
        self._last = 0.0
        if was_playing:
            self.playing_changed.emit(False)
        self.transport_changed.emit(self.silent_reason)
        self.position_changed.emit(0.0)

    @property
    def silent_reason(self) -> str:
        if self.transport is None:
            return "no song"
        return self.transport.silent_reason if self.transport.is_silent else ""

    @property
    def duration(self) -> float:
        return self.transport.duration if self.transport is not None else 0.0

    @property
    def is_playing(self) -> bool:
        return self.transport is not None and self.transport.is_playing

    def position(self) -> float:
        return self.transport.position() if self.transport is not None else 0.0

    # -- commands -----------------------------------------------------------------------------------------
    def play(self) -> None:
        if self.transport is None or self.is_playing:
            return
        if self.loop is not None and not self.loop[0] <= self.transport.position() < self.loop[1]:
            self.transport.seek(self.loop[0])
        self.transport.play()
        self._timer.start()
        self.playing_changed.emit(True)
        self._tick()

    def pause(self) -> None:
        if self.transport is None or not self.is_playing:
            return
        self.transport.pause()
        self._timer.stop()
        self.playing_changed.emit(False)
        self._emit(self.transport.position())

    def toggle(self) -> None:
        if self.is_playing:
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        if self.transport is None:
            return
        self.transport.seek(seconds)
        self._emit(self.transport.position())

    def set_loop(self, span: tuple[float, float] | None) -> None:
        """Loop ``(start, end)`` seconds while playing (None: play through)."""
        self.loop = None if span is None else (float(span[0]), float(span[1]))

    def close(self) -> None:
        self._timer.stop()
        if self.transport is not None:
            self.transport.close()
            self.transport = None

    # -- the clock ----------------------------------------------------------------------------------------
    def _tick(self) -> None:
        transport = self.transport
        if transport is None:
            self._timer.stop()
            return
        position = transport.position()
        if self.loop is not None and position >= self.loop[1] - 1e-3:
            transport.seek(self.loop[0])
            if not transport.is_playing:  # the loop ends with the song: the transport stopped there
                transport.play()
            position = transport.position()
        if not transport.is_playing:  # reached the end
            self._timer.stop()
            self.playing_changed.emit(False)
        self._emit(position)

    def _emit(self, position: float) -> None:
        self._last = position
        self.position_changed.emit(position)
