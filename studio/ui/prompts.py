"""Every modal question the window asks: file dialogs, "save changes?", "recover?".

They all go through ``Prompts`` so that nothing else in the window blocks, and so tests can substitute an
object with the same methods.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from studio.core.formation import Formation
from studio.io.formats import file_filter
from studio.ui.autosave import Recovery
from studio.ui.formation_dialog import ask_formation

SONG_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3", ".m4a", ".aac")
PROJECT_SUFFIX = ".choreo"
SONG_FILTER = "Songs (*.wav *.flac *.ogg *.mp3 *.m4a *.aac);;All files (*)"
PROJECT_FILTER = "Choreo Studio projects (*.choreo);;All files (*)"
EXPORT_FILTER = file_filter()  # every format the exporters write (studio.io.formats)


class Prompts:
    """Every modal question the window asks. Tests substitute an object with the same methods."""

    def __init__(self, window: QWidget) -> None:
        self.window = window

    def song_to_open(self) -> str | None:
        name, _ = QFileDialog.getOpenFileName(self.window, "New from song", "", SONG_FILTER)
        return name or None

    def song_to_locate(self, name: str) -> str | None:
        name, _ = QFileDialog.getOpenFileName(self.window, f"Locate the song {name}", "", SONG_FILTER)
        return name or None

    def project_to_open(self) -> str | None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Open project", "", PROJECT_FILTER)
        return name or None

    def save_path(self, suggested: str) -> str | None:
        name, _ = QFileDialog.getSaveFileName(self.window, "Save project", suggested, PROJECT_FILTER)
        if name and not name.endswith(PROJECT_SUFFIX):
            name += PROJECT_SUFFIX
        return name or None

    def export_path(self, suggested: str) -> str | None:
        name, chosen = QFileDialog.getSaveFileName(self.window, "Export dance", suggested, EXPORT_FILTER)
        if name and not Path(name).suffix:
            name += "." + chosen.split("*.")[-1].rstrip(")")
        return name or None

    def unsaved_changes(self, title: str) -> str:
        """'save', 'discard' or 'cancel'."""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.window, "Unsaved changes", f"Save the changes to {title}?",
            buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save,
        )  # fmt: skip
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")

    def recover(self, recovery: Recovery) -> bool:
        answer = QMessageBox.question(
            self.window, "Recover work",
            f"Choreo Studio did not close properly last time.\n\nRecover {recovery.title}?",
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes

    def partner_formation(self, title: str, current: Formation) -> Formation | None:
        """Where the partner stands, asked with the formation dialog (None: cancelled)."""
        return ask_formation(self.window, title, current)
