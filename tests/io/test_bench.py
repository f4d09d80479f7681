"""``studio bench project``: the project file's size, save and open times, and precision."""

from argparse import Namespace

from studio.cli.bench import BENCHES
from studio.io import bench


def test_project_bench_reports_size_times_and_precision():
    assert BENCHES["project"] == ("studio.io.bench", "bench_project")
    figures = bench.bench_project(Namespace(runs=1, seconds=12))
    assert "synthetic" in figures["motions"]
    assert (figures["segments"], figures["candidates_per_segment"]) == (3, 8)
    assert figures["frames_stored"] == 3 * 8 * 120
    assert figures["schema_version"] == 2
    assert 2880 * 337 / 1e6 < figures["project_mb"] < 2880 * 337 / 1e6 + 0.05  # 337 bytes a frame + JSON
    assert 0 < figures["save_s"] < 10 and 0 < figures["open_s"] < 10
    assert 0 < figures["max_joint_error_mm"] < 0.25


def test_the_three_minute_song_has_45_segments_of_8():
    project = bench.song_project()
    tracks = project.tracks(0)
    assert len(tracks) == 45 and {len(t.candidates) for t in tracks} == {8}
    assert tracks[0].candidates[0].motion.num_frames == 120
