"""The window never freezes: while a whole song is generated, the event loop keeps turning.

A 5-ms QTimer measures the longest gap between its ticks (a stall) from the moment the song is opened until
every segment has its dance. The generator is CPU-bound Python in a worker thread (the procedural baseline,
or a stand-in that burns 150 ms of Python per candidate), so it competes with the UI for the GIL and the CPU.

The viewport is a QOpenGLWindow in a window container: under Xvfb it renders with llvmpipe (software GL)
into its own surface, so a repaint of another widget does not compose the GL scene again. The tests with the
placeholder viewport show what our own code costs; the GL tests add the software renderer's frames.
"""

from __future__ import annotations

import pytest

TARGET_STALL_MS = 100.0  # the target: reported here, tracked by benchmark, not asserted
FREEZE_MS = 1000.0  # a gap this long is a freeze that a person notices, whatever else the machine is doing


def _check(meter, load_before: float) -> None:
    """The window never freezes while a song generates.

    The 100-ms target is a timing figure: on a shared 2-core machine one scheduling delay of another
    process can pass it by itself (we measured 105-140 ms in otherwise green runs while other jobs ran),
    so, as the house rule says for speed, it is reported (``-s`` shows it) rather than asserted. What is
    asserted is what no machine load excuses: the event loop never stops for a second, as it would if
    generation, analysis or FK ran on the UI thread.
    """
    load = max(load_before, _load_per_core())
    verdict = "within" if meter.worst_ms < TARGET_STALL_MS else "OVER"
    print(f"worst event-loop stall {meter.worst_ms:.0f} ms ({verdict} the {TARGET_STALL_MS:.0f} ms target; "
          f"load {load:.1f} per core)")  # fmt: skip
    assert meter.worst_ms < FREEZE_MS


def _measure(qtbot, window, song, meter, play: bool) -> float:
    from studio.audio import analyze

    analyze(song)  # cached: librosa's first-use compilation is not what this test is about
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.session.load_generators()  # what the editor does shortly after it starts
    qtbot.waitUntil(lambda: window.generation.generators is not None, timeout=60_000)
    qtbot.wait(300)  # first paints, GL context
    load = _load_per_core()
    meter.start()
    window.session.open_song(song)
    qtbot.waitUntil(lambda: window.project.song is not None, timeout=30_000)
    if play:
        window.playback.play()  # the playhead and the viewport follow the clock meanwhile
    qtbot.waitUntil(window.session.is_dance_complete, timeout=120_000)
    window.playback.pause()
    meter.stop()
    return load


def _report(what: str, window, meter) -> str:
    return (
        f"\n{what}: {window.project.num_segments} segments x {window.project.settings.candidates_per_segment} "
        f"candidates, {type(window.viewport).__name__}, model {window._model_label.text()}: worst stall "
        f"{meter.worst_ms:.1f} ms, p99 {meter.percentile_ms(99):.1f} ms over {len(meter.gaps)} ticks"
    )


# (what, song fixture, seconds of Python per candidate or None for the baseline, GL viewport, playing)
SCENARIOS = [
    pytest.param("baseline generator", "minute_song", None, False, False, id="baseline"),
    pytest.param("150 ms of Python per candidate", "tiny_song", 0.15, False, False, id="slow-generator"),
    pytest.param("baseline generator, GL viewport", "minute_song", None, True, False, id="gl-viewport",
                 marks=pytest.mark.gl),
    pytest.param("playing while generating, placeholder viewport", "tiny_song", 0.15, False, True, id="playing"),
    pytest.param("playing while generating, GL viewport", "tiny_song", 0.15, True, True, id="playing-gl",
                 marks=pytest.mark.gl),
]


@pytest.mark.parametrize(("what", "song", "delay", "gl", "play"), SCENARIOS)
def test_no_stall_while_a_song_generates(qtbot, make_main_window, slow_generators, stall_meter, request, what, song,
                                         delay, gl, play):  # fmt: skip
    from studio.ui.main_window import PlaceholderViewport

    options = {} if gl else {"viewport_factory": PlaceholderViewport}
    if delay is not None:
        options["generators_factory"] = slow_generators(delay)
    window = make_main_window(**options)
    meter = stall_meter()
    load = _measure(qtbot, window, request.getfixturevalue(song), meter, play=play)
    print(_report(what, window, meter))
    _check(meter, load)


def _load_per_core() -> float:
    import os

    try:
        return os.getloadavg()[0] / (os.cpu_count() or 1)
    except OSError:
        return 0.0


def test_no_stall_while_regenerating_everything(qtbot, make_main_window, tiny_song, slow_generators, stall_meter):
    from studio.ui.main_window import PlaceholderViewport

    window = make_main_window(generators_factory=slow_generators(0.15), viewport_factory=PlaceholderViewport)
    window.show()
    with qtbot.waitSignal(window.dance_ready, timeout=90_000):
        window.session.open_song(tiny_song)
    qtbot.waitUntil(lambda: not window.busy(), timeout=30_000)
    meter = stall_meter()
    load = _load_per_core()
    meter.start()
    steps = window.undo_stack.count
    window.editing.regenerate_unlocked()
    qtbot.waitUntil(lambda: window.undo_stack.count == steps + 1, timeout=90_000)
    meter.stop()
    print(f"\nregenerating all unlocked: worst stall {meter.worst_ms:.1f} ms")
    _check(meter, load)
