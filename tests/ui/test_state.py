"""The editor's plain evented state: the selection and the project's path."""

from __future__ import annotations

from pathlib import Path

from studio.ui.state import EditorState


def test_the_selection_and_the_path_emit_only_real_changes():
    state = EditorState()
    seen = []
    state.events.selection_changed.connect(lambda e: seen.append((e.lane, e.segment)))
    state.events.path_changed.connect(lambda e: seen.append(e.path))
    state.select(1, 3)
    state.select(1, 3)
    state.segment = None
    state.lane = 0
    state.project_path = "a.choreo"
    state.project_path = Path("a.choreo")
    assert seen == [(1, 3), (1, None), (0, None), Path("a.choreo")]
    assert (state.lane, state.segment, state.project_path) == (0, None, Path("a.choreo"))
