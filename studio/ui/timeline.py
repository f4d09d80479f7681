"""The timeline (pyqtgraph): waveform, beats and bars, tempo, one lane of segment blocks per dancer, playhead.

- The waveform is a min/max envelope precomputed at several levels of detail (``WaveformEnvelope``): at
  any zoom only the visible buckets of the level nearest one bucket per pixel are drawn, so a 10-minute
  song scrolls and zooms smoothly.
- Beat ticks sit at the bottom of the waveform; bar lines (downbeats) cross it. Either hides when its
  lines would be closer than a few pixels.
- Segment blocks (``SegmentLanes``, painted in one go in pixel space so text stays crisp) show the
  chosen candidate's rank and genre, a padlock when locked, a progress bar while being generated, and
  the selection.
- Mouse: click to seek, drag (left button) to scrub, wheel to zoom, middle-drag to pan, click a block to
  select its segment.

The timeline reads the document and subscribes to its events (``_on_<event>`` handlers); it never edits it.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QLabel, QWidget

from studio.core.document import Project
from studio.ui.waveform import WaveformEnvelope

WAVE_TOP, WAVE_BOTTOM = 1.0, -1.0
LANE_GAP = 0.12
LANE_HEIGHT = 0.9
MIN_LINE_SPACING_PX = 4.0
MIN_VIEW_SECONDS = 0.5
PROGRESS_REPAINT_MS = 200  # background changes (progress, new segments) repaint at most this often

BACKGROUND = "#1e2127"
WAVE_COLOR = "#5b8bb5"
BEAT_COLOR = "#7a8290"
BAR_COLOR = "#c3c9d3"
PLAYHEAD_COLOR = "#ff4d4d"
BLOCK_EMPTY = "#3a3f4a"
BLOCK_TEXT = "#f2f2f2"
SELECTED = "#ffd54a"
LOCK_COLOR = "#ffd54a"
PROGRESS_COLOR = "#7ed957"


def lane_span(lane: int, lanes: int = 1) -> tuple[float, float]:
    """(bottom, top) of dancer ``lane``'s blocks in view coordinates: the lead's lane on top, the others
    below it, the last one right above the waveform."""
    row = lanes - 1 - lane
    bottom = WAVE_TOP + LANE_GAP + row * (LANE_HEIGHT + LANE_GAP)
    return bottom, bottom + LANE_HEIGHT


class SegmentLanes(pg.GraphicsObject):
    """Every dancer's segment blocks, painted in pixel space (crisp text, elided labels, a padlock)."""

    def __init__(self, timeline: Timeline) -> None:
        super().__init__()
        self.timeline = timeline
        self.setZValue(5)

    def boundingRect(self) -> QRectF:
        project = self.timeline.project
        duration = project.song.duration if project is not None and project.song is not None else 1.0
        lanes = max(1, len(project.dancers)) if project is not None else 1
        top = lane_span(0, lanes)[1]
        return QRectF(0.0, WAVE_TOP, duration, top - WAVE_TOP)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        project = self.timeline.project
        if project is None or project.song is None:
            return
        transform = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        font = QFont(painter.font())
        font.setPointSizeF(8.5)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        view = self.timeline.viewbox.viewRect()
        for lane, dancer in enumerate(project.dancers):
            bottom, top = lane_span(lane, len(project.dancers))
            for index, (start, end) in enumerate(project.song.segments):
                if end < view.left() or start > view.right():
                    continue
                a = transform.map(QPointF(start, top))
                b = transform.map(QPointF(end, bottom))
                rect = QRectF(a, b).normalized().adjusted(1.0, 0.5, -1.0, -0.5)
                self._paint_block(painter, metrics, rect, project, dancer, lane, index)
        painter.restore()

    def _paint_block(self, painter, metrics, rect: QRectF, project: Project, dancer, lane: int, index: int) -> None:
        track = project.track(dancer.id, index)
        timeline = self.timeline
        color = QColor(dancer.color) if track.candidates else QColor(BLOCK_EMPTY)
        if track.candidates:
            color = color.darker(140) if index % 2 else color.darker(115)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(rect, 3, 3)
        progress = timeline.progress.get((dancer.id, index))
        if progress is not None:
            bar = QRectF(rect.left() + 2, rect.bottom() - 5, max(0.0, (rect.width() - 4) * progress), 3)
            painter.setBrush(QColor(PROGRESS_COLOR))
            painter.drawRect(bar)
            painter.setPen(QPen(QColor(PROGRESS_COLOR), 1.0, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        if timeline.selection == (lane, index):
            painter.setPen(QPen(QColor(SELECTED), 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 3, 3)
        text_left = rect.left() + 4
        if track.locked:
            self._padlock(painter, QPointF(rect.left() + 4, rect.top() + 4))
            text_left += 12
        label = self.label(track, progress)
        room = rect.right() - 3 - text_left
        if label and room > metrics.horizontalAdvance("#9") and rect.height() >= metrics.height():
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(room))
            painter.setPen(QColor(BLOCK_TEXT))
            box = QRectF(text_left, rect.top(), room, rect.height() - (5 if progress is not None else 0))
            painter.drawText(box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)

    @staticmethod
    def label(track, progress: float | None) -> str:
        candidate = track.chosen_candidate
        if candidate is not None:
            rule = candidate.model_id.split(":", 1)[1] if ":" in candidate.model_id else ""  # e.g. a duet rule
            return " ".join(part for part in (f"#{track.chosen + 1}", candidate.genre or "", rule) if part)
        if progress is not None:
            return f"{round(progress * 100)}%"
        return ""

    @staticmethod
    def _padlock(painter: QPainter, at: QPointF) -> None:
        painter.save()
        painter.setPen(QPen(QColor(LOCK_COLOR), 1.4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        shackle = QPainterPath()
        shackle.moveTo(at.x() + 2, at.y() + 5)
        shackle.lineTo(at.x() + 2, at.y() + 3)
        shackle.arcTo(QRectF(at.x() + 2, at.y(), 5, 5), 180, -180)
        shackle.lineTo(at.x() + 7, at.y() + 5)
        painter.drawPath(shackle)
        painter.setBrush(QColor(LOCK_COLOR))
        painter.drawRect(QRectF(at.x(), at.y() + 5, 9, 6))
        painter.restore()


# -- mouse ---------------------------------------------------------------------------------------------------------
class _TimelineViewBox(pg.ViewBox):
    """Left click seeks or selects, left drag scrubs, wheel zooms in time; middle drag pans."""

    def __init__(self, timeline: Timeline) -> None:
        super().__init__(enableMenu=False)
        self.timeline = timeline
        self.setMouseEnabled(x=True, y=False)

    def mouseClickEvent(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        point = self.mapSceneToView(ev.scenePos())
        self.timeline.click_at(point.x(), point.y())

    def mouseDragEvent(self, ev, axis=None) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            super().mouseDragEvent(ev, axis=0)
            return
        ev.accept()
        point = self.mapSceneToView(ev.scenePos())
        self.timeline.scrub_to(point.x(), finished=ev.isFinish())


class _TimeAxis(pg.AxisItem):
    def tickStrings(self, values, scale, spacing):
        out = []
        for v in values:
            minutes, seconds = divmod(max(v, 0.0), 60.0)
            out.append(f"{int(minutes)}:{seconds:04.1f}" if spacing < 1 else f"{int(minutes)}:{int(seconds):02d}")
        return out


# -- the widget ---------------------------------------------------------------------------------------------------
class Timeline(pg.PlotWidget):
    """The song over time. Signals: ``seek_requested(seconds)``, ``scrubbing(bool)``, ``segment_clicked(lane,
    segment)``."""

    seek_requested = Signal(float)
    scrubbing = Signal(bool)
    segment_clicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        self.viewbox = None
        viewbox = _TimelineViewBox(self)
        super().__init__(parent, background=BACKGROUND, viewBox=viewbox, axisItems={"bottom": _TimeAxis("bottom")})
        self.viewbox = viewbox
        self.setObjectName("timeline")
        self.project: Project | None = None
        self.envelope: WaveformEnvelope | None = None
        self.beats = np.zeros(0)
        self.downbeats = np.zeros(0)
        self.tempo = 0.0
        self.progress: dict[tuple[str, int], float] = {}
        self.selection: tuple[int, int] | None = None
        self.position = 0.0
        self.follow = True

        plot = self.getPlotItem()
        plot.hideAxis("left")
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.getAxis("bottom").setPen(pg.mkPen(BEAT_COLOR))
        plot.getAxis("bottom").setTextPen(pg.mkPen(BAR_COLOR))
        self.setMinimumHeight(150)

        self._wave = pg.PlotDataItem(pen=pg.mkPen(WAVE_COLOR, width=1), connect="pairs", antialias=False)
        self._wave_mid = pg.PlotDataItem(pen=pg.mkPen("#3b5873", width=1))
        self._beats = pg.PlotDataItem(pen=pg.mkPen(BEAT_COLOR, width=1), connect="pairs")
        self._bars = pg.PlotDataItem(pen=pg.mkPen(BAR_COLOR, width=1.5), connect="pairs")
        self._loop = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(255, 213, 74, 30), pen=pg.mkPen(None))
        self._loop.setZValue(-5)
        self._loop.hide()
        self._lanes = SegmentLanes(self)
        self._playhead = pg.InfiniteLine(0.0, angle=90, movable=False, pen=pg.mkPen(PLAYHEAD_COLOR, width=2))
        self._playhead.setZValue(20)
        for item in (self._loop, self._wave_mid, self._wave, self._beats, self._bars, self._lanes, self._playhead):
            self.addItem(item)

        self._tempo_label = QLabel("", self)
        self._tempo_label.setObjectName("tempo")
        self._tempo_label.setStyleSheet(
            f"color: {BAR_COLOR}; background: rgba(30, 33, 39, 200); padding: 1px 6px; border-radius: 3px;"
        )
        self._tempo_label.hide()

        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(PROGRESS_REPAINT_MS)
        self._progress_timer.timeout.connect(self._lanes.update)

        self.viewbox.sigXRangeChanged.connect(self._on_view_changed)
        self.viewbox.sigResized.connect(self._on_view_changed)
        self._set_y_range()

    # -- content ------------------------------------------------------------------------------------------------
    def set_project(self, project: Project | None) -> None:
        """Show ``project`` (None: nothing); subscribes to its events, unsubscribing from the previous one."""
        if self.project is not None:
            for signal, handler in self._subscriptions():
                getattr(self.project.events, signal).disconnect(handler)
        self.project = project
        self.progress.clear()
        self.selection = None
        if project is not None:
            for signal, handler in self._subscriptions():
                getattr(project.events, signal).connect(handler)
        self._on_song_changed()

    def _subscriptions(self):
        return (
            ("song_changed", self._on_song_changed), ("candidates_changed", self._on_candidates_changed),
            ("choice_changed", self._on_choice_changed), ("lock_changed", self._on_lock_changed),
            ("dancers_changed", self._on_dancers_changed),
        )  # fmt: skip

    def set_audio(self, envelope: WaveformEnvelope | None) -> None:
        self.envelope = envelope
        self._redraw_wave()

    def _on_song_changed(self, event=None) -> None:
        song = self.project.song if self.project is not None else None
        if song is None:
            self.beats = self.downbeats = np.zeros(0)
            self.tempo = 0.0
            self._tempo_label.hide()
        else:
            self.beats = np.asarray(song.beats, dtype=float)
            self.downbeats = np.asarray(song.downbeats, dtype=float)
            self.tempo = float(song.tempo)
            self._tempo_label.setText(f"{self.tempo:.1f} BPM" if self.tempo > 0 else "no steady beat")
            self._tempo_label.adjustSize()
            self._place_tempo_label()
            self._tempo_label.show()
        self._lanes.prepareGeometryChange()
        self._set_y_range()
        self.fit()

    def _on_candidates_changed(self, event) -> None:
        self._repaint_soon()  # generated segments stream in: a few repaints a second show them

    def _on_choice_changed(self, event) -> None:
        self._lanes.update()

    def _on_lock_changed(self, event) -> None:
        self._lanes.update()

    def _on_dancers_changed(self, event) -> None:
        self._lanes.prepareGeometryChange()
        self._set_y_range()
        self._lanes.update()

    def set_progress(self, dancer_id: str, segment: int, fraction: float | None) -> None:
        """Show (``fraction`` in 0..1) or stop showing (None) a segment's generation progress."""
        key = (dancer_id, segment)
        if fraction is None:
            if self.progress.pop(key, None) is not None:
                self._repaint_soon()
            return
        self.progress[key] = float(min(max(fraction, 0.0), 1.0))
        self._repaint_soon()

    def _repaint_soon(self) -> None:
        """Repaint the lanes within ``PROGRESS_REPAINT_MS`` (a throttle: with a GL viewport in the window,
        each repaint composes the whole window, so background progress must not repaint on every step)."""
        if not self._progress_timer.isActive():
            self._progress_timer.start()

    def set_selection(self, lane: int | None, segment: int | None) -> None:
        selection = None if lane is None or segment is None else (lane, segment)
        if selection != self.selection:
            self.selection = selection
            self._lanes.update()
            if selection is not None:
                self.ensure_visible(*self.project.song.segments[segment])

    def set_loop(self, span: tuple[float, float] | None) -> None:
        if span is None:
            self._loop.hide()
        else:
            self._loop.setRegion(span)
            self._loop.show()

    def set_position(self, seconds: float) -> None:
        """Move the playhead; while following, page the view so the playhead stays visible."""
        self.position = float(seconds)
        self._playhead.setValue(self.position)
        if self.follow:
            left, right = self.viewbox.viewRange()[0]
            if self.position > right or self.position < left:
                width = right - left
                self.viewbox.setXRange(self.position - 0.1 * width, self.position + 0.9 * width, padding=0)

    # -- view -------------------------------------------------------------------------------------------------
    def duration(self) -> float:
        if self.project is not None and self.project.song is not None:
            return self.project.song.duration
        return self.envelope.duration if self.envelope is not None else 0.0

    def fit(self) -> None:
        """Show the whole song."""
        duration = self.duration()
        if duration <= 0:
            return
        self.viewbox.setLimits(xMin=0.0, xMax=duration, minXRange=min(MIN_VIEW_SECONDS, duration))
        self.viewbox.setXRange(0.0, duration, padding=0)

    def zoom_to(self, start: float, end: float) -> None:
        self.viewbox.setXRange(start, end, padding=0)

    def ensure_visible(self, start: float, end: float) -> None:
        left, right = self.viewbox.viewRange()[0]
        if start < left or end > right:
            width = max(right - left, end - start)
            center = (start + end) / 2
            self.viewbox.setXRange(center - width / 2, center + width / 2, padding=0)

    def _set_y_range(self) -> None:
        lanes = len(self.project.dancers) if self.project is not None else 1
        top = lane_span(0, max(lanes, 1))[1]
        self.viewbox.setLimits(yMin=WAVE_BOTTOM - 0.05, yMax=top + 0.05)
        self.viewbox.setYRange(WAVE_BOTTOM - 0.05, top + 0.05, padding=0)

    def seconds_per_pixel(self) -> float:
        left, right = self.viewbox.viewRange()[0]
        width = max(self.viewbox.width(), 1.0)
        return (right - left) / width

    def _on_view_changed(self, *args) -> None:
        self._redraw_wave()
        self._redraw_beats()

    def _redraw_wave(self) -> None:
        if self.envelope is None:
            self._wave.setData([], [])
            self._wave_mid.setData([], [])
            return
        left, right = self.viewbox.viewRange()[0]
        times, lo, hi = self.envelope.visible(left, right, self.seconds_per_pixel())
        x = np.repeat(times, 2)
        y = np.empty(2 * len(times), dtype=np.float32)
        y[0::2] = lo
        y[1::2] = hi
        self._wave.setData(x, y)
        self._wave_mid.setData([max(left, 0.0), min(right, self.envelope.duration)], [0.0, 0.0])

    def _redraw_beats(self) -> None:
        left, right = self.viewbox.viewRange()[0]
        spp = self.seconds_per_pixel()
        self._beats.setData(*self._lines(self.beats, left, right, spp, WAVE_BOTTOM, WAVE_BOTTOM + 0.22))
        self._bars.setData(*self._lines(self.downbeats, left, right, spp, WAVE_BOTTOM, WAVE_TOP))

    @staticmethod
    def _lines(times: np.ndarray, left: float, right: float, spp: float, y0: float, y1: float):
        if len(times) < 1:
            return [], []
        if len(times) > 1 and float(np.median(np.diff(times))) / max(spp, 1e-9) < MIN_LINE_SPACING_PX:
            return [], []
        shown = times[(times >= left) & (times <= right)]
        return np.repeat(shown, 2), np.tile([y0, y1], len(shown))

    # -- mouse ------------------------------------------------------------------------------------------------
    def lane_at(self, y: float) -> int | None:
        if self.project is None:
            return None
        for lane in range(len(self.project.dancers)):
            bottom, top = lane_span(lane, len(self.project.dancers))
            if bottom <= y <= top:
                return lane
        return None

    def segment_at(self, seconds: float) -> int | None:
        if self.project is None or self.project.song is None:
            return None
        for index, (start, end) in enumerate(self.project.song.segments):
            if start <= seconds < end:
                return index
        return None

    def click_at(self, seconds: float, y: float) -> None:
        lane = self.lane_at(y)
        segment = self.segment_at(seconds)
        if lane is not None and segment is not None:
            self.segment_clicked.emit(lane, segment)
        else:
            self.seek_requested.emit(self._clamp(seconds))

    def scrub_to(self, seconds: float, finished: bool = False) -> None:
        self.scrubbing.emit(not finished)
        self.seek_requested.emit(self._clamp(seconds))

    def _clamp(self, seconds: float) -> float:
        return float(min(max(seconds, 0.0), self.duration()))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.viewbox is not None and self.getPlotItem() is not None:
            self._on_view_changed()
            self._place_tempo_label()

    def _place_tempo_label(self) -> None:
        """Bottom-left, over the waveform just above the time axis (the lanes' labels are at the top)."""
        plot = self.getPlotItem()
        if plot is None:  # closing: pyqtgraph has let go of its plot already
            return
        axis = plot.getAxis("bottom").height()
        self._tempo_label.move(6, max(self.height() - int(axis) - self._tempo_label.height() - 6, 0))
