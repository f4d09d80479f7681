"""The song session: opening a song or a project, analysis off the main thread, generating the whole song.

Opening runs on the io worker (``load_song``, ``load_project``); the window then shows the new project and
the generators fill every segment of every dancer on the generation worker. The session reports, once per
opened song, when the lead's first segment can be watched (``first_segment_ready``) and when every segment
of the lead has its dance (``dance_ready``), with the seconds since the song was asked for.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from studio.core.document import Project, Settings
from studio.core.errors import InputError, StudioError
from studio.core.segments import Song
from studio.ui.autosave import Recovery
from studio.ui.help import APP_NAME
from studio.ui.playback import make_transport
from studio.ui.preferences import add_recent_file
from studio.ui.prompts import PROJECT_SUFFIX
from studio.ui.waveform import WaveformEnvelope

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class OpenedSong:
    """What the io worker prepares for a song: the analysis, the waveform, the transport."""

    analysis: Any  # studio.audio.SongAnalysis
    envelope: WaveformEnvelope
    transport: Any  # studio.audio.transport.Transport


def load_song(path: Path, audio: str) -> OpenedSong:
    """Analyse (cached), decode, envelope, open the transport: io worker only."""
    from studio.audio import analyze, decode

    analysis = analyze(path)
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
    """Opens songs and projects into ``window`` and drives their generation. The window owns the document,
    the workers and the widgets; this keeps when the current song was asked for and what was reported."""

    def __init__(self, window: Any, generators_factory=None) -> None:
        self.window = window
        self.generators_factory = generators_factory
        self.generators_requested = False
        self.started: float | None = None  # perf_counter() when the current song (or project) was asked for
        self.first_reported = False
        self.dance_reported = False

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
        window = self.window
        path = Path(path)
        if not path.is_file():
            window.statusBar().showMessage(f"Song not found: {path}. Choose one with File > New from song...")
            if window.project.song is None:
                window.path = None
                window.update_title()
            window.notifications.warning(f"Song not found: {path}")
            return
        if not window.files.may_discard():
            return
        window.path = path
        window.song_path = path
        self._start_clock()
        self.load_generators()
        window.setWindowTitle(f"{path.name} — {APP_NAME}")
        window.status.show_file(path.name)
        window.statusBar().showMessage(f"Opening {path.name}...")
        window.status.show_activity(f"Analysing {path.name}...", 0, 0)
        window.io.call(load_song, path, window.preferences.audio, priority=0,
                       on_done=lambda song: self._on_song_loaded(path, song),
                       on_error=lambda error: self._on_open_failed(path, error))  # fmt: skip

    def _on_song_loaded(self, path: Path, song: OpenedSong) -> None:
        window = self.window
        if window.closed:
            song.transport.close()
            return
        window.status.show_activity("", 0, 0)
        prefs = window.preferences
        settings = Settings(candidates_per_segment=prefs.candidates, alpha=prefs.alpha, beta=prefs.beta)
        project = Project(Song.from_analysis(song.analysis, str(path)), settings=settings)
        window.set_project(project, song, None)
        add_recent_file(window.settings, path)
        window.files.refresh_recent()
        window.statusBar().showMessage(f"Opened {path.name}: {project.num_segments} segments", 5000)
        window.song_loaded.emit()

    def _on_open_failed(self, path: Path, error: BaseException) -> None:
        window = self.window
        window.status.show_activity("", 0, 0)
        if window.project.song is None:
            window.path = None
            window.status.show_file("No song")
            window.update_title()
        message = str(error) if isinstance(error, StudioError) else f"{type(error).__name__}: {error}"
        window.statusBar().showMessage(f"Could not open {path.name}", 8000)
        window.notifications.error(f"Could not open {path.name}: {message}")

    def open_project(self, path: str | Path, recovered: Recovery | None = None) -> None:
        """A .choreo (its song too, when it is still there); ``recovered``: it is that autosave's recovery file."""
        window = self.window
        path = Path(path)
        if not window.files.may_discard():
            return
        self._start_clock()
        self.load_generators()
        window.status.show_activity(f"Opening {path.name}...", 0, 0)
        window.io.call(load_project, path, window.preferences.audio,
                       on_done=lambda result: self._on_project_loaded(path, result, recovered),
                       on_error=lambda error: self._on_open_failed(path, error))  # fmt: skip

    def _on_project_loaded(self, path: Path, result, recovered: Recovery | None) -> None:
        window = self.window
        project, song, warning = result
        if window.closed:
            if song is not None:
                song.transport.close()
            return
        window.status.show_activity("", 0, 0)
        if recovered is not None:
            original = Path(recovered.original) if recovered.original else None
            window.path = original or (Path(project.song.path) if project.song else None)
            window.set_project(project, song, original)
            project.mark_dirty()
            window.autosave.adopt(recovered)
            window.autosave.pending = True
            window.autosave.save_now()
            window.notifications.info(f"Recovered {recovered.title}. Save it to keep it.")
        else:
            window.path = path
            window.set_project(project, song, path)
            add_recent_file(window.settings, path)
            window.files.refresh_recent()
        window.song_path = Path(project.song.path) if project.song is not None else None
        if warning:
            window.notifications.warning(warning)
        window.status.show_file(window.path.name if window.path else "No song")
        window.update_title()
        window.song_loaded.emit()
        self.check_dance_ready()

    def locate_song(self, path: str | Path | None = None) -> None:
        """Point the project at its song's new place (``path``, or asked for); only the same content is taken."""
        window = self.window
        project = window.project
        if project.song is None:
            window.notifications.info("Open a project first: there is no song to locate.")
            return
        path = path or window.prompts.song_to_locate(Path(project.song.path).name)
        if not path:
            return
        path = Path(path)
        window.io.call(load_located, path, window.preferences.audio, project.song.content_hash,
                       on_done=lambda song: self._on_song_located(project, path, song),
                       on_error=lambda error: self._on_locate_failed(path, error))  # fmt: skip

    def _on_locate_failed(self, path: Path, error: BaseException) -> None:
        message = str(error) if isinstance(error, StudioError) else f"{type(error).__name__}: {error}"
        self.window.notifications.error(f"{path.name} was not taken as the song: {message}. Nothing was changed.")

    def _on_song_located(self, project: Project, path: Path, song: OpenedSong) -> None:
        window = self.window
        if window.closed or window.project is not project or project.song is None:
            song.transport.close()
            return
        project.set_song(replace(project.song, path=str(path.resolve())))
        window.song_path = path.resolve()
        window.attach_song(song)
        self.request_genre_guess()
        window.notifications.info(f"Found the song: {path}. Save to remember the new place.")

    def _start_clock(self) -> None:
        self.started = time.perf_counter()
        self.first_reported = self.dance_reported = False

    # -- generation -----------------------------------------------------------------------------------------------
    def load_generators(self) -> None:
        """Once: on the generation worker, shortly after start or at once when a song is opened sooner."""
        window = self.window
        if self.generators_requested or window.closed:
            return
        self.generators_requested = True
        window.status.show_model("loading...")
        window.generation.load(window.preferences.device, self.generators_factory)

    def on_generators_ready(self, name: str, device: str) -> None:
        self.window.status.show_model(name)
        self.window.status.show_device(device)
        self.request_genre_guess()

    def request_genre_guess(self) -> None:
        """The candidate panel shows which genre the music sounds like (low priority, on the generation worker)."""
        window = self.window
        generators, song = window.generation.generators, window.analysis
        if generators is None or song is None:
            return
        project = window.project

        def done(guess) -> None:
            if project is window.project:
                window.candidates.set_genre_guess(guess)

        window.generation.worker.call(generators.guess, song, priority=-1, on_done=done)

    def on_segment_ready(self, dancer_id: str, segment: int, reason: str) -> None:
        window = self.window
        if segment == window.state.segment and dancer_id == window.dancer_id:
            window.candidates.set_segment(dancer_id, segment)
        self.check_dance_ready()

    def report_first_segment(self) -> None:
        """Once per opened song, when the viewport first has the lead's dance (its first segment) to show."""
        if self.first_reported or self.started is None:
            return
        self.first_reported = True
        seconds = time.perf_counter() - self.started
        log.info("first watchable segment %.2f s after opening", seconds)
        self.window.first_segment_ready.emit(seconds)

    def check_dance_ready(self) -> None:
        """Once per opened song, when every segment of the lead has candidates."""
        window = self.window
        project = window.project
        if self.dance_reported or self.started is None or project.song is None:
            return
        if all(t.candidates for t in project.tracks(project.lead.id)):
            self.dance_reported = True
            seconds = time.perf_counter() - self.started
            window.statusBar().showMessage(f"The dance is ready ({seconds:.1f} s)", 5000)
            window.dance_ready.emit(seconds)

    def is_dance_complete(self) -> bool:
        """Every dancer has candidates for every segment and nothing is generating any more."""
        window = self.window
        project = window.project
        return project.song is not None and all(
            t.candidates for d in project.dancers for t in project.tracks(d.id)
        ) and not window.generation.is_busy  # fmt: skip
