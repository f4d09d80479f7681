"""File handling: open and save projects, export dances, the recent files, recovery after a crash.

Saving and exporting run on the io worker from a snapshot taken on the main thread, so editing goes on
while the file is written; ``events.saved(path)`` and ``events.exported(files)`` fire when it is on disk. What
to open is asked here and handed on as ``events.open_requested(path, kind, recovered)`` (the window gives it to
the song session).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.core.commands import UndoStack
from studio.core.document import Project
from studio.core.errors import StudioError
from studio.core.events import EmitterGroup
from studio.ui.autosave import find_recoveries
from studio.ui.preferences import add_recent_file, recent_files
from studio.ui.prompts import PROJECT_SUFFIX
from studio.ui.state import EditorState


class ProjectFiles:
    """The File menu's work on ``state``'s document.

    Collaborators: ``undo_stack`` (``set_clean``), ``io`` (the worker: ``call``), ``autosave`` (``set_original``,
    ``discard``), ``prompts`` (the file dialogs, "save changes?", "recover?"), ``notifications``,
    ``show_message(text, ms)``, ``settings`` (the recent files), ``status`` (``show_file``), ``display``
    (``avatar``), ``recent_menu`` (File > Open Recent), ``close()`` (closes the editor after "save" on closing).
    """

    def __init__(
        self,
        state: EditorState,
        undo_stack: UndoStack,
        *,
        io: Any,
        autosave: Any,
        prompts: Any,
        notifications: Any,
        show_message: Callable[..., None],
        settings: Any,
        status: Any,
        display: Any,
        recent_menu: Any,
        close: Callable[[], Any],
    ) -> None:
        self.state = state
        self.undo_stack = undo_stack
        self.io = io
        self.autosave = autosave
        self.prompts = prompts
        self.notifications = notifications
        self.show_message = show_message
        self.settings = settings
        self.status = status
        self.display = display
        self.recent_menu = recent_menu
        self.close = close
        self.events = EmitterGroup(self, signals=("open_requested", "saved", "exported"))
        self.close_after_save = False  # the user chose "save" on closing: close once the save is on disk

    @property
    def project(self) -> Project:
        return self.state.project

    def open(self, path: str | Path, kind: str = "any", recovered: Any = None) -> None:
        """Hand ``path`` on to be opened: ``kind`` "song", "project" or "any" (by its extension)."""
        self.events.open_requested.emit(path=Path(path), kind=kind, recovered=recovered)

    # -- opening ------------------------------------------------------------------------------------------------
    def choose_song(self) -> None:
        path = self.prompts.song_to_open()
        if path:
            self.open(path, "song")

    def choose_project(self) -> None:
        path = self.prompts.project_to_open()
        if path:
            self.open(path, "project")

    def offer_recovery(self) -> bool:
        """After a crash: offer the newest recovery file (the others are left for later starts)."""
        recoveries = find_recoveries()
        if not recoveries:
            return False
        recovery = recoveries[0]
        if self.prompts.recover(recovery):
            self.open(recovery.path, "project", recovered=recovery)
            return True
        recovery.discard()
        return False

    def may_discard(self) -> bool:
        """True when the current project may be replaced (saved, unchanged, or the user says so)."""
        project = self.project
        if project.song is None or not project.dirty:
            return True
        answer = self.prompts.unsaved_changes(self.state.document_name())
        if answer != "save":
            return answer == "discard"
        path = self.state.project_path
        if path is None:  # the snapshot is taken now: the old project may go as soon as this returns
            chosen = self.prompts.save_path(str(Path(project.song.path).with_suffix(PROJECT_SUFFIX)))
            if not chosen:
                return False
            path = Path(chosen)
        self.save_to(path)
        return True

    def refresh_recent(self) -> None:
        """File > Open Recent, from the settings."""
        menu = self.recent_menu
        menu.clear()
        files = recent_files(self.settings)
        for path in files:
            action = menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda checked=False, path=path: self.open(path))
        menu.setEnabled(bool(files))

    # -- saving -------------------------------------------------------------------------------------------------
    def save(self) -> None:
        if self.project.song is None:
            self.notifications.info("Nothing to save yet: open a song first.")
            return
        if self.state.project_path is None:
            self.save_as()
        else:
            self.save_to(self.state.project_path)

    def save_as(self) -> None:
        if self.project.song is None:
            return
        suggested = self.state.project_path or Path(self.project.song.path).with_suffix(PROJECT_SUFFIX)
        path = self.prompts.save_path(str(suggested))
        if path:
            self.save_to(path)
        else:
            self.close_after_save = False

    def save_to(self, path: str | Path) -> None:
        """Save atomically on the io worker; ``events.saved(path)`` when it is on disk."""
        from studio.io import project as project_file

        path = Path(path)
        snapshot = self.project.snapshot()
        edits = self.state.edits
        project = self.project
        self.show_message(f"Saving {path.name}...")
        self.io.call(project_file.save, snapshot, path, priority=-2,
                     on_done=lambda written: self._on_saved(project, Path(written), edits),
                     on_error=lambda error: self._on_save_failed(path, error))  # fmt: skip

    def _on_saved(self, project: Project, path: Path, edits: int) -> None:
        if project is not self.project:
            return
        self.state.project_path = path
        self.state.document_path = path
        self.autosave.set_original(path)
        if edits == self.state.edits:  # nothing was edited while the file was written
            project.mark_saved()
            self.undo_stack.set_clean()
            self.autosave.discard()
        add_recent_file(self.settings, path)
        self.refresh_recent()
        self.status.show_file(path.name)
        self.show_message(f"Saved {path}", 5000)
        self.events.saved.emit(path=str(path))
        if self.close_after_save:
            self.close_after_save = False
            if not project.dirty:
                self.close()

    def _on_save_failed(self, path: Path, error: BaseException) -> None:
        self.close_after_save = False
        self.show_message(f"Not saved: {path.name}", 8000)
        self.notifications.error(f"The project was not saved: {error}")

    # -- exporting ----------------------------------------------------------------------------------------------
    def choose_export(self) -> None:
        if self.project.song is None:
            self.notifications.info("Nothing to export yet: open a song first.")
            return
        base = self.state.project_path or Path(self.project.song.path)
        path = self.prompts.export_path(str(base.with_suffix(".fbx")))
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> None:
        """Every dancer's chosen dance to ``path`` (format by extension), on the io worker."""
        try:
            from studio.io.exporters import export_motions, project_motions
        except ImportError:
            self.notifications.error("Export is not available in this build (studio.io.exporters is missing).")
            return
        if self.display.avatar is None:
            self.notifications.warning("The avatar is still loading; try exporting again in a moment.")
            return
        project = self.project
        try:
            motions = project_motions(project)
        except StudioError as error:
            self.notifications.error(str(error))
            return
        incomplete = [d.name for d in project.dancers
                      if len(project.chosen_segments(d)) < project.num_segments]  # fmt: skip
        if incomplete:
            self.notifications.warning(f"Some segments are not generated yet ({', '.join(incomplete)}): "
                                       "the export holds what is there.")  # fmt: skip
        avatar = self.display.avatar
        self.show_message(f"Exporting {Path(path).name}...")
        self.io.call(export_motions, path, motions, avatar,
                     on_done=self._on_exported,
                     on_error=lambda error: self.notifications.error(f"Export failed: {error}"))  # fmt: skip

    def _on_exported(self, files: list) -> None:
        names = ", ".join(Path(f).name for f in files)
        self.show_message(f"Exported {names}", 8000)
        self.notifications.info(f"Exported {names}")
        self.events.exported.emit(files=[str(f) for f in files])
