"""Never lose work: autosave to a recovery file after edits and on a timer, recovery after a crash."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from studio.io import project as project_file
from studio.ui.autosave import Autosave, Recovery, find_recoveries, recovery_dir
from studio.ui.workers import TaskWorker

TIMEOUT = 90_000


def _recovery_files() -> list[Path]:
    return sorted(recovery_dir().glob("session-*.choreo")) if recovery_dir().is_dir() else []


def test_recovery_folder_follows_the_environment(tmp_path):
    assert recovery_dir() == Path(os.environ["CHOREO_STUDIO_DATA"]) / "recovery"


def test_autosave_after_an_edit_batch_and_clean_exit_removes_it(qtbot, make_main_window, tiny_song):
    window = make_main_window()
    window.autosave._debounce.setInterval(50)
    with qtbot.waitSignal(window.dance_ready, timeout=TIMEOUT):
        window.session.open_song(tiny_song)
    qtbot.waitUntil(lambda: not window.busy(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.autosave.saves >= 1 and not window.autosave.saving, timeout=20_000)
    saves = window.autosave.saves
    window.editing.select(0, 1)
    window.editing.choose_candidate(2)  # one edit -> one more autosave
    qtbot.waitUntil(lambda: window.autosave.saves > saves and not window.autosave.saving, timeout=20_000)
    [path] = _recovery_files()
    saved = project_file.load(path)
    assert saved.chosen_index(saved.lead.id, 1) == 2
    manifest = json.loads(path.with_suffix(".json").read_text())
    assert manifest["pid"] == os.getpid() and manifest["song"] == str(tiny_song)
    assert find_recoveries() == []  # this editor is alive: nothing to recover

    window.prompts.unsaved = "discard"
    window.close()
    assert _recovery_files() == []


def test_autosave_on_a_timer(qtbot, tiny_song, qapp):
    from studio.core.document import Project

    worker = TaskWorker("io")
    autosave = Autosave(worker, interval_s=60, debounce_ms=10_000_000)
    autosave._periodic.setInterval(100)
    try:
        from studio.audio import analyze
        from studio.core.segments import Song

        project = Project(Song.from_analysis(analyze(tiny_song)))
        autosave.set_project(project)
        project.lock(0, 0)
        qtbot.waitUntil(lambda: autosave.saves == 1, timeout=10_000)
        assert project_file.load(autosave.path).is_locked(0, 0)
        qtbot.wait(300)
        assert autosave.saves == 1  # nothing new: no more saves
    finally:
        autosave.stop()
        worker.stop()
        autosave.discard()


def test_a_crash_leaves_a_file_that_the_next_start_offers(qtbot, make_main_window, tiny_song, prompts, tmp_path):
    first = make_main_window()
    with qtbot.waitSignal(first.dance_ready, timeout=TIMEOUT):
        first.session.open_song(tiny_song)
    qtbot.waitUntil(lambda: not first.busy(), timeout=TIMEOUT)
    first.editing.select(0, 3)
    first.editing.choose_candidate(1)
    first.editing.toggle_lock()
    first.autosave.save_now()
    qtbot.waitUntil(lambda: not first.autosave.saving and bool(_recovery_files()), timeout=20_000)
    # "crash": the file stays, and its owner is a process that is gone
    [path] = _recovery_files()
    crashed = recovery_dir() / "session-999999.choreo"
    path.rename(crashed)
    manifest = json.loads(path.with_suffix(".json").read_text())
    path.with_suffix(".json").unlink()
    manifest["pid"] = 999_999_999
    crashed.with_suffix(".json").write_text(json.dumps(manifest))

    [recovery] = find_recoveries()
    assert isinstance(recovery, Recovery) and recovery.song == str(tiny_song)
    assert "tiny.wav" in recovery.title

    second = make_main_window()
    prompts.recover_answer = True
    with qtbot.waitSignal(second.song_loaded, timeout=TIMEOUT):
        assert second.files.offer_recovery()
    project = second.project
    assert project.chosen_index(project.lead.id, 3) == 1 and project.is_locked(project.lead.id, 3)
    assert project.dirty  # recovered work is not saved work
    assert second.windowTitle().startswith("tiny.wav*")
    assert not crashed.exists()  # the new session's autosave takes its place
    assert "recover" in prompts.asked


def test_declining_recovery_discards_it(make_main_window, prompts):
    recovery_dir().mkdir(parents=True, exist_ok=True)
    path = recovery_dir() / "session-123.choreo"
    path.write_bytes(b"whatever")
    path.with_suffix(".json").write_text(json.dumps({"pid": 999_999_998, "song": "x.wav", "saved_at": 1.0}))
    window = make_main_window()
    prompts.recover_answer = False
    assert not window.files.offer_recovery()
    assert not path.exists()


@pytest.mark.parametrize("content", [b"", b"{}"])
def test_damaged_manifests_still_count(content):
    recovery_dir().mkdir(parents=True, exist_ok=True)
    path = recovery_dir() / "session-77.choreo"
    path.write_bytes(b"zip")
    path.with_suffix(".json").write_bytes(content)
    [found] = find_recoveries()
    assert found.path == path and found.pid == -1
    found.discard()
    assert not path.exists()
