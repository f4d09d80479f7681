"""The main window's frame: menus, shortcuts, Help, status bar, drag and drop, preferences, quitting."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel

from studio.ui.actions import shortcut_table
from studio.ui.preferences import Preferences, add_recent_file, ini_settings, recent_files

TIMEOUT = 90_000


def _menu_items(window, title: str) -> list[str]:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title:
            return [a.text().replace("&", "") for a in action.menu().actions() if not a.isSeparator()]
    raise AssertionError(f"no {title} menu")


def _label(window, name: str) -> str:
    return window.statusBar().findChild(QLabel, name).text()


@pytest.fixture
def opened(qtbot, make_main_window, tiny_song):
    window = make_main_window()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    with qtbot.waitSignal(window.dance_ready, timeout=TIMEOUT):
        window.session.open_song(tiny_song)
    qtbot.waitUntil(lambda: not window.busy(), timeout=TIMEOUT)
    return window


def test_menus_toolbar_and_shortcuts(make_main_window):
    window = make_main_window()
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "Playback", "Segment", "Dancer", "View", "Help"]
    assert _menu_items(window, "File") == [
        "New from song...", "Open...", "Open Recent", "Save", "Save As...", "Locate Song...", "Export...", "Quit",
    ]  # fmt: skip
    assert _menu_items(window, "Edit") == ["Undo", "Redo", "Preferences..."]
    assert "Add partner" in _menu_items(window, "Dancer")
    assert "Keyboard shortcuts" in _menu_items(window, "Help") and "About Choreo Studio" in _menu_items(window, "Help")
    keys = {a.objectName(): [k.toString() for k in a.shortcuts()] for a in window.actions.by_name.values()}
    assert keys["play"] == ["Space"] and keys["previous_segment"] == ["Left"] and keys["next_segment"] == ["Right"]
    assert keys["regenerate"] == ["R"] and keys["lock"] == ["L"]
    assert keys["undo"] == ["Ctrl+Z"] and keys["redo"][0] == "Ctrl+Shift+Z"
    assert keys["save"] == ["Ctrl+S"] and keys["export"] == ["Ctrl+E"]
    assert [a.shortcut().toString() for a in window.actions.choose] == [str(n) for n in range(1, 10)]
    toolbar = [a.text().replace("&", "") for a in window.actions.toolbar.actions() if not a.isSeparator()]
    assert toolbar[:4] == ["New from song...", "Open...", "Save", "Export..."]
    # nothing that needs a song is enabled without one
    assert not window.actions.save.isEnabled() and not window.actions.regenerate.isEnabled()


def test_help_lists_every_shortcut(qtbot, make_main_window):
    keys = " | ".join(k for k, _ in shortcut_table())
    for needed in ("Space", "Left", "Right", "1 ... 9", "R", "L", "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+S", "Ctrl+E"):
        assert needed in keys
    window = make_main_window()
    dialog = window.show_shortcuts()
    assert not dialog.isModal() and dialog.isVisible()
    assert dialog.table.rowCount() == len(shortcut_table())
    about = window.show_about()
    assert not about.isModal() and "Choreo Studio" in about.text()
    dialog.close()
    about.close()


def test_status_bar_shows_device_model_audio_and_progress(qtbot, make_main_window, tiny_song):
    window = make_main_window()
    assert _label(window, "device") == "Device: CPU"
    assert _label(window, "file") == "No song"
    progress = []
    window.generation.activity.connect(lambda text, done, total: progress.append((text, done, total)))
    with qtbot.waitSignal(window.dance_ready, timeout=TIMEOUT):
        window.session.open_song(tiny_song)
    assert _label(window, "model") == "Model: procedural baseline"
    assert _label(window, "audio") == "Audio: silent clock"  # the preferences turned sound off
    assert "turned off" in window.statusBar().findChild(QLabel, "audio").toolTip()
    assert any(text.startswith("Generating segment 1/5") for text, _, _ in progress)
    assert any(total > 0 and done == total for _, done, total in progress)  # per-step progress
    assert _label(window, "file") == "tiny.wav"


def test_keyboard_selects_plays_and_loops(qtbot, opened):
    window = opened
    window.editing.select(0, 0)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.state.segment == 2
    assert window.playback.position() == pytest.approx(8.0)
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.state.segment == 1
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.playback.is_playing
    qtbot.waitUntil(lambda: window.playback.position() > 4.2, timeout=5000)
    assert window.timeline.position == pytest.approx(window.playback.position(), abs=0.2)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not window.playback.is_playing
    window.actions.loop.setChecked(True)
    assert window.playback.loop == (4.0, 8.0)
    window.editing.next_segment()
    assert window.playback.loop == (8.0, 12.0)
    window.actions.loop.setChecked(False)
    assert window.playback.loop is None


def test_drop_a_song_or_project_to_open_it(qtbot, make_main_window, tiny_song, tmp_path):
    window = make_main_window()
    window.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tiny_song))])
    enter = _drag_enter(window, mime)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(window.song_loaded, timeout=TIMEOUT):
        window.dropEvent(QDropEvent(QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime,
                                    Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))  # fmt: skip
    assert window.project.song is not None and window.song_path == tiny_song

    text = tmp_path / "notes.txt"
    text.write_text("hello")
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(text))])
    enter = _drag_enter(window, other)
    enter.setAccepted(False)
    window.dragEnterEvent(enter)
    assert not enter.isAccepted()


def _drag_enter(window, mime) -> QDragEnterEvent:
    return QDragEnterEvent(window.rect().center(), Qt.DropAction.CopyAction, mime,
                           Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip


def test_quitting_with_unsaved_changes_asks(qtbot, opened, prompts, tmp_path):
    window = opened
    assert window.project.dirty
    prompts.unsaved = "cancel"
    window.close()
    assert window.isVisible() and prompts.asked[-1] == "unsaved"
    prompts.unsaved = "save"
    prompts.save_as = str(tmp_path / "kept.choreo")
    window.close()  # saves first, then closes
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
    assert (tmp_path / "kept.choreo").is_file()


def test_errors_are_non_modal_notifications(qtbot, opened, tmp_path):
    window = opened
    bad = tmp_path / "broken.choreo"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    window.session.open_project(bad)
    qtbot.waitUntil(lambda: any(level == "error" for level, _ in window.notifications.history), timeout=20_000)
    assert QApplication.activeModalWidget() is None
    assert window.project.song is not None  # the open project stays
    assert "broken.choreo" in window.notifications.history[-1][1]
    assert window.notifications.shown() and window.notifications.isVisible()


def test_preferences_persist_and_change_the_project_undoably(qtbot, make_main_window, opened, ui_settings):
    window = opened
    dialog = window.show_preferences()
    assert dialog.candidates.value() == 3 and dialog.audio.currentData() == "off"
    dialog.candidates.setValue(6)
    dialog.alpha.setValue(0.8)
    dialog.autosave.setValue(30)
    dialog.accept()
    assert Preferences.load(ui_settings).candidates == 6
    assert Preferences.load(ui_settings).autosave_seconds == 30
    assert window.project.settings.candidates_per_segment == 6 and window.project.settings.alpha == 0.8
    window.editing.undo()
    assert window.project.settings.candidates_per_segment == 3
    again = make_main_window()
    assert again.preferences.candidates == 6 and again.preferences.alpha == 0.8


def test_new_ranking_weights_reorder_the_candidate_panel(qtbot, opened):
    """Only coherence counts (alpha 0): every ranked segment lists its candidates by CS, choices kept."""
    window = opened
    project = window.project
    chosen = [project.chosen_candidate(0, i).seed for i in range(project.num_segments)]
    window.editing.select(0, 1)
    dialog = window.show_preferences()
    dialog.alpha.setValue(0.0)
    dialog.beta.setValue(1.0)
    dialog.accept()
    for segment in range(project.num_segments):
        cs = [c.scores["cs"] for c in project.candidates(0, segment)]
        assert cs == sorted(cs, reverse=True)
        assert project.chosen_candidate(0, segment).seed == chosen[segment]
    shown = [row.candidate.seed for row in window.candidates.rows]
    assert shown == [c.seed for c in project.candidates(0, 1)]
    window.editing.undo()
    assert project.settings.alpha == 1.0


def test_sound_preference_offers_the_output_devices(qtbot, ui_settings):
    from studio.ui.preferences import PreferencesDialog

    dialog = PreferencesDialog(Preferences(audio="USB DAC"), devices=["Speakers", "HDMI"])
    qtbot.addWidget(dialog)
    offered = [dialog.audio.itemData(i) for i in range(dialog.audio.count())]
    assert offered == ["default", "off", "Speakers", "HDMI", "USB DAC"]  # the unplugged choice is kept
    assert "not connected" in dialog.audio.currentText()
    dialog.audio.setCurrentIndex(offered.index("HDMI"))
    dialog.preferences().save(ui_settings)
    assert Preferences.load(ui_settings).audio == "HDMI"


def _saved_project_with_its_song(qtbot, window, tiny_song, folder):
    folder.mkdir()
    song = folder / "song.wav"
    shutil.copy(tiny_song, song)
    with qtbot.waitSignal(window.dance_ready, timeout=TIMEOUT):
        window.session.open_song(song)
    qtbot.waitUntil(lambda: not window.busy(), timeout=TIMEOUT)
    with qtbot.waitSignal(window.saved, timeout=TIMEOUT):
        window.files.save_to(folder / "dance.choreo")
    return song


def test_a_moved_song_is_found_near_the_project_by_its_content(qtbot, make_main_window, tiny_song, tmp_path):
    window = make_main_window()
    song = _saved_project_with_its_song(qtbot, window, tiny_song, tmp_path / "work")
    chosen = [window.project.chosen_candidate(0, i).seed for i in range(window.project.num_segments)]
    (tmp_path / "work" / "music").mkdir()
    moved = song.rename(tmp_path / "work" / "music" / "renamed.wav")
    song.write_bytes(b"RIFF not this song")  # a stranger under the old name

    again = make_main_window()
    with qtbot.waitSignal(again.song_loaded, timeout=TIMEOUT):
        again.session.open_project(tmp_path / "work" / "dance.choreo")
    assert again.project.song.path == str(moved) and again.project.dirty
    assert again.playback.transport is not None and again.analysis is not None
    assert [again.project.chosen_candidate(0, i).seed for i in range(again.project.num_segments)] == chosen
    assert any("found it at" in text for _, text in again.notifications.history)


def test_locate_song_takes_only_the_same_content(qtbot, make_main_window, prompts, tiny_song, tmp_path):
    window = make_main_window()
    song = _saved_project_with_its_song(qtbot, window, tiny_song, tmp_path / "work")
    far = tmp_path / "far" / "away" / "from"
    far.mkdir(parents=True)
    hidden = song.rename(far / "elsewhere.wav")  # not near the project: not found by itself
    again = make_main_window()
    with qtbot.waitSignal(again.song_loaded, timeout=TIMEOUT):
        again.session.open_project(tmp_path / "work" / "dance.choreo")
    assert again.analysis is None and any("missing" in text for _, text in again.notifications.history)
    steps = again.undo_stack.count

    other = tmp_path / "other.wav"
    soundfile.write(other, np.zeros(22050 * 20, np.float32), 22050)
    prompts.song = str(other)
    again.session.locate_song()
    qtbot.waitUntil(lambda: any("was not taken" in t for _, t in again.notifications.history), timeout=TIMEOUT)
    assert again.analysis is None and again.project.song.path != str(other)

    prompts.song = str(hidden)
    again.session.locate_song()
    qtbot.waitUntil(lambda: again.analysis is not None, timeout=TIMEOUT)
    assert again.project.song.path == str(hidden.resolve()) and again.playback.transport is not None
    assert again.undo_stack.count == steps  # the document's history is kept
    again.editing.select(0, 2)
    assert again.generation.regenerate(again.project.lead.id, 2)  # the song is there again: regenerating works


def test_recent_files(tmp_path):
    settings = ini_settings(tmp_path / "s.ini")
    for name in ("a.wav", "b.wav", "a.wav"):
        add_recent_file(settings, tmp_path / name)
    assert [Path(p).name for p in recent_files(settings)] == ["a.wav", "b.wav"]


def test_genre_override_is_an_undoable_edit(opened):
    window = opened
    window.candidates.genre_box.setCurrentIndex(window.candidates.genre_box.findData("Jazz"))
    assert window.project.genre_override == "Jazz"
    assert window.undo_stack.undo_text == "dance genre Jazz"
    window.editing.undo()
    assert window.project.genre_override is None and window.candidates.genre_box.currentData() is None


def test_the_editor_process_end_to_end(tmp_path, tiny_song, run_studio):
    """``python -m studio run song.wav`` with the screenshot hook: starts without torch, generates the whole
    dance, grabs the window, quits cleanly (no recovery file left behind)."""
    shot = tmp_path / "window.png"
    env = {**os.environ, "CHOREO_SCREENSHOT": str(shot), "CHOREO_SCREENSHOT_WHEN": "dance",
           "XDG_CONFIG_HOME": str(tmp_path / "config")}  # fmt: skip
    done = run_studio(tiny_song, env, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    assert shot.stat().st_size > 10_000
    recovery = Path(os.environ["CHOREO_STUDIO_DATA"]) / "recovery"
    assert not list(recovery.glob("*.choreo")) if recovery.is_dir() else True
