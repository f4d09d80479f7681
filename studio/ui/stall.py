"""Event-loop stall meter: how long the UI thread went without serving a fast timer.

Used by ``bench ui`` (the worst stall while a song generates) and by the responsiveness tests.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import Qt, QTimer


class StallMeter:
    """A QTimer firing every ``interval_ms``; ``worst_ms`` is the longest the event loop went without serving it."""

    def __init__(self, interval_ms: int = 5) -> None:
        self.interval = interval_ms / 1000
        self.gaps: list[float] = []
        self._last = 0.0
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    @property
    def worst_ms(self) -> float:
        return max(0.0, (max(self.gaps) - self.interval) * 1000) if self.gaps else 0.0

    def percentile_ms(self, q: float) -> float:
        return max(0.0, (float(np.percentile(self.gaps, q)) - self.interval) * 1000) if self.gaps else 0.0
