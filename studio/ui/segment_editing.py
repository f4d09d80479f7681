"""Segment editing: which segment of which dancer is selected, and every edit of it, each an undoable command.

Choose a candidate, lock, regenerate, override the genre, add or remove the partner, set where the partner
stands (its formation), undo and redo. An edit the document refuses (``EditError``) becomes a warning, never an
exception in a slot.
"""

from __future__ import annotations

from typing import Any

from studio.core.commands import AddDancer, ChooseCandidate, RemoveDancer, SetFormation, SetGenreOverride, SetLock
from studio.core.document import EditError
from studio.core.formation import Formation
from studio.ui.formation_dialog import ask_formation
from studio.ui.prompts import Prompts


class SegmentEditing:
    """Turns the user's edits into commands on ``window.undo_stack``. The selection is ``window.state``
    (``studio.ui.state.EditorState``), where every part reads it."""

    def __init__(self, window: Any) -> None:
        self.window = window

    def push(self, command) -> bool:
        try:
            return self.window.undo_stack.push(command)
        except EditError as error:
            self.window.notifications.warning(str(error))
            return False

    # -- selection ------------------------------------------------------------------------------------------------
    def select(self, lane: int, segment: int | None, seek: bool = True) -> None:
        """Select a segment of a dancer's lane (the candidate panel follows); ``seek`` moves the playhead there."""
        window = self.window
        project = window.project
        if project.song is None or segment is None or not 0 <= segment < project.num_segments:
            window.state.segment = None
            window.timeline.set_selection(None, None)
            window.candidates.set_segment(None, None)
            window.update_actions()
            return
        lane = min(max(lane, 0), len(project.dancers) - 1)
        changed = (lane, segment) != (window.state.lane, window.state.segment)
        if changed:
            window.display.end_preview()
        window.state.select(lane, segment)
        window.timeline.set_selection(lane, segment)
        window.candidates.set_segment(project.dancers[lane].id, segment)
        if window.actions.loop.isChecked():
            window.apply_loop()
        if seek and changed:
            window.playback.seek(project.song.segments[segment][0])
        window.update_actions()

    def previous_segment(self) -> None:
        window = self.window
        if window.state.segment is not None and window.state.segment > 0:
            self.select(window.state.lane, window.state.segment - 1)

    def next_segment(self) -> None:
        window = self.window
        if window.project.song is None:
            return
        if window.state.segment is None:
            self.select(window.state.lane, 0)
        elif window.state.segment + 1 < window.project.num_segments:
            self.select(window.state.lane, window.state.segment + 1)

    def next_dancer(self) -> None:
        window = self.window
        if len(window.project.dancers) > 1:
            self.select((window.state.lane + 1) % len(window.project.dancers), window.state.segment, seek=False)

    # -- the selected segment -------------------------------------------------------------------------------------
    def choose_candidate(self, index: int) -> None:
        window = self.window
        segment = window.state.segment
        if segment is None or window.project.song is None:
            return
        track = window.project.track(window.dancer_id, segment)
        if index >= len(track.candidates):
            window.statusBar().showMessage(f"Segment {segment + 1} has no candidate {index + 1}", 3000)
            return
        if track.locked and index != track.chosen:
            window.notifications.warning(f"Segment {segment + 1} is locked: unlock it (L) to choose another.")
            return
        window.display.end_preview()
        self.push(ChooseCandidate(window.project, window.dancer_id, segment, index))

    def toggle_lock(self) -> None:
        window = self.window
        if window.state.segment is not None and window.project.song is not None:
            self.set_locked(not window.project.is_locked(window.dancer_id, window.state.segment))

    def set_locked(self, locked: bool) -> None:
        window = self.window
        if window.state.segment is not None and window.project.song is not None:
            self.push(SetLock(window.project, window.dancer_id, window.state.segment, bool(locked)))

    def regenerate_selected(self) -> None:
        window = self.window
        if window.state.segment is None or window.project.song is None:
            return
        window.session.load_generators()
        window.generation.regenerate(window.dancer_id, window.state.segment)

    def regenerate_unlocked(self) -> None:
        window = self.window
        if window.project.song is None:
            return
        window.session.load_generators()
        count = window.generation.regenerate_unlocked(window.dancer_id)
        if count:
            window.statusBar().showMessage(f"Regenerating {count} unlocked segments", 4000)

    # -- the whole project ----------------------------------------------------------------------------------------
    def set_genre_override(self, genre: str | None) -> None:
        window = self.window
        if genre == window.project.genre_override:
            return
        if self.push(SetGenreOverride(window.project, genre)):
            what = f"Genre set to {genre}" if genre else "Genre follows the music again"
            window.notifications.info(f"{what}: regenerate (R, or Regenerate all unlocked) to dance it.")

    def add_partner(self) -> None:
        window = self.window
        if window.project.song is None:
            window.notifications.info("Open a song first.")
            return
        if len(window.project.dancers) >= 2:
            window.notifications.info("The project already has two dancers.")
            return
        formation = self.ask_formation("Add partner", Formation())
        if formation is None:
            return  # cancelled: no partner
        window.session.load_generators()
        # the new dancer's empty segments are filled in song order on dancers_changed (MainWindow)
        self.push(AddDancer(window.project, "Partner", role="partner", formation=formation))

    def change_formation(self) -> None:
        """Ask where the partner stands; its unlocked segments are made again there (one undo step with the
        formation: ``SetFormation`` empties them, the window's fill on ``dancers_changed`` makes them again)."""
        window = self.window
        partners = [d for d in window.project.dancers if d.role == "partner"]
        if not partners:
            window.notifications.info("Add a partner first.")
            return
        partner = partners[-1]
        formation = self.ask_formation("Partner formation", partner.formation)
        if formation is None or formation == partner.formation:
            return
        window.session.load_generators()
        if self.push(SetFormation(window.project, partner.id, formation)):
            locked = sum(t.locked for t in window.project.tracks(partner.id))
            kept = f"; {locked} locked segments kept as they are" if locked else ""
            window.statusBar().showMessage(f"Partner {formation.label}: making its dance again{kept}", 5000)

    def ask_formation(self, title: str, current: Formation) -> Formation | None:
        """The formation the person picks (None: cancelled). A window's prompts that have the question
        (``partner_formation(title, current)``) ask it; the real prompts ask with the formation dialog; a stand-in
        without it (a test's) answers ``current`` without asking, as a person pressing OK would."""
        prompts = self.window.prompts
        ask = getattr(prompts, "partner_formation", None)
        if ask is not None:
            return ask(title, current)
        if isinstance(prompts, Prompts):
            return ask_formation(self.window, title, current)
        return current

    def remove_partner(self) -> None:
        partners = [d for d in self.window.project.dancers if d.role == "partner"]
        if partners:
            self.push(RemoveDancer(self.window.project, partners[-1].id))

    # -- undo -----------------------------------------------------------------------------------------------------
    def undo(self) -> None:
        self.window.display.end_preview()
        self.window.undo_stack.undo()

    def redo(self) -> None:
        self.window.display.end_preview()
        self.window.undo_stack.redo()

    def on_undo_index_changed(self, event) -> None:
        actions = self.window.actions
        # The text stays short (it is on the toolbar too); what would be undone is in the tooltip.
        actions.undo.setToolTip(f"Undo {event.undo_text} (Ctrl+Z)" if event.can_undo else "Nothing to undo")
        actions.redo.setToolTip(f"Redo {event.redo_text} (Ctrl+Shift+Z)" if event.can_redo else "Nothing to redo")
        actions.undo.setStatusTip(actions.undo.toolTip())
        actions.redo.setStatusTip(actions.redo.toolTip())
        self.window.update_actions()
