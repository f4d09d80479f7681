"""The editor's main window.  For now a frame: menus, a placeholder centre, a status bar.

The timeline, the GL viewport and the candidate panel replace the placeholder as they are built.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox, QWidget

from studio import __version__

APP_NAME = "Choreo Studio"
SONG_FILTER = "Songs (*.wav *.flac *.ogg *.mp3 *.m4a *.aac);;All files (*)"


class MainWindow(QMainWindow):
    """Title, menus, placeholder and status bar.  ``path`` is a song (or later a .choreo file) to open."""

    def __init__(self, path: str | Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 800)

        self._placeholder = QLabel("Timeline and viewport coming", self)
        self._placeholder.setObjectName("placeholder")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(self._placeholder)

        self._build_menus()

        # The device is what the models will run on.  "CPU" until a lazy torch check says otherwise:
        # importing torch here would add seconds to every start.
        self._device_label = QLabel("Device: CPU", self)
        self._device_label.setObjectName("device")
        self._file_label = QLabel("No song", self)
        self._file_label.setObjectName("file")
        for label in (self._file_label, self._device_label):
            label.setContentsMargins(8, 0, 8, 0)
        status = self.statusBar()
        status.addPermanentWidget(self._file_label)
        status.addPermanentWidget(self._device_label)

        if path is not None:
            self.open_song(path)

    # --- menus ------------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.action_new = self._action(file_menu, "&New from song...", QKeySequence.StandardKey.New, self._choose_song)
        # Not built yet: shown so the shape of the app is visible, disabled so nothing pretends to work.
        self.action_open = self._action(file_menu, "&Open...", QKeySequence.StandardKey.Open, enabled=False)
        self.action_save = self._action(file_menu, "&Save", QKeySequence.StandardKey.Save, enabled=False)
        self.action_export = self._action(file_menu, "&Export...", None, enabled=False)
        file_menu.addSeparator()
        self.action_quit = self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)

        help_menu = bar.addMenu("&Help")
        self.action_about = self._action(help_menu, "&About Choreo Studio", None, self._about)

    def _action(self, menu, text, shortcut, slot=None, *, enabled: bool = True) -> QAction:
        action = menu.addAction(text)
        if shortcut is not None:
            action.setShortcut(shortcut)
        if slot is not None:
            action.triggered.connect(slot)
        action.setEnabled(enabled)
        return action

    # --- files --------------------------------------------------------------------------------------
    def open_song(self, path: str | Path) -> None:
        """Show the song's name.  A missing file leaves the window empty with a message, never a crash."""
        path = Path(path)
        if not path.is_file():
            self.path = None
            self.setWindowTitle(APP_NAME)
            self._file_label.setText("No song")
            self.statusBar().showMessage(f"Song not found: {path}. Choose one with File > New from song...")
            return
        self.path = path
        self.setWindowTitle(f"{path.name} — {APP_NAME}")
        self._file_label.setText(path.name)
        self.statusBar().showMessage(f"Opened {path.name}", 5000)

    def _choose_song(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "New from song", "", SONG_FILTER)
        if name:
            self.open_song(name)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Music in, full-body dances (body and fingers) out.",
        )
