"""The candidate panel: rows in rank order with bars, hover previews, click chooses, buttons, genre box."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import Qt

from studio.choreography.requests import GenreGuess
from studio.core.commands import SetGenreOverride, UndoStack
from studio.core.document import Project
from studio.core.motion import Motion
from studio.core.segments import Candidate, Song
from studio.ui.candidates import FOLLOW_MUSIC, CandidatePanel, bar_values


def _song() -> Song:
    beats = np.arange(0.25, 12.0, 0.5)
    return Song("s.wav", "1" * 64, 12.0, 120.0, beats, beats[::4], ((0.0, 4.0), (4.0, 8.0), (8.0, 12.0)))


def _candidates() -> list[Candidate]:
    rows = [(0.9, 0.8, -0.05, "Jazz"), (0.6, 0.7, -0.3, "Hiphop"), (0.2, -0.2, -0.6, "Kun")]
    return [
        Candidate(Motion.rest(120), seed, {"score": s, "gs": gs, "cs": cs}, genre, "procedural")
        for seed, (s, gs, cs, genre) in enumerate(rows)
    ]


@pytest.fixture
def panel(qtbot):
    project = Project(_song())
    project.set_candidates(0, 1, _candidates(), chosen=0)
    widget = CandidatePanel()
    qtbot.addWidget(widget)
    widget.set_project(project)
    widget.set_segment(project.lead.id, 1)
    widget.resize(340, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_bar_values():
    bars = bar_values(tuple(_candidates()))
    scores = [b[0] for b in bars]
    assert scores == sorted(scores, reverse=True) and scores[0] == 1.0 and scores[-1] == pytest.approx(0.15)
    assert [b[1] for b in bars] == [0.8, 0.7, 0.0]  # GS clamped to 0..1
    assert bars[0][2] == pytest.approx(math.exp(-0.05 / 0.25))  # CS: a small seam gap is a long bar


def test_rows_in_rank_order_with_genre_and_chosen_mark(panel):
    assert [row.candidate.genre for row in panel.rows] == ["Jazz", "Hiphop", "Kun"]
    assert [row.chosen for row in panel.rows] == [True, False, False]
    assert "Segment 2" in panel.header.text()
    assert panel.regenerate_button.isEnabled() and panel.lock_button.text() == "Lock"


def test_hover_previews_click_chooses(qtbot, panel):
    previews, chosen = [], []
    panel.preview_requested.connect(previews.append)
    panel.choose_requested.connect(chosen.append)
    row = panel.rows[1]
    row.hovered.emit(row.index)  # the pointer entering the row
    row.left.emit()
    qtbot.mouseClick(panel.rows[2], Qt.MouseButton.LeftButton)
    assert previews == [1, -1]
    assert chosen == [2]
    panel.set_previewing(2)
    assert panel.rows[2].property("preview") is True and panel.rows[0].property("preview") is False


def test_follows_the_document(panel):
    project = panel.project
    project.choose(0, 1, 2)
    assert [row.chosen for row in panel.rows] == [False, False, True]
    project.lock(0, 1)
    assert panel.lock_button.text() == "Unlock" and not panel.regenerate_button.isEnabled()
    assert "locked" in panel.header.text()
    project.set_candidates(0, 1, _candidates()[:2], chosen=1, force=True)
    assert len(panel.rows) == 2
    project.set_candidates(0, 2, _candidates())  # another segment: this panel does not change
    assert len(panel.rows) == 2


def test_buttons_and_genre_box(qtbot, panel):
    lock, regen, regen_all, genres = [], [], [], []
    panel.lock_requested.connect(lock.append)
    panel.regenerate_requested.connect(lambda: regen.append(1))
    panel.regenerate_all_requested.connect(lambda: regen_all.append(1))
    panel.genre_override_requested.connect(genres.append)
    qtbot.mouseClick(panel.lock_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.regenerate_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.regenerate_all_button, Qt.MouseButton.LeftButton)
    panel.genre_box.setCurrentIndex(panel.genre_box.findData("Kun"))
    panel.genre_box.setCurrentIndex(0)
    assert lock == [True] and regen == [1] and regen_all == [1]
    assert genres == ["Kun", None]
    assert panel.genre_box.itemText(0) == FOLLOW_MUSIC and panel.genre_box.count() == 17

    # an undo of the override moves the box back without asking again
    stack = UndoStack()
    stack.push(SetGenreOverride(panel.project, "Jazz"))
    assert panel.genre_box.currentData() == "Jazz"
    stack.undo()
    assert panel.genre_box.currentData() is None
    assert genres == ["Kun", None]


def test_detected_genres(panel):
    panel.set_genre_guess(GenreGuess((("Jazz", 0.6), ("Hiphop", 0.3), ("Kun", 0.1)), "GCRM"))
    assert panel.detected.text() == "Detected: Jazz 60% · Hiphop 30% · Kun 10%"
    panel.set_genre_guess(GenreGuess((("ShenYun", 0.34), ("Jazz", 0.31), ("Kun", 0.2)), "GCRM"))
    assert panel.detected.text() == "Unsure of the genre: maybe ShenYun 34% · Jazz 31% · Kun 20%"
    assert "choose one under Genre" in panel.detected.toolTip()
    panel.set_genre_guess(GenreGuess((("Korean", 0.1), ("Kun", 0.1)), "tempo"))
    assert panel.detected.text() == "Tempo suggests: Korean, Kun"
