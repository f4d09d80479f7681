"""Pictures of the editor for the docs, taken under Xvfb through the real window.

``CHOREO_UPDATE_SCREENSHOTS=1 pytest tests/ui/test_editor_screenshots.py`` writes them to docs/screenshots/;
otherwise they go to a temporary folder and the test only checks that they show something.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.gl

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def shots(tmp_path) -> Path:
    if os.environ.get("CHOREO_UPDATE_SCREENSHOTS"):
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path


@pytest.fixture
def demo_song_path(tmp_path):
    import soundfile

    from studio.audio.synth import demo_song

    song = demo_song(48.0, bpm=118.0, sample_rate=22050, seed=11)
    path = tmp_path / "demo-song.wav"
    soundfile.write(path, song.samples, song.sample_rate)
    return path


def _distinct_colours(image, step: int = 7) -> int:
    colours = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colours.add(image.pixel(x, y) & 0xF0F0F0)
    return len(colours)


def _open(qtbot, make_main_window, song, ui_settings):
    from studio.ui.preferences import Preferences

    Preferences(device="cpu", audio="off", candidates=5).save(ui_settings)
    window = make_main_window()
    window.resize(1400, 860)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.dance_ready, timeout=120_000):
        window.session.open_song(song)
    qtbot.waitUntil(lambda: window.display.avatar is not None and not window.busy(), timeout=60_000)
    return window


def test_editor_screenshot(qtbot, make_main_window, demo_song_path, ui_settings, shots):
    window = _open(qtbot, make_main_window, demo_song_path, ui_settings)
    window.actions.add_partner.trigger()
    qtbot.waitUntil(window.session.is_dance_complete, timeout=120_000)
    window.editing.select(0, 3)
    window.playback.seek(13.4)
    qtbot.waitUntil(lambda: not window.busy(), timeout=30_000)
    qtbot.wait(600)
    image = window.grab().toImage()
    path = shots / "editor.png"
    assert image.save(str(path))
    assert image.width() >= 1400 and _distinct_colours(image) > 40


def test_preview_screenshot(qtbot, make_main_window, demo_song_path, ui_settings, shots):
    window = _open(qtbot, make_main_window, demo_song_path, ui_settings)
    window.editing.select(0, 4)
    row = window.candidates.rows[2]
    qtbot.mouseMove(row)  # the pointer onto candidate 3
    if window.display.previewing is None:  # some window managers deliver no enter event to an unfocused window
        row.hovered.emit(row.index)
    qtbot.waitUntil(lambda: window.display.preview_shown, timeout=20_000)
    assert window.display.previewing == (0, 4, 2)
    assert window.playback.is_playing
    qtbot.wait(1800)  # into the previewed segment (it starts a second before it)
    image = window.grab().toImage()
    path = shots / "preview.png"
    assert image.save(str(path))
    assert _distinct_colours(image) > 40
    qtbot.mouseMove(window.timeline)
    if window.display.previewing is not None:
        row.left.emit()
    assert window.display.previewing is None
    assert not window.playback.is_playing  # back to where it was
