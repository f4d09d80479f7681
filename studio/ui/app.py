"""Start the editor: one QApplication, one MainWindow, the event loop."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from studio import __version__
from studio.ui.main_window import APP_NAME, MainWindow

# Test and docs hook: CHOREO_SCREENSHOT=window.png makes the editor save a picture of its window once it
# is on screen, then quit.  Works under Xvfb, so screenshots for the docs need no desktop.
SCREENSHOT_ENV = "CHOREO_SCREENSHOT"
SCREENSHOT_DELAY_MS = 500
# Lets desktops pair the window with packaging/choreo-studio.desktop (icon, name).
DESKTOP_FILE_NAME = "choreo-studio"


def run_editor(path: str | None) -> int:
    """Open the editor (on ``path`` when given) and run until the window closes; returns the exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Choreo Studio")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_FILE_NAME)

    window = MainWindow(path)
    window.show()

    screenshot = os.environ.get(SCREENSHOT_ENV)
    status = {"code": 0}
    if screenshot:

        def grab_and_quit() -> None:
            if not window.grab().save(screenshot):
                print(f"could not write the screenshot {screenshot}", file=sys.stderr)
                status["code"] = 1
            app.quit()

        # After the first paints, so the picture shows what a person would see.
        QTimer.singleShot(SCREENSHOT_DELAY_MS, grab_and_quit)

    code = app.exec()
    return status["code"] or int(code)
