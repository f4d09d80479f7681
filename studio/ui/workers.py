"""Background work without freezing the window: a worker thread with a job queue.

``TaskWorker``: one worker thread running jobs one at a time, lowest ``priority`` first. A job is a plain
function ``fn(progress, interrupt)``; it reports ``progress(done, total)`` and stops when
``interrupt.is_set()`` (raising ``studio.core.errors.Cancelled``). Results, errors and progress come back
to the main thread as queued Qt signals; the callbacks given to ``submit`` run there. A job with a ``key``
supersedes any earlier job with the same key: the older one is interrupted and its result dropped.
Dance generation runs on one (``studio.ui.dance_generation``).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from studio.core.errors import Cancelled, StudioError

log = logging.getLogger(__name__)


# -- the worker thread ---------------------------------------------------------------------------------------
@dataclass(order=True)
class _Job:
    priority: int
    order: int
    id: int = field(compare=False)
    fn: Callable[[Callable[[int, int], None], threading.Event], Any] = field(compare=False)
    key: Hashable | None = field(compare=False, default=None)
    interrupt: threading.Event = field(compare=False, default_factory=threading.Event)


class _Relay(QObject):
    """Carries a worker thread's answers to the main thread (queued: it lives in the main thread)."""

    started_job = Signal(int)
    progressed = Signal(int, int, int)
    done = Signal(int, object)
    failed = Signal(int, object, str)
    cancelled = Signal(int)


class _Thread(threading.Thread):
    """A daemon thread: work that cannot be interrupted (decoding a song) never keeps the app from quitting."""

    def __init__(self, name: str, relay: _Relay) -> None:
        super().__init__(name=f"choreo-{name}", daemon=True)
        self.relay = relay
        self._queue: list[_Job] = []
        self._wake = threading.Condition()
        self._stopping = False
        self.current: _Job | None = None

    def put(self, job: _Job) -> None:
        with self._wake:
            heapq.heappush(self._queue, job)
            self._wake.notify()

    def drop(self, predicate: Callable[[_Job], bool]) -> list[_Job]:
        """Take the waiting jobs that match out of the queue (and interrupt the running one if it matches)."""
        with self._wake:
            taken = [job for job in self._queue if predicate(job)]
            self._queue = [job for job in self._queue if not predicate(job)]
            heapq.heapify(self._queue)
            current = self.current
        if current is not None and predicate(current):
            current.interrupt.set()
        return taken

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            for job in self._queue:
                job.interrupt.set()
            self._queue.clear()
            if self.current is not None:
                self.current.interrupt.set()
            self._wake.notify_all()

    def run(self) -> None:
        _lower_priority()
        while True:
            with self._wake:
                while not self._queue and not self._stopping:
                    self._wake.wait()
                if self._stopping:
                    return
                job = heapq.heappop(self._queue)
                self.current = job
            try:
                self._run(job)
            finally:
                with self._wake:
                    self.current = None

    def _emit(self, signal: str, *args: Any) -> None:
        if self._stopping:
            return
        with contextlib.suppress(RuntimeError):  # the relay is gone with the window: nobody waits for this
            getattr(self.relay, signal).emit(*args)

    def _run(self, job: _Job) -> None:
        if job.interrupt.is_set():
            self._emit("cancelled", job.id)
            return
        self._emit("started_job", job.id)

        def progress(done: int, total: int) -> None:
            self._emit("progressed", job.id, int(done), int(total))

        try:
            result = job.fn(progress, job.interrupt)
        except Cancelled:
            self._emit("cancelled", job.id)
        except BaseException as error:
            self._emit("failed", job.id, error, "".join(traceback.format_exception(error)))
        else:
            if job.interrupt.is_set():
                self._emit("cancelled", job.id)
            else:
                self._emit("done", job.id, result)


WORKER_NICENESS = 5


def _lower_priority() -> None:
    """Let the UI thread (and the GL driver's threads) go first when the CPU is short: on Linux a thread
    has its own nice value. Elsewhere nothing changes."""
    if hasattr(os, "setpriority") and sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)


@dataclass
class _Callbacks:
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[BaseException], None] | None = None
    on_progress: Callable[[int, int], None] | None = None
    on_cancel: Callable[[], None] | None = None
    on_start: Callable[[], None] | None = None


class TaskWorker(QObject):
    """A worker thread and its queue; see the module docstring. Call ``stop()`` before the app quits."""

    busy_changed = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._relay = _Relay(self)
        self._thread = _Thread(name, self._relay)
        self._order = itertools.count()
        self._ids = itertools.count(1)
        self._callbacks: dict[int, _Callbacks] = {}
        self._keys: dict[Hashable, _Job] = {}
        self._jobs: dict[int, _Job] = {}
        self._relay.started_job.connect(self._on_started)
        self._relay.progressed.connect(self._on_progress)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._relay.cancelled.connect(self._on_cancelled)
        self._thread.start()
        self._stopped = False

    @property
    def pending(self) -> int:
        """Jobs submitted and not answered yet (waiting or running)."""
        return len(self._jobs)

    @property
    def is_busy(self) -> bool:
        return bool(self._jobs)

    def submit(
        self,
        fn: Callable[[Callable[[int, int], None], threading.Event], Any],
        *,
        key: Hashable | None = None,
        priority: int = 0,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        on_start: Callable[[], None] | None = None,
    ) -> int:
        """Queue ``fn(progress, interrupt)``; returns the job id. A same-``key`` older job is superseded."""
        if self._stopped:
            raise RuntimeError(f"the {self.name} worker has stopped")
        if key is not None and key in self._keys:
            self.cancel(self._keys[key].id)
        job = _Job(priority, next(self._order), next(self._ids), fn, key)
        self._callbacks[job.id] = _Callbacks(on_done, on_error, on_progress, on_cancel, on_start)
        self._jobs[job.id] = job
        if key is not None:
            self._keys[key] = job
        was_busy = len(self._jobs) > 1
        self._thread.put(job)
        if not was_busy:
            self.busy_changed.emit(True)
        return job.id

    def call(
        self, fn: Callable[..., Any], *args: Any, priority: int = 0, key: Hashable | None = None, **callbacks: Any
    ) -> int:
        """``submit`` for a function that takes neither progress nor interrupt."""
        return self.submit(lambda progress, interrupt: fn(*args), priority=priority, key=key, **callbacks)

    def cancel(self, job_id: int) -> None:
        """Interrupt a job; its ``on_cancel`` runs (now, for a waiting job; when it stops, for a running one)."""
        job = self._jobs.get(job_id)
        if job is None:
            return
        job.interrupt.set()
        taken = self._thread.drop(lambda j: j.id == job_id)
        if job.key is not None and self._keys.get(job.key) is job:
            del self._keys[job.key]
        if taken:
            self._finish(job_id, "cancel")

    def cancel_key(self, key: Hashable) -> None:
        job = self._keys.get(key)
        if job is not None:
            self.cancel(job.id)

    def cancel_all(self) -> None:
        for job_id in list(self._jobs):
            self.cancel(job_id)

    @property
    def thread(self) -> threading.Thread:
        return self._thread

    def stop(self, timeout_ms: int = 10_000) -> bool:
        """Cancel everything, end the thread and wait for it; True when it ended in time (else it is left
        to finish alone: it is a daemon thread and its answer goes nowhere)."""
        if self._stopped:
            return True
        self._stopped = True
        self._callbacks.clear()
        self._jobs.clear()
        self._keys.clear()
        self._thread.stop()
        self._thread.join(timeout_ms / 1000)
        ended = not self._thread.is_alive()
        if not ended:
            log.warning("the %s worker did not stop within %d ms", self.name, timeout_ms)
        return bool(ended)

    # -- answers from the thread (main thread) -------------------------------------------------------------
    def _finish(self, job_id: int, kind: str, *args: Any) -> None:
        job = self._jobs.pop(job_id, None)
        callbacks = self._callbacks.pop(job_id, None)
        if job is not None and job.key is not None and self._keys.get(job.key) is job:
            del self._keys[job.key]
        if not self._jobs and job is not None:
            self.busy_changed.emit(False)
        if callbacks is None:
            return
        callback = {"done": callbacks.on_done, "error": callbacks.on_error, "cancel": callbacks.on_cancel}[kind]
        if callback is not None:
            try:
                callback(*args)
            except Exception:
                log.exception("a %s callback of the %s worker raised", kind, self.name)

    @Slot(int)
    def _on_started(self, job_id: int) -> None:
        callbacks = self._callbacks.get(job_id)
        if callbacks is not None and callbacks.on_start is not None:
            callbacks.on_start()

    @Slot(int, int, int)
    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        callbacks = self._callbacks.get(job_id)
        job = self._jobs.get(job_id)
        if callbacks is not None and callbacks.on_progress is not None and job and not job.interrupt.is_set():
            callbacks.on_progress(done, total)

    @Slot(int, object)
    def _on_done(self, job_id: int, result: Any) -> None:
        job = self._jobs.get(job_id)
        if job is not None and job.interrupt.is_set():  # superseded while it finished
            self._finish(job_id, "cancel")
        else:
            self._finish(job_id, "done", result)

    @Slot(int, object, str)
    def _on_failed(self, job_id: int, error: BaseException, trace: str) -> None:
        log.debug("job %d of the %s worker failed:\n%s", job_id, self.name, trace)
        if not isinstance(error, StudioError):
            log.error("job %d of the %s worker failed:\n%s", job_id, self.name, trace)
        self._finish(job_id, "error", error)

    @Slot(int)
    def _on_cancelled(self, job_id: int) -> None:
        self._finish(job_id, "cancel")
