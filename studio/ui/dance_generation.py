"""``DanceGeneration``: what the editor asks of the generators, as jobs on a ``studio.ui.workers.TaskWorker``:

- **fill**: every empty segment gets candidates, segment by segment in song order, each generated after
  the chosen dance of its predecessor (so seams join). This is how a new song gets its dance (and how a
  new partner gets theirs). It is *not undoable*: it makes the document's starting content, like opening
  a file; the undo history starts after it. The same seeds give the same dance, so undoing and redoing
  "add partner" regenerates the very same partner.
- **follow the lead**: when the lead's dance at a segment changes, each partner made from it is made again
  (same seeds, same choice; locked partner segments stay). Not undoable of itself: undoing the lead's change
  makes the earlier partner again.
- **regenerate** one segment: new seeds, constrained by both neighbours; applied as one undoable
  ``SetCandidates``. A locked segment is refused.
- **regenerate all unlocked**: every unlocked segment of a dancer in order, applied as each arrives (so it
  can be watched) and recorded as ONE undo step when the last one is in.

What a request holds, its seeds and how a fill or a follow lands in the document are ``studio.choreography``'s
(the command line drives the same steps, so the same song, seed and settings give the same dance); this class
adds the queue, the undo steps and the signals. Requests are immutable; a newer request for the same
(dancer, segment) cancels the older one. Errors reach the user through the ``error`` signal (the window shows
a non-modal notification).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from studio.choreography import generator_process, plan
from studio.choreography.driver import apply_fill, apply_follow, fill_reason
from studio.choreography.generators import Generators
from studio.choreography.requests import GenerationRequest, GenerationResponse
from studio.core.commands import Regeneration, SetCandidates, UndoStack
from studio.core.document import Project
from studio.core.errors import StudioError
from studio.ui.workers import WORKER_NICENESS, TaskWorker

FILL_PRIORITY = 10
USER_PRIORITY = 0
LOAD_PRIORITY = -10


def editor_threads() -> int:
    """torch CPU threads for the editor's generation: all cores but one, which is left to the UI thread (on a
    2-core machine torch's default of 2 threads made the window stall, and one thread generated as fast)."""
    return max(1, (os.cpu_count() or 2) - 1)


@dataclass
class _Batch:
    dancer_id: str
    todo: list[int]
    command: Regeneration


class DanceGeneration(QObject):
    """Turns editor intentions into generation requests and their answers into document edits."""

    generators_ready = Signal(str, str)  # generator name, device
    segment_started = Signal(str, int)  # dancer id, segment
    segment_progress = Signal(str, int, float)  # dancer id, segment, 0..1
    segment_finished = Signal(str, int)  # done, failed or cancelled: the block stops showing progress
    segment_ready = Signal(str, int, str)  # dancer id, segment, reason ("song", "regenerate", ...)
    activity = Signal(str, int, int)  # status text, done, total (0, 0 when idle)
    error = Signal(str)  # a message for the user
    note = Signal(str)  # information for the user (fallbacks)

    def __init__(self, undo_stack: UndoStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = TaskWorker("generation", self)
        self.undo_stack = undo_stack
        self.project: Project | None = None
        self.song: Any = None  # the SongAnalysis the requests are made for
        self.generators: Generators | None = None
        self.generator_error: str | None = None
        self._loading = False
        self._in_flight: dict[tuple[str, int], GenerationRequest] = {}
        self._batches: dict[str, _Batch] = {}
        self._failed: set[tuple[str, int]] = set()  # auto-fill does not retry these until asked
        self.enabled = True

    # -- set-up ---------------------------------------------------------------------------------------------
    def load(self, device: str = "auto", factory: Callable[[], Generators] | None = None) -> None:
        """Load the generators on the worker thread (FDGN weights, torch) before any request runs."""
        self._loading = True
        self._close_generators()
        self.generator_error = None
        self.activity.emit("Loading the dance generator...", 0, 0)
        # The default lives in a child process (the one ``ui.app`` started at launch, else one started here:
        # that takes milliseconds), so torch's import and the generation never hold the window's interpreter lock.
        process = None if factory is not None else generator_process.take(device, threads=editor_threads(),
                                                                          niceness=WORKER_NICENESS)  # fmt: skip

        def job(progress, interrupt):
            return factory() if process is None else process.wait_ready(interrupt)

        self.worker.submit(job, priority=LOAD_PRIORITY, on_done=self._on_loaded, on_error=self._on_load_failed)

    def _on_loaded(self, generators: Generators) -> None:
        self._loading = False
        self.generators = generators
        for text in generators.notes:
            self.note.emit(text)
        self.generators_ready.emit(generators.name, generators.device)
        self.fill()

    def _on_load_failed(self, error: BaseException) -> None:
        self._loading = False
        self.generator_error = str(error)
        self.activity.emit("", 0, 0)
        self.error.emit(f"No dance generator: {error}")

    def set_song(self, project: Project | None, song: Any) -> None:
        """Work for ``project`` (whose song was analysed as ``song``) from now on; earlier work is dropped."""
        self.cancel_all()
        self.project = project
        self.song = song
        self._failed.clear()
        self.fill()

    def stop(self) -> None:
        self.enabled = False
        self.cancel_all()
        self.worker.stop()
        self._close_generators()

    def _close_generators(self) -> None:
        close = getattr(self.generators, "close", None)  # a GeneratorProcess ends its child
        self.generators = None
        if close is not None:
            close()

    @property
    def is_busy(self) -> bool:
        return bool(self._in_flight) or self._loading

    def in_flight(self, dancer_id: str, segment: int) -> bool:
        return (dancer_id, segment) in self._in_flight

    def cancel_all(self) -> None:
        for batch in list(self._batches.values()):
            batch.todo.clear()
        keys = list(self._in_flight)
        self._in_flight.clear()
        for key in keys:
            self.worker.cancel_key(key)
            self.segment_finished.emit(*key)
        self._finish_batches()
        self._report_idle()

    # -- what the user asks for ---------------------------------------------------------------------------------
    def fill(self) -> None:
        """Generate every empty segment (each after its predecessor); see the module docstring."""
        if not self._ready():
            return
        for dancer in self.project.dancers:
            if any(key[0] == dancer.id and req.reason in ("song", "partner")
                   for key, req in self._in_flight.items()):  # fmt: skip
                continue  # one fill chain per dancer at a time
            segment = plan.next_empty(self.project, dancer.id, busy=self._in_flight, failed=self._failed)
            if segment is not None:
                seeds = plan.fill_seeds(self.project, self.song, dancer.id, segment)
                self._submit(self._request(dancer.id, segment, seeds, fill_reason(self.project, dancer.id)),
                             FILL_PRIORITY)  # fmt: skip

    def regenerate(self, dancer_id: str, segment: int) -> bool:
        """New candidates for one segment (undoable). False (and a message) when it cannot be done now."""
        if not self._ready(report=True):
            return False
        if self.project.is_locked(dancer_id, segment):
            self.error.emit(f"Segment {segment + 1} is locked: unlock it (L) to regenerate it.")
            return False
        dancer = self.project.dancer(dancer_id)
        if dancer.role == "partner" and self.project.chosen_motion(self.project.lead.id, segment) is None:
            self.error.emit(f"Segment {segment + 1} has no lead dance yet to make a partner for.")
            return False
        seeds = plan.new_seeds(self.project.settings.candidates_per_segment)
        self._submit(self._request(dancer_id, segment, seeds, "regenerate"), USER_PRIORITY)
        return True

    def regenerate_unlocked(self, dancer_id: str) -> int:
        """Regenerate every unlocked segment of a dancer, in order, as one undo step; returns how many."""
        if not self._ready(report=True):
            return 0
        todo = [i for i in range(self.project.num_segments) if not self.project.is_locked(dancer_id, i)]
        if not todo:
            self.error.emit("Every segment is locked: nothing to regenerate.")
            return 0
        old = self._batches.pop(dancer_id, None)
        if old is not None and old.command.changes:
            self.undo_stack.push(old.command)
        command = Regeneration(self.project, f"regenerate {len(todo)} unlocked segments")
        self._batches[dancer_id] = _Batch(dancer_id, todo, command)
        self._next_in_batch(dancer_id)
        return len(todo)

    def follow_lead(self, segment: int) -> None:
        """The lead's dance changed at ``segment``: each partner made from it is made again where it is not
        locked (segment and the next: a canon starts with the end of the lead's previous segment).

        The same seeds give the same duet rules and the partner's choice stays on the same seed. Not an edit of
        its own: the partner follows the lead, so undoing the lead's change makes the earlier partner again.
        """
        if not self._ready():
            return
        project = self.project
        for dancer in project.dancers:
            if dancer.role != "partner":
                continue
            for i in range(segment, min(segment + 2, project.num_segments)):
                track = project.track(dancer.id, i)
                if track.candidates and not track.locked and project.chosen_motion(project.lead.id, i) is not None:
                    seeds = tuple(c.seed for c in track.candidates)
                    self._submit(self._request(dancer.id, i, seeds, "follow"), USER_PRIORITY)

    # -- requests ------------------------------------------------------------------------------------------
    def _ready(self, report: bool = False) -> bool:
        if not self.enabled or self.project is None or self.song is None or self.project.song is None:
            if report:
                self.error.emit("Open a song first.")
            return False
        if self.generators is None:
            if report:
                self.error.emit(self.generator_error or "The dance generator is still loading; try again shortly.")
            return False
        return True

    def _request(self, dancer_id: str, segment: int, seeds, reason: str, next_motion: bool = True):
        return plan.request_for(self.project, dancer_id, segment, seeds, reason, self.generators.lead.model_id,
                                next_motion)  # fmt: skip

    def _submit(self, request: GenerationRequest, priority: int) -> None:
        key = request.key
        if key in self._in_flight:
            self.segment_finished.emit(*key)  # the older one is superseded (TaskWorker cancels it)
        self._in_flight[key] = request
        generators, song = self.generators, self.song

        def job(progress, interrupt):
            return generators.generate(request, song, progress, interrupt)

        self.worker.submit(
            job, key=key, priority=priority,
            on_start=lambda: self._on_started(request),
            on_progress=lambda done, total: self._on_progress(request, done, total),
            on_done=self._on_response,
            on_error=lambda error: self._on_failed(request, error),
            on_cancel=lambda: self._on_cancelled(request),
        )  # fmt: skip
        self._report_activity()

    def _current(self, request: GenerationRequest) -> bool:
        return self._in_flight.get(request.key) is request

    def _on_started(self, request: GenerationRequest) -> None:
        if self._current(request):
            self.segment_started.emit(*request.key)
            self._report_activity(request, 0, 0)

    def _on_progress(self, request: GenerationRequest, done: int, total: int) -> None:
        if self._current(request):
            self.segment_progress.emit(request.dancer_id, request.segment, done / max(total, 1))
            self._report_activity(request, done, total)

    def _on_response(self, response: GenerationResponse) -> None:
        request = response.request
        if not self._current(request) or self.project is None:
            return
        del self._in_flight[request.key]
        self.segment_finished.emit(*request.key)
        for text in response.notes:
            self.note.emit(text)
        try:
            self._apply(response)
        except StudioError as error:
            self.error.emit(f"Segment {request.segment + 1}: {error}")
        self._after(request)

    def _apply(self, response: GenerationResponse) -> None:
        request, project = response.request, self.project
        dancer_id, segment = request.key
        if project.song is None or segment >= project.num_segments or dancer_id not in {d.id for d in project.dancers}:
            return  # the document moved on (another song, the dancer was removed)
        if request.formation is not None and project.dancer(dancer_id).formation != request.formation:
            return  # made for the partner's old place: its formation changed meanwhile, and the fill makes it again
        lands = {  # one landing rule per reason: True when the document took the candidates
            "song": apply_fill, "partner": apply_fill, "follow": apply_follow,
            "regenerate": self._land_regeneration, "regenerate-all": self._land_in_batch,
        }[request.reason]  # fmt: skip
        if lands(project, response):
            self.segment_ready.emit(dancer_id, segment, request.reason)

    def _land_regeneration(self, project: Project, response: GenerationResponse) -> bool:
        """One segment regenerated: one undoable step, unless it was locked meanwhile."""
        dancer_id, segment = response.request.key
        if project.is_locked(dancer_id, segment):
            self.error.emit(f"Segment {segment + 1} was locked while it was regenerated: kept as it was.")
            return False
        self.undo_stack.push(SetCandidates(project, dancer_id, segment, response.candidates, chosen=0))
        return True

    def _land_in_batch(self, project: Project, response: GenerationResponse) -> bool:
        """Regenerate-all: applied live, recorded in the batch's command (one undo step at the end)."""
        dancer_id, segment = response.request.key
        track, batch = project.track(dancer_id, segment), self._batches.get(dancer_id)
        if track.locked or batch is None:
            return False
        project.set_candidates(dancer_id, segment, response.candidates, chosen=0)
        batch.command.record(dancer_id, segment, track, project.track(dancer_id, segment))
        return True

    def _after(self, request: GenerationRequest) -> None:
        if request.reason == "regenerate-all":
            self._next_in_batch(request.dancer_id)
        self.fill()
        self._report_idle()

    def _on_failed(self, request: GenerationRequest, error: BaseException) -> None:
        if not self._current(request):
            return
        del self._in_flight[request.key]
        self.segment_finished.emit(*request.key)
        if request.reason in ("song", "partner"):
            self._failed.add(request.key)
        what = str(error) if isinstance(error, StudioError) else f"{type(error).__name__}: {error}"
        self.error.emit(f"Segment {request.segment + 1} could not be generated: {what}")
        self._after(request)

    def _on_cancelled(self, request: GenerationRequest) -> None:
        if not self._current(request):
            return  # superseded: the newer request carries on
        del self._in_flight[request.key]
        self.segment_finished.emit(*request.key)
        self._after(request)

    # -- regenerate all -------------------------------------------------------------------------------------
    def _next_in_batch(self, dancer_id: str) -> None:
        batch = self._batches.get(dancer_id)
        if batch is None or self.project is None:
            return
        while batch.todo:
            segment = batch.todo.pop(0)
            if segment >= self.project.num_segments or self.project.is_locked(dancer_id, segment):
                continue
            seeds = plan.new_seeds(self.project.settings.candidates_per_segment)
            # The next segment is a constraint only when it stays (locked): otherwise it is redone next.
            keep_next = segment + 1 < self.project.num_segments and self.project.is_locked(dancer_id, segment + 1)
            self._submit(self._request(dancer_id, segment, seeds, "regenerate-all", keep_next), USER_PRIORITY + 1)
            return
        self._finish_batches()

    def _finish_batches(self) -> None:
        for dancer_id, batch in list(self._batches.items()):
            running = any(k[0] == dancer_id and r.reason == "regenerate-all" for k, r in self._in_flight.items())
            if batch.todo or running:
                continue
            del self._batches[dancer_id]
            if batch.command.changes:
                batch.command.text = f"regenerate {len(batch.command.changes)} unlocked segments"
                self.undo_stack.push(batch.command)

    # -- status ----------------------------------------------------------------------------------------------
    def _report_activity(self, request: GenerationRequest | None = None, done: int = 0, total: int = 0) -> None:
        if not self._in_flight:
            return
        if request is None:
            request = next(iter(self._in_flight.values()))
        project = self.project
        name = project.dancer(request.dancer_id).name if project is not None else request.dancer_id
        count = project.num_segments if project is not None else 0
        verb = {"song": "Generating", "partner": "Partnering", "regenerate": "Regenerating",
                "regenerate-all": "Regenerating", "follow": "Following the lead in"}[request.reason]  # fmt: skip
        text = f"{verb} segment {request.segment + 1}/{count} ({name})"
        waiting = len(self._in_flight) - 1
        if waiting:
            text += f", {waiting} more queued"
        self.activity.emit(text, done, total)

    def _report_idle(self) -> None:
        if not self._in_flight:
            self.activity.emit("", 0, 0)
