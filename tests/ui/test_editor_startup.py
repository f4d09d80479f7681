"""Start-up order: the generator loads from launch, and the first segment is shown before the rest is made."""

from __future__ import annotations


def test_the_generator_loads_from_launch_without_a_song(make_main_window, qtbot):
    events: list[str] = []
    window = make_main_window()
    window.generation.generators_ready.connect(lambda name, device: events.append("generators ready"))
    window.show()
    qtbot.wait(100)  # one turn of the event loop: the load is asked for at once, not after a delay
    assert window.session.generators_requested
    qtbot.waitUntil(lambda: window.generation.generators is not None, timeout=30_000)
    assert events == ["generators ready"]
    assert window.project.song is None  # nobody asked for a song: it loaded anyway


def test_the_first_segment_is_shown_before_the_others_are_made(make_main_window, qtbot, tiny_song, slow_generators):
    window = make_main_window(generators_factory=slow_generators(0.3))
    events: list[str] = []
    window.generation.segment_ready.connect(lambda dancer, segment, reason: events.append(f"segment {segment}"))
    window.first_segment_ready.connect(lambda seconds: events.append("first shown"))
    window.dance_ready.connect(lambda seconds: events.append("dance ready"))
    window.show()
    window.session.open_path(tiny_song)
    qtbot.waitUntil(lambda: "dance ready" in events, timeout=120_000)
    assert events.index("first shown") < events.index("segment 1"), events
    assert events[0] == "segment 0"
