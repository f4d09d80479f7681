"""A dependency-free progress line: step, loss, speed, elapsed time and ETA."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class ProgressBar:
    """``update(step, loss)``; on a terminal redraws one line, otherwise prints a line every ``every`` steps."""

    def __init__(self, total: int, start: int = 0, every: int = 25, stream: TextIO | None = None, width: int = 24):
        self.total, self.start, self.every, self.width = total, start, every, width
        self.stream = stream or sys.stderr
        self.tty = getattr(self.stream, "isatty", lambda: False)()
        self.t0 = time.perf_counter()
        self.smooth: float | None = None
        self.last_line = ""

    def update(self, step: int, loss: float, extra: str = "") -> str:
        self.smooth = loss if self.smooth is None else 0.95 * self.smooth + 0.05 * loss
        done = step - self.start
        elapsed = time.perf_counter() - self.t0
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - step) / rate if rate > 0 else float("nan")
        filled = int(self.width * step / max(self.total, 1))
        bar = "#" * filled + "." * (self.width - filled)
        eta_text = _clock(eta) if eta == eta else "--:--"
        line = (f"step {step}/{self.total} [{bar}] loss {self.smooth:.4f} {rate:.2f} it/s "
                f"elapsed {_clock(elapsed)} ETA {eta_text}{(' ' + extra) if extra else ''}")  # fmt: skip
        self.last_line = line
        if self.tty:
            self.stream.write("\r" + line)
            if step >= self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif step % self.every == 0 or step >= self.total:
            self.stream.write(line + "\n")
            self.stream.flush()
        return line
