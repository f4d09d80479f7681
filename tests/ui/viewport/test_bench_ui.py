"""``python -m studio bench ui``: registered, and its viewport measurement runs (a few frames, under Xvfb)."""

from __future__ import annotations

import math

import pytest


def test_registered_in_the_bench_command():
    from studio.cli.bench import BENCHES

    assert BENCHES["ui"] == ("studio.ui.bench_ui", "bench_ui")


def test_child_reports_are_parsed():
    from studio.ui.bench_ui import _reported

    out = "noise\nINTERACTIVE 1700000000.5\nFIRST_SEGMENT 4.2 1700000009.0\n"
    assert _reported(out, "INTERACTIVE") == "1700000000.5"
    assert _reported(out, "FIRST_SEGMENT") == "4.2 1700000009.0"
    assert _reported(out, "FAILED") is None


@pytest.mark.gl
def test_viewport_figures_measure_every_configuration(qapp):
    from studio.ui.bench_ui import viewport_figures

    figures = viewport_figures(frames=4)
    assert set(figures["configs"]) == {"qt_blank_widget", "one_dancer", "two_dancers", "two_dancers_overlay"}
    for name, config in figures["configs"].items():
        assert config["frame_ms"] > 0 and config["cpu_ms"] >= 0, name
        if name != "qt_blank_widget":
            assert config["render_ms"] > 0 and not math.isnan(config["render_ms"])
    assert figures["gl_version"]
