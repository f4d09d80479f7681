from __future__ import annotations

import threading
import time

import numpy as np
import pytest


@pytest.fixture(scope="session", autouse=True)
def _pyside_refcounts(qapp):
    """PySide6 6.12.0 on Python 3.11 drops references to None/True (see studio.ui.app.protect_singletons);
    without this a long test session aborts when it ends."""
    from studio.ui.app import protect_singletons

    protect_singletons()


# -- isolation: no test touches the user's settings, data, cache or models -------------------------------------
@pytest.fixture(autouse=True)
def _studio_folders(tmp_path, tmp_path_factory, monkeypatch):
    """Recovery files in a temporary data folder; a per-session analysis cache; no model folders (so the
    tests run the baseline, never a model that happens to be installed)."""
    monkeypatch.setenv("CHOREO_STUDIO_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("CHOREO_STUDIO_CACHE", str(_session_folder(tmp_path_factory, "cache")))
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(_session_folder(tmp_path_factory, "no-models")))


def _session_folder(factory, name: str):
    folder = factory.getbasetemp() / f"ui-{name}"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def ui_settings(tmp_path):
    """A QSettings in an INI file: CPU, no sound device, M = 3."""
    from studio.ui.preferences import Preferences, ini_settings

    settings = ini_settings(tmp_path / "settings.ini")
    Preferences(device="cpu", audio="off", candidates=3).save(settings)
    return settings


class FakePrompts:
    """Answers the window's questions without dialogs; records what was asked."""

    def __init__(self) -> None:
        self.song = None
        self.project = None
        self.save_as = None
        self.export = None
        self.unsaved = "discard"
        self.recover_answer = False
        self.asked: list[str] = []

    def song_to_open(self):
        self.asked.append("song")
        return self.song

    def song_to_locate(self, name):
        self.asked.append("locate")
        return self.song

    def project_to_open(self):
        self.asked.append("project")
        return self.project

    def save_path(self, suggested):
        self.asked.append("save")
        return self.save_as

    def export_path(self, suggested):
        self.asked.append("export")
        return self.export

    def unsaved_changes(self, title):
        self.asked.append("unsaved")
        return self.unsaved

    def recover(self, recovery):
        self.asked.append("recover")
        return self.recover_answer


@pytest.fixture
def prompts():
    return FakePrompts()


# -- a small generator for tests ----------------------------------------------------------------------------------
class DemoSource:
    """The viewport's demo dance as a stand-in generator (tests only): seeds shift the phase, genres
    rotate through the song's guesses. ``delay``: seconds of busy Python per candidate (a CPU-bound model).
    Used until the procedural baseline's entry point exists."""

    name = "test dance"
    model_id = "test-demo"
    device = "CPU"

    def __init__(self, delay: float = 0.0) -> None:
        from studio.body.provider import load_avatar

        self.avatar = load_avatar()
        self.delay = delay
        self.guess = None

    def motions(self, request, song, progress, interrupt):
        from studio.core.errors import Cancelled
        from studio.ui.viewport.demo import demo_dance

        bpm = song.tempo if song.tempo > 0 else 120.0
        top = [g for g, _ in song_guess(song)] or [None]
        out = []
        for i, seed in enumerate(request.seeds):
            steps = 4
            for step in range(steps):
                if interrupt.is_set():
                    raise Cancelled("cancelled")
                if self.delay:
                    _burn(self.delay / steps)
                progress(i * steps + step + 1, len(request.seeds) * steps)
            phase = 2 * np.pi * bpm / 60.0 * request.start + (seed % 7) * 0.6
            motion = demo_dance(self.avatar, request.duration, bpm=bpm, phase=phase, facing=(seed % 5) * 10.0)
            out.append((motion, request.genre or top[i % len(top)]))
        return out


def _burn(seconds: float) -> None:
    """Busy Python for ``seconds`` (holding the GIL like a Python-heavy generator would)."""
    end = time.perf_counter() + seconds
    x = 0
    while time.perf_counter() < end:
        for i in range(200):
            x += i * i


def song_guess(song):
    from studio.choreography.ranking import tempo_genre_guess

    return tempo_genre_guess(float(song.tempo)).top


def baseline_generators(delay: float = 0.0):
    """The procedural baseline when ``studio.data.procedural`` provides it, else the demo dance."""
    from studio.choreography.generators import Generators, GeneratorUnavailable, load_generators

    try:
        return load_generators("cpu", allow_models=False)
    except GeneratorUnavailable:
        return Generators(DemoSource(delay))


@pytest.fixture
def generators_factory():
    return baseline_generators


@pytest.fixture
def slow_generators():
    """``make(delay)``: generators whose every candidate takes ``delay`` seconds (for cancellation tests)."""
    from studio.choreography.generators import Generators

    return lambda delay: lambda: Generators(DemoSource(delay))


# -- songs ------------------------------------------------------------------------------------------------------------
def _write_demo_song(tmp_path_factory, name: str, seconds: float, bpm: float, seed: int):
    import soundfile

    from studio.audio.synth import demo_song

    song = demo_song(seconds, bpm=bpm, sample_rate=22050, seed=seed)
    path = tmp_path_factory.mktemp("songs") / name
    soundfile.write(path, song.samples, song.sample_rate)
    return path


@pytest.fixture(scope="session")
def tiny_song(tmp_path_factory):
    """A 20-s synthetic pop song (120 BPM) written as a wav: 5 segments of 4 s."""
    return _write_demo_song(tmp_path_factory, "tiny.wav", 20.0, 120.0, seed=3)


@pytest.fixture(scope="session")
def minute_song(tmp_path_factory):
    """A 60-s synthetic song at 112 BPM (15 segments)."""
    return _write_demo_song(tmp_path_factory, "minute.wav", 60.0, 112.0, seed=5)


# -- the editor as a process ----------------------------------------------------------------------------------------
_STUDIO_PROBE = (
    "import runpy, sys\n"
    "sys.argv = ['studio', 'run', sys.argv[1]]\n"
    "try:\n"
    "    runpy.run_module('studio', run_name='__main__')\n"
    "except SystemExit:\n"
    "    assert 'torch' not in sys.modules, 'the editor imported torch'\n"
    "    raise\n"
)


@pytest.fixture
def run_studio():
    """``run_studio(argument, env, timeout)``: ``python -m studio run ARGUMENT`` in a child process (from the
    repository root), which fails if the editor imported torch; returns the CompletedProcess."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]

    def run(argument, env: dict, timeout: float):
        return subprocess.run([sys.executable, "-c", _STUDIO_PROBE, str(argument)], cwd=root, env=env,
                              capture_output=True, text=True, timeout=timeout)  # fmt: skip

    return run


# -- the window factory ---------------------------------------------------------------------------------------------
def _studio_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("choreo-") and t.is_alive()]


@pytest.fixture
def make_main_window(qtbot, ui_settings, prompts, generators_factory):
    """Build MainWindows for a test; afterwards close them and check that no window or worker thread is left."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from studio.ui.main_window import MainWindow

    before = {id(widget) for widget in QApplication.topLevelWidgets()}
    threads_before = set(_studio_threads())
    made: list[MainWindow] = []

    def make(path=None, **kwargs) -> MainWindow:
        kwargs.setdefault("settings", ui_settings)
        kwargs.setdefault("prompts", prompts)
        kwargs.setdefault("generators_factory", generators_factory)
        window = MainWindow(path, **kwargs)
        made.append(window)
        return window

    yield make

    prompts.unsaved = "discard"
    for window in made:
        window.close()
        if not window.closed:  # a test that left a question unanswered: end it anyway
            window.shutdown()
        window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    leaked = [w for w in QApplication.topLevelWidgets() if id(w) not in before and w.isVisible()]
    assert not leaked, f"windows left open: {leaked}"
    deadline = time.monotonic() + 10
    while (set(_studio_threads()) - threads_before) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = set(_studio_threads()) - threads_before
    assert not left, f"worker threads still running: {[t.name for t in left]}"


# -- measuring the event loop ---------------------------------------------------------------------------------------
@pytest.fixture
def stall_meter():
    """``stall_meter()`` -> a new StallMeter (start / stop / worst_ms)."""
    from studio.ui.stall import StallMeter

    return StallMeter
