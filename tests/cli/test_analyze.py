"""``studio analyze`` and ``studio bench`` run in-process through ``studio.cli.main.main``."""

from __future__ import annotations

import json

import numpy as np
import pytest

from studio.cli import bench as bench_command
from studio.cli.main import main


def test_analyze_writes_json_and_features(song, tmp_path, capsys):
    out, features = tmp_path / "out.json", tmp_path / "features.npy"

    assert main(["analyze", str(song), "--json", str(out), "--features", str(features)]) == 0

    summary = json.loads(out.read_text())
    for key in ("duration", "tempo", "beats", "downbeats", "segments", "features_shape"):
        assert key in summary
    assert summary["duration"] == pytest.approx(12.0)
    assert summary["segments"] == [[0.0, 4.0], [4.0, 8.0], [8.0, 12.0]]
    assert summary["features_shape"] == [361, 35]
    assert np.load(features).shape == (361, 35)
    assert "120.0 BPM" in capsys.readouterr().out


def test_analyze_snap_bars_prints_json_without_out_file(song, capsys):
    assert main(["analyze", str(song), "--snap-bars"]) == 0

    summary = json.loads(capsys.readouterr().out)
    assert summary["snap_bars"] is True
    assert all(3.0 <= end - start <= 5.0 for start, end in summary["segments"])


def test_analyze_of_a_bad_file_exits_2_with_the_reason(tmp_path, capsys):
    notes = tmp_path / "notes.wav"
    notes.write_text("not a song\n" * 10)

    assert main(["analyze", str(notes)]) == 2
    assert "expected audio data, found a text file" in capsys.readouterr().err


def test_bench_runs_the_named_benchmark_and_writes_json(tmp_path, monkeypatch, capsys):
    seen = {}

    def fake_bench(args):
        seen["runs"] = args.runs
        return {"what": "analysis", "warm_s": 0.01234, "runs_list": [1, 2]}

    monkeypatch.setitem(bench_command.BENCHES, "analysis", (__name__, "fake"))
    monkeypatch.setitem(globals(), "fake", fake_bench)
    out = tmp_path / "bench.json"

    assert main(["bench", "analysis", "--runs", "2", "--json", str(out)]) == 0

    assert seen == {"runs": 2}
    assert json.loads(out.read_text())["warm_s"] == 0.01234
    assert "warm_s: 0.012" in capsys.readouterr().out


def test_bench_refuses_an_unknown_benchmark(capsys):
    with pytest.raises(SystemExit):
        main(["bench", "nonsense"])
    assert "invalid choice" in capsys.readouterr().err
