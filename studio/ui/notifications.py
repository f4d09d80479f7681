"""Non-modal notifications: messages stacked in the window's bottom-right corner, never blocking work.

Information and warnings fade out by themselves; errors stay until closed. Every message is also kept in
``history`` (level, text), so tests and the Help menu can see what was said.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

LEVELS = {"info": ("#2d4f6e", 6000), "warning": ("#6e5a2d", 12000), "error": ("#7a2d2d", 0)}
MAX_SHOWN = 4
WIDTH = 380


class Notification(QFrame):
    def __init__(self, text: str, level: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.level = level
        self.text = text
        color, timeout = LEVELS[level]
        self.setObjectName(f"notification-{level}")
        self.setStyleSheet(
            f"QFrame#{self.objectName()} {{ background: {color}; border-radius: 5px; }}"
            "QLabel { color: white; } QToolButton { color: white; border: none; font-weight: bold; }"
        )
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Dismiss")
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.setFixedWidth(WIDTH)
        if timeout:
            QTimer.singleShot(timeout, self, self.dismiss)

    def dismiss(self) -> None:
        area = self.parent()
        self.hide()
        self.setParent(None)
        self.deleteLater()
        if isinstance(area, Notifications):
            area.relayout()


class Notifications(QWidget):
    """The stack of notifications over ``host`` (the main window's centre)."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("notifications")
        self.host = host
        self.history: list[tuple[str, str]] = []
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, False)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)
        host.installEventFilter(self)
        self.relayout()

    def notify(self, text: str, level: str = "info") -> Notification:
        if level not in LEVELS:
            level = "info"
        self.history.append((level, text))
        shown = self.shown()
        for old in shown[: max(0, len(shown) - MAX_SHOWN + 1)]:
            old.dismiss()
        note = Notification(text, level, self)
        self._layout.addWidget(note)
        note.show()
        self.relayout()
        return note

    def info(self, text: str) -> Notification:
        return self.notify(text, "info")

    def warning(self, text: str) -> Notification:
        return self.notify(text, "warning")

    def error(self, text: str) -> Notification:
        return self.notify(text, "error")

    def shown(self) -> list[Notification]:
        return [w for w in self.findChildren(Notification) if w.parent() is self and not w.isHidden()]

    def clear(self) -> None:
        for note in self.shown():
            note.dismiss()

    def relayout(self) -> None:
        shown = self.shown()
        self.setVisible(bool(shown))
        if not shown:
            return
        self.adjustSize()
        height = sum(n.sizeHint().height() for n in shown) + 6 * (len(shown) - 1)
        host = self.host.rect()
        self.setGeometry(host.right() - WIDTH - 12, max(host.bottom() - height - 12, 0), WIDTH, height)
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self.relayout()
        return False
