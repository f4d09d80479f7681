"""``studio bench WHAT``: timing figures, printed and optionally written as JSON.

    python -m studio bench analysis [--runs N] [--song FILE] [--json OUT.json]

Each benchmark is a function ``(args) -> dict`` named in ``BENCHES`` as (module, function), imported
only when it runs.  To add one, add an entry (and, if it needs them, arguments in ``add_arguments``).
"""

from __future__ import annotations

import argparse

# name -> (module, function).  The function takes the parsed arguments and returns a JSON-able dict.
BENCHES: dict[str, tuple[str, str]] = {
    "analysis": ("studio.audio.bench", "bench_analysis"),
    "ui": ("studio.ui.bench_ui", "bench_ui"),
    "metrics": ("studio.metrics.bench", "bench"),
    "export": ("studio.io.bench", "bench_export"),
    "project": ("studio.io.bench", "bench_project"),  # .choreo size, open and save: 3-minute song, M = 8
    "generate": ("studio.ml.bench", "bench_generate"),
    "ranking": ("studio.ml.genre.bench", "bench_ranking"),  # GCRM: rank M = 8 candidates (target <= 50 ms)
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", choices=sorted(BENCHES), help="what to time")
    parser.add_argument("--json", dest="json_path", metavar="OUT", help="write the figures here as JSON")
    parser.add_argument("--runs", type=int, default=None, help="repetitions per figure; medians are reported")
    parser.add_argument("--song", default=None, help="time on this audio file instead of a generated song")


def run(args: argparse.Namespace) -> int:
    import importlib
    import json
    from pathlib import Path

    module_name, function_name = BENCHES[args.what]
    bench = getattr(importlib.import_module(module_name), function_name)
    figures = bench(args)
    for key, value in figures.items():
        if not isinstance(value, (list, dict)):
            print(f"{key:>24}: {round(value, 3) if isinstance(value, float) else value}")
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0
