"""Help: the keyboard shortcuts (from the actions table) and About, both non-modal."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio import __version__
from studio.ui.actions import shortcut_table

APP_NAME = "Choreo Studio"

WORKFLOW = (
    "<p>Open a song (File &gt; New from song, or drop it on the window): the dance is generated segment by "
    "segment, and you can watch the first ones while the rest are made. Select a segment on the timeline; "
    "the panel on the right lists its candidates best first. Hover one to preview it, click (or press its "
    "number) to choose it, <b>R</b> regenerates, <b>L</b> locks.</p>"
    "<p>The first generation of a song is the project's starting point and is not in the undo history; "
    'every edit after it is ("Regenerate all unlocked" is one step).</p>'
)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcuts")
        rows = shortcut_table()
        table = QTableWidget(len(rows), 2, self)
        table.setObjectName("shortcut-table")
        table.setHorizontalHeaderLabels(["Keys", "Action"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        for row, (keys, text) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(text))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        intro = QLabel(WORKFLOW)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(table, 1)
        layout.addWidget(buttons)
        self.table = table
        self.resize(560, 620)


def about_box(parent: QWidget | None = None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle(f"About {APP_NAME}")
    box.setObjectName("about")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(
        f"<b>{APP_NAME}</b> {__version__}<br>Music in, full-body dances (body and fingers) out.<br><br>"
        "FineNet-style generation (FDGN + GCRM ranking) when trained models are installed, a procedural "
        "baseline otherwise. Apache-2.0."
    )
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setModal(False)
    return box
