"""What the child-process tests build in their children (a module the child can import by name)."""

from __future__ import annotations

import os
import time

from studio.core.errors import Cancelled, InputError


class Counter:
    def __init__(self, start: int, fail: bool = False) -> None:
        if fail:
            raise InputError("counter.cfg", expected="a number", found="a word", hint="write 3")
        self.value = start

    def add(self, n: int) -> int:
        self.value += n
        return self.value

    def pid(self) -> int:
        return os.getpid()

    def count(self, steps: int, progress, interrupt) -> int:
        for i in range(steps):
            if interrupt.is_set():
                raise Cancelled(f"stopped at {i}")
            progress(i + 1, steps)
            time.sleep(0.02)
        return steps

    def refuse(self) -> None:
        raise InputError("song.wav", expected="audio", found="a text file")

    def unpicklable(self):
        return lambda: 0

    def die(self) -> None:
        os._exit(3)


def describe(counter: Counter) -> dict:
    return {"start": counter.value}
