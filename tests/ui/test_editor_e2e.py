"""The editor end to end, through the real window: open a song, wait for the dance, edit, save, reopen."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from studio.io import project as project_file

DANCE_TIMEOUT_MS = 90_000


def _press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window, key, modifier)


def _state(project):
    """Per dancer, per segment: (chosen index, locked, the candidates' seeds)."""
    return [
        [(t.chosen, t.locked, tuple(c.seed for c in t.candidates)) for t in project.tracks(d.id)]
        for d in project.dancers
    ]


def test_open_edit_save_reopen_export(qtbot, make_main_window, tiny_song, tmp_path, prompts):
    window = make_main_window()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    first = []
    window.first_segment_ready.connect(first.append)

    window.session.open_song(tiny_song)
    qtbot.waitUntil(window.session.is_dance_complete, timeout=DANCE_TIMEOUT_MS)
    project = window.project
    lead = project.lead.id
    assert project.num_segments == 5
    qtbot.waitUntil(lambda: bool(first), timeout=10_000)  # first_segment_ready: the bench's measure
    assert first[0] > 0
    assert all(len(t.candidates) == 3 for t in project.tracks(lead))  # M = 3 from the preferences
    assert not window.undo_stack.can_undo, "the first generation is the starting point, not an undo step"
    assert window.windowTitle() == "tiny.wav* — Choreo Studio"

    # select segment 3 on the timeline (a click on its block in the lead's lane)
    window.timeline.segment_clicked.emit(0, 2)
    assert (window.state.lane, window.state.segment) == (0, 2)
    assert len(window.candidates.rows) == 3
    before = project.candidates(lead, 2)

    # R: regenerate (new seeds, undoable)
    _press(qtbot, window, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: project.candidates(lead, 2) != before and not window.busy(), timeout=DANCE_TIMEOUT_MS)
    assert window.undo_stack.undo_text == "new candidates for segment 3"
    assert {c.seed for c in project.candidates(lead, 2)}.isdisjoint({c.seed for c in before})

    # 2: choose candidate 2; undo; redo
    _press(qtbot, window, Qt.Key.Key_2)
    assert project.chosen_index(lead, 2) == 1
    _press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.chosen_index(lead, 2) == 0
    _press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert project.chosen_index(lead, 2) == 1

    # L: lock; a locked segment refuses another choice and a regeneration
    _press(qtbot, window, Qt.Key.Key_L)
    assert project.is_locked(lead, 2)
    _press(qtbot, window, Qt.Key.Key_3)
    assert project.chosen_index(lead, 2) == 1
    assert window.generation.regenerate(lead, 2) is False

    # Ctrl+S: save (asks where: the project has no file yet)
    saved_path = tmp_path / "tiny.choreo"
    prompts.save_as = str(saved_path)
    with qtbot.waitSignal(window.saved, timeout=20_000):
        _press(qtbot, window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not project.dirty
    assert window.windowTitle() == "tiny.choreo — Choreo Studio"
    expected = _state(project)
    window.close()
    assert not window.isVisible()
    assert "unsaved" not in prompts.asked  # saved: closing asks nothing

    # reopen: the same choices, locks and candidates
    again = make_main_window()
    with qtbot.waitSignal(again.song_loaded, timeout=DANCE_TIMEOUT_MS):
        again.session.open_path(saved_path)
    assert _state(again.project) == expected
    assert again.project.chosen_index(again.project.lead.id, 2) == 1
    assert again.project.is_locked(again.project.lead.id, 2)
    assert not again.project.dirty
    assert again.timeline.envelope is not None  # the song was found and analysed again

    # export (BVH: one file per dancer)
    qtbot.waitUntil(lambda: again.display.avatar is not None, timeout=20_000)
    out = tmp_path / "dance.bvh"
    with qtbot.waitSignal(again.exported, timeout=60_000) as exported:
        again.files.export_to(out)
    assert [Path(f) for f in exported.args[0]] == [out]
    assert out.read_text().startswith("HIERARCHY")


def test_partner_is_generated_for_every_segment_and_undoable(qtbot, make_main_window, tiny_song):
    window = make_main_window()
    with qtbot.waitSignal(window.dance_ready, timeout=DANCE_TIMEOUT_MS):
        window.session.open_song(tiny_song)
    window.actions.add_partner.trigger()
    project = window.project
    assert len(project.dancers) == 2
    partner = project.dancers[1]
    assert partner.role == "partner" and partner.color != project.lead.color
    qtbot.waitUntil(window.session.is_dance_complete, timeout=DANCE_TIMEOUT_MS)
    assert all(t.candidates for t in project.tracks(partner.id))
    lead_motion = project.chosen_motion(project.lead.id, 1)
    partner_motion = project.chosen_motion(partner.id, 1)
    assert partner_motion.num_frames == lead_motion.num_frames
    assert abs(partner_motion.trans[:, 0].mean() - lead_motion.trans[:, 0].mean()) > 0.5  # side by side

    window.editing.undo()
    assert len(project.dancers) == 1
    window.editing.redo()
    qtbot.waitUntil(window.session.is_dance_complete, timeout=DANCE_TIMEOUT_MS)
    assert len(project.dancers) == 2


def _same(a, b) -> bool:
    return np.array_equal(a.trans, b.trans) and np.array_equal(a.rotations, b.rotations)


def test_the_partner_follows_a_new_lead_choice_unless_locked(qtbot, make_main_window, tiny_song):
    window = make_main_window()
    with qtbot.waitSignal(window.dance_ready, timeout=DANCE_TIMEOUT_MS):
        window.session.open_song(tiny_song)
    window.actions.add_partner.trigger()
    qtbot.waitUntil(lambda: window.session.is_dance_complete() and not window.busy(), timeout=DANCE_TIMEOUT_MS)
    project = window.project
    partner = project.dancers[1].id
    project.lock(partner, 3)
    before = {i: project.chosen_motion(partner, i) for i in (1, 3)}
    partner_seed = project.chosen_candidate(partner, 1).seed

    window.editing.select(0, 1)
    window.editing.choose_candidate(2)
    window.editing.select(0, 3)
    window.editing.choose_candidate(2)
    qtbot.waitUntil(lambda: not window.busy(), timeout=DANCE_TIMEOUT_MS)
    followed = project.chosen_motion(partner, 1)
    assert not _same(followed, before[1]) and project.chosen_candidate(partner, 1).seed == partner_seed
    # what the partner generator makes from the new lead dance with the partner's own seeds
    generation = window.generation
    seeds = tuple(c.seed for c in project.candidates(partner, 1))
    fresh = generation.generators.generate(generation._request(partner, 1, seeds, "follow"), generation.song,
                                           lambda done, total: None, threading.Event())  # fmt: skip
    assert _same(followed, next(c.motion for c in fresh.candidates if c.seed == partner_seed))
    assert _same(project.chosen_motion(partner, 3), before[3])  # locked: kept

    window.editing.undo()  # the lead's segment 4 choice
    window.editing.undo()  # the lead's segment 2 choice: the partner follows back
    qtbot.waitUntil(lambda: not window.busy(), timeout=DANCE_TIMEOUT_MS)
    assert _same(project.chosen_motion(partner, 1), before[1])


def test_regenerate_all_unlocked_is_one_undo_step_and_keeps_locks(qtbot, make_main_window, tiny_song):
    window = make_main_window()
    with qtbot.waitSignal(window.dance_ready, timeout=DANCE_TIMEOUT_MS):
        window.session.open_song(tiny_song)
    qtbot.waitUntil(lambda: not window.busy(), timeout=DANCE_TIMEOUT_MS)
    project, lead = window.project, window.project.lead.id
    window.editing.select(0, 1)
    window.editing.toggle_lock()
    before = [project.candidates(lead, i) for i in range(project.num_segments)]
    steps = window.undo_stack.count

    window.editing.regenerate_unlocked()
    qtbot.waitUntil(lambda: not window.generation.is_busy and window.undo_stack.count == steps + 1, timeout=60_000)
    after = [project.candidates(lead, i) for i in range(project.num_segments)]
    assert after[1] == before[1]  # locked: kept
    assert all(after[i] != before[i] for i in (0, 2, 3, 4))
    window.editing.undo()
    assert [project.candidates(lead, i) for i in range(project.num_segments)] == before


def test_newer_request_for_a_segment_cancels_the_older(qtbot, make_main_window, tiny_song, slow_generators):
    window = make_main_window(generators_factory=slow_generators(0.1))
    with qtbot.waitSignal(window.dance_ready, timeout=DANCE_TIMEOUT_MS):
        window.session.open_song(tiny_song)
    qtbot.waitUntil(lambda: not window.busy(), timeout=DANCE_TIMEOUT_MS)
    window.editing.select(0, 0)
    cancelled = []
    window.generation.worker._relay.cancelled.connect(cancelled.append)
    steps = window.undo_stack.count
    window.editing.regenerate_selected()
    qtbot.waitUntil(lambda: window.timeline.progress.get((window.project.lead.id, 0)) is not None, timeout=10_000)
    window.editing.regenerate_selected()  # supersedes the first
    qtbot.waitUntil(lambda: not window.generation.is_busy, timeout=60_000)
    assert cancelled, "the older request was not cancelled"
    assert window.undo_stack.count == steps + 1  # only the newer one became an edit


@pytest.mark.parametrize("bad", ["text.wav", "missing.wav"])
def test_a_bad_song_is_a_message_not_a_crash(qtbot, make_main_window, tmp_path, bad):
    path = tmp_path / bad
    if bad == "text.wav":
        path.write_text("not audio at all")
    window = make_main_window()
    window.session.open_song(path)
    qtbot.waitUntil(lambda: any(level in ("error", "warning") for level, _ in window.notifications.history))
    qtbot.waitUntil(lambda: not window.busy(), timeout=20_000)
    assert window.project.song is None
    assert window.isEnabled()
    assert bad in " ".join(text for _, text in window.notifications.history)


def test_project_file_round_trip_through_the_window(qtbot, make_main_window, tiny_song, tmp_path):
    window = make_main_window()
    with qtbot.waitSignal(window.dance_ready, timeout=DANCE_TIMEOUT_MS):
        window.session.open_song(tiny_song)
    qtbot.waitUntil(lambda: not window.busy(), timeout=DANCE_TIMEOUT_MS)
    path = tmp_path / "direct.choreo"
    with qtbot.waitSignal(window.saved, timeout=20_000):
        window.files.save_to(path)
    loaded = project_file.load(path)
    assert _state(loaded) == _state(window.project)


def test_the_first_segment_can_be_watched_while_the_rest_is_made(qtbot, make_main_window, tiny_song, slow_generators):
    window = make_main_window(generators_factory=slow_generators(0.1))
    seen = {}

    def on_first(seconds):
        project = window.project
        seen["seconds"] = seconds
        seen["filled"] = sum(bool(t.candidates) for t in project.tracks(project.lead.id))
        seen["viewport_has_dance"] = window.display.joined[project.lead.id][1] is not None

    window.first_segment_ready.connect(on_first)
    with qtbot.waitSignal(window.dance_ready, timeout=DANCE_TIMEOUT_MS) as ready:
        window.session.open_song(tiny_song)
    assert seen["viewport_has_dance"]
    assert seen["filled"] < window.project.num_segments  # the rest was still being generated
    assert seen["seconds"] < ready.args[0]
