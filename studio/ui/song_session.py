"""The song session: opening a song or a project, analysis off the main thread, generating the whole song.

Opening runs on the io worker (``load_song``, ``load_project``); the window then shows the new project and
the generators fill every segment of every dancer on the generation worker. The session reports, once per
opened song, when the lead's first segment can be watched (``first_segment_ready``) and when every segment
of the lead has its dance (``dance_ready``), with the seconds since the song was asked for.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from studio.core.document import Project, Settings
from studio.core.errors import InputError, StudioError
from studio.core.events import EmitterGroup
from studio.core.segments import Song
from studio.ui.autosave import Recovery
from studio.ui.help import APP_NAME
from studio.ui.playback import make_transport
from studio.ui.preferences import add_recent_file
from studio.ui.prompts import PROJECT_SUFFIX
from studio.ui.state import EditorState
from studio.ui.waveform import WaveformEnvelope

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class OpenedSong:
    """What the io worker prepares for a song: the analysis, the waveform, the transport."""

    analysis: Any  # studio.audio.SongAnalysis
    envelope: WaveformEnvelope
    transport: Any  # studio.audio.transport.Transport


def load_song(path: Path, audio: str) -> OpenedSong:
    """Analyse (cached; in the analysis child process), decode, envelope, open the transport: io worker only."""
    from studio.audio import analysis_process, decode

    analysis = analysis_process.analyze(path)
    samples, sample_rate = decode(path)
    envelope = WaveformEnvelope.from_samples(samples, sample_rate)
    transport = make_transport(samples, sample_rate, analysis.duration, audio)
    return OpenedSong(analysis, envelope, transport)


def load_project(path: Path, audio: str) -> tuple[Project, OpenedSong | None, str]:
    """Read a .choreo and, when its song is still there, prepare the song too (io worker only).

    A song that is no longer at its path (or another file now stands there) is looked for near the project
    by its content (``studio.audio.locate``); found, the project points at the new place (unsaved).
    """
    from studio.audio.locate import find_moved_song
    from studio.io import project as project_file

    project = project_file.load(path)
    if project.song is None:
        return project, None, ""
    song_path = Path(project.song.path)
    if not song_path.is_absolute():
        song_path = (path.parent / song_path).resolve()
    moved_from = None
    if not _holds(song_path, project.song.content_hash):
        found = find_moved_song(project.song.content_hash, song_path.name, (path.parent, path.parent.parent))
        if found is not None:
            moved_from, song_path = song_path, found
    if not song_path.is_file():
        return project, None, (f"The song {song_path} is missing: the dance plays without music and cannot be "
                               "regenerated. File > Locate Song... finds it.")  # fmt: skip
    try:
        song = load_song(song_path, audio)
    except StudioError as error:
        return project, None, f"The song could not be read ({error}): the dance plays without music."
    if moved_from is not None:
        project.set_song(replace(project.song, path=str(song_path)))  # same content and segments: tracks kept
        return project, song, f"The song was not at {moved_from}; found it at {song_path}. Save to remember it."
    if song.analysis.content_hash != project.song.content_hash:
        return project, song, f"{song_path.name} changed since the project was saved: new segments keep the old timing."
    return project, song, ""


def _holds(path: Path, content_hash: str) -> bool:
    from studio.audio.cache import file_sha256

    try:
        return path.is_file() and file_sha256(path) == content_hash
    except OSError:
        return False


def load_located(path: Path, audio: str, content_hash: str) -> OpenedSong:
    """``load_song`` for File > Locate Song: only a file with the project song's content (io worker only)."""
    if not _holds(path, content_hash):
        raise InputError(path, expected="the song this dance was made for (the same file content)",
                         found="another file" if path.is_file() else "no file")  # fmt: skip
    return load_song(path, audio)


class SongSession:
    """Opens songs and projects into ``state`` and drives their generation; keeps when the current song was asked
    for and what was reported (``events``: ``song_loaded``, ``first_segment_ready(seconds)``,
    ``dance_ready(seconds)``).

    Collaborators: ``io`` (the worker), ``generation`` (the generation driver), ``files`` (``may_discard``,
    ``refresh_recent``), ``prompts``, ``preferences()`` (the current ``Preferences``), ``settings`` (the recent
    files), ``status``, ``notifications``, ``show_message(text, ms)``, ``set_title(text)``, ``candidates``
    (``set_genre_guess``, ``set_segment``), ``autosave``, and the window's ``show_project(project, song,
    project_path)`` and ``attach_song(song)``, which set the document and its music in every view.
    """

    def __init__(
        self,
        state: EditorState,
        *,
        io: Any,
        generation: Any,
        files: Any,
        prompts: Any,
        preferences: Callable[[], Any],
        settings: Any,
        status: Any,
        notifications: Any,
        show_message: Callable[..., None],
        set_title: Callable[[str], None],
        candidates: Any,
        autosave: Any,
        show_project: Callable[[Project, OpenedSong | None, Path | None], None],
        attach_song: Callable[[OpenedSong | None], None],
        generators_factory=None,
    ) -> None:
        self.state = state
        self.io = io
        self.generation = generation
        self.files = files
        self.prompts = prompts
        self.preferences = preferences
        self.settings = settings
        self.status = status
        self.notifications = notifications
        self.show_message = show_message
        self.set_title = set_title
        self.candidates = candidates
        self.autosave = autosave
        self.show_project = show_project
        self.attach_song = attach_song
        self.generators_factory = generators_factory
        self.events = EmitterGroup(self, signals=("song_loaded", "first_segment_ready", "dance_ready"))
        self.generators_requested = False
        self.started: float | None = None  # perf_counter() when the current song (or project) was asked for
        self.first_reported = False
        self.dance_reported = False

    def on_open_requested(self, event) -> None:
        """``ProjectFiles.events.open_requested``: open ``event.path`` as ``event.kind`` ("song", "project", "any")."""
        if event.kind == "song":
            self.open_song(event.path)
        elif event.kind == "project":
            self.open_project(event.path, recovered=event.recovered)
        else:
            self.open_path(event.path)

    # -- opening --------------------------------------------------------------------------------------------------
    def open_path(self, path: str | Path) -> None:
        """A song or a .choreo project, by its extension."""
        path = Path(path)
        if path.suffix.lower() == PROJECT_SUFFIX:
            self.open_project(path)
        else:
            self.open_song(path)

    def open_song(self, path: str | Path) -> None:
        """Analyse the song (on the io worker), then generate its dance segment by segment.

        A missing file leaves the window as it was with a message, never a crash.
        """
        path = Path(path)
        if not path.is_file():
            self.show_message(f"Song not found: {path}. Choose one with File > New from song...")
            if self.state.project.song is None:
                self.state.document_path = None  # the window's title follows
            self.notifications.warning(f"Song not found: {path}")
            return
        if not self.files.may_discard():
            return
        self.state.document_path = path
        self.state.song_path = path
        self._start_clock()
        self.load_generators()
        self.set_title(f"{path.name} — {APP_NAME}")
        self.status.show_file(path.name)
        self.show_message(f"Opening {path.name}...")
        self.status.show_activity(f"Analysing {path.name}...", 0, 0)
        self.io.call(load_song, path, self.preferences().audio, priority=0,
                     on_done=lambda song: self._on_song_loaded(path, song),
                     on_error=lambda error: self._on_open_failed(path, error))  # fmt: skip

    def _on_song_loaded(self, path: Path, song: OpenedSong) -> None:
        if self.state.closed:
            song.transport.close()
            return
        self.status.show_activity("", 0, 0)
        prefs = self.preferences()
        settings = Settings(candidates_per_segment=prefs.candidates, alpha=prefs.alpha, beta=prefs.beta)
        project = Project(Song.from_analysis(song.analysis, str(path)), settings=settings)
        self.show_project(project, song, None)
        add_recent_file(self.settings, path)
        self.files.refresh_recent()
        self.show_message(f"Opened {path.name}: {project.num_segments} segments", 5000)
        self.events.song_loaded.emit()

    def _on_open_failed(self, path: Path, error: BaseException) -> None:
        self.status.show_activity("", 0, 0)
        if self.state.project.song is None:
            self.state.document_path = None
            self.status.show_file("No song")
        message = str(error) if isinstance(error, StudioError) else f"{type(error).__name__}: {error}"
        self.show_message(f"Could not open {path.name}", 8000)
        self.notifications.error(f"Could not open {path.name}: {message}")

    def open_project(self, path: str | Path, recovered: Recovery | None = None) -> None:
        """A .choreo (its song too, when it is still there); ``recovered``: it is that autosave's recovery file."""
        path = Path(path)
        if not self.files.may_discard():
            return
        self._start_clock()
        self.load_generators()
        self.status.show_activity(f"Opening {path.name}...", 0, 0)
        self.io.call(load_project, path, self.preferences().audio,
                     on_done=lambda result: self._on_project_loaded(path, result, recovered),
                     on_error=lambda error: self._on_open_failed(path, error))  # fmt: skip

    def _on_project_loaded(self, path: Path, result, recovered: Recovery | None) -> None:
        project, song, warning = result
        if self.state.closed:
            if song is not None:
                song.transport.close()
            return
        self.status.show_activity("", 0, 0)
        if recovered is not None:
            original = Path(recovered.original) if recovered.original else None
            self.state.document_path = original or (Path(project.song.path) if project.song else None)
            self.show_project(project, song, original)
            project.mark_dirty()
            self.autosave.adopt(recovered)
            self.autosave.pending = True
            self.autosave.save_now()
            self.notifications.info(f"Recovered {recovered.title}. Save it to keep it.")
        else:
            self.state.document_path = path
            self.show_project(project, song, path)
            add_recent_file(self.settings, path)
            self.files.refresh_recent()
        self.state.song_path = Path(project.song.path) if project.song is not None else None
        if warning:
            self.notifications.warning(warning)
        self.status.show_file(self.state.document_path.name if self.state.document_path else "No song")
        self.events.song_loaded.emit()
        self.check_dance_ready()

    def locate_song(self, path: str | Path | None = None) -> None:
        """Point the project at its song's new place (``path``, or asked for); only the same content is taken."""
        project = self.state.project
        if project.song is None:
            self.notifications.info("Open a project first: there is no song to locate.")
            return
        path = path or self.prompts.song_to_locate(Path(project.song.path).name)
        if not path:
            return
        path = Path(path)
        self.io.call(load_located, path, self.preferences().audio, project.song.content_hash,
                     on_done=lambda song: self._on_song_located(project, path, song),
                     on_error=lambda error: self._on_locate_failed(path, error))  # fmt: skip

    def _on_locate_failed(self, path: Path, error: BaseException) -> None:
        message = str(error) if isinstance(error, StudioError) else f"{type(error).__name__}: {error}"
        self.notifications.error(f"{path.name} was not taken as the song: {message}. Nothing was changed.")

    def _on_song_located(self, project: Project, path: Path, song: OpenedSong) -> None:
        if self.state.closed or self.state.project is not project or project.song is None:
            song.transport.close()
            return
        project.set_song(replace(project.song, path=str(path.resolve())))
        self.state.song_path = path.resolve()
        self.attach_song(song)
        self.request_genre_guess()
        self.notifications.info(f"Found the song: {path}. Save to remember the new place.")

    def _start_clock(self) -> None:
        self.started = time.perf_counter()
        self.first_reported = self.dance_reported = False

    # -- generation -----------------------------------------------------------------------------------------------
    def load_generators(self) -> None:
        """Once: on the generation worker, shortly after start or at once when a song is opened sooner."""
        if self.generators_requested or self.state.closed:
            return
        self.generators_requested = True
        self.status.show_model("loading...")
        self.generation.load(self.preferences().device, self.generators_factory)

    def on_generators_ready(self, name: str, device: str) -> None:
        self.status.show_model(name)
        self.status.show_device(device)
        self.request_genre_guess()

    def request_genre_guess(self) -> None:
        """The candidate panel shows which genre the music sounds like (low priority, on the generation worker)."""
        generators, song = self.generation.generators, self.state.analysis
        if generators is None or song is None:
            return
        project = self.state.project

        def done(guess) -> None:
            if project is self.state.project:
                self.candidates.set_genre_guess(guess)

        self.generation.worker.call(generators.guess, song, priority=-1, on_done=done)

    def on_segment_ready(self, dancer_id: str, segment: int, reason: str) -> None:
        if segment == self.state.segment and dancer_id == self.state.dancer_id:
            self.candidates.set_segment(dancer_id, segment)
        self.check_dance_ready()

    def report_first_segment(self) -> None:
        """Once per opened song, when the viewport first has the lead's dance (its first segment) to show."""
        if self.first_reported or self.started is None:
            return
        self.first_reported = True
        seconds = time.perf_counter() - self.started
        log.info("first watchable segment %.2f s after opening", seconds)
        self.events.first_segment_ready.emit(seconds=seconds)

    def check_dance_ready(self) -> None:
        """Once per opened song, when every segment of the lead has candidates."""
        project = self.state.project
        if self.dance_reported or self.started is None or project.song is None:
            return
        if all(t.candidates for t in project.tracks(project.lead.id)):
            self.dance_reported = True
            seconds = time.perf_counter() - self.started
            self.show_message(f"The dance is ready ({seconds:.1f} s)", 5000)
            self.events.dance_ready.emit(seconds=seconds)

    def is_dance_complete(self) -> bool:
        """Every dancer has candidates for every segment and nothing is generating any more."""
        project = self.state.project
        return project.song is not None and all(
            t.candidates for d in project.dancers for t in project.tracks(d.id)
        ) and not self.generation.is_busy  # fmt: skip
