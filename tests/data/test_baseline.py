"""The non-learned baseline: a dance for any beats, whole or per segment, and its command line."""

import numpy as np
import soundfile

from studio.data.procedural import choreograph, choreograph_segment, synthesize
from studio.data.procedural.legs import default_leg_model
from studio.metrics.feet import foot_skating


def test_choreograph_beats_array():
    beats = 0.5 + 0.5 * np.arange(50)
    motion = choreograph(beats, "Hiphop", seed=1)
    assert motion.num_frames == round((beats[-1] + 2.0) * 30)
    assert foot_skating(motion.positions(default_leg_model().skeleton)).ratio <= 0.05
    assert np.array_equal(choreograph(beats, "Hiphop", seed=1).rotations, motion.rotations)


def test_choreograph_uneven_beats_and_analysis_like_input():
    class Analysis:  # what studio.audio's SongAnalysis offers
        beats = np.cumsum(np.r_[0.3, np.full(30, 0.6) + np.linspace(-0.05, 0.05, 30)])
        downbeats = beats[2::4]
        duration = 22.0
        n_frames = 661

    motion = choreograph(Analysis(), "Kun", seed=0)
    assert motion.num_frames == 661


def test_segments_continue_from_the_previous_tail():
    beats = 0.25 + 0.5 * np.arange(40)
    first = choreograph_segment(beats[(beats >= 0) & (beats < 4)], 0.0, 4.0, "Urban", seed=1)
    assert first.num_frames == 120
    inside = beats[(beats >= 4) & (beats < 8)]
    second = choreograph_segment(inside, 4.0, 8.0, "Urban", seed=2, previous_tail=first[-10:])
    assert second.num_frames == 120
    skeleton = default_leg_model().skeleton
    end, start = first.positions(skeleton)[-1], second.positions(skeleton)[0]
    assert np.linalg.norm(end[[7, 8]] - start[[7, 8]], axis=-1).max() < 0.02  # the feet stay where they were
    assert np.linalg.norm(end - start, axis=-1).max() < 0.06  # no jump at the seam
    lone = choreograph_segment([], 0.0, 2.0, "Jazz", seed=0)  # no beats known: the genre's tempo
    assert lone.num_frames == 60


def test_command_line_writes_a_motion_file(tmp_path):
    from studio.data.procedural.__main__ import main

    song = synthesize("Popping", 20.0, np.random.default_rng(0))
    path = tmp_path / "song.wav"
    soundfile.write(path, song.samples, song.sample_rate)
    out = tmp_path / "dance.npy"
    assert main([str(path), "-o", str(out), "--seed", "3"]) == 0
    array = np.load(out)
    assert array.shape[1] == 315 and abs(array.shape[0] - song.duration * 30) <= 2
    assert main([str(tmp_path / "missing.wav"), "-o", str(out)]) == 2
    assert main([str(path), "-o", str(out), "--genre", "Polka"]) == 2
