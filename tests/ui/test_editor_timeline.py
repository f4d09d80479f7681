"""The timeline: levels of detail of the waveform, beats and bars, segment lanes, mouse."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from studio.core.document import Project
from studio.core.motion import Motion
from studio.core.segments import Candidate, Song
from studio.ui.timeline import SegmentLanes, Timeline, lane_span
from studio.ui.waveform import WaveformEnvelope

SR = 22050


def _song(duration: float = 20.0, tempo: float = 120.0) -> Song:
    beats = np.arange(0.25, duration, 60.0 / tempo)
    spans = tuple((float(a), float(min(a + 4.0, duration))) for a in np.arange(0.0, duration - 1e-9, 4.0))
    return Song("song.wav", "0" * 64, duration, tempo, beats, beats[::4], spans)


def _candidate(seed: int, genre: str = "Jazz") -> Candidate:
    return Candidate(Motion.rest(120), seed, {"score": 1.0 - seed / 10, "gs": 0.5, "cs": -0.1}, genre, "test")


@pytest.fixture
def timeline(qtbot):
    widget = Timeline()
    qtbot.addWidget(widget)
    widget.resize(1000, 220)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_envelope_levels_cover_the_song_with_min_and_max():
    t = np.arange(SR * 10) / SR
    samples = (0.5 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    samples[SR * 5] = -1.0  # one click: every level must keep it
    env = WaveformEnvelope.from_samples(samples, SR)
    assert env.duration == pytest.approx(10.0)
    assert env.sizes[0] == 32 and all(b == 4 * a for a, b in zip(env.sizes, env.sizes[1:], strict=False))
    for lo, hi in zip(env.mins, env.maxs, strict=True):
        assert lo.min() == pytest.approx(-1.0) and hi.max() == pytest.approx(0.5, abs=0.01)
        assert np.all(lo <= hi)


def test_envelope_picks_about_one_bucket_per_pixel_at_any_zoom():
    samples = np.random.default_rng(0).standard_normal(SR * 600).astype(np.float32)  # a 10-minute song
    env = WaveformEnvelope.from_samples(samples, SR)
    for seconds_shown in (600.0, 60.0, 4.0, 0.5):
        spp = seconds_shown / 1000  # a 1000-pixel timeline
        times, lo, hi = env.visible(100.0, 100.0 + seconds_shown, spp)
        assert len(times) == len(lo) == len(hi)
        assert len(times) <= 2 * 1000 * 4 + 4  # never more than a few buckets per pixel (timing: benchmarks/)
    assert len(env.visible(0, 600, 0.6)[0]) < 2000  # zoomed out: a coarse level, not 400 000 buckets


def test_a_ten_minute_song_redraws_at_every_zoom(timeline):
    """How fast: benchmarks/test_timings.py."""
    samples = np.random.default_rng(1).standard_normal(SR * 600).astype(np.float32)
    project = Project(_song(600.0))
    timeline.set_project(project)
    timeline.set_audio(WaveformEnvelope.from_samples(samples, SR))
    for start, end in ((0, 600), (100, 160), (200, 204), (300, 300.5), (0, 600)):
        timeline.zoom_to(start, end)
        timeline.repaint()
        left, right = timeline.viewbox.viewRange()[0]
        assert 0.0 <= left <= start + 1e-6 and end - 1e-6 <= right <= 600.0


def test_beats_and_bars_hide_when_too_dense(timeline):
    project = Project(_song(600.0))
    timeline.set_project(project)
    timeline.zoom_to(0, 600)
    assert len(timeline._beats.xData if timeline._beats.xData is not None else []) == 0  # 1200 beats in 1000 px
    timeline.zoom_to(10, 20)
    beats = timeline._beats.xData
    bars = timeline._bars.xData
    assert beats is not None and len(beats) == 2 * 20  # 2 per second, a line (2 points) each
    assert bars is not None and 0 < len(bars) < len(beats)


def test_lane_labels_show_rank_genre_lock_and_progress(timeline):
    project = Project(_song())
    project.set_candidates(0, 0, [_candidate(1), _candidate(2, "Kun")], chosen=1)
    project.lock(0, 0)
    timeline.set_project(project)
    track = project.track(0, 0)
    assert SegmentLanes.label(track, None) == "#2 Kun"
    assert SegmentLanes.label(project.track(0, 1), 0.42) == "42%"
    assert SegmentLanes.label(project.track(0, 1), None) == ""
    timeline.set_progress(project.lead.id, 1, 0.5)
    assert timeline.progress[(project.lead.id, 1)] == 0.5
    timeline.set_progress(project.lead.id, 1, None)
    assert (project.lead.id, 1) not in timeline.progress

    # the padlock is drawn in the locked block (its colour appears there, not in an unlocked one)
    timeline.fit()
    image = timeline.grab().toImage()
    view = timeline.viewbox

    def pixels(segment):
        bottom, top = lane_span(0, 1)
        a = view.mapViewToScene(QPointF(project.song.segments[segment][0], top))
        b = view.mapViewToScene(QPointF(project.song.segments[segment][1], bottom))
        a, b = timeline.mapFromScene(a), timeline.mapFromScene(b)
        return {image.pixelColor(x, y).name() for x in range(a.x() + 2, a.x() + 20) for y in range(a.y() + 2, b.y())}

    assert "#ffd54a" in pixels(0)
    assert "#ffd54a" not in pixels(2)


def test_click_seeks_clicking_a_block_selects_wheel_zooms(qtbot, timeline):
    project = Project(_song())
    project.add_dancer("Partner")
    timeline.set_project(project)
    timeline.fit()
    view = timeline.viewbox

    def at(seconds, y):
        return timeline.mapFromScene(view.mapViewToScene(QPointF(seconds, y)))

    with qtbot.waitSignal(timeline.seek_requested) as seek:
        qtbot.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=at(7.5, 0.0))
    assert seek.args[0] == pytest.approx(7.5, abs=0.1)

    partner_lane = sum(lane_span(1, 2)) / 2
    with qtbot.waitSignal(timeline.segment_clicked) as clicked:
        qtbot.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=at(9.0, partner_lane))
    assert clicked.args == [1, 2]

    seeks = []
    timeline.seek_requested.connect(seeks.append)
    timeline.scrub_to(3.0)
    timeline.scrub_to(3.5, finished=True)
    assert seeks[-2:] == [3.0, 3.5]

    before = view.viewRange()[0]
    view.scaleBy(x=0.5, center=QPointF(10.0, 0.0))  # what a wheel step does
    after = view.viewRange()[0]
    assert after[1] - after[0] < before[1] - before[0]
    assert view.viewRange()[1] == pytest.approx(view.viewRange()[1])  # y never zooms


def test_unsubscribes_from_the_previous_project(timeline):
    first, second = Project(_song()), Project(_song())
    timeline.set_project(first)
    timeline.set_project(second)
    assert timeline._on_choice_changed not in first.events.choice_changed.callbacks
    assert timeline._on_choice_changed in second.events.choice_changed.callbacks
