"""The editor's own state, apart from the document: which dancer's lane and which segment are selected, and
where the project is saved. Plain Python with events, like the document (``studio.core.events``): the
window's parts read and set it, and a widget may follow it (``state.events.selection_changed``).
"""

from __future__ import annotations

from pathlib import Path

from studio.core.events import EmitterGroup


class EditorState:
    """The selection (``lane``: index of a dancer, ``segment``: index or None) and ``project_path``.

    Events fire only on a real change: ``selection_changed(lane, segment)``, ``path_changed(path)``.
    """

    def __init__(self) -> None:
        self.events = EmitterGroup(self, signals=("selection_changed", "path_changed"))
        self._lane = 0
        self._segment: int | None = None
        self._project_path: Path | None = None

    @property
    def lane(self) -> int:
        return self._lane

    @lane.setter
    def lane(self, lane: int) -> None:
        self.select(lane, self._segment)

    @property
    def segment(self) -> int | None:
        return self._segment

    @segment.setter
    def segment(self, segment: int | None) -> None:
        self.select(self._lane, segment)

    def select(self, lane: int, segment: int | None) -> None:
        """Both at once (one event)."""
        lane, segment = int(lane), None if segment is None else int(segment)
        if (lane, segment) != (self._lane, self._segment):
            self._lane, self._segment = lane, segment
            self.events.selection_changed.emit(lane=lane, segment=segment)

    @property
    def project_path(self) -> Path | None:
        return self._project_path

    @project_path.setter
    def project_path(self, path: str | Path | None) -> None:
        path = None if path is None else Path(path)
        if path != self._project_path:
            self._project_path = path
            self.events.path_changed.emit(path=path)
