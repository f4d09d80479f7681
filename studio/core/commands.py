"""Undo: every edit of a ``Project`` as a command with ``do``/``undo``, and a plain-Python ``UndoStack``.

Qt's QUndoStack is not used (no Qt below ``studio.ui``); the UI binds its Undo/Redo actions to the stack's
events. Commands never merge. A command remembers what it replaced when it is first done, not when it is
built, so building one ahead of time is safe. Undo restores the exact previous state (locks are bypassed
with ``force``: undoing is not a new edit of a locked segment).

    stack = UndoStack()
    stack.push(ChooseCandidate(project, "dancer-1", 3, 2))
    stack.undo()
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from typing import Any

from studio.core.document import Dancer, EditError, Project
from studio.core.events import EmitterGroup
from studio.core.formation import Formation
from studio.core.ranking import ScoreWeights
from studio.core.segments import Candidate, SegmentTrack, reranked

DancerRef = Dancer | str | int


class Command:
    """One undoable edit. Subclasses set ``text`` (for "Undo <text>") and implement ``do``/``undo``."""

    text = "edit"

    def __init__(self, project: Project | None) -> None:
        self.project = project

    def do(self) -> None:
        raise NotImplementedError

    def undo(self) -> None:
        raise NotImplementedError

    @property
    def is_noop(self) -> bool:
        """True when ``do`` changed nothing; the stack then does not record the command."""
        return False

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.text}>"


class _SegmentCommand(Command):
    def __init__(self, project: Project, dancer: DancerRef, segment: int) -> None:
        super().__init__(project)
        self.dancer_id = project.dancer(dancer).id  # ids survive renames and undo of other dancer edits
        self.segment = segment
        self._old: SegmentTrack | None = None

    def _remember(self) -> SegmentTrack:
        self._old = self.project.track(self.dancer_id, self.segment)
        return self._old

    @property
    def is_noop(self) -> bool:
        return self._old == self.project.track(self.dancer_id, self.segment)


class ChooseCandidate(_SegmentCommand):
    def __init__(self, project: Project, dancer: DancerRef, segment: int, index: int) -> None:
        super().__init__(project, dancer, segment)
        self.index = index
        self.text = f"choose candidate {index + 1} for segment {segment + 1}"

    def do(self) -> None:
        self._remember()
        self.project.choose(self.dancer_id, self.segment, self.index)

    def undo(self) -> None:
        self.project.choose(self.dancer_id, self.segment, self._old.chosen, force=True)


class SetLock(_SegmentCommand):
    def __init__(self, project: Project, dancer: DancerRef, segment: int, locked: bool = True) -> None:
        super().__init__(project, dancer, segment)
        self.locked = locked
        self.text = f"{'lock' if locked else 'unlock'} segment {segment + 1}"

    def do(self) -> None:
        self._remember()
        self.project.lock(self.dancer_id, self.segment, self.locked)

    def undo(self) -> None:
        self.project.lock(self.dancer_id, self.segment, self._old.locked)


class SetCandidates(_SegmentCommand):
    """New candidates for a segment (e.g. after "regenerate"); undo brings the previous ones back."""

    def __init__(
        self,
        project: Project,
        dancer: DancerRef,
        segment: int,
        candidates: Iterable[Candidate],
        *,
        chosen: int | None = 0,
        force: bool = False,
    ) -> None:
        super().__init__(project, dancer, segment)
        self.candidates = tuple(candidates)
        self.chosen = chosen
        self.force = force
        self.text = f"new candidates for segment {segment + 1}"

    def do(self) -> None:
        self._remember()
        self.project.set_candidates(self.dancer_id, self.segment, self.candidates, chosen=self.chosen, force=self.force)

    def undo(self) -> None:
        old = self._old
        self.project.set_candidates(self.dancer_id, self.segment, old.candidates, chosen=old.chosen, force=True)


class SetGenreOverride(Command):
    def __init__(self, project: Project, genre: str | None) -> None:
        super().__init__(project)
        self.genre = genre
        self.text = f"dance genre {genre}" if genre else "dance genre from the music"
        self._old: str | None = None

    def do(self) -> None:
        self._old = self.project.genre_override
        self.project.set_genre_override(self.genre)

    def undo(self) -> None:
        self.project.set_genre_override(self._old)

    @property
    def is_noop(self) -> bool:
        return self._old == self.project.genre_override


class UpdateSettings(Command):
    def __init__(self, project: Project, **changes: Any) -> None:
        super().__init__(project)
        self.changes = changes
        self.text = "change " + ", ".join(name.replace("_", " ") for name in changes)
        self._old = None

    def do(self) -> None:
        self._old = self.project.settings
        self.project.update_settings(**self.changes)

    def undo(self) -> None:
        old = self._old
        self.project.update_settings(**{name: getattr(old, name) for name in self.changes})

    @property
    def is_noop(self) -> bool:
        return self._old == self.project.settings


def change_settings(project: Project, **changes: Any) -> Command:
    """A settings change as one undo step; new ranking weights (``alpha``, ``beta``) also re-score every
    ranked segment and put its candidates in the new order (the chosen ones stay chosen)."""
    update = UpdateSettings(project, **changes)
    if not {"alpha", "beta"} & set(changes):
        return update
    weights = ScoreWeights(changes.get("alpha", project.settings.alpha), changes.get("beta", project.settings.beta))
    reorders: list[Command] = []
    for dancer in project.dancers:
        for segment, track in enumerate(project.tracks(dancer)):
            new = reranked(track, weights)
            if new != track:
                reorders.append(SetCandidates(project, dancer.id, segment, new.candidates, chosen=new.chosen,
                                              force=True))  # fmt: skip
    return Macro(update.text + " (candidates re-ranked)", [update, *reorders]) if reorders else update


class AddDancer(Command):
    """A new dancer (a partner, unless ``role`` says otherwise) standing in ``formation`` (None: the default)."""

    def __init__(
        self,
        project: Project,
        name: str | None = None,
        *,
        color: str | None = None,
        role: str = "partner",
        formation: Formation | None = None,
    ) -> None:
        super().__init__(project)
        self.name, self.color, self.role, self.formation = name, color, role, formation
        self.text = f"add dancer {name}" if name else "add dancer"
        self.dancer: Dancer | None = None  # known once done; redo puts back the very same dancer
        self._index = 0

    def do(self) -> None:
        if self.dancer is None:
            self.dancer = self.project.add_dancer(self.name, color=self.color, role=self.role,
                                                  formation=self.formation)  # fmt: skip
            self._index = self.project.dancer_index(self.dancer)
        else:
            self.project.insert_dancer(self.dancer, self._index)

    def undo(self) -> None:
        self.project.remove_dancer(self.dancer.id)


class RemoveDancer(Command):
    def __init__(self, project: Project, dancer: DancerRef) -> None:
        super().__init__(project)
        self.dancer_id = project.dancer(dancer).id
        self.text = f"remove dancer {project.dancer(dancer).name}"
        self._removed: tuple[Dancer, int, tuple[SegmentTrack, ...]] | None = None

    def do(self) -> None:
        index = self.project.dancer_index(self.dancer_id)
        tracks = self.project.tracks(self.dancer_id)
        dancer = self.project.remove_dancer(self.dancer_id)
        self._removed = (dancer, index, tracks)

    def undo(self) -> None:
        dancer, index, tracks = self._removed
        self.project.insert_dancer(dancer, index, tracks)  # a returning lead makes the other a partner again


class UpdateDancer(Command):
    def __init__(
        self, project: Project, dancer: DancerRef, *, name: str | None = None, color: str | None = None
    ) -> None:
        super().__init__(project)
        self.dancer_id = project.dancer(dancer).id
        self.name, self.color = name, color
        self.text = "rename dancer" if name is not None else "recolor dancer"
        self._old: Dancer | None = None

    def do(self) -> None:
        self._old = self.project.dancer(self.dancer_id)
        self.project.update_dancer(self.dancer_id, name=self.name, color=self.color)

    def undo(self) -> None:
        self.project.update_dancer(self.dancer_id, name=self._old.name, color=self._old.color)

    @property
    def is_noop(self) -> bool:
        return self._old == self.project.dancer(self.dancer_id)


class SetFormation(Command):
    """A partner's new formation. With ``remake`` (the default) its unlocked segments are emptied in the same
    step: their dance was made for the old place, and a driver that fills empty segments (the editor's, on the
    ``dancers_changed`` this emits) makes them again for the new one; locked segments keep their dance.

    The order matters to that driver: ``do`` empties the segments first and sets the formation last, ``undo``
    puts the segments back first and the old formation last, so when it hears of the formation the segments
    are already as they should stay (undo brings the old dance back as it was, without remaking it).
    """

    def __init__(self, project: Project, dancer: DancerRef, formation: Formation, *, remake: bool = True) -> None:
        super().__init__(project)
        self.dancer_id = project.dancer(dancer).id
        self.formation = formation
        self.remake = remake
        self.text = f"partner formation {formation.label}" if isinstance(formation, Formation) else "partner formation"
        self._old: Formation | None = None
        self._tracks: dict[int, SegmentTrack] = {}  # the emptied segments as they were

    def do(self) -> None:
        project = self.project
        old = project.dancer(self.dancer_id)
        if old.role != "partner":
            raise EditError(f"{old.name} leads: a formation says where a partner stands beside the lead")
        if not isinstance(self.formation, Formation):
            raise EditError(f"expected a Formation, got {type(self.formation).__name__}")
        self._old, self._tracks = old.formation, {}
        if self.formation == old.formation:
            return
        if self.remake and project.song is not None:
            for segment, track in enumerate(project.tracks(self.dancer_id)):
                if track.candidates and not track.locked:
                    self._tracks[segment] = track
                    project.set_candidates(self.dancer_id, segment, ())
        project.set_formation(self.dancer_id, self.formation)

    def undo(self) -> None:
        for segment, track in self._tracks.items():
            self.project.set_candidates(self.dancer_id, segment, track.candidates, chosen=track.chosen, force=True)
        self.project.set_formation(self.dancer_id, self._old)

    @property
    def is_noop(self) -> bool:
        return self._old == self.project.dancer(self.dancer_id).formation and not self._tracks


class Macro(Command):
    """Several commands as one undo step (e.g. "regenerate all unlocked segments")."""

    def __init__(self, text: str, commands: Sequence[Command]) -> None:
        projects = {id(c.project): c.project for c in commands if c.project is not None}
        super().__init__(next(iter(projects.values())) if len(projects) == 1 else None)
        self.text = text
        self.commands = tuple(commands)
        self._done: list[Command] = []

    def do(self) -> None:
        self._done = []
        try:
            for command in self.commands:
                command.do()
                self._done.append(command)
        except BaseException:
            for command in reversed(self._done):  # all or nothing
                command.undo()
            self._done = []
            raise

    def undo(self) -> None:
        for command in reversed(self._done):
            command.undo()

    @property
    def is_noop(self) -> bool:
        return all(command.is_noop for command in self._done)


class UndoStack:
    """A linear history of commands with a clean mark (the state that is on disk).

    Events (``stack.events``): ``index_changed`` (index, can_undo, can_redo, undo_text, redo_text) after
    push/undo/redo/clear, ``clean_changed`` (clean) when ``is_clean`` flips.
    """

    def __init__(self, limit: int = 0) -> None:
        if limit < 0:
            raise ValueError(f"undo limit must be >= 0 (0: unlimited), got {limit}")
        self.limit = limit
        self.events = EmitterGroup(self, signals=("index_changed", "clean_changed"))
        self._commands: list[Command] = []
        self._index = 0  # commands[:index] are done
        self._clean: int | None = 0  # None: the clean state can no longer be reached

    @property
    def index(self) -> int:
        return self._index

    @property
    def count(self) -> int:
        return len(self._commands)

    @property
    def can_undo(self) -> bool:
        return self._index > 0

    @property
    def can_redo(self) -> bool:
        return self._index < len(self._commands)

    @property
    def undo_text(self) -> str:
        return self._commands[self._index - 1].text if self.can_undo else ""

    @property
    def redo_text(self) -> str:
        return self._commands[self._index].text if self.can_redo else ""

    @property
    def is_clean(self) -> bool:
        return self._clean == self._index

    def command(self, index: int) -> Command:
        return self._commands[index]

    def push(self, command: Command) -> bool:
        """Do ``command`` and record it (dropping the redo tail). Returns False when it changed nothing.

        If ``do`` raises, nothing is recorded and the error propagates (the document is unchanged).
        """
        with self._batch(command):
            command.do()
        if command.is_noop:
            return False
        was_clean = self.is_clean
        del self._commands[self._index :]
        if self._clean is not None and self._clean > self._index:
            self._clean = None
        self._commands.append(command)
        self._index += 1
        if self.limit and len(self._commands) > self.limit:
            drop = len(self._commands) - self.limit
            del self._commands[:drop]
            self._index -= drop
            if self._clean is not None:
                self._clean = self._clean - drop if self._clean >= drop else None
        self._changed(was_clean)
        return True

    def undo(self) -> bool:
        if not self.can_undo:
            return False
        was_clean = self.is_clean
        command = self._commands[self._index - 1]
        with self._batch(command):
            command.undo()
        self._index -= 1
        self._changed(was_clean)
        return True

    def redo(self) -> bool:
        if not self.can_redo:
            return False
        was_clean = self.is_clean
        command = self._commands[self._index]
        with self._batch(command):
            command.do()
        self._index += 1
        self._changed(was_clean)
        return True

    def set_clean(self) -> None:
        """Mark the current state as the saved one."""
        was_clean = self.is_clean
        self._clean = self._index
        self._changed(was_clean, index=False)

    def clear(self) -> None:
        """Forget the history (e.g. a new or reopened project); the current state counts as clean."""
        was_clean = self.is_clean
        self._commands.clear()
        self._index = 0
        self._clean = 0
        self._changed(was_clean)

    def _changed(self, was_clean: bool, index: bool = True) -> None:
        if index:
            self.events.index_changed.emit(
                index=self._index, can_undo=self.can_undo, can_redo=self.can_redo,
                undo_text=self.undo_text, redo_text=self.redo_text,
            )  # fmt: skip
        if was_clean != self.is_clean:
            self.events.clean_changed.emit(clean=self.is_clean)

    @staticmethod
    def _batch(command: Command):
        # One document 'changed' (one autosave) per step, even for a Macro of many edits.
        return command.project.events.batch() if command.project is not None else nullcontext()


__all__ = [
    "AddDancer",
    "ChooseCandidate",
    "Command",
    "EditError",
    "Macro",
    "RemoveDancer",
    "SetCandidates",
    "SetFormation",
    "SetGenreOverride",
    "SetLock",
    "UndoStack",
    "UpdateDancer",
    "UpdateSettings",
]


class Regeneration(Command):
    """Segments regenerated in one go ("regenerate all unlocked"), as one undo step.

    The new candidates are already in the document when the command is pushed (they were applied as they
    arrived, so they could be watched): the first ``do`` changes nothing, redo puts them back.
    """

    def __init__(self, project: Project, text: str) -> None:
        super().__init__(project)
        self.text = text
        self.changes: list[tuple[str, int, SegmentTrack, SegmentTrack]] = []  # dancer id, segment, old, new
        self._applied = True

    def record(self, dancer_id: str, segment: int, old: SegmentTrack, new: SegmentTrack) -> None:
        self.changes.append((dancer_id, segment, old, new))

    def do(self) -> None:
        if self._applied:
            self._applied = False
            return
        for dancer_id, segment, _old, new in self.changes:
            self.project.set_candidates(dancer_id, segment, new.candidates, chosen=new.chosen, force=True)

    def undo(self) -> None:
        for dancer_id, segment, old, _new in reversed(self.changes):
            self.project.set_candidates(dancer_id, segment, old.candidates, chosen=old.chosen, force=True)

    @property
    def is_noop(self) -> bool:
        return not self.changes
