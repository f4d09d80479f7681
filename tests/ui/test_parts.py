"""The window's parts without a window: each built from plain collaborators (the state, an undo stack, fakes)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings

from studio.core.commands import UndoStack
from studio.core.document import Candidate, Project, Song
from studio.core.motion import Motion
from studio.io import project as project_file
from studio.ui.actions import MENUS
from studio.ui.preferences import recent_files
from studio.ui.project_files import ProjectFiles
from studio.ui.segment_editing import SegmentEditing
from studio.ui.state import EditorState

HASH = hashlib.sha256(b"song").hexdigest()


def motion(value: float, frames: int = 3) -> Motion:
    return Motion(np.full((frames, 3), value), np.broadcast_to(np.eye(3), (frames, 52, 3, 3)))


def new_project() -> Project:
    project = Project(Song("s.wav", HASH, 12.0, 120.0, segments=[(0, 4), (4, 8), (8, 12)]))
    for segment in range(3):
        project.set_candidates(0, segment, [Candidate(motion(10 * segment + i), seed=i) for i in range(3)])
    project.mark_saved()
    return project


class Recorder:
    """Any method call is recorded as (name, args)."""

    def __init__(self, **attributes) -> None:
        self.calls: list[tuple] = []
        self.__dict__.update(attributes)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.calls.append((name, *args))

    def names(self) -> list[str]:
        return [call[0] for call in self.calls]


class SyncWorker:
    """The io worker, run at once on the calling thread."""

    def call(self, fn, *args, on_done=None, on_error=None, priority=0):
        try:
            result = fn(*args)
        except Exception as error:
            if on_error is not None:
                on_error(error)
            return
        if on_done is not None:
            on_done(result)


def editing_for(state: EditorState, stack: UndoStack, **overrides) -> tuple[SegmentEditing, dict]:
    fakes = {name: Recorder() for name in ("notifications", "prompts", "generation", "timeline", "candidates",
                                            "display", "playback")}  # fmt: skip
    fakes.update(overrides)
    messages: list = []
    loads: list = []
    editing = SegmentEditing(state, stack, show_message=lambda *a: messages.append(a),
                             load_generators=lambda: loads.append(1), **fakes)  # fmt: skip
    return editing, {**fakes, "messages": messages, "loads": loads}


def test_segment_editing_selects_chooses_locks_and_undoes_with_a_project_and_a_stack():
    state, stack = EditorState(new_project()), UndoStack()
    editing, fakes = editing_for(state, stack)
    selections = []
    state.events.selection_changed.connect(lambda e: selections.append((e.lane, e.segment)))

    editing.select(0, 1)
    assert (state.lane, state.segment, state.dancer_id) == (0, 1, state.project.lead.id)
    assert selections == [(0, 1)]
    assert ("seek", 4) in fakes["playback"].calls and ("set_selection", 0, 1) in fakes["timeline"].calls

    editing.choose_candidate(2)
    assert state.project.chosen_index(state.dancer_id, 1) == 2
    editing.toggle_lock()
    assert state.project.is_locked(state.dancer_id, 1)
    editing.choose_candidate(0)  # locked: refused with a warning, nothing pushed
    assert state.project.chosen_index(state.dancer_id, 1) == 2
    assert fakes["notifications"].names() == ["warning"]
    editing.choose_candidate(7)  # no such candidate: a message
    assert "no candidate 8" in fakes["messages"][-1][0]

    editing.regenerate_selected()  # locked or not, the driver decides; the generators are asked to load first
    assert fakes["loads"] == [1] and ("regenerate", state.dancer_id, 1) in fakes["generation"].calls

    editing.undo()
    editing.undo()
    assert not state.project.is_locked(state.dancer_id, 1) and state.project.chosen_index(state.dancer_id, 1) == 0
    editing.redo()
    assert state.project.chosen_index(state.dancer_id, 1) == 2

    editing.next_segment()
    editing.previous_segment()
    editing.select(0, None)
    assert selections == [(0, 1), (0, 2), (0, 1), (0, None)]


def test_segment_editing_adds_the_partner_where_the_prompts_say():
    from studio.core.formation import Formation

    state, stack = EditorState(new_project()), UndoStack()
    prompts = Recorder(partner_formation=lambda title, current: Formation("facing", 1.5))
    editing, _ = editing_for(state, stack, prompts=prompts)
    editing.add_partner()
    assert len(state.project.dancers) == 2 and state.project.dancers[1].formation == Formation("facing", 1.5)
    editing.select(0, 2)
    editing.next_dancer()
    assert (state.lane, state.segment) == (1, 2) and state.dancer_id == state.project.dancers[1].id
    editing.remove_partner()
    assert len(state.project.dancers) == 1 and state.dancer_id is None  # the window moves the lane back


class MenuStandIn:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.enabled = False

    def clear(self) -> None:
        self.items.clear()

    def addAction(self, text: str):
        self.items.append(text)
        return Recorder(triggered=Recorder())

    def setEnabled(self, on: bool) -> None:
        self.enabled = on


def files_for(state: EditorState, stack: UndoStack, prompts, tmp_path: Path) -> tuple[ProjectFiles, dict]:
    fakes = {"autosave": Recorder(), "notifications": Recorder(), "status": Recorder(), "display": Recorder()}
    closed: list = []
    files = ProjectFiles(state, stack, io=SyncWorker(), prompts=prompts, show_message=lambda *a: None,
                         settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
                         recent_menu=MenuStandIn(), close=lambda: closed.append(1), **fakes)  # fmt: skip
    return files, {**fakes, "closed": closed}


def test_project_files_save_as_and_open_with_a_state_model_and_fake_prompts(tmp_path):
    state, stack = EditorState(new_project()), UndoStack()
    target = tmp_path / "dance.choreo"
    prompts = Recorder(save_path=lambda suggested: str(target), project_to_open=lambda: str(target),
                       unsaved_changes=lambda name: "save")  # fmt: skip
    files, fakes = files_for(state, stack, prompts, tmp_path)
    saved, opened, paths = [], [], []
    files.events.saved.connect(lambda e: saved.append(e.path))
    files.events.open_requested.connect(lambda e: opened.append((e.path, e.kind)))
    state.events.path_changed.connect(lambda e: paths.append((e.which, e.path)))

    state.project.choose(0, 0, 1)  # an edit: the project is dirty
    state.note_edit()
    assert state.project.dirty
    files.save()  # no path yet: save as
    assert saved == [str(target)] and target.is_file()
    assert state.project_path == target and state.document_path == target and not state.project.dirty
    assert paths == [("project_path", target), ("document_path", target)]
    assert recent_files(files.settings) == [str(target)] and files.recent_menu.items == ["dance.choreo"]
    assert ("show_file", "dance.choreo") in fakes["status"].calls and "discard" in fakes["autosave"].names()
    assert state.document_name() == "dance.choreo"
    assert project_file.load(target).chosen_index(state.project.lead.id, 0) == 1

    files.choose_project()
    assert opened == [(target, "project")]

    state.project.choose(0, 1, 2)
    assert files.may_discard()  # "save": saved to its path, then it may go
    assert saved == [str(target)] * 2 and not state.project.dirty


def test_a_save_that_ends_after_another_edit_leaves_the_project_dirty_and_close_waits_for_it(tmp_path):
    state, stack = EditorState(new_project()), UndoStack()
    state.project_path = tmp_path / "dance.choreo"
    files, fakes = files_for(state, stack, Recorder(), tmp_path)

    class EditWhileSaving(SyncWorker):
        def call(self, fn, *args, **kwargs):
            state.project.choose(0, 2, 1)
            state.note_edit()
            super().call(fn, *args, **kwargs)

    files.io = EditWhileSaving()
    state.project.choose(0, 0, 2)
    state.note_edit()
    files.close_after_save = True
    files.save()
    assert state.project.dirty and fakes["closed"] == []  # the later edit is not on disk: stay open
    files.io = SyncWorker()
    files.close_after_save = True
    files.save()
    assert not state.project.dirty and fakes["closed"] == [1]


def test_every_action_names_a_slot_of_the_window(make_main_window):
    window = make_main_window()
    for _title, specs in MENUS:
        for spec in specs:
            target = window
            for name in spec.slot.split("."):
                target = getattr(target, name)
            assert callable(target), spec.slot
