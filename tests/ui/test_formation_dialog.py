"""The partner formation in the editor, through the real window and the real dialog: Add partner asks where the
partner stands (Esc adds nothing), Partner formation... moves it (its unlocked segments made again), both undoable;
regenerate, lock and choose work on partner segments as on the lead's."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from studio.core.formation import SPACING_RANGE, Formation
from studio.ui.formation_dialog import FormationDialog, ask_formation

DANCE_TIMEOUT_MS = 90_000


def test_the_dialog_shows_a_formation_and_reads_it_back(qtbot):
    dialog = FormationDialog(None, "Add partner")
    qtbot.addWidget(dialog)
    assert dialog.formation() == Formation("side", 1.4)  # the default
    assert (dialog.spacing.minimum(), dialog.spacing.maximum()) == SPACING_RANGE  # nothing Formation refuses
    dialog.set_formation(Formation("behind", 3.2))
    assert dialog.formation() == Formation("behind", 3.2) and "Behind the lead" in dialog.hint.text()
    assert [dialog.kind.itemText(i) for i in range(4)] == ["Side by side, on the left", "Side by side, on the right",
                                                           "Face to face", "Behind"]  # fmt: skip
    dialog.set_formation(Formation("side-right", 1.2))
    assert dialog.formation() == Formation("side-right", 1.2) and "on its right" in dialog.hint.text()


def answer_dialog(formation: Formation | None) -> None:
    """When the modal formation dialog is up: pick ``formation`` and press OK, or press Esc (None)."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, FormationDialog):
            QTimer.singleShot(20, answer)  # not shown yet
            return
        if formation is None:
            QTest.keyClick(dialog, Qt.Key.Key_Escape)
            return
        dialog.kind.setCurrentIndex(dialog.kind.findData(formation.kind))
        dialog.spacing.setValue(formation.spacing)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, answer)


def _tracks(project, dancer_id):
    return [(t.chosen, t.locked, tuple(c.seed for c in t.candidates)) for t in project.tracks(dancer_id)]


def _wait_idle(qtbot, window, partner_id=None):
    def done():
        complete = partner_id is None or all(t.candidates for t in window.project.tracks(partner_id))
        return complete and window.session.is_dance_complete() and not window.busy()

    qtbot.waitUntil(done, timeout=DANCE_TIMEOUT_MS)


def _viewport_partner_xz(window):
    """Where the viewport draws the partner's pelvis now (None without a GL viewport)."""
    if not hasattr(window.viewport, "current_poses"):
        return None
    poses = {pose.name: pose for pose in window.viewport.current_poses()}
    return poses["Partner"].joints[0][[0, 2]] if "Partner" in poses else None


@pytest.fixture
def danced(qtbot, make_main_window, tiny_song, prompts):
    """A window with the tiny song danced, whose prompts ask the formation with the real dialog."""
    window = make_main_window()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    prompts.partner_formation = lambda title, current: ask_formation(window, title, current)
    with qtbot.waitSignal(window.dance_ready, timeout=DANCE_TIMEOUT_MS):
        window.session.open_song(tiny_song)
    _wait_idle(qtbot, window)
    return window


def test_add_partner_in_a_formation_undo_redo_and_change_it(qtbot, danced):
    window, project = danced, danced.project
    lead = project.lead.id
    assert not window.actions.partner_formation.isEnabled()  # no partner yet

    answer_dialog(None)  # Esc: nothing is added, nothing to undo
    window.actions.add_partner.trigger()
    assert len(project.dancers) == 1 and not window.undo_stack.can_undo

    answer_dialog(Formation("facing", 2.0))
    window.actions.add_partner.trigger()
    assert len(project.dancers) == 2 and window.undo_stack.undo_text == "add dancer Partner"
    partner = project.dancers[1]
    assert partner.formation == Formation("facing", 2.0) and window.actions.partner_formation.isEnabled()
    _wait_idle(qtbot, window, partner.id)
    # face to face, 2 m: every rule partner starts as the lead's first pose turned about the stage's centre and
    # moved 2 m forward (x -> -x, or x for a mirror; z -> 2 - z), facing the lead
    first, lead_first = project.chosen_motion(partner.id, 0), project.chosen_motion(lead, 0)
    assert first.trans[0, 2] == pytest.approx(2.0 - lead_first.trans[0, 2], abs=1e-6)
    assert abs(first.trans[0, 0]) == pytest.approx(abs(lead_first.trans[0, 0]), abs=1e-6)
    assert first.rotations[0, 0, 2, 2] < 0 < lead_first.rotations[0, 0, 2, 2]  # facing -z, the lead +z
    window.display.update_dancers()
    qtbot.waitUntil(lambda: not window.busy(), timeout=10_000)
    shown = _viewport_partner_xz(window)
    if shown is not None:  # the viewport draws the partner where the document says
        np.testing.assert_allclose(shown, first.trans[0, [0, 2]], atol=1e-4)
    danced_facing = _tracks(project, partner.id)

    window.editing.undo()  # the partner goes
    assert len(project.dancers) == 1
    window.editing.redo()  # and comes back in the same formation, with the same dance
    assert project.dancers[1] == partner
    _wait_idle(qtbot, window, partner.id)
    assert _tracks(project, partner.id) == danced_facing

    # lock segment 3 of the partner, then move the partner behind the lead
    window.editing.select(1, 2)
    window.editing.toggle_lock()
    before = project.snapshot()
    locked_track = project.track(partner.id, 2)
    answer_dialog(Formation("behind", 1.0))
    window.actions.partner_formation.trigger()
    assert project.dancer(partner.id).formation == Formation("behind", 1.0)
    assert window.undo_stack.undo_text == "partner formation behind, 1.0 m"
    _wait_idle(qtbot, window, partner.id)
    assert project.track(partner.id, 2) == locked_track  # locked: kept as it was
    first = project.chosen_motion(partner.id, 0)
    assert first.trans[0, 2] == pytest.approx(lead_first.trans[0, 2] - 1.0, abs=1e-6)  # 1 m behind
    assert first.rotations[0, 0, 2, 2] > 0  # facing the same way as the lead
    assert project.tracks(lead) == before.tracks[0]  # the lead is not touched

    window.editing.undo()  # the old formation and the old partner dance, exactly, without remaking it
    assert project.snapshot() == before
    qtbot.waitUntil(lambda: not window.busy(), timeout=DANCE_TIMEOUT_MS)
    assert project.snapshot() == before

    answer_dialog(None)  # Esc in Partner formation...: nothing changes
    window.actions.partner_formation.trigger()
    assert project.snapshot() == before and window.undo_stack.redo_text == "partner formation behind, 1.0 m"


def test_regenerate_lock_and_choose_work_on_partner_segments(qtbot, danced):
    window, project = danced, danced.project
    answer_dialog(Formation("side", 1.4))
    window.actions.add_partner.trigger()
    partner = project.dancers[1].id
    _wait_idle(qtbot, window, partner)

    window.timeline.segment_clicked.emit(1, 1)  # the partner's lane, segment 2
    assert (window.state.lane, window.state.segment) == (1, 1) and window.dancer_id == partner
    old = project.candidates(partner, 1)
    QTest.keyClick(window, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: project.candidates(partner, 1) != old and not window.busy(), timeout=DANCE_TIMEOUT_MS)
    assert window.undo_stack.undo_text == "new candidates for segment 2"
    assert {c.seed for c in project.candidates(partner, 1)}.isdisjoint({c.seed for c in old})

    QTest.keyClick(window, Qt.Key.Key_2)
    assert project.chosen_index(partner, 1) == 1 and window.undo_stack.undo_text == "choose candidate 2 for segment 2"
    QTest.keyClick(window, Qt.Key.Key_L)
    assert project.is_locked(partner, 1) and not window.actions.regenerate.isEnabled()
    QTest.keyClick(window, Qt.Key.Key_3)  # locked: refused
    assert project.chosen_index(partner, 1) == 1
    for _ in range(3):
        window.editing.undo()
    assert project.candidates(partner, 1) == old and not project.is_locked(partner, 1)


def test_the_editor_asks_with_the_dialog_through_the_real_prompts_and_esc_cancels(qtbot):
    from PySide6.QtWidgets import QWidget

    from studio.ui.prompts import Prompts
    from studio.ui.segment_editing import SegmentEditing
    from studio.ui.state import EditorState

    window = QWidget()
    qtbot.addWidget(window)
    editing = SegmentEditing(EditorState(), None, notifications=None, show_message=None, prompts=Prompts(window),
                             generation=None, load_generators=None, timeline=None, candidates=None, display=None,
                             playback=None)  # fmt: skip
    answer_dialog(Formation("facing", 2.0))
    assert editing.ask_formation("Add partner", Formation()) == Formation("facing", 2.0)
    answer_dialog(None)
    assert editing.ask_formation("Partner formation", Formation("facing", 2.0)) is None


def test_the_editors_partner_is_the_learned_one_when_installed(qtbot, make_main_window, tiny_song, prompts,
                                                               tmp_path, monkeypatch):  # fmt: skip
    """The editor's own loader (no stand-in generators): with ``models/partner-small`` installed (a tiny random
    one; no FDGN, so the lead is the baseline) Add partner gets the learned partner's candidates, loaded when
    the first partner segment is made, with the duet rules as extra labelled ones."""
    torch = pytest.importorskip("torch")
    from studio.core.finedance import MUSIC_DIM
    from studio.ml.duet import LEAD_DIM
    from studio.ml.fdgn import FDGN, partner_config, preset
    from studio.ml.normalize import Normalizer
    from studio.ml.weights import save_pretrained

    torch.manual_seed(5)
    save_pretrained(tmp_path / "models" / "partner-small", FDGN(partner_config(preset("tiny"), LEAD_DIM)),
                    Normalizer.identity(MUSIC_DIM + LEAD_DIM), {"note": "test"})  # fmt: skip
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path / "models"))
    window = make_main_window(generators_factory=None)  # what the editor loads by itself
    window.show()
    qtbot.waitExposed(window)
    notes = []
    window.generation.note.connect(notes.append)
    with qtbot.waitSignal(window.dance_ready, timeout=DANCE_TIMEOUT_MS):
        window.session.open_song(tiny_song)
    _wait_idle(qtbot, window)
    assert not window.generation.generators.partner_model_loaded()  # a solo never waited for the partner model

    prompts.partner_formation = lambda title, current: Formation("facing", 1.8)
    window.actions.add_partner.trigger()
    partner = window.project.dancers[1]
    assert partner.formation == Formation("facing", 1.8)
    _wait_idle(qtbot, window, partner.id)
    assert window.generation.generators.partner_model_loaded()  # in the generator process
    assert not [note for note in notes if "partner" in note]  # no fallback to the rules
    for track in window.project.tracks(partner.id):  # M = 3: the model's 3 (a quarter of 3 is none)
        assert [c.model_id for c in track.candidates] == ["partner-small"] * 3
