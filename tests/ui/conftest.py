from __future__ import annotations

import pytest


@pytest.fixture
def make_main_window(qtbot):
    """Build MainWindows for a test; afterwards check that closing them left no window behind."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from studio.ui.main_window import MainWindow

    before = {id(widget) for widget in QApplication.topLevelWidgets()}
    made: list[MainWindow] = []

    def make(path=None) -> MainWindow:
        window = MainWindow(path)
        made.append(window)
        return window

    yield make

    for window in made:
        window.close()
        window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    leaked = [w for w in QApplication.topLevelWidgets() if id(w) not in before and w.isVisible()]
    assert not leaked, f"windows left open: {leaked}"
