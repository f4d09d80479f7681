"""The placeholder editor window: title, menus, status bar, opening a song by path."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QLabel


def _menu(window, title: str):
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title:
            return action.menu()
    raise AssertionError(f"no {title} menu")


def _actions(menu) -> dict[str, bool]:
    return {a.text().replace("&", ""): a.isEnabled() for a in menu.actions() if not a.isSeparator()}


def test_status_bar_shows_device_and_no_song(make_main_window):
    window = make_main_window()

    assert window.statusBar().findChild(QLabel, "device").text() == "Device: CPU"
    assert window.statusBar().findChild(QLabel, "file").text() == "No song"


def test_song_name_in_title_and_status_bar(tmp_path, make_main_window):
    song = tmp_path / "bolero.wav"
    song.write_bytes(b"RIFF")  # the window only shows the name for now

    window = make_main_window(song)

    assert window.windowTitle() == "bolero.wav — Choreo Studio"
    assert window.statusBar().findChild(QLabel, "file").text() == "bolero.wav"
    assert window.path == song


def test_missing_song_opens_empty_with_a_message(tmp_path, make_main_window):
    window = make_main_window(tmp_path / "not-there.wav")

    assert window.windowTitle() == "Choreo Studio"
    assert window.path is None
    assert "Song not found" in window.statusBar().currentMessage()
    assert "not-there.wav" in window.statusBar().currentMessage()


def test_editor_starts_without_torch_and_screenshot_hook_works(tmp_path, run_studio):
    """`python -m studio run` end to end, as `make run` calls it; CHOREO_SCREENSHOT grabs and quits."""
    shot = tmp_path / "window.png"
    env = {**os.environ, "CHOREO_SCREENSHOT": str(shot)}
    done = run_studio(tmp_path / "missing.wav", env, timeout=60)

    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 1000

    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert image.width() > 400 and image.height() > 300  # the whole window, not a blank stub
