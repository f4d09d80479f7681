"""What the viewport shows of the document: the avatar, every dancer's chosen dance, a hovered candidate.

A dancer's dance is its chosen segments joined end to end. Joining a long song copies every frame, so it
runs on the editor's view worker, and updates are throttled while segments stream in from the generators.
A preview plays the hovered candidate's segment (from a second before) with it swapped into the dance, and
puts the playhead back where it was when it ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from studio.core.motion import Motion, concatenate
from studio.ui.placeholder_viewport import dancer_view

PREVIEW_LEAD_IN = 1.0  # seconds of the previous segment played before a previewed candidate
VIEW_UPDATE_MS = 250  # new segments reach the viewport within this (a throttle: each update repaints it)


def join_motions(parts: list[Motion]) -> Motion | None:
    """Segments end to end as one motion (None for none); pure, for a worker thread."""
    return concatenate(parts) if parts else None


def load_avatar_job(smplx_folder: str):
    """(avatar, warning): the SMPL-X model from ``smplx_folder``, else the mannequin, with its viewport mesh
    data prepared; io worker only."""
    from studio.body.provider import load_avatar
    from studio.ui.viewport.lod import prepared_mesh

    warning = ""
    try:
        avatar = load_avatar(smplx_folder or None)
    except Exception as error:
        if not smplx_folder:
            raise
        warning = f"The SMPL-X model in {smplx_folder} did not load ({error}); showing the mannequin."
        avatar = load_avatar(None)
    prepared_mesh(avatar)
    return avatar, warning


class DanceDisplay:
    """Keeps ``viewport`` showing the dancers of ``state.project`` (the plain editor state: the document and
    the selection). It joins dances on ``view_worker``, loads the avatar on ``io``, plays previews with
    ``playback`` and marks the previewed candidate on ``candidates``. ``on_lead_shown`` is called each time
    the viewport gets a dance for the lead dancer."""

    def __init__(
        self,
        state: Any,
        *,
        viewport: Any,
        io: Any,
        view_worker: Any,
        playback: Any,
        candidates: Any,
        notifications: Any,
        show_message: Callable[[str], None],
        on_lead_shown: Callable[[], None],
    ) -> None:
        self.state = state
        self.viewport = viewport
        self.io = io
        self.view_worker = view_worker
        self.playback = playback
        self.candidates = candidates
        self.notifications = notifications
        self.show_message = show_message
        self.on_lead_shown = on_lead_shown
        self.avatar: Any = None
        self.joined: dict[str, tuple[tuple[int, ...], Motion | None]] = {}  # dancer id -> (segment ids, dance)
        self.shown = 0  # how many times the viewport got new dances (tests wait on it)
        self._previewing: dict[str, Any] | None = None
        self.badge = QLabel("", viewport)
        self.badge.setObjectName("preview-badge")
        self.badge.setStyleSheet(
            "background: rgba(255, 213, 74, 220); color: #202020; padding: 3px 8px; border-radius: 4px;"
            "font-weight: bold;"
        )
        self.badge.move(10, 10)
        self.badge.hide()
        self._timer = QTimer(viewport)  # coalesces viewport updates while segments stream in
        self._timer.setSingleShot(True)
        self._timer.setInterval(VIEW_UPDATE_MS)
        self._timer.timeout.connect(self._interval_ended)
        self._pending = False  # a change came while the interval ran

    def stop(self) -> None:
        self._timer.stop()
        self._pending = False

    # -- the avatar ---------------------------------------------------------------------------------------------
    def load_avatar(self, smplx_folder: str) -> None:
        self.io.call(load_avatar_job, smplx_folder, priority=-5,
                            on_done=self._on_avatar, on_error=self._on_avatar_failed)  # fmt: skip

    def _on_avatar(self, result) -> None:
        avatar, warning = result
        self.avatar = avatar
        self.viewport.set_avatar(avatar)
        self.update_dancers()
        if warning:
            self.notifications.warning(warning)

    def _on_avatar_failed(self, error: BaseException) -> None:
        self.notifications.error(f"The avatar could not be loaded: {error}")

    # -- the dances ---------------------------------------------------------------------------------------------
    def dance_parts(self, dancer_id: str, substitute: tuple[int, Motion] | None = None) -> list[Motion]:
        """The dancer's chosen motions from the song's start up to the first segment without one (so, joined,
        the motion's frame k is the song's frame k), with ``substitute`` = (segment, motion) swapped in."""
        project = self.state.project
        if project.song is None:
            return []
        parts = []
        for index, track in enumerate(project.tracks(dancer_id)):
            motion = substitute[1] if substitute is not None and substitute[0] == index else None
            if motion is None and track.chosen_candidate is not None:
                motion = track.chosen_candidate.motion
            if motion is None:
                break
            parts.append(motion)
            if substitute is not None and index >= substitute[0]:
                break  # a preview needs the dance up to the previewed segment only
        return parts

    def schedule_update(self) -> None:
        """At most one viewport update per ``VIEW_UPDATE_MS``, the first at once (the song's first segment is
        shown the moment it exists); changes within the interval are shown together at its end (a throttle:
        a stream of segments must not postpone the view until the stream ends)."""
        if self._timer.isActive():
            self._pending = True
        else:
            self._update_now()

    def _interval_ended(self) -> None:
        if self._pending:
            self._update_now()

    def _update_now(self) -> None:
        self._pending = False
        self.update_dancers()
        self._timer.start()  # the next interval

    def update_dancers(self) -> None:
        """Hand every dancer's dance to the viewport; joining a long song's segments (a copy of every frame)
        happens on the view worker, and a dancer whose segments did not change keeps its motion object."""
        state = self.state
        project = state.project
        wanted = [(d, self.dance_parts(d.id)) for d in project.dancers]
        joined = self.joined

        def build() -> list[tuple[Any, tuple[int, ...], Motion | None]]:
            out = []
            for dancer, parts in wanted:
                ids = tuple(id(m) for m in parts)
                old = joined.get(dancer.id)
                motion = old[1] if old is not None and old[0] == ids else join_motions(parts)
                out.append((dancer, ids, motion))
            return out

        def apply(result) -> None:
            if project is not state.project:
                return
            self.joined = {dancer.id: (ids, motion) for dancer, ids, motion in result}
            self.viewport.set_dancers([dancer_view(motion, d.color, d.name) for d, _ids, motion in result])
            self.viewport.set_time(self.playback.position())
            self.shown += 1
            if any(d.role == "lead" and motion is not None for d, _ids, motion in result):
                self.on_lead_shown()

        self.view_worker.call(build, key="dances", on_done=apply)

    # -- previews -----------------------------------------------------------------------------------------------
    def preview(self, index: int) -> None:
        """Hovering candidate ``index`` of the selected segment (-1: none any more)."""
        if index < 0:
            self.end_preview()
            return
        state, playback = self.state, self.playback
        project, segment, dancer_id = state.project, state.segment, state.dancer_id
        if segment is None or project.song is None:
            return
        track = project.track(dancer_id, segment)
        if index >= len(track.candidates):
            return
        parts = self.dance_parts(dancer_id, substitute=(segment, track.candidates[index].motion))
        if not parts:
            return
        if self._previewing is None:
            self._previewing = {"position": playback.position(), "playing": playback.is_playing,
                                "loop": playback.loop}  # fmt: skip
        key = (state.lane, segment, index)
        self._previewing.update(lane=state.lane, segment=segment, index=index, shown=False)
        start, end = project.song.segments[segment]
        playback.set_loop((max(start - PREVIEW_LEAD_IN, 0.0), end))
        if not playback.is_playing:
            playback.seek(max(start - PREVIEW_LEAD_IN, 0.0))
            playback.play()
        self.show_message(f"Previewing candidate {index + 1} of segment {segment + 1}")

        candidate = track.candidates[index]
        self.candidates.set_previewing(index)
        self.badge.setText(
            f"Preview: candidate {index + 1} of segment {segment + 1} · {candidate.genre or 'unknown genre'}"
        )
        self.badge.adjustSize()
        self.badge.show()
        self.badge.raise_()

        def show(motion: Motion | None) -> None:
            if self.previewing == key and motion is not None:
                self.viewport.set_preview(key[0], motion)
                self._previewing["shown"] = True

        self.view_worker.call(join_motions, parts, key="preview", on_done=show)

    def end_preview(self) -> None:
        """Back to the chosen dance, and the playhead back where it was (unless playback went on)."""
        state, self._previewing = self._previewing, None
        if state is None:
            return
        self.view_worker.cancel_key("preview")
        self.candidates.set_previewing(None)
        self.badge.hide()
        self.viewport.set_preview(state["lane"], None)
        self.playback.set_loop(state["loop"])
        if not state["playing"]:
            self.playback.pause()
            self.playback.seek(state["position"])
        self.show_message("")

    @property
    def previewing(self) -> tuple[int, int, int] | None:
        """(lane, segment, candidate) being previewed, or None."""
        state = self._previewing
        return None if state is None else (state["lane"], state["segment"], state["index"])

    @property
    def preview_shown(self) -> bool:
        """True once the previewed candidate's dance is in the viewport (it is assembled on a worker)."""
        return self._previewing is not None and self._previewing.get("shown", False)
