"""Start the editor: one QApplication, one MainWindow, the event loop (and the process-wide set-up they need)."""

from __future__ import annotations

import ctypes
import logging
import os
import sys

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from studio import __version__

log = logging.getLogger(__name__)

APP_NAME = "Choreo Studio"
# Test and docs hook: CHOREO_SCREENSHOT=window.png makes the editor save a picture of its window once it
# is on screen, then quit.  Works under Xvfb, so screenshots for the docs need no desktop.
# CHOREO_SCREENSHOT_WHEN=dance waits until the opened song's whole dance is generated instead.
SCREENSHOT_ENV = "CHOREO_SCREENSHOT"
SCREENSHOT_WHEN_ENV = "CHOREO_SCREENSHOT_WHEN"
SCREENSHOT_DELAY_MS = 500
# Lets desktops pair the window with packaging/choreo-studio.desktop (icon, name).
DESKTOP_FILE_NAME = "choreo-studio"
# The GIL is handed to a waiting thread after this long (Python's default is 5 ms). The UI thread enters
# Python for every paint callback; with a generator busy in another thread, each entry could wait the
# whole interval, and a paint of many items would wait many times. 0.2 ms keeps paints short even against
# a pure-Python generator (1 ms was not enough: docs/architecture.md, "Responsiveness").
SWITCH_INTERVAL_S = 0.0002


# -- PySide6 6.12.0 on Python 3.11 --------------------------------------------------------------------------
class _Probe(QObject):
    ping = Signal()


_SPARE = 1 << 40
_protected = False


def _losses() -> dict[str, int]:
    """References that PySide calls lose from None (a void method) and True (a Python-side emit)."""
    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(16):
        probe.setObjectName("probe")  # returns None
        probe.ping.emit()  # returns True
    return {"None": none_before - sys.getrefcount(None), "True": true_before - sys.getrefcount(True)}


def protect_singletons() -> bool:
    """Work around PySide6 6.12.0 on Python 3.11: its generated bindings return ``None`` (every void
    method: ``setText``, ``QPainter.drawLine``, ...) and ``True`` (``Signal.emit``) without a new
    reference, as if they were immortal, which they are only from Python 3.12. Each call takes a
    reference away, and within a minute of painting ``None`` reaches zero: the interpreter aborts
    ("none_dealloc"/"bool_dealloc"). PySide6 6.11 and Python 3.12+ are not affected.

    When the defect is present, give ``None``, ``True`` and ``False`` 2**40 spare references (CPython keeps
    the count in an object's first field): what Python 3.12 does by making them immortal. Once per process.
    """
    global _protected
    if _protected:
        return True
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    lost = _losses()
    if max(lost.values()) < 16:
        return False
    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))
        before = sys.getrefcount(singleton)
        count.value += _SPARE
        if sys.getrefcount(singleton) != before + _SPARE:  # not the object layout we expect: undo
            count.value -= _SPARE
            return False
    _protected = True
    log.warning("PySide6 drops references to None/True on Python 3.11 (lost %s per 16 calls): compensated", lost)
    return True


def configure_process() -> None:
    """What the editor needs of the process, whether it runs from ``run_editor`` or in a test."""
    protect_singletons()
    if sys.getswitchinterval() > SWITCH_INTERVAL_S:
        sys.setswitchinterval(SWITCH_INTERVAL_S)


def start_children() -> None:
    """Start the analysis and generator processes before the window is even imported: they load librosa
    and torch (and compile librosa's kernels on a machine's first run) while the window is built, each on
    its own core and never under the window's interpreter lock. The window takes them over."""
    from studio.audio import analysis_process
    from studio.choreography import generator_process
    from studio.ui.dance_generation import editor_threads
    from studio.ui.preferences import Preferences, user_settings
    from studio.ui.workers import WORKER_NICENESS

    analysis_process.start(niceness=WORKER_NICENESS)
    device = Preferences.load(user_settings()).device
    generator_process.start(device, threads=editor_threads(), niceness=WORKER_NICENESS)


def run_editor(path: str | None) -> int:
    """Open the editor (on ``path`` when given) and run until the window closes; returns the exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Choreo Studio")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    configure_process()
    start_children()

    from studio.ui.main_window import MainWindow

    window = MainWindow(path)
    window.show()

    screenshot = os.environ.get(SCREENSHOT_ENV)
    status = {"code": 0}
    if screenshot:

        def grab_and_quit() -> None:
            if not window.grab().save(screenshot):
                print(f"could not write the screenshot {screenshot}", file=sys.stderr)
                status["code"] = 1
            window.shutdown()
            app.quit()

        if os.environ.get(SCREENSHOT_WHEN_ENV) == "dance" and path:
            window.dance_ready.connect(lambda seconds: QTimer.singleShot(SCREENSHOT_DELAY_MS, grab_and_quit))
        else:
            # After the first paints, so the picture shows what a person would see.
            QTimer.singleShot(SCREENSHOT_DELAY_MS, grab_and_quit)
    else:
        QTimer.singleShot(0, window.files.offer_recovery)  # after a crash: offer the autosaved work

    code = app.exec()
    return status["code"] or int(code)
