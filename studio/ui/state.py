"""The editor's own state, apart from the document's content: which document is shown, which dancer's lane and
which segment are selected, where the song and the project are, how many edits were made since the document was
shown. Plain Python with events, like the document (``studio.core.events``): the window's parts read and set it,
and the window and widgets follow it (``state.events.selection_changed``, ``state.events.path_changed``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.core.document import Project
from studio.core.events import EmitterGroup

PATHS = ("project_path", "song_path", "document_path")


class EditorState:
    """What the editor shows and where it stands.

    - ``project``: the document shown (``project_changed(project)`` when another one is shown);
    - the selection: ``lane`` (index of a dancer), ``segment`` (index or None), ``dancer_id`` (the lane's dancer);
    - the paths: ``project_path`` (where the project is saved, None until it is), ``song_path`` (the song's file),
      ``document_path`` (the song or project the title names); ``path_changed(which, path)`` on a change;
    - ``edits``: document changes since it was shown (a save that ends after another edit leaves it dirty);
    - ``analysis``: the shown song's analysis (None without music); ``closed``: the editor is shutting down.

    Events fire only on a real change: ``selection_changed(lane, segment)``, ``path_changed(which, path)``,
    ``project_changed(project)``.
    """

    def __init__(self, project: Project | None = None) -> None:
        self.events = EmitterGroup(self, signals=("selection_changed", "path_changed", "project_changed"))
        self._project = project if project is not None else Project()
        self._lane = 0
        self._segment: int | None = None
        self._paths: dict[str, Path | None] = dict.fromkeys(PATHS)
        self.edits = 0
        self.analysis: Any = None
        self.closed = False

    # -- the document ---------------------------------------------------------------------------------------------
    @property
    def project(self) -> Project:
        return self._project

    @project.setter
    def project(self, project: Project) -> None:
        if project is not self._project:
            self._project = project
            self.edits = 0
            self.events.project_changed.emit(project=project)

    def note_edit(self) -> None:
        """One more document change (the window calls it on the project's ``changed``)."""
        self.edits += 1

    # -- the selection --------------------------------------------------------------------------------------------
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
    def dancer_id(self) -> str | None:
        """The id of the selected lane's dancer (None when the lane has none)."""
        dancers = self._project.dancers
        return dancers[self._lane].id if self._lane < len(dancers) else None

    # -- the paths ------------------------------------------------------------------------------------------------
    def _set_path(self, which: str, path: str | Path | None) -> None:
        path = None if path is None else Path(path)
        if path != self._paths[which]:
            self._paths[which] = path
            self.events.path_changed.emit(which=which, path=path)

    @property
    def project_path(self) -> Path | None:
        return self._paths["project_path"]

    @project_path.setter
    def project_path(self, path: str | Path | None) -> None:
        self._set_path("project_path", path)

    @property
    def song_path(self) -> Path | None:
        return self._paths["song_path"]

    @song_path.setter
    def song_path(self, path: str | Path | None) -> None:
        self._set_path("song_path", path)

    @property
    def document_path(self) -> Path | None:
        return self._paths["document_path"]

    @document_path.setter
    def document_path(self, path: str | Path | None) -> None:
        self._set_path("document_path", path)

    def document_name(self) -> str:
        """What the title and "save changes?" call the document: the project's file, else the song's, else untitled."""
        path = self.project_path or self.document_path
        return path.name if path is not None else "untitled"


class StateAttribute:
    """A class attribute that reads and writes ``self.state.<name>``: ``project = StateAttribute("project")`` keeps
    ``window.project`` working while the value lives in the window's ``EditorState``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, owner: Any, cls: type | None = None) -> Any:
        if owner is None:
            return self
        return getattr(owner.state, self.name)

    def __set__(self, owner: Any, value: Any) -> None:
        setattr(owner.state, self.name, value)
