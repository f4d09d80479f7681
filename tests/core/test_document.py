import hashlib
from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest

from studio.core.document import (
    Candidate,
    Dancer,
    EditError,
    Project,
    SegmentLockedError,
    SegmentTrack,
    Settings,
    Song,
)
from studio.core.errors import StudioError
from studio.core.motion import Motion

HASH = hashlib.sha256(b"song").hexdigest()


def song(segments=3, seconds=4.0):
    spans = [(i * seconds, (i + 1) * seconds) for i in range(segments)]
    beats = np.arange(0.25, segments * seconds, 0.5)
    return Song("music/song.wav", HASH, segments * seconds, 120.0, beats, beats[::4], spans)


def motion(value=0.0, frames=4):
    return Motion(np.full((frames, 3), value), np.broadcast_to(np.eye(3), (frames, 52, 3, 3)))


def candidates(count=3, frames=4, start=0):
    return [
        Candidate(motion(start + i, frames), seed=start + i, scores={"score": 1.0 - i / 10}, model_id="m")
        for i in range(count)
    ]


class Recorder:
    """Counts every event of a project, by type."""

    def __init__(self, project):
        self.events = []
        for signal in (*project.events, project.events.changed):
            signal.connect(self.events.append)

    @property
    def counts(self):
        return Counter(e.type for e in self.events)

    def clear(self):
        self.events.clear()


@pytest.fixture
def project():
    return Project(song())


@pytest.fixture
def recorder(project):
    return Recorder(project)


# -- value objects -----------------------------------------------------------------------------------
def test_new_project_has_one_lead_and_empty_tracks(project):
    assert [d.role for d in project.dancers] == ["lead"]
    assert project.lead is project.dancers[0]
    assert project.num_segments == 3
    assert project.tracks(0) == (SegmentTrack(),) * 3
    assert project.chosen_motion(0, 0) is None and project.chosen_candidate(0, 1) is None
    assert not project.dirty
    assert project.settings == Settings()
    assert "song.wav" in repr(project)


def test_song_validates_its_values():
    with pytest.raises(ValueError, match="sha256"):
        Song("a.wav", "abc", 1.0, 120.0)
    with pytest.raises(ValueError, match="increasing"):
        Song("a.wav", HASH, 4.0, 120.0, beats=[1.0, 0.5])
    with pytest.raises(ValueError, match="before segment 0 ends"):
        Song("a.wav", HASH, 4.0, 120.0, segments=[(0, 2), (1, 3)])
    with pytest.raises(ValueError, match="start < end"):
        Song("a.wav", HASH, 4.0, 120.0, segments=[(2, 2)])
    with pytest.raises(ValueError, match="positive"):
        Song("a.wav", HASH, 0.0, 120.0)
    with pytest.raises(ValueError, match="finite"):
        Song("a.wav", HASH, 4.0, float("nan"))


def test_song_arrays_are_private_copies():
    beats = np.array([0.5, 1.0])
    s = Song("a.wav", HASH, 4.0, 120.0, beats)
    beats[0] = 9.0
    assert s.beats[0] == 0.5
    with pytest.raises(ValueError):
        s.beats[0] = 1.0


def test_song_from_analysis_is_duck_typed():
    analysis = SimpleNamespace(
        source="x.wav", content_hash=HASH, duration=8.0, tempo=100.0, beats=np.array([0.6, 1.2]),
        downbeats=np.array([0.6]), segments=[SimpleNamespace(start=0.0, end=4.0), (4.0, 8.0)],
    )  # fmt: skip
    s = Song.from_analysis(analysis)
    assert s.segments == ((0.0, 4.0), (4.0, 8.0)) and s.tempo == 100.0
    assert s == Song("x.wav", HASH, 8.0, 100.0, [0.6, 1.2], [0.6], [(0, 4), (4, 8)])
    assert Song.from_analysis(analysis, path="songs/x.wav").path == "songs/x.wav"


def test_candidate_and_track_validation():
    with pytest.raises(ValueError, match="seed"):
        Candidate(motion(), seed=-1)
    with pytest.raises(ValueError, match="finite"):
        Candidate(motion(), seed=1, scores={"gs": float("inf")})
    with pytest.raises(TypeError, match="Motion"):
        Candidate(np.zeros((4, 315)), seed=1)
    with pytest.raises(IndexError, match="does not exist"):
        SegmentTrack(tuple(candidates(2)), chosen=2)
    with pytest.raises(ValueError, match="no candidates"):
        SegmentTrack((), chosen=0)
    c = Candidate(motion(1.0), 7, {"score": 0.5, "gs": 0.2}, "Jazz", "m")
    assert c.score == 0.5 and c == Candidate(motion(1.0), 7, {"gs": 0.2, "score": 0.5}, "Jazz", "m")
    assert c != Candidate(motion(2.0), 7, {"score": 0.5, "gs": 0.2}, "Jazz", "m")


def test_settings_validation():
    with pytest.raises(ValueError, match="1..64"):
        Settings(candidates_per_segment=0)
    with pytest.raises(ValueError, match="alpha"):
        Settings(alpha=float("nan"))
    with pytest.raises(ValueError, match="genre"):
        Settings(genre_override="")


# -- candidates, choice, lock ------------------------------------------------------------------------
def test_set_candidates_emits_once_and_chooses_the_best(project, recorder):
    project.set_candidates(0, 1, candidates(3))
    assert recorder.counts == {"candidates_changed": 1, "choice_changed": 1, "dirty_changed": 1, "changed": 2}
    assert project.chosen_index(0, 1) == 0
    assert project.chosen_motion(0, 1) is project.candidates(0, 1)[0].motion
    recorder.clear()
    project.set_candidates(0, 1, candidates(3))  # equal candidates: no change
    assert recorder.events == []


def test_new_candidates_with_the_same_chosen_index_emit_only_candidates_changed(project, recorder):
    project.set_candidates(0, 0, candidates(3))
    recorder.clear()
    project.set_candidates(0, 0, candidates(3, start=10))
    assert recorder.counts == {"candidates_changed": 1, "changed": 1}
    event = recorder.events[0]
    assert (event.dancer, event.segment, event.chosen) == ("dancer-1", 0, 0)


def test_choose_emits_only_on_real_change(project, recorder):
    project.set_candidates(0, 2, candidates(3))
    recorder.clear()
    project.choose(0, 2, 2)
    project.choose(0, 2, 2)
    assert recorder.counts == {"choice_changed": 1, "changed": 1}
    assert (recorder.events[0].index, recorder.events[0].old) == (2, 0)
    assert project.chosen_index("dancer-1", 2) == 2


@pytest.mark.parametrize("index", [3, -1, 99])
def test_choose_out_of_range_is_a_clear_error(project, recorder, index):
    project.set_candidates(0, 0, candidates(3))
    recorder.clear()
    with pytest.raises(EditError, match=f"segment 1 has no candidate {index} \\(it has 0..2\\)"):
        project.choose(0, 0, index)
    assert recorder.events == [] and project.chosen_index(0, 0) == 0


def test_bad_references_are_edit_errors(project):
    with pytest.raises(EditError, match="no segment 3"):
        project.choose(0, 3, 0)
    with pytest.raises(EditError, match="no dancer 1"):
        project.track(1, 0)
    with pytest.raises(EditError, match="no dancer with id 'nobody'"):
        project.track("nobody", 0)
    with pytest.raises(EditError, match="has no candidate 0 \\(it has none\\)"):
        project.choose(0, 0, 0)
    with pytest.raises(EditError, match="integer"):
        project.choose(0, 0, True)
    with pytest.raises(EditError, match="no song"):
        Project().track(0, 0)
    with pytest.raises(EditError):
        project.set_candidates(0, 0, candidates(2), chosen=5)
    assert issubclass(EditError, StudioError) and issubclass(EditError, ValueError)


def test_lock_emits_once_and_protects_the_segment(project, recorder):
    project.set_candidates(0, 0, candidates(3))
    recorder.clear()
    project.lock(0, 0)
    project.lock(0, 0, True)
    assert recorder.counts == {"lock_changed": 1, "changed": 1}
    with pytest.raises(SegmentLockedError, match="locked"):
        project.set_candidates(0, 0, candidates(2, start=5))
    with pytest.raises(SegmentLockedError):
        project.choose(0, 0, 1)
    assert project.chosen_index(0, 0) == 0 and len(project.candidates(0, 0)) == 3
    project.set_candidates(0, 0, candidates(2, start=5), force=True)
    assert len(project.candidates(0, 0)) == 2 and project.is_locked(0, 0)  # still locked
    project.choose(0, 0, 1, force=True)
    assert project.chosen_index(0, 0) == 1
    project.lock(0, 0, False)
    project.choose(0, 0, 0)
    with pytest.raises(EditError):
        project.lock(0, 0, "yes")


def test_clearing_candidates_clears_the_choice(project, recorder):
    project.set_candidates(0, 0, candidates(2))
    recorder.clear()
    project.set_candidates(0, 0, [])
    assert project.chosen_index(0, 0) is None
    assert recorder.counts["choice_changed"] == 1


# -- dancers -----------------------------------------------------------------------------------------
def test_add_and_remove_dancers(project, recorder):
    partner = project.add_dancer("Bea")
    assert recorder.counts == {"dancers_changed": 1, "dirty_changed": 1, "changed": 1}
    assert (partner.id, partner.role, partner.name) == ("dancer-2", "partner", "Bea")
    assert partner.color != project.lead.color
    assert project.tracks(partner) == (SegmentTrack(),) * 3
    with pytest.raises(EditError, match="at most 2"):
        project.add_dancer("Cy")
    project.remove_dancer(partner)
    assert [d.id for d in project.dancers] == ["dancer-1"]
    with pytest.raises(EditError, match="at least one"):
        project.remove_dancer(0)


def test_exactly_one_lead(project):
    project.set_candidates(0, 0, candidates(2))
    new_lead = project.add_dancer("Bea", role="lead")
    assert [d.role for d in project.dancers] == ["partner", "lead"]
    assert project.lead == new_lead
    project.remove_dancer(new_lead)
    assert [d.role for d in project.dancers] == ["lead"]
    assert len(project.candidates(0, 0)) == 2  # the remaining dancer keeps its tracks
    with pytest.raises(ValueError, match="exactly one"):
        Project(dancers=[Dancer("a", "A", "#000000", "partner")])
    with pytest.raises(ValueError, match="role"):
        Dancer("a", "A", "#000000", "boss")


def test_update_dancer(project, recorder):
    project.update_dancer(0, name="Ana")
    project.update_dancer(0, name="Ana")
    project.update_dancer(0, color="#112233")
    assert recorder.counts["dancers_changed"] == 2
    assert project.lead.name == "Ana" and project.lead.color == "#112233" and project.lead.id == "dancer-1"
    with pytest.raises(EditError, match="color"):
        project.update_dancer(0, color="red")


# -- settings, dirty, batch, song ----------------------------------------------------------------------
def test_genre_override_emits_only_on_change(project, recorder):
    project.set_genre_override("Jazz")
    project.set_genre_override("Jazz")
    project.set_genre_override(None)
    assert recorder.counts["genre_changed"] == 2
    assert [e.genre for e in recorder.events if e.type == "genre_changed"] == ["Jazz", None]
    assert "settings_changed" not in recorder.counts
    with pytest.raises(EditError):
        project.set_genre_override("  ")


def test_update_settings(project, recorder):
    project.update_settings(candidates_per_segment=8, alpha=0.8)
    project.update_settings(alpha=0.8)
    assert recorder.counts["settings_changed"] == 1
    assert recorder.events[1].names == ("alpha", "candidates_per_segment")
    with pytest.raises(EditError, match="unknown settings"):
        project.update_settings(gamma=1.0)
    with pytest.raises(EditError, match="1..64"):
        project.update_settings(candidates_per_segment=100)


def test_dirty_flag(project, recorder):
    project.set_candidates(0, 0, candidates(2))
    project.choose(0, 0, 1)
    assert project.dirty and recorder.counts["dirty_changed"] == 1
    recorder.clear()
    project.mark_saved()
    project.mark_saved()
    assert not project.dirty
    assert [(e.type, e.dirty) for e in recorder.events] == [("dirty_changed", False)]  # saving is no 'changed'


def test_dirty_is_already_set_when_subscribers_run(project):
    seen = []
    project.events.lock_changed.connect(lambda e: seen.append(project.dirty))
    project.lock(0, 1)
    assert seen == [True]


def test_a_batch_of_edits_emits_one_changed(project, recorder):
    with project.events.batch():
        for segment in range(3):
            project.set_candidates(0, segment, candidates(3))
            project.choose(0, segment, 1)
        project.lock(0, 2)
    assert recorder.counts["changed"] == 1
    assert recorder.counts["candidates_changed"] == 3 and recorder.counts["choice_changed"] == 6
    assert recorder.events[-1].types == ("candidates_changed", "choice_changed", "lock_changed")


def test_set_song(project, recorder):
    project.set_candidates(0, 0, candidates(2))
    reanalysed = Song(project.song.path, HASH, project.song.duration, 121.0, segments=project.song.segments)
    project.set_song(reanalysed)
    assert len(project.candidates(0, 0)) == 2  # same segments: tracks kept
    project.set_song(song(segments=5))
    assert project.num_segments == 5 and project.tracks(0) == (SegmentTrack(),) * 5
    recorder.clear()
    project.set_song(song(segments=5))
    assert recorder.events == []


# -- the whole dance ----------------------------------------------------------------------------------
def test_whole_dance_joins_the_chosen_motions(project):
    with pytest.raises(EditError, match="no chosen candidate"):
        project.whole_dance(0)
    project.set_candidates(0, 0, candidates(3, frames=4))
    project.set_candidates(0, 2, candidates(2, frames=5, start=10))
    project.choose(0, 2, 1)
    dance = project.whole_dance(0)
    assert dance.num_frames == 9 and dance.fps == 30.0
    assert np.all(dance.trans[:4] == 0.0) and np.all(dance.trans[4:] == 11.0)
    assert project.chosen_segments(0) == (0, 2)


def test_whole_dance_refuses_mixed_frame_rates(project):
    project.set_candidates(0, 0, candidates(1))
    slow = Motion(np.zeros((4, 3)), np.broadcast_to(np.eye(3), (4, 52, 3, 3)), fps=60.0)
    project.set_candidates(0, 1, [Candidate(slow, 1)])
    with pytest.raises(EditError, match="frame rates"):
        project.whole_dance(0)


def test_snapshot_is_a_value(project):
    before = project.snapshot()
    project.set_candidates(0, 0, candidates(2))
    assert project.snapshot() != before
    project.set_candidates(0, 0, [])
    assert project.snapshot() == before
