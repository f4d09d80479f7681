"""The editor's main window: viewport, candidate panel, timeline, menus, status bar; it wires them together.

Ownership: the window owns the document (``Project``) and its ``UndoStack``; widgets read the document and
follow its events; every user edit becomes a command pushed on the stack. Slow work runs on two worker
threads: ``io`` (song analysis and decoding, project loading and saving, export, autosave, the avatar) and
``generation`` (the dance generators, see ``studio.ui.dance_generation.DanceGeneration``).

The window builds the widgets and the actions and wires them; the work is done by parts that get only the
collaborators they need (the plain ``EditorState`` with the document, the selection and the paths; the undo stack;
the workers; prompts; notifications; the widgets they update), never the window:

- ``SongSession`` (``song_session``): opening a song or project, analysis off-thread, whole-song generation;
- ``ProjectFiles`` (``project_files``): save, save as, export, recent files, recovery;
- ``SegmentEditing`` (``segment_editing``): the selected segment and every edit of it, undo and redo;
- ``DanceDisplay`` (``dance_display``): the avatar, the dancers' dances and candidate previews in the viewport;
- ``StatusReadouts`` (``status_bar``): activity, progress, time, audio, model, device, file.

The window's public methods stay here (the menu actions call them by name) and hand over to those parts.

Every modal question goes through ``Prompts`` (file dialogs, "save changes?", "recover?"), which tests
replace; nothing else in the window blocks.

For benchmarks: ``first_segment_ready(seconds)`` fires once per opened song, when the first segment of the
lead dancer can be watched, with the seconds since ``open_song`` was called (analysis + generator loading +
the first segment); ``dance_ready(seconds)`` when every segment of the lead has its dance.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from studio.core.commands import UndoStack, change_settings
from studio.core.document import Project
from studio.ui.actions import build_actions, show_undo_texts
from studio.ui.app import configure_process
from studio.ui.autosave import Autosave
from studio.ui.candidates import CandidatePanel
from studio.ui.dance_display import DanceDisplay
from studio.ui.dance_generation import DanceGeneration
from studio.ui.help import APP_NAME, ShortcutsDialog, about_box
from studio.ui.notifications import Notifications
from studio.ui.placeholder_viewport import PlaceholderViewport as PlaceholderViewport  # re-exported: tests use it
from studio.ui.placeholder_viewport import make_viewport
from studio.ui.playback import Playback
from studio.ui.preferences import Preferences, PreferencesDialog, user_settings
from studio.ui.project_files import ProjectFiles
from studio.ui.prompts import PROJECT_SUFFIX, SONG_SUFFIXES, Prompts
from studio.ui.segment_editing import SegmentEditing
from studio.ui.song_session import OpenedSong, SongSession
from studio.ui.state import EditorState, StateAttribute
from studio.ui.status_bar import StatusReadouts
from studio.ui.timeline import Timeline
from studio.ui.workers import TaskWorker

DEVICE_PROBE_DELAY_MS = 3000
GENERATOR_LOAD_DELAY_MS = 0  # from launch, once the event loop runs: the first song must not wait for torch


class MainWindow(QMainWindow):
    """See the module docstring."""

    first_segment_ready = Signal(float)
    dance_ready = Signal(float)
    song_loaded = Signal()
    saved = Signal(str)
    exported = Signal(list)

    # what the window shows lives in its plain EditorState (``self.state``); these read and write it there
    project = StateAttribute("project")
    path = StateAttribute("document_path")  # the song (or project) the window shows
    song_path = StateAttribute("song_path")
    analysis = StateAttribute("analysis")
    edits = StateAttribute("edits")  # document changes so far: a save that ends after another edit leaves it dirty
    closed = StateAttribute("closed")
    dancer_id = StateAttribute("dancer_id")  # the selected lane's dancer (read only)

    def __init__(
        self,
        path: str | Path | None = None,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
        generators_factory=None,
        viewport_factory=None,
        prompts: Prompts | None = None,
    ) -> None:
        super().__init__(parent)
        configure_process()
        self.state = EditorState()  # the document, the selection, the paths (plain, evented)
        self.settings = settings if settings is not None else user_settings()
        self.preferences = Preferences.load(self.settings)
        self.prompts = prompts if prompts is not None else Prompts(self)

        self.setWindowTitle(APP_NAME)
        self.setObjectName("main-window")
        self.resize(1280, 800)
        self.setAcceptDrops(True)

        self.undo_stack = UndoStack()
        self.io = TaskWorker("io", self)
        self.view_worker = TaskWorker("view", self)  # joins segments into whole dances for the viewport
        self.generation = DanceGeneration(self.undo_stack, self)
        self.playback = Playback(self)
        self.autosave = Autosave(self.io, self.preferences.autosave_seconds, self)

        self.viewport = (viewport_factory or make_viewport)(self)
        self.candidates = CandidatePanel(self)
        self.timeline = Timeline(self)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.setObjectName("top-splitter")
        top.addWidget(self.viewport)
        top.addWidget(self.candidates)
        top.setStretchFactor(0, 1)
        top.setSizes([900, 340])
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.setObjectName("centre-splitter")
        centre.addWidget(top)
        centre.addWidget(self.timeline)
        centre.setStretchFactor(0, 3)
        centre.setStretchFactor(1, 1)
        centre.setSizes([560, 200])
        self.setCentralWidget(centre)
        self.notifications = Notifications(centre)
        self.display = DanceDisplay(
            self.state, viewport=self.viewport, io=self.io, view_worker=self.view_worker, playback=self.playback,
            candidates=self.candidates, notifications=self.notifications, show_message=self.statusBar().showMessage,
            on_lead_shown=lambda: self.session.report_first_segment(),
        )  # fmt: skip

        self.actions = build_actions(self)
        self.status = StatusReadouts(self.statusBar())
        self._model_label = self.status.model  # tests read it
        self._build_parts(generators_factory)
        self._connect()
        self.set_project(self.project, None, None)
        self.files.refresh_recent()
        self.update_actions()
        self._restore_geometry()

        self.display.load_avatar(self.preferences.smplx_folder)
        QTimer.singleShot(GENERATOR_LOAD_DELAY_MS, self, self.session.load_generators)
        if self.preferences.device != "cpu":
            QTimer.singleShot(DEVICE_PROBE_DELAY_MS, self, self.status.probe_device)

        if path is not None:
            self.session.open_path(path)

    def _build_parts(self, generators_factory) -> None:
        state, message = self.state, self.statusBar().showMessage
        common = {"notifications": self.notifications, "show_message": message, "prompts": self.prompts}
        self.files = ProjectFiles(
            state, self.undo_stack, io=self.io, autosave=self.autosave, settings=self.settings, status=self.status,
            display=self.display, recent_menu=self.actions.recent_menu, close=self.close, **common,
        )  # fmt: skip
        self.session = SongSession(
            state, io=self.io, generation=self.generation, files=self.files, preferences=lambda: self.preferences,
            settings=self.settings, status=self.status, set_title=self.setWindowTitle, candidates=self.candidates,
            autosave=self.autosave, show_project=self.set_project, attach_song=self.attach_song,
            generators_factory=generators_factory, **common,
        )  # fmt: skip
        self.editing = SegmentEditing(
            state, self.undo_stack, generation=self.generation, load_generators=self.session.load_generators,
            timeline=self.timeline, candidates=self.candidates, display=self.display, playback=self.playback,
            **common,
        )  # fmt: skip

    def _connect(self) -> None:
        # The parts are plain objects, so a slot of theirs runs in the emitting thread: these all emit on the main one.
        generation = self.generation
        generation.generators_ready.connect(self.session.on_generators_ready)
        generation.segment_started.connect(lambda d, s: self.timeline.set_progress(d, s, 0.0))
        generation.segment_progress.connect(self.timeline.set_progress)
        generation.segment_finished.connect(lambda d, s: self.timeline.set_progress(d, s, None))
        generation.segment_ready.connect(self.session.on_segment_ready)
        generation.activity.connect(self.status.show_activity)
        generation.error.connect(self.notifications.error)
        generation.note.connect(self.notifications.warning)
        self.playback.position_changed.connect(self._on_position)
        self.playback.playing_changed.connect(self._on_playing_changed)
        self.playback.transport_changed.connect(self.status.show_transport)
        self.timeline.seek_requested.connect(self.playback.seek)
        self.timeline.segment_clicked.connect(self.editing.select)
        self.candidates.choose_requested.connect(self.editing.choose_candidate)
        self.candidates.preview_requested.connect(self.display.preview)
        self.candidates.regenerate_requested.connect(self.editing.regenerate_selected)
        self.candidates.regenerate_all_requested.connect(self.editing.regenerate_unlocked)
        self.candidates.lock_requested.connect(self.editing.set_locked)
        self.candidates.genre_override_requested.connect(self.editing.set_genre_override)
        self.autosave.failed.connect(self.notifications.warning)
        self.io.busy_changed.connect(lambda busy: self.update_actions())
        self.undo_stack.events.index_changed.connect(self._on_undo_index_changed)
        self.state.events.selection_changed.connect(self._on_selection_changed)
        self.state.events.path_changed.connect(lambda e: self.update_title())
        self.files.events.open_requested.connect(self.session.on_open_requested)
        self.files.events.saved.connect(lambda e: self.saved.emit(e.path))
        self.files.events.exported.connect(lambda e: self.exported.emit(e.files))
        self.session.events.song_loaded.connect(lambda e: self.song_loaded.emit())
        self.session.events.first_segment_ready.connect(lambda e: self.first_segment_ready.emit(e.seconds))
        self.session.events.dance_ready.connect(lambda e: self.dance_ready.emit(e.seconds))

    # -- the document ---------------------------------------------------------------------------------------------
    def set_project(self, project: Project, song: OpenedSong | None, project_path: Path | None) -> None:
        """Show ``project`` (with its prepared song, if any) from now on."""
        self.display.end_preview()
        old = self.project
        if old is not None:
            for signal, handler in self._subscriptions():
                getattr(old.events, signal).disconnect(handler)
        self.project = project
        self.state.project_path = project_path
        self.undo_stack.clear()
        self.edits = 0
        for signal, handler in self._subscriptions():
            getattr(project.events, signal).connect(handler)
        self.timeline.set_project(project)
        self.candidates.set_project(project)
        self.autosave.set_project(project, project_path)
        self.attach_song(song)
        self.state.select(0, None)
        self.display.joined = {}
        if project.song is not None and project.num_segments:
            self.editing.select(0, 0, seek=False)
        self.display.update_dancers()
        self.update_title()
        self.update_actions()
        if song is not None:
            self.session.request_genre_guess()

    def attach_song(self, song: OpenedSong | None) -> None:
        """The project's music from now on (analysis, waveform, transport, generation); the document and its
        undo history stay as they are."""
        self.analysis = song.analysis if song is not None else None
        self.timeline.set_audio(song.envelope if song is not None else None)
        self.candidates.set_genre_guess(None)
        self.playback.set_transport(song.transport if song is not None else None)
        if song is not None and getattr(song.transport, "note", ""):
            self.notifications.info(song.transport.note[0].upper() + song.transport.note[1:] + ".")
        self.generation.set_song(self.project if song is not None else None, self.analysis)

    def _subscriptions(self):
        return (
            ("changed", self._on_document_changed), ("dirty_changed", self._on_dirty_changed),
            ("candidates_changed", self._on_dance_changed), ("choice_changed", self._on_dance_changed),
            ("dancers_changed", self._on_dancers_changed), ("lock_changed", self._on_lock_changed),
        )  # fmt: skip

    def _on_document_changed(self, event) -> None:
        self.edits += 1

    def _on_dirty_changed(self, event) -> None:
        self.update_title()

    def _on_dance_changed(self, event) -> None:
        if event.dancer == self.project.lead.id:
            self.generation.follow_lead(event.segment)
        self.display.schedule_update()
        self.session.check_dance_ready()

    def _on_lock_changed(self, event) -> None:
        self.update_actions()

    def _on_dancers_changed(self, event) -> None:
        if self.state.lane >= len(self.project.dancers):
            self.state.lane = 0
        self.editing.select(self.state.lane, self.state.segment, seek=False)
        self.display.end_preview()
        self.display.schedule_update()
        self.update_actions()
        self.generation.fill()

    # -- playback -------------------------------------------------------------------------------------------------
    def toggle_play(self) -> None:
        self.display.end_preview()
        self.playback.toggle()

    def toggle_loop(self, on: bool) -> None:
        self.apply_loop()
        self.statusBar().showMessage("Looping the selected segment" if on else "Loop off", 3000)

    def apply_loop(self) -> None:
        on = self.actions.loop.isChecked() and self.state.segment is not None and self.project.song is not None
        span = self.project.song.segments[self.state.segment] if on else None
        self.playback.set_loop(span)
        self.timeline.set_loop(span)

    def _on_undo_index_changed(self, event) -> None:
        show_undo_texts(self.actions, event)
        self.update_actions()

    def _on_selection_changed(self, event) -> None:
        if self.actions.loop.isChecked():
            self.apply_loop()
        self.update_actions()

    def _on_position(self, seconds: float) -> None:
        self.timeline.set_position(seconds)
        self.viewport.set_time(seconds)
        self.status.show_time(seconds)

    def _on_playing_changed(self, playing: bool) -> None:
        self.actions.play.setText("&Pause" if playing else "&Play")

    # -- view -----------------------------------------------------------------------------------------------------
    def set_camera(self, preset: str) -> None:
        with contextlib.suppress(ValueError):
            self.viewport.set_camera_preset(preset)

    def toggle_skeleton(self, on: bool) -> None:
        self.viewport.set_skeleton_overlay(bool(on))

    def fit_timeline(self) -> None:
        self.timeline.fit()

    # -- preferences, help ----------------------------------------------------------------------------------------
    def show_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.preferences, self)
        dialog.applied.connect(self.apply_preferences)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def apply_preferences(self, preferences: Preferences) -> None:
        old, self.preferences = self.preferences, preferences
        preferences.save(self.settings)
        self.autosave.set_interval(preferences.autosave_seconds)
        if self.project.song is not None:
            changes = {}
            if preferences.candidates != self.project.settings.candidates_per_segment:
                changes["candidates_per_segment"] = preferences.candidates
            if preferences.alpha != self.project.settings.alpha:
                changes["alpha"] = preferences.alpha
            if preferences.beta != self.project.settings.beta:
                changes["beta"] = preferences.beta
            if changes:
                self.editing.push(change_settings(self.project, **changes))
        if preferences.smplx_folder != old.smplx_folder:
            self.display.load_avatar(preferences.smplx_folder)
        if preferences.device != old.device:
            self.notifications.info("The new device is used from the next start of Choreo Studio.")
        if preferences.audio != old.audio:
            self.notifications.info("The sound setting applies to the next song opened.")

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_about(self):
        box = about_box(self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
        return box

    # -- state of the window --------------------------------------------------------------------------------------
    def update_title(self) -> None:
        if self.path is None and self.project.song is None:
            self.setWindowTitle(APP_NAME)
            return
        star = "*" if self.project.dirty else ""
        self.setWindowTitle(f"{self.state.document_name()}{star} — {APP_NAME}")

    def update_actions(self) -> None:
        actions = self.actions
        has_song = self.project.song is not None
        selected = has_song and self.state.segment is not None
        locked = selected and self.project.is_locked(self.dancer_id, self.state.segment)
        actions.save.setEnabled(has_song)
        actions.save_as.setEnabled(has_song)
        actions.export.setEnabled(has_song)
        actions.undo.setEnabled(self.undo_stack.can_undo)
        actions.redo.setEnabled(self.undo_stack.can_redo)
        actions.play.setEnabled(has_song)
        actions.loop.setEnabled(has_song)
        actions.regenerate.setEnabled(selected and not locked)
        actions.lock.setEnabled(selected)
        actions.regenerate_all.setEnabled(has_song)
        actions.add_partner.setEnabled(has_song and len(self.project.dancers) < 2)
        actions.remove_partner.setEnabled(len(self.project.dancers) > 1)
        actions.partner_formation.setEnabled(len(self.project.dancers) > 1)
        actions.next_dancer.setEnabled(len(self.project.dancers) > 1)
        for action in actions.choose:
            action.setEnabled(selected)

    # -- drag and drop --------------------------------------------------------------------------------------------
    @staticmethod
    def _dropped_path(mime) -> Path | None:
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile():
                path = Path(url.toLocalFile())
                if path.suffix.lower() in (*SONG_SUFFIXES, PROJECT_SUFFIX):
                    return path
        return None

    def dragEnterEvent(self, event) -> None:
        if self._dropped_path(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        path = self._dropped_path(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        QTimer.singleShot(0, self, lambda: self.session.open_path(path))  # after the drop returns to the desktop

    # -- geometry and closing -------------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))

    def closeEvent(self, event) -> None:
        if self.closed:
            event.accept()
            return
        if self.project.song is not None and self.project.dirty:
            answer = self.prompts.unsaved_changes(self.state.document_name())
            if answer == "cancel":
                event.ignore()
                return
            if answer == "save":
                self.files.close_after_save = True
                self.files.save()
                event.ignore()  # closes when the save is on disk
                return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop the workers and the sound, forget the recovery file (a clean exit). Idempotent."""
        if self.closed:
            return
        self.closed = True
        self.display.stop()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        self.status.stop()
        self.generation.stop()
        self.view_worker.stop()
        self.playback.close()
        self.autosave.stop()
        self.io.stop(timeout_ms=5000)
        self.autosave.discard()
        self.notifications.clear()

    def busy(self) -> bool:
        """True while anything runs in the background (tests wait for False)."""
        return self.io.is_busy or self.generation.is_busy or self.view_worker.is_busy or self.autosave.saving
