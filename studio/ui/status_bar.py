"""The status bar: what runs in the background and its progress, and the readouts (playhead time, audio,
model, device, file).

Progress arrives many times a second from the workers; it is shown at most every ``STATUS_REPAINT_MS``
because, with a GL viewport in the window, every repaint of the bar composes the whole window.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QProcess, QTimer
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

STATUS_REPAINT_MS = 200  # progress in the status bar repaints at most this often


class ProgressStrip(QWidget):
    """A thin progress bar for the status bar. Unlike QProgressBar, whose ``setValue`` repaints at once (a
    full composition of the window when it holds a GL widget), this one only schedules a paint."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(140, 10)
        self.done, self.total = 0, 0
        self._phase = 0
        self._spin = QTimer(self)
        self._spin.setInterval(80)
        self._spin.timeout.connect(self._step)

    def set_progress(self, done: int, total: int) -> None:
        """``total`` 0: busy without a known end (a moving block)."""
        self.done, self.total = int(done), int(total)
        if total > 0:
            self._spin.stop()
        elif self.isVisible() and not self._spin.isActive():
            self._spin.start()
        self.update()

    def _step(self) -> None:
        self._phase = (self._phase + 1) % 20
        self.update()

    def hideEvent(self, event) -> None:
        self._spin.stop()
        super().hideEvent(event)

    def showEvent(self, event) -> None:
        if self.total <= 0:
            self._spin.start()
        super().showEvent(event)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        rect = self.rect().adjusted(0, 1, -1, -2)
        painter.fillRect(rect, QColor(128, 128, 128, 70))
        color = QColor("#3a8fe0")
        if self.total > 0:
            width = rect.width() * min(self.done / self.total, 1.0)
            painter.fillRect(rect.adjusted(0, 0, int(width) - rect.width(), 0), color)
        else:
            block = rect.width() // 4
            left = rect.left() + (rect.width() + block) * self._phase // 20 - block
            painter.fillRect(max(left, rect.left()), rect.top(), block, rect.height(), color)
        painter.end()


class StatusReadouts:
    """The labels and the progress strip of the window's status bar ``status`` (found by object name:
    "activity", "progress", "time", "audio", "model", "device", "file"); messages still go to the bar itself."""

    def __init__(self, status: QStatusBar) -> None:
        self.bar = status
        self.activity = QLabel("", status)
        self.activity.setObjectName("activity")
        self.progress = ProgressStrip(status)
        self.progress.setObjectName("progress")
        self.progress.hide()
        self.audio = QLabel("Audio: -", status)
        self.audio.setObjectName("audio")
        self.model = QLabel("Model: not loaded", status)
        self.model.setObjectName("model")
        self.device = QLabel("Device: CPU", status)
        self.device.setObjectName("device")
        self.file = QLabel("No song", status)
        self.file.setObjectName("file")
        self._activity = ("", 0, 0)
        self._activity_timer = QTimer(status)
        self._activity_timer.setSingleShot(True)
        self._activity_timer.setInterval(STATUS_REPAINT_MS)
        self._activity_timer.timeout.connect(self._show_activity)
        self.time = QLabel("0:00.0", status)
        self.time.setObjectName("time")
        for label in (self.activity, self.time, self.audio, self.model, self.device, self.file):
            label.setContentsMargins(6, 0, 6, 0)
        status.addWidget(self.activity)
        status.addWidget(self.progress)
        for label in (self.time, self.audio, self.model, self.device, self.file):
            status.addPermanentWidget(label)
        self._generator_device = "CPU"  # where the generators run; the probe may add which GPU torch sees
        self._cuda_note = ""
        self._probe: QProcess | None = None
        self._stopped = False

    def show_activity(self, text: str, done: int, total: int) -> None:
        """What runs and its progress, a few times a second (the end of work shows at once)."""
        self._activity = (text, done, total)
        if not text or not self.activity.text():
            self._show_activity()
        elif not self._activity_timer.isActive():
            self._activity_timer.start()

    def _show_activity(self) -> None:
        text, done, total = self._activity
        if text != self.activity.text():
            self.activity.setText(text)
        if not text:
            self.progress.hide()
            return
        self.progress.set_progress(done, total)
        self.progress.show()

    def show_time(self, seconds: float) -> None:
        minutes, rest = divmod(seconds, 60.0)
        self.time.setText(f"{int(minutes)}:{rest:04.1f}")

    def show_transport(self, reason: str) -> None:
        """The playback transport's state: '' is sound, "no song" none, anything else why it is silent."""
        if not reason:
            self.audio.setText("Audio: on")
            self.audio.setToolTip("")
        elif reason == "no song":
            self.audio.setText("Audio: -")
        else:
            self.audio.setText("Audio: silent clock")
            self.audio.setToolTip(reason)

    def show_model(self, text: str) -> None:
        self.model.setText(f"Model: {text}")

    def show_file(self, name: str) -> None:
        self.file.setText(name)

    def show_device(self, device: str) -> None:
        self._generator_device = device
        text = f"Device: {device}"
        if device == "CPU" and self._cuda_note:
            text += f" ({self._cuda_note} available)"
        self.device.setText(text)

    # -- which GPU torch sees -------------------------------------------------------------------------------------
    def probe_device(self) -> None:
        """Ask a child process: torch never loads into the editor for this."""
        if self._stopped:
            return
        process = QProcess(self.bar)
        process.setObjectName("device-probe")
        code = "import torch; print(torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'CPU')"
        process.finished.connect(lambda *args: self._on_device_probed(process))
        process.start(sys.executable, ["-c", code])
        self._probe = process

    def _on_device_probed(self, process: QProcess) -> None:
        output = bytes(process.readAllStandardOutput()).decode(errors="replace").strip().splitlines()
        name = output[-1] if output else ""
        process.deleteLater()
        self._probe = None
        if name and name != "CPU":
            self._cuda_note = f"CUDA: {name}"
            self.show_device(self._generator_device)

    def stop(self) -> None:
        """End a running probe (the window is closing)."""
        self._stopped = True
        if self._probe is not None:
            self._probe.kill()
            self._probe.waitForFinished(1000)
