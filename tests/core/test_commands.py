import hashlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core.commands import (
    AddDancer,
    ChooseCandidate,
    Macro,
    RemoveDancer,
    SetCandidates,
    SetFormation,
    SetGenreOverride,
    SetLock,
    UndoStack,
    UpdateDancer,
    UpdateSettings,
)
from studio.core.document import Candidate, EditError, Project, SegmentLockedError, Song
from studio.core.formation import FORMATIONS, Formation
from studio.core.motion import Motion

HASH = hashlib.sha256(b"song").hexdigest()


def motion(value=0.0, frames=3):
    return Motion(np.full((frames, 3), value), np.broadcast_to(np.eye(3), (frames, 52, 3, 3)))


def candidates(count=3, start=0):
    return [Candidate(motion(start + i), seed=start + i, scores={"score": -i}) for i in range(count)]


def new_project():
    project = Project(Song("s.wav", HASH, 12.0, 120.0, segments=[(0, 4), (4, 8), (8, 12)]))
    for segment in range(3):
        project.set_candidates(0, segment, candidates(3, start=10 * segment))
    project.mark_saved()
    return project


def check_undo_redo(project, command):
    """do -> undo restores the exact state, redo the exact done state."""
    stack = UndoStack()
    before = project.snapshot()
    assert stack.push(command)
    after = project.snapshot()
    assert after != before
    stack.undo()
    assert project.snapshot() == before
    stack.redo()
    assert project.snapshot() == after
    stack.undo()
    assert project.snapshot() == before


def test_choose_candidate():
    project = new_project()
    check_undo_redo(project, ChooseCandidate(project, 0, 1, 2))


def test_set_lock():
    project = new_project()
    check_undo_redo(project, SetLock(project, 0, 1, True))


def test_set_candidates_keeps_the_previous_ones_for_undo():
    project = new_project()
    project.choose(0, 0, 2)
    old = project.candidates(0, 0)
    stack = UndoStack()
    stack.push(SetCandidates(project, 0, 0, candidates(4, start=100)))
    assert project.chosen_index(0, 0) == 0 and len(project.candidates(0, 0)) == 4
    stack.undo()
    assert project.candidates(0, 0) == old and project.chosen_index(0, 0) == 2
    check_undo_redo(project, SetCandidates(project, 0, 1, candidates(2, start=50), chosen=1))


def test_undo_bypasses_a_lock_set_later_outside_the_stack():
    project = new_project()
    stack = UndoStack()
    stack.push(ChooseCandidate(project, 0, 0, 1))
    project.lock(0, 0)
    stack.undo()
    assert project.chosen_index(0, 0) == 0 and project.is_locked(0, 0)


def test_set_candidates_on_a_locked_segment_is_refused_and_not_recorded():
    project = new_project()
    stack = UndoStack()
    stack.push(SetLock(project, 0, 0))
    with pytest.raises(SegmentLockedError):
        stack.push(SetCandidates(project, 0, 0, candidates(2, start=7)))
    assert stack.count == 1
    check_undo_redo(project, SetCandidates(project, 0, 0, candidates(2, start=7), force=True))


def test_genre_and_settings():
    project = new_project()
    check_undo_redo(project, SetGenreOverride(project, "Popping"))
    check_undo_redo(project, UpdateSettings(project, alpha=0.3, candidates_per_segment=6))


def test_add_and_remove_dancers():
    project = new_project()
    check_undo_redo(project, AddDancer(project, "Bea"))
    check_undo_redo(project, AddDancer(project, "Bea", role="lead"))
    project.add_dancer("Bea")
    project.set_candidates(1, 2, candidates(2, start=70))
    check_undo_redo(project, RemoveDancer(project, 1))
    check_undo_redo(project, RemoveDancer(project, 0))  # the lead: undo makes the other a partner again
    check_undo_redo(project, UpdateDancer(project, 1, name="Cy"))


def test_redo_of_add_dancer_restores_the_same_dancer():
    project = new_project()
    stack = UndoStack()
    command = AddDancer(project, "Bea")
    stack.push(command)
    stack.push(SetCandidates(project, command.dancer, 0, candidates(2)))
    done = project.snapshot()
    stack.undo()
    stack.undo()
    assert len(project.dancers) == 1
    stack.redo()
    stack.redo()  # refers to the dancer by id: works because redo re-adds the same one
    assert project.snapshot() == done


def test_add_dancer_with_a_formation_and_redo_brings_back_the_same():
    project = new_project()
    stack = UndoStack()
    command = AddDancer(project, "Bea", formation=Formation("facing", 2.0))
    stack.push(command)
    assert project.dancers[1].formation == Formation("facing", 2.0)
    stack.undo()
    assert len(project.dancers) == 1
    stack.redo()
    assert project.dancers[1] == command.dancer and project.dancers[1].formation == Formation("facing", 2.0)
    assert Project().add_dancer("Cy").formation == Formation()  # the default: side by side, 1.4 m


def partnered():
    """``new_project`` with a partner danced in every segment, segment 1 locked."""
    project = new_project()
    partner = project.add_dancer("Bea")
    for segment in range(3):
        project.set_candidates(partner.id, segment, candidates(2, start=100 + 10 * segment), chosen=1)
    project.lock(partner.id, 1)
    project.mark_saved()
    return project, partner.id


def test_set_formation_empties_the_unlocked_segments_and_undo_brings_everything_back():
    project, partner = partnered()
    check_undo_redo(project, SetFormation(project, partner, Formation("behind", 1.0)))
    stack = UndoStack()
    before = project.snapshot()
    command = SetFormation(project, partner, Formation("behind", 1.0))
    assert stack.push(command) and stack.undo_text == "partner formation behind, 1.0 m"
    assert project.dancer(partner).formation == Formation("behind", 1.0)
    assert [bool(t.candidates) for t in project.tracks(partner)] == [False, True, False]  # locked: kept
    assert project.tracks(0) == before.tracks[0]  # the lead is not touched
    stack.undo()
    assert project.snapshot() == before
    stack.redo()
    assert [bool(t.candidates) for t in project.tracks(partner)] == [False, True, False]


def test_set_formation_tells_the_formation_last_and_undo_tells_it_after_the_segments():
    """A driver that fills empty segments on ``dancers_changed`` finds them empty on do, full again on undo."""
    project, partner = partnered()
    seen = []
    project.events.dancers_changed.connect(
        lambda event: seen.append([bool(t.candidates) for t in project.tracks(partner)])
    )
    stack = UndoStack()
    stack.push(SetFormation(project, partner, Formation("facing", 2.0)))
    stack.undo()
    assert seen == [[False, True, False], [True, True, True]]


def test_set_formation_without_remake_keeps_the_dance():
    project, partner = partnered()
    check_undo_redo(project, SetFormation(project, partner, Formation("facing", 2.0), remake=False))
    SetFormation(project, partner, Formation("facing", 2.0), remake=False).do()
    assert all(t.candidates for t in project.tracks(partner))


def test_set_formation_refuses_the_lead_and_records_no_noop():
    project, partner = partnered()
    stack = UndoStack()
    with pytest.raises(EditError, match="leads"):
        stack.push(SetFormation(project, 0, Formation("facing", 2.0)))
    with pytest.raises(EditError, match="Formation"):
        stack.push(SetFormation(project, partner, "facing"))
    assert not stack.push(SetFormation(project, partner, Formation()))  # already there
    assert stack.count == 0 and project.snapshot() == partnered()[0].snapshot()


def test_noop_commands_are_not_recorded():
    project = new_project()
    stack = UndoStack()
    assert not stack.push(ChooseCandidate(project, 0, 0, 0))
    assert not stack.push(SetGenreOverride(project, None))
    assert not stack.push(SetLock(project, 0, 0, False))
    assert stack.count == 0 and not stack.can_undo


def test_stack_state_events_and_clean_mark():
    project = new_project()
    stack = UndoStack()
    seen, clean = [], []
    stack.events.index_changed.connect(seen.append)
    stack.events.clean_changed.connect(lambda e: clean.append(e.clean))
    assert stack.is_clean and not stack.can_undo and not stack.can_redo
    stack.push(ChooseCandidate(project, 0, 0, 1))
    stack.push(ChooseCandidate(project, 0, 0, 2))
    assert (stack.index, stack.count, stack.undo_text) == (2, 2, "choose candidate 3 for segment 1")
    stack.set_clean()
    stack.undo()
    assert stack.can_redo and stack.redo_text == "choose candidate 3 for segment 1"
    stack.redo()
    assert stack.is_clean
    stack.undo()
    stack.push(SetLock(project, 0, 1))  # drops the redo tail, and with it the clean state
    assert stack.count == 2 and not stack.can_redo and not stack.is_clean
    assert clean == [False, True, False, True, False]
    assert [e.index for e in seen] == [1, 2, 1, 2, 1, 2]
    assert not UndoStack().undo() and not UndoStack().redo()
    stack.clear()
    assert stack.is_clean and stack.count == 0


def test_one_document_change_per_step():
    project = new_project()
    changed = []
    project.events.changed.connect(changed.append)
    stack = UndoStack()
    macro = Macro("regenerate all", [SetCandidates(project, 0, s, candidates(2, start=90 + s)) for s in range(3)])
    stack.push(macro)
    stack.undo()
    stack.redo()
    assert len(changed) == 3


def test_macro_is_all_or_nothing():
    project = new_project()
    project.lock(0, 2)
    before = project.snapshot()
    macro = Macro("regenerate all", [SetCandidates(project, 0, s, candidates(2, start=90 + s)) for s in range(3)])
    stack = UndoStack()
    with pytest.raises(SegmentLockedError):
        stack.push(macro)
    assert project.snapshot() == before and stack.count == 0


def test_limit_drops_the_oldest():
    project = new_project()
    stack = UndoStack(limit=2)
    for index in (1, 2, 0):
        stack.push(ChooseCandidate(project, 0, 1, index))
    assert stack.count == 2 and stack.index == 2 and not stack.is_clean
    while stack.undo():
        pass
    assert project.chosen_index(0, 1) == 1
    with pytest.raises(ValueError):
        UndoStack(limit=-1)


def test_commands_validate_their_dancer_up_front():
    project = new_project()
    with pytest.raises(EditError):
        ChooseCandidate(project, 5, 0, 0)


def make_command(project, kind, dancer, segment, value):
    if kind == "choose":
        return ChooseCandidate(project, dancer, segment, value % 3)
    if kind == "lock":
        return SetLock(project, dancer, segment, value % 2 == 0)
    if kind == "regen":
        return SetCandidates(project, dancer, segment, candidates(1 + value, start=value * 7))
    if kind == "genre":
        return SetGenreOverride(project, [None, "Jazz", "Kun", None][value])
    if kind == "add":
        return AddDancer(project, role=["lead", "partner"][value % 2])
    if kind == "remove":
        return RemoveDancer(project, dancer)
    if kind == "formation":
        return SetFormation(project, dancer, Formation(FORMATIONS[value % 3], 1.0 + value / 2))
    return UpdateSettings(project, alpha=float(value))


_actions = st.lists(
    st.tuples(st.sampled_from(["choose", "lock", "regen", "genre", "add", "remove", "formation", "alpha"]),
              st.integers(0, 2), st.integers(0, 3)),
    max_size=12,
)  # fmt: skip


@settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(_actions)
def test_any_edit_sequence_undoes_and_redoes_exactly(actions):
    project = new_project()
    stack = UndoStack()
    states = [project.snapshot()]
    for kind, segment, value in actions:
        dancer = project.dancers[value % len(project.dancers)].id
        command = make_command(project, kind, dancer, segment, value)
        try:
            recorded = stack.push(command)
        except EditError:
            assert project.snapshot() == states[-1]  # a refused edit changes nothing
            continue
        if recorded:
            states.append(project.snapshot())
        else:
            assert project.snapshot() == states[-1]
    for state in reversed(states[:-1]):
        stack.undo()
        assert project.snapshot() == state
    for state in states[1:]:
        stack.redo()
        assert project.snapshot() == state


def ranked(gs_cs):
    return [Candidate(motion(i), seed=i, scores={"score": gs + 0.5 * cs, "gs": gs, "cs": cs})
            for i, (gs, cs) in enumerate(gs_cs)]  # fmt: skip


def test_new_ranking_weights_reorder_the_candidates_and_keep_the_choice():
    from studio.core.commands import change_settings

    project = new_project()
    # GS favours candidate 0, CS candidate 2; with alpha 1, beta 0.5 the order is 0, 1, 2
    project.set_candidates(0, 1, ranked([(0.9, -1.0), (0.6, -0.4), (0.2, 0.0)]), chosen=1)
    project.lock(0, 1)
    project.mark_saved()
    before = project.snapshot()
    stack = UndoStack()
    stack.push(change_settings(project, beta=5.0))  # coherence now dominates: 2, 1, 0
    assert project.settings.beta == 5.0
    seeds = [c.seed for c in project.candidates(0, 1)]
    assert seeds == [2, 1, 0]
    assert project.chosen_candidate(0, 1).seed == 1 and project.is_locked(0, 1)  # same dance, same lock
    assert [round(c.score, 6) for c in project.candidates(0, 1)] == [0.2, -1.4, -4.1]
    assert [c.seed for c in project.candidates(0, 0)] == [0, 1, 2]  # not ranked (no GS/CS): left alone
    stack.undo()
    assert project.snapshot() == before
    stack.redo()
    assert [c.seed for c in project.candidates(0, 1)] == [2, 1, 0]


def test_other_settings_do_not_touch_the_candidates():
    from studio.core.commands import change_settings

    project = new_project()
    project.set_candidates(0, 1, ranked([(0.9, -1.0), (0.2, 0.0)]))
    command = change_settings(project, candidates_per_segment=4)
    assert isinstance(command, UpdateSettings)
