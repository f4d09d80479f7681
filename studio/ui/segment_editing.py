"""Segment editing: which segment of which dancer is selected, and every edit of it, each an undoable command.

Choose a candidate, lock, regenerate, override the genre, add or remove the partner, set where the partner
stands (its formation), undo and redo. An edit the document refuses (``EditError``) becomes a warning, never an
exception in a slot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from studio.core.commands import (
    AddDancer,
    ChooseCandidate,
    RemoveDancer,
    SetFormation,
    SetGenreOverride,
    SetLock,
    UndoStack,
)
from studio.core.document import EditError
from studio.core.formation import Formation
from studio.ui.state import EditorState


class SegmentEditing:
    """Turns the user's edits into commands on ``undo_stack``; the selection and the document are ``state``'s.

    Collaborators: ``notifications`` (``info``, ``warning``), ``show_message(text, ms)`` (the status bar),
    ``prompts`` (``partner_formation(title, current)``, when it has it), ``generation`` (``regenerate``,
    ``regenerate_unlocked``), ``load_generators()``, and the views the selection shows in: ``timeline``
    (``set_selection``), ``candidates`` (``set_segment``), ``display`` (``end_preview``), ``playback`` (``seek``).
    """

    def __init__(
        self,
        state: EditorState,
        undo_stack: UndoStack,
        *,
        notifications: Any,
        show_message: Callable[[str, int], None],
        prompts: Any,
        generation: Any,
        load_generators: Callable[[], None],
        timeline: Any,
        candidates: Any,
        display: Any,
        playback: Any,
    ) -> None:
        self.state = state
        self.undo_stack = undo_stack
        self.notifications = notifications
        self.show_message = show_message
        self.prompts = prompts
        self.generation = generation
        self.load_generators = load_generators
        self.timeline = timeline
        self.candidates = candidates
        self.display = display
        self.playback = playback

    @property
    def project(self):
        return self.state.project

    def push(self, command) -> bool:
        try:
            return self.undo_stack.push(command)
        except EditError as error:
            self.notifications.warning(str(error))
            return False

    # -- selection ------------------------------------------------------------------------------------------------
    def select(self, lane: int, segment: int | None, seek: bool = True) -> None:
        """Select a segment of a dancer's lane (the candidate panel follows); ``seek`` moves the playhead there."""
        project = self.project
        if project.song is None or segment is None or not 0 <= segment < project.num_segments:
            self.state.segment = None
            self.timeline.set_selection(None, None)
            self.candidates.set_segment(None, None)
            return
        lane = min(max(lane, 0), len(project.dancers) - 1)
        changed = (lane, segment) != (self.state.lane, self.state.segment)
        if changed:
            self.display.end_preview()
        self.state.select(lane, segment)
        self.timeline.set_selection(lane, segment)
        self.candidates.set_segment(project.dancers[lane].id, segment)
        if seek and changed:
            self.playback.seek(project.song.segments[segment][0])

    def previous_segment(self) -> None:
        if self.state.segment is not None and self.state.segment > 0:
            self.select(self.state.lane, self.state.segment - 1)

    def next_segment(self) -> None:
        if self.project.song is None:
            return
        if self.state.segment is None:
            self.select(self.state.lane, 0)
        elif self.state.segment + 1 < self.project.num_segments:
            self.select(self.state.lane, self.state.segment + 1)

    def next_dancer(self) -> None:
        if len(self.project.dancers) > 1:
            self.select((self.state.lane + 1) % len(self.project.dancers), self.state.segment, seek=False)

    # -- the selected segment -------------------------------------------------------------------------------------
    def choose_candidate(self, index: int) -> None:
        segment = self.state.segment
        if segment is None or self.project.song is None:
            return
        track = self.project.track(self.state.dancer_id, segment)
        if index >= len(track.candidates):
            self.show_message(f"Segment {segment + 1} has no candidate {index + 1}", 3000)
            return
        if track.locked and index != track.chosen:
            self.notifications.warning(f"Segment {segment + 1} is locked: unlock it (L) to choose another.")
            return
        self.display.end_preview()
        self.push(ChooseCandidate(self.project, self.state.dancer_id, segment, index))

    def toggle_lock(self) -> None:
        if self.state.segment is not None and self.project.song is not None:
            self.set_locked(not self.project.is_locked(self.state.dancer_id, self.state.segment))

    def set_locked(self, locked: bool) -> None:
        if self.state.segment is not None and self.project.song is not None:
            self.push(SetLock(self.project, self.state.dancer_id, self.state.segment, bool(locked)))

    def regenerate_selected(self) -> None:
        if self.state.segment is None or self.project.song is None:
            return
        self.load_generators()
        self.generation.regenerate(self.state.dancer_id, self.state.segment)

    def regenerate_unlocked(self) -> None:
        if self.project.song is None:
            return
        self.load_generators()
        count = self.generation.regenerate_unlocked(self.state.dancer_id)
        if count:
            self.show_message(f"Regenerating {count} unlocked segments", 4000)

    # -- the whole project ----------------------------------------------------------------------------------------
    def set_genre_override(self, genre: str | None) -> None:
        if genre == self.project.genre_override:
            return
        if self.push(SetGenreOverride(self.project, genre)):
            what = f"Genre set to {genre}" if genre else "Genre follows the music again"
            self.notifications.info(f"{what}: regenerate (R, or Regenerate all unlocked) to dance it.")

    def add_partner(self) -> None:
        if self.project.song is None:
            self.notifications.info("Open a song first.")
            return
        if len(self.project.dancers) >= 2:
            self.notifications.info("The project already has two dancers.")
            return
        formation = self.ask_formation("Add partner", Formation())
        if formation is None:
            return  # cancelled: no partner
        self.load_generators()
        # the new dancer's empty segments are filled in song order on dancers_changed (MainWindow)
        self.push(AddDancer(self.project, "Partner", role="partner", formation=formation))

    def change_formation(self) -> None:
        """Ask where the partner stands; its unlocked segments are made again there (one undo step with the
        formation: ``SetFormation`` empties them, the window's fill on ``dancers_changed`` makes them again)."""
        partners = [d for d in self.project.dancers if d.role == "partner"]
        if not partners:
            self.notifications.info("Add a partner first.")
            return
        partner = partners[-1]
        formation = self.ask_formation("Partner formation", partner.formation)
        if formation is None or formation == partner.formation:
            return
        self.load_generators()
        if self.push(SetFormation(self.project, partner.id, formation)):
            locked = sum(t.locked for t in self.project.tracks(partner.id))
            kept = f"; {locked} locked segments kept as they are" if locked else ""
            self.show_message(f"Partner {formation.label}: making its dance again{kept}", 5000)

    def ask_formation(self, title: str, current: Formation) -> Formation | None:
        """The formation the person picks (None: cancelled): ``prompts.partner_formation`` asks (the real prompts
        with the formation dialog); prompts without it (a test's stand-in) answer ``current``, as OK would."""
        ask = getattr(self.prompts, "partner_formation", None)
        return ask(title, current) if ask is not None else current

    def remove_partner(self) -> None:
        partners = [d for d in self.project.dancers if d.role == "partner"]
        if partners:
            self.push(RemoveDancer(self.project, partners[-1].id))

    # -- undo -----------------------------------------------------------------------------------------------------
    def undo(self) -> None:
        self.display.end_preview()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.display.end_preview()
        self.undo_stack.redo()
