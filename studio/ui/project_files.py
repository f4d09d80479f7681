"""File handling: open and save projects, export dances, the recent files, recovery after a crash.

Saving and exporting run on the io worker from a snapshot taken on the main thread, so editing goes on
while the file is written; ``saved(path)`` and ``exported(files)`` fire on the window when it is on disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.core.document import Project
from studio.core.errors import StudioError
from studio.ui.autosave import find_recoveries
from studio.ui.preferences import add_recent_file, recent_files
from studio.ui.prompts import PROJECT_SUFFIX


class ProjectFiles:
    """The File menu's work for ``window`` (its document, prompts, io worker, autosave, notifications)."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.close_after_save = False  # the user chose "save" on closing: close once the save is on disk

    # -- opening ------------------------------------------------------------------------------------------------
    def choose_song(self) -> None:
        path = self.window.prompts.song_to_open()
        if path:
            self.window.session.open_song(path)

    def choose_project(self) -> None:
        path = self.window.prompts.project_to_open()
        if path:
            self.window.session.open_project(path)

    def offer_recovery(self) -> bool:
        """After a crash: offer the newest recovery file (the others are left for later starts)."""
        recoveries = find_recoveries()
        if not recoveries:
            return False
        recovery = recoveries[0]
        if self.window.prompts.recover(recovery):
            self.window.session.open_project(recovery.path, recovered=recovery)
            return True
        recovery.discard()
        return False

    def may_discard(self) -> bool:
        """True when the current project may be replaced (saved, unchanged, or the user says so)."""
        window = self.window
        project = window.project
        if project.song is None or not project.dirty:
            return True
        answer = window.prompts.unsaved_changes(window.document_name())
        if answer != "save":
            return answer == "discard"
        path = window.state.project_path
        if path is None:  # the snapshot is taken now: the old project may go as soon as this returns
            chosen = window.prompts.save_path(str(Path(project.song.path).with_suffix(PROJECT_SUFFIX)))
            if not chosen:
                return False
            path = Path(chosen)
        self.save_to(path)
        return True

    def refresh_recent(self) -> None:
        """File > Open Recent, from the settings."""
        window = self.window
        menu = window.actions.recent_menu
        menu.clear()
        files = recent_files(window.settings)
        for path in files:
            action = menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda checked=False, path=path: window.session.open_path(path))
        menu.setEnabled(bool(files))

    # -- saving -------------------------------------------------------------------------------------------------
    def save(self) -> None:
        window = self.window
        if window.project.song is None:
            window.notifications.info("Nothing to save yet: open a song first.")
            return
        if window.state.project_path is None:
            self.save_as()
        else:
            self.save_to(window.state.project_path)

    def save_as(self) -> None:
        window = self.window
        if window.project.song is None:
            return
        suggested = window.state.project_path or Path(window.project.song.path).with_suffix(PROJECT_SUFFIX)
        path = window.prompts.save_path(str(suggested))
        if path:
            self.save_to(path)
        else:
            self.close_after_save = False

    def save_to(self, path: str | Path) -> None:
        """Save atomically on the io worker; ``saved(path)`` when it is on disk."""
        from studio.io import project as project_file

        window = self.window
        path = Path(path)
        state = window.project.snapshot()
        edits = window.edits
        project = window.project
        window.statusBar().showMessage(f"Saving {path.name}...")
        window.io.call(project_file.save, state, path, priority=-2,
                       on_done=lambda written: self._on_saved(project, Path(written), edits),
                       on_error=lambda error: self._on_save_failed(path, error))  # fmt: skip

    def _on_saved(self, project: Project, path: Path, edits: int) -> None:
        window = self.window
        if project is not window.project:
            return
        window.state.project_path = path
        window.path = path
        window.autosave.set_original(path)
        if edits == window.edits:  # nothing was edited while the file was written
            project.mark_saved()
            window.undo_stack.set_clean()
            window.autosave.discard()
        add_recent_file(window.settings, path)
        self.refresh_recent()
        window.status.show_file(path.name)
        window.update_title()
        window.statusBar().showMessage(f"Saved {path}", 5000)
        window.saved.emit(str(path))
        if self.close_after_save:
            self.close_after_save = False
            if not project.dirty:
                window.close()

    def _on_save_failed(self, path: Path, error: BaseException) -> None:
        self.close_after_save = False
        self.window.statusBar().showMessage(f"Not saved: {path.name}", 8000)
        self.window.notifications.error(f"The project was not saved: {error}")

    # -- exporting ----------------------------------------------------------------------------------------------
    def choose_export(self) -> None:
        window = self.window
        if window.project.song is None:
            window.notifications.info("Nothing to export yet: open a song first.")
            return
        base = window.state.project_path or Path(window.project.song.path)
        path = window.prompts.export_path(str(base.with_suffix(".fbx")))
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> None:
        """Every dancer's chosen dance to ``path`` (format by extension), on the io worker."""
        window = self.window
        try:
            from studio.io.exporters import export_motions, project_motions
        except ImportError:
            window.notifications.error("Export is not available in this build (studio.io.exporters is missing).")
            return
        if window.display.avatar is None:
            window.notifications.warning("The avatar is still loading; try exporting again in a moment.")
            return
        project = window.project
        try:
            motions = project_motions(project)
        except StudioError as error:
            window.notifications.error(str(error))
            return
        incomplete = [d.name for d in project.dancers
                      if len(project.chosen_segments(d)) < project.num_segments]  # fmt: skip
        if incomplete:
            window.notifications.warning(f"Some segments are not generated yet ({', '.join(incomplete)}): "
                                         "the export holds what is there.")  # fmt: skip
        avatar = window.display.avatar
        window.statusBar().showMessage(f"Exporting {Path(path).name}...")
        window.io.call(export_motions, path, motions, avatar,
                       on_done=self._on_exported,
                       on_error=lambda error: window.notifications.error(f"Export failed: {error}"))  # fmt: skip

    def _on_exported(self, files: list) -> None:
        names = ", ".join(Path(f).name for f in files)
        self.window.statusBar().showMessage(f"Exported {names}", 8000)
        self.window.notifications.info(f"Exported {names}")
        self.window.exported.emit([str(f) for f in files])
