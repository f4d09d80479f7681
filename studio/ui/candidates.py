"""The candidate panel: the selected segment's M candidates in rank order, and what can be done with them.

Each row shows the candidate's rank (its number key 1-9), its genre, and its score, GS (genre match) and CS
(coherence with the previous segment) as small bars with the numbers in the tooltip; a partner's candidates
(ranked by ``studio.choreography.ranking.DuetRanker``) add MM (the motion-motion score with the lead) as a
bar and their closest approach to the lead in cm in the title, marked when under the 0.2 m clearance.
Hovering a row asks for a preview in the viewport (``preview_requested(index)``, -1 when the mouse leaves);
clicking asks to choose it (``choose_requested(index)``). Buttons: Regenerate, Lock/Unlock, Regenerate all
unlocked. Below: the music's detected top-3 genres and the genre override box.

The panel reads the document and follows its events; the window turns the panel's requests into commands.
"""

from __future__ import annotations

import math
from typing import ClassVar

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio.choreography.requests import GenreGuess
from studio.core.document import Project
from studio.core.finedance_layout import GENRES
from studio.core.segments import Candidate

FOLLOW_MUSIC = "Follow the music"
CS_SCALE = 0.25  # metres: a seam this far apart shows a bar at 1/e


def bar_values(candidates: tuple[Candidate, ...]) -> list[tuple[float, ...]]:
    """(score, GS, CS) of each candidate as 0..1 bar lengths, and MM after them for a partner's candidates.

    Score: relative to the segment's best and worst (scores have no fixed range); GS: the cosine similarity
    clamped to 0..1; CS (minus metres): exp(CS / 0.25), 1 for a perfect seam; MM: already 0..1.
    """
    scores = [c.scores.get("score") for c in candidates]
    known = [s for s in scores if s is not None]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    out = []
    for candidate, score in zip(candidates, scores, strict=True):
        if score is None:
            rel = 0.0
        elif high - low < 1e-9:
            rel = 1.0
        else:
            rel = 0.15 + 0.85 * (score - low) / (high - low)
        gs = min(max(candidate.scores.get("gs", 0.0), 0.0), 1.0)
        cs = math.exp(min(candidate.scores.get("cs", 0.0), 0.0) / CS_SCALE)
        duet = (min(max(candidate.scores["mm"], 0.0), 1.0),) if "mm" in candidate.scores else ()
        out.append((rel, gs, cs, *duet))
    return out


def clearance_text(candidate: Candidate) -> str:
    """A partner candidate's closest approach to the lead for its title ("42 cm apart"), marked when it comes
    within the clearance (its ``clear`` term is negative); "" for a candidate without duet scores."""
    closest = candidate.scores.get("closest_m")
    if closest is None:
        return ""
    if candidate.scores.get("clear", 0.0) < 0:
        return f"⚠ {closest * 100:.0f} cm from the lead"
    return f"{closest * 100:.0f} cm apart"


class ScoreBar(QWidget):
    """A small labelled bar (0..1)."""

    COLORS: ClassVar[dict[str, str]] = {"score": "#e0a03a", "GS": "#6cc070", "CS": "#5b9bd5", "MM": "#b07cc6"}

    def __init__(self, name: str, value: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.value = float(min(max(value, 0.0), 1.0))
        self.setMinimumWidth(60)
        self.setFixedHeight(14)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def sizeHint(self) -> QSize:
        return QSize(90, 14)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        label_width = 34
        painter.setPen(self.palette().text().color())
        font = painter.font()
        font.setPointSizeF(7.5)
        painter.setFont(font)
        painter.drawText(QRectF(0, 0, label_width - 3, self.height()),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.name)  # fmt: skip
        track = QRectF(label_width, 3, self.width() - label_width - 1, self.height() - 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(128, 128, 128, 60))
        painter.drawRoundedRect(track, 2, 2)
        painter.setBrush(QColor(self.COLORS.get(self.name, "#aaaaaa")))
        painter.drawRoundedRect(QRectF(track.left(), track.top(), track.width() * self.value, track.height()), 2, 2)
        painter.end()


class CandidateRow(QFrame):
    """One candidate: rank, genre, bars. Emits ``hovered(index)`` / ``left()`` / ``clicked(index)``."""

    hovered = Signal(int)
    left = Signal()
    clicked = Signal(int)

    def __init__(
        self, index: int, candidate: Candidate, bars: tuple[float, ...], chosen: bool, locked: bool,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.index = index
        self.candidate = candidate
        self.chosen = chosen
        self.setObjectName("candidate-chosen" if chosen else "candidate")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.ForbiddenCursor if locked and not chosen else Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover, True)
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setHorizontalSpacing(8)
        layout.setVerticalSpacing(0)
        number = QLabel(f"{index + 1}" if index < 9 else "")
        number.setObjectName("key")
        number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        number.setFixedWidth(18)
        number.setToolTip(f"press {index + 1} to choose" if index < 9 else "")
        label = candidate.model_id.split(":", 1)[1] if ":" in candidate.model_id else ""
        text = f"<b>#{index + 1}</b> {candidate.genre or 'unknown genre'}" + (f" · {label}" if label else "")
        clearance = clearance_text(candidate)
        text += f" · {clearance}" if clearance else ""
        title = QLabel(text + ("  ✓" if chosen else ""))
        title.setObjectName("title")
        layout.addWidget(number, 0, 0, len(bars), 1)
        layout.addWidget(title, 0, 1)
        names = ("score", "GS", "CS", "MM")[: len(bars)]
        for row, (name, value) in enumerate(zip(names, bars, strict=True)):
            bar = ScoreBar(name, value, self)
            layout.addWidget(bar, row, 2)
        layout.setColumnStretch(1, 1)
        layout.setColumnStretch(2, 2)
        scores = candidate.scores
        detail = ", ".join(f"{k} {scores[k]:+.3f}" for k in ("score", "gs", "cs", "mm", "clear") if k in scores)
        detail = detail or "not ranked"
        if "closest_m" in scores:
            detail += f", closest to the lead {scores['closest_m'] * 100:.0f} cm"
        self.setToolTip(f"Candidate {index + 1}: {detail}; seed {candidate.seed}; model {candidate.model_id or '?'}")

    def enterEvent(self, event) -> None:
        self.hovered.emit(self.index)
        super().enterEvent(event)

    def leaveEvent(self, event) -> None:
        self.left.emit()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit(self.index)
        super().mouseReleaseEvent(event)


class CandidatePanel(QWidget):
    """See the module docstring."""

    preview_requested = Signal(int)  # candidate index, -1: stop previewing
    choose_requested = Signal(int)
    regenerate_requested = Signal()
    lock_requested = Signal(bool)
    regenerate_all_requested = Signal()
    genre_override_requested = Signal(object)  # a genre name, or None to follow the music

    STYLE = """
        QFrame#candidate, QFrame#candidate-chosen { border: 1px solid palette(mid); border-radius: 4px; }
        QFrame#candidate:hover { border: 1px solid #ffd54a; background: rgba(255, 213, 74, 25); }
        QFrame#candidate-chosen { border: 2px solid #e0803a; background: rgba(224, 128, 58, 30); }
        QFrame#candidate[preview="true"], QFrame#candidate-chosen[preview="true"] {
            border: 2px solid #f0b400; background: rgba(255, 213, 74, 70); }
        QLabel#key { background: palette(mid); border-radius: 3px; font-weight: bold; }
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("candidates")
        self.setStyleSheet(self.STYLE)
        self.project: Project | None = None
        self.dancer_id: str | None = None
        self.segment: int | None = None
        self.rows: list[CandidateRow] = []
        self._hovering: int | None = None

        self.header = QLabel("No segment selected")
        self.header.setObjectName("header")
        self.header.setWordWrap(True)
        self.status = QLabel("")
        self.status.setObjectName("status")
        self.status.setWordWrap(True)

        self._rows_widget = QWidget()
        self._rows_layout = QVBoxLayout(self._rows_widget)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.setSpacing(4)
        self._rows_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._rows_widget)

        self.regenerate_button = self._button("Regenerate", "New seeds for this segment (R)", self.regenerate_requested)
        self.lock_button = self._button("Lock", "Keep this segment as it is (L)", None)
        self.lock_button.clicked.connect(self._on_lock_clicked)
        self.regenerate_all_button = self._button(
            "Regenerate all unlocked", "New candidates for every unlocked segment (one undo step)",
            self.regenerate_all_requested,
        )  # fmt: skip
        buttons = QHBoxLayout()
        buttons.addWidget(self.regenerate_button)
        buttons.addWidget(self.lock_button)

        self.detected = QLabel("Detected genres: -")
        self.detected.setObjectName("detected")
        self.detected.setWordWrap(True)
        self.genre_box = QComboBox()
        self.genre_box.setObjectName("genre-override")
        self.genre_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.genre_box.addItem(FOLLOW_MUSIC, None)
        for genre in GENRES:
            self.genre_box.addItem(genre, genre)
        self.genre_box.setToolTip("Dance every new candidate in this genre (undoable)")
        self.genre_box.currentIndexChanged.connect(self._on_genre_box_changed)
        genre_row = QHBoxLayout()
        genre_row.addWidget(QLabel("Genre:"))
        genre_row.addWidget(self.genre_box, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.regenerate_all_button)
        layout.addSpacing(6)
        layout.addWidget(self.detected)
        layout.addLayout(genre_row)
        self.setMinimumWidth(280)
        self._refresh()

    def _button(self, text: str, tip: str, signal) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space and the digit keys stay the window's shortcuts
        if signal is not None:
            button.clicked.connect(lambda: signal.emit())
        return button

    # -- what is shown ------------------------------------------------------------------------------------------
    def set_project(self, project: Project | None) -> None:
        if self.project is not None:
            for signal, handler in self._subscriptions():
                getattr(self.project.events, signal).disconnect(handler)
        self.project = project
        self.dancer_id = None
        self.segment = None
        if project is not None:
            for signal, handler in self._subscriptions():
                getattr(project.events, signal).connect(handler)
        self._on_genre_changed()
        self._refresh()

    def _subscriptions(self):
        return (
            ("candidates_changed", self._on_candidates_changed), ("choice_changed", self._on_choice_changed),
            ("lock_changed", self._on_lock_changed), ("genre_changed", self._on_genre_changed),
            ("dancers_changed", self._on_dancers_changed), ("song_changed", self._on_song_changed),
        )  # fmt: skip

    def set_segment(self, dancer_id: str | None, segment: int | None) -> None:
        if (dancer_id, segment) != (self.dancer_id, self.segment):
            self.dancer_id, self.segment = dancer_id, segment
            self._stop_preview()
            self._refresh()

    def set_genre_guess(self, guess: GenreGuess | None) -> None:
        if guess is None or not guess.top:
            self.detected.setText("Detected genres: -")
            return
        if guess.source == "tempo":  # a weak hint, not a classifier: no percentages that look like one
            names = ", ".join(genre for genre, _ in guess.top)
            self.detected.setText(f"Tempo suggests: {names}")
            self.detected.setToolTip("Install a trained GCRM model (models/gcrm-small) to detect genres from the music")
            return
        top = " · ".join(f"{genre} {p:.0%}" for genre, p in guess.top)
        if guess.unsure:  # music unlike what the detector learned from: say so, and point at the override
            self.detected.setText(f"Unsure of the genre: maybe {top}")
            self.detected.setToolTip(f"No genre is likely ({guess.source}): choose one under Genre to steer the "
                                     "ranking, or keep following the music")  # fmt: skip
            return
        self.detected.setText(f"Detected: {top}")
        self.detected.setToolTip(f"Top-3 genres of the music ({guess.source})")

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _mine(self, event) -> bool:
        return event.dancer == self.dancer_id and event.segment == self.segment

    def _on_candidates_changed(self, event) -> None:
        if self._mine(event):
            self._stop_preview()
            self._refresh()

    def _on_choice_changed(self, event) -> None:
        if self._mine(event):
            self._refresh()

    def _on_lock_changed(self, event) -> None:
        if self._mine(event):
            self._refresh()

    def _on_dancers_changed(self, event) -> None:
        if self.project is not None and self.dancer_id not in {d.id for d in self.project.dancers}:
            self.dancer_id, self.segment = None, None
        self._refresh()

    def _on_song_changed(self, event) -> None:
        self.dancer_id, self.segment = None, None
        self._refresh()

    def _on_genre_changed(self, event=None) -> None:
        genre = self.project.genre_override if self.project is not None else None
        index = self.genre_box.findData(genre) if genre is not None else 0
        if index < 0:  # a genre this build does not list (from a file): show it anyway
            self.genre_box.addItem(genre, genre)
            index = self.genre_box.count() - 1
        self.genre_box.blockSignals(True)
        self.genre_box.setCurrentIndex(index)
        self.genre_box.blockSignals(False)

    def _track(self):
        if self.project is None or self.dancer_id is None or self.segment is None or self.project.song is None:
            return None
        try:
            return self.project.track(self.dancer_id, self.segment)
        except Exception:
            return None

    def _refresh(self) -> None:
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        track = self._track()
        has_song = self.project is not None and self.project.song is not None
        self.regenerate_all_button.setEnabled(has_song)
        self.genre_box.setEnabled(self.project is not None)
        if track is None:
            self.header.setText("No segment selected" if has_song else "Open a song to start")
            self.regenerate_button.setEnabled(False)
            self.lock_button.setEnabled(False)
            self.lock_button.setText("Lock")
            return
        start, end = self.project.song.segments[self.segment]
        dancer = self.project.dancer(self.dancer_id)
        lock = "  🔒 locked" if track.locked else ""
        self.header.setText(
            f"<b>Segment {self.segment + 1}</b> of {self.project.num_segments} · {_clock(start)}–{_clock(end)}"
            f" · <span style='color:{dancer.color}'>{dancer.name}</span>{lock}"
        )
        self.regenerate_button.setEnabled(not track.locked)
        self.lock_button.setEnabled(True)
        self.lock_button.setText("Unlock" if track.locked else "Lock")
        bars = bar_values(track.candidates)
        for index, candidate in enumerate(track.candidates):
            row = CandidateRow(index, candidate, bars[index], index == track.chosen, track.locked, self._rows_widget)
            row.hovered.connect(self._on_row_hovered)
            row.left.connect(self._stop_preview)
            row.clicked.connect(self.choose_requested.emit)
            self._rows_layout.insertWidget(index, row)
            self.rows.append(row)
        if not track.candidates and not self.status.text():
            self.header.setText(self.header.text() + "<br><i>No candidates yet</i>")

    # -- interaction ---------------------------------------------------------------------------------------------
    def _on_row_hovered(self, index: int) -> None:
        self._hovering = index
        self.preview_requested.emit(index)

    def _stop_preview(self) -> None:
        if self._hovering is not None:
            self._hovering = None
            self.preview_requested.emit(-1)

    def set_previewing(self, index: int | None) -> None:
        """Mark the row whose candidate the viewport shows (None: none)."""
        for row in self.rows:
            on = row.index == index
            if row.property("preview") != on:
                row.setProperty("preview", on)
                row.style().unpolish(row)
                row.style().polish(row)

    def leaveEvent(self, event) -> None:
        self._stop_preview()
        super().leaveEvent(event)

    def _on_lock_clicked(self) -> None:
        track = self._track()
        if track is not None:
            self.lock_requested.emit(not track.locked)

    def _on_genre_box_changed(self, index: int) -> None:
        self.genre_override_requested.emit(self.genre_box.itemData(index))


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60.0)
    return f"{int(minutes)}:{rest:04.1f}"
