"""Autosave to a recovery file, and recovery after a crash.

Where: ``<data dir>/recovery/`` (``$CHOREO_STUDIO_DATA`` when set, tests use it; else the platform's user
data folder, e.g. ``~/.local/share/choreo-studio``). Each editor window writes one ``session-<pid>-<n>.choreo``
(an ordinary, atomically saved project file) and a ``.json`` beside it naming the project's own file, the
song and the time.

When: a short while (``debounce_ms``) after each batch of edits (the document's ``changed`` event, which
fires once per undo step or generated segment batch), and every ``interval_s`` seconds while there are
unsaved changes. The snapshot is taken on the UI thread (cheap, immutable) and written on the io worker.

A clean exit (or an explicit save with nothing changed since) deletes the session's recovery file; so a
recovery file whose process is gone means the editor crashed, and the next start offers to recover it.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from studio.core.atomic import write_text
from studio.core.document import Project
from studio.io import project as project_file
from studio.ui.workers import TaskWorker

DATA_ENV = "CHOREO_STUDIO_DATA"
_sessions = itertools.count(1)  # one recovery file per window
DEBOUNCE_MS = 1500


def data_dir() -> Path:
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("choreo-studio", appauthor=False))


def recovery_dir() -> Path:
    return data_dir() / "recovery"


@dataclass(frozen=True)
class Recovery:
    """A recovery file left by an editor that did not exit cleanly."""

    path: Path  # the .choreo
    original: str | None  # the project's own file, if it had one
    song: str | None
    saved_at: float
    pid: int

    @property
    def title(self) -> str:
        name = Path(self.original).name if self.original else Path(self.song).name if self.song else "untitled"
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved_at))
        return f"{name} (autosaved {when})"

    def discard(self) -> None:
        for path in (self.path, self.path.with_suffix(".json")):
            with contextlib.suppress(OSError):
                path.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find_recoveries(folder: Path | None = None) -> list[Recovery]:
    """Recovery files of editors that are no longer running, newest first."""
    folder = folder or recovery_dir()
    found = []
    for path in folder.glob("session-*.choreo") if folder.is_dir() else ():
        manifest = path.with_suffix(".json")
        try:
            info = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {}
        pid = int(info.get("pid", -1)) if str(info.get("pid", "")).lstrip("-").isdigit() else -1
        if pid > 0 and _alive(pid):
            continue
        saved = float(info.get("saved_at", path.stat().st_mtime))
        found.append(Recovery(path, info.get("original"), info.get("song"), saved, pid))
    return sorted(found, key=lambda r: -r.saved_at)


class Autosave(QObject):
    """Saves the current project to this session's recovery file; see the module docstring."""

    saved = Signal(str)
    failed = Signal(str)

    def __init__(self, worker: TaskWorker, interval_s: int = 60, parent: QObject | None = None,
                 debounce_ms: int = DEBOUNCE_MS) -> None:  # fmt: skip
        super().__init__(parent)
        self.worker = worker
        self.project: Project | None = None
        self.original: str | None = None
        self.path = recovery_dir() / f"session-{os.getpid()}-{next(_sessions)}.choreo"
        self.pending = False  # edits since the last autosave
        self.saving = False
        self.saves = 0
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self.save_now)
        self._periodic = QTimer(self)
        self._periodic.timeout.connect(self._on_interval)
        self.set_interval(interval_s)
        self._periodic.start()

    def set_interval(self, seconds: int) -> None:
        self._periodic.setInterval(int(seconds) * 1000)

    def set_project(self, project: Project | None, original: str | Path | None = None) -> None:
        if self.project is not None:
            self.project.events.changed.disconnect(self._on_changed)
        self.project = project
        self.original = str(original) if original else None
        self.pending = False
        self._debounce.stop()
        if project is not None:
            project.events.changed.connect(self._on_changed)

    def set_original(self, original: str | Path | None) -> None:
        self.original = str(original) if original else None

    def _on_changed(self, event) -> None:
        self.pending = True
        self._debounce.start()

    def _on_interval(self) -> None:
        if self.pending:
            self.save_now()

    def save_now(self) -> None:
        """Snapshot now, write on the worker (a save already running gets the next one queued)."""
        project = self.project
        if project is None or project.song is None or not self.pending:
            return
        if self.saving:
            self._debounce.start()
            return
        self.pending = False
        self.saving = True
        state = project.snapshot()
        path = self.path
        manifest = {"pid": os.getpid(), "original": self.original, "song": project.song.path, "saved_at": time.time()}

        def write() -> str:
            path.parent.mkdir(parents=True, exist_ok=True)
            project_file.save(state, path)
            write_text(path.with_suffix(".json"), json.dumps(manifest))
            return str(path)

        self.worker.call(write, priority=-1, on_done=self._on_saved, on_error=self._on_failed,
                         on_cancel=self._on_cancelled)  # fmt: skip

    def _on_saved(self, path: str) -> None:
        self.saving = False
        self.saves += 1
        self.saved.emit(path)

    def _on_failed(self, error: BaseException) -> None:
        self.saving = False
        self.pending = True
        self.failed.emit(f"Autosave failed: {error}")

    def _on_cancelled(self) -> None:
        self.saving = False

    def adopt(self, recovery: Recovery) -> None:
        """Continue in a recovered file's place: this session's autosaves replace it."""
        recovery.discard()

    def discard(self) -> None:
        """Remove this session's recovery file (a clean exit, or everything is saved)."""
        self._debounce.stop()
        self.pending = False
        for path in (self.path, self.path.with_suffix(".json")):
            with contextlib.suppress(OSError):
                path.unlink()

    def stop(self) -> None:
        self._debounce.stop()
        self._periodic.stop()
