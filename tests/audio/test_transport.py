"""The playback transport: a clock from time.monotonic (faked here), sound when a stream opens."""

from __future__ import annotations

import numpy as np
import pytest

from studio.audio import transport as transport_module
from studio.audio.transport import Transport

SR = 1000


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class FakeStream:
    def __init__(self, latency: float = 0.1, fail_start: bool = False, **kwargs) -> None:
        self.latency, self.fail_start, self.kwargs = latency, fail_start, kwargs
        self.calls: list[str] = []

    def start(self) -> None:
        self.calls.append("start")
        if self.fail_start:
            raise RuntimeError("device went away")

    def abort(self) -> None:
        self.calls.append("abort")

    def close(self) -> None:
        self.calls.append("close")


class FakeSoundDevice:
    def __init__(self, **stream_options) -> None:
        self.stream_options = stream_options
        self.streams: list[FakeStream] = []

    def OutputStream(self, **kwargs):
        stream = FakeStream(**self.stream_options, **kwargs)
        self.streams.append(stream)
        return stream


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def song():
    return np.linspace(-1, 1, 20 * SR, dtype=np.float32)  # 20 s


def _with_backend(monkeypatch, backend) -> None:
    def load():
        if isinstance(backend, Exception):
            raise backend
        return backend

    monkeypatch.setattr(transport_module, "_sounddevice", load)


def test_missing_portaudio_gives_a_silent_clock_with_the_reason(monkeypatch, song, clock):
    _with_backend(monkeypatch, OSError("PortAudio library not found"))
    transport = Transport(song, SR, clock=clock)

    assert transport.is_silent
    assert "PortAudio" in transport.silent_reason and "libportaudio2" in transport.silent_reason
    transport.play()
    clock.now += 2.5
    assert transport.position() == pytest.approx(2.5)


def test_no_output_device_gives_a_silent_clock(monkeypatch, song, clock):
    class NoDevice:
        def OutputStream(self, **kwargs):
            raise ValueError("No output device matching ''")

    _with_backend(monkeypatch, NoDevice())
    transport = Transport(song, SR, clock=clock)

    assert transport.is_silent and "output device" in transport.silent_reason


def test_play_pause_seek_arithmetic(song, clock):
    transport = Transport(song, SR, use_device=False, clock=clock)
    assert transport.is_silent and transport.duration == 20.0 and transport.position() == 0.0

    transport.play()
    clock.now += 1.5
    assert transport.position() == pytest.approx(1.5)
    transport.pause()
    clock.now += 10
    assert transport.position() == pytest.approx(1.5) and not transport.is_playing

    transport.seek(10.0)
    assert transport.position() == 10.0
    transport.play()
    clock.now += 2
    assert transport.position() == pytest.approx(12.0)
    transport.seek(3.0)  # while playing
    clock.now += 1
    assert transport.position() == pytest.approx(4.0) and transport.is_playing

    transport.seek(-5)
    assert transport.position() == 0.0
    transport.seek(99)
    assert transport.position() == 20.0


def test_playback_stops_at_the_end_and_play_starts_over(song, clock):
    transport = Transport(song, SR, use_device=False, clock=clock)
    transport.seek(19.0)
    transport.play()
    clock.now += 5
    assert transport.position() == 20.0 and not transport.is_playing

    transport.play()
    clock.now += 1
    assert transport.position() == pytest.approx(1.0)


def test_a_clock_without_audio(clock):
    transport = Transport(None, SR, duration=8.0, clock=clock)
    transport.toggle()
    clock.now += 3
    assert transport.is_silent and transport.position() == pytest.approx(3.0)
    transport.toggle()
    assert not transport.is_playing


def test_stream_position_is_latency_compensated(monkeypatch, song, clock):
    backend = FakeSoundDevice(latency=0.1)
    _with_backend(monkeypatch, backend)
    transport = Transport(song, SR, clock=clock)
    stream = backend.streams[0]
    assert not transport.is_silent and transport.latency == 0.1
    assert stream.kwargs["samplerate"] == SR and stream.kwargs["channels"] == 1

    transport.seek(5.0)
    transport.play()
    clock.now += 0.05  # the first samples have not reached the speaker yet
    assert transport.position() == 5.0
    clock.now += 0.35
    assert transport.position() == pytest.approx(5.3)
    transport.pause()
    assert stream.calls == ["start", "abort"] and transport.position() == pytest.approx(5.3)


def test_the_callback_writes_from_the_play_position(monkeypatch, song, clock):
    _with_backend(monkeypatch, FakeSoundDevice())
    transport = Transport(song, SR, clock=clock)
    out = np.full((256, 1), 9.0, dtype=np.float32)

    transport.seek(2.0)
    transport._callback(out, 256, None, None)
    np.testing.assert_array_equal(out[:, 0], song[2 * SR : 2 * SR + 256])

    transport.seek(20.0 - 100 / SR)  # 100 samples before the end
    transport._callback(out, 256, None, None)
    np.testing.assert_array_equal(out[:100, 0], song[-100:])
    assert np.all(out[100:] == 0.0)


def test_a_stream_that_will_not_start_falls_back_to_silence(monkeypatch, song, clock):
    _with_backend(monkeypatch, FakeSoundDevice(fail_start=True))
    transport = Transport(song, SR, clock=clock)

    transport.play()
    clock.now += 1.0

    assert transport.is_silent and "would not start" in transport.silent_reason
    assert transport.position() == pytest.approx(1.0)  # latency no longer applies


def test_the_real_backend_never_raises(song):
    with Transport(song, SR) as transport:  # sound, or a silent clock that says why
        assert transport.is_silent == bool(transport.silent_reason)
        transport.play()
        transport.pause()
        assert 0.0 <= transport.position() <= transport.duration


def test_a_named_output_device_is_opened_and_a_missing_one_falls_back_to_the_default(monkeypatch, song, clock):
    class Picky(FakeSoundDevice):
        def OutputStream(self, **kwargs):
            if kwargs.get("device") not in (None, "USB Audio"):
                raise ValueError(f"No output device matching {kwargs['device']!r}")
            return super().OutputStream(**kwargs)

    backend = Picky()
    _with_backend(monkeypatch, backend)
    transport = Transport(song, SR, device="USB Audio", clock=clock)
    assert not transport.is_silent and not transport.note
    assert backend.streams[-1].kwargs["device"] == "USB Audio"

    transport = Transport(song, SR, device="Headphones", clock=clock)
    assert not transport.is_silent
    assert "Headphones" in transport.note and "default" in transport.note
    assert "device" not in backend.streams[-1].kwargs


def test_output_devices_lists_the_devices_that_can_play(monkeypatch):
    class Listing:
        def query_devices(self):
            return [{"name": "Mic", "max_output_channels": 0}, {"name": "Speakers", "max_output_channels": 2},
                    {"name": "HDMI", "max_output_channels": 8}]  # fmt: skip

    _with_backend(monkeypatch, Listing())
    assert transport_module.output_devices() == ["Speakers", "HDMI"]
    _with_backend(monkeypatch, OSError("PortAudio library not found"))
    assert transport_module.output_devices() == []
