"""Timing of the editor's UI, for ``python -m studio bench ui [--runs N] [--song FILE] [--json OUT]``.

Figures (medians; each measured in a fresh child process so nothing is warm that a user's would not be):
- ``viewport_*``: the 3D viewport at 1280x720 playing a demo dance, one and two dancers (and two with the
  skeleton overlay). ``render_ms`` is the paint including ``glFinish`` (the GL work of a frame);
  ``frame_ms`` is the whole update as a user sees it: set the time, paint, swap (the view is a
  ``QOpenGLWindow`` with its own surface, so no other widget is composed with it). The target is a median
  frame of at most 16 ms with two dancers. ``qt_blank_widget`` is the floor under it: an empty OpenGL view
  made the same way (a QOpenGLWindow in a window container) that only clears.
- ``launch_s``: from starting ``python -m studio run SONG`` to the main window shown and its event loop
  running (the child quits at that point). Target: at most 3 s.
- ``stall_worst_ms`` / ``stall_p99_ms``: the longest (and 99th-percentile) wait of a 5-ms timer on the
  event loop while the demo dance is generated (the real viewport, the default generator in its child
  process), from the generator loaded until the whole dance is there. Target: no stall over 100 ms.
  ``stall_while_loading_worst_ms``: the same from the window shown until the generator is loaded (the
  window's first paints while the analysis and generator processes import librosa and torch).
- ``first_segment_s``: after opening the demo song in the editor, the seconds until the first segment of
  the lead dancer can be watched (the window's ``first_segment_ready`` signal); ``first_segment_wall_s``
  is the same moment counted from the process start (medians of ``--runs``). ``first_segment_cold_numba_s``:
  the same with numba's cache empty (a new empty ``NUMBA_CACHE_DIR`` per run), as on a fresh install's
  first run. Targets: 2 s and 8 s. ``first_segment_opened_later_s``: the same when the editor was started
  without a song and the song is opened (as File > Open does) 3 s after the generator is ready.

Needs a display: without one it starts its own Xvfb (as the GL tests do), so the figures are Mesa's
software GL (llvmpipe) unless run on a desktop.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

TARGET_FRAME_MS = 16.0
TARGET_LAUNCH_S = 3.0
TARGET_STALL_MS = 100.0
TARGET_FIRST_SEGMENT_S = 2.0  # after opening the demo song, numba's cache warm
TARGET_FIRST_SEGMENT_COLD_S = 8.0  # the same on a fresh install's first run (numba's cache empty)
WIDTH, HEIGHT = 1280, 720
FRAMES = 120  # 4 s of playback per figure
FIRST_SEGMENT_TIMEOUT_S = 240.0
LAUNCH_TIMEOUT_S = 120.0
DEMO_SONG = Path(__file__).resolve().parents[2] / "resources" / "demo" / "demo.wav"
ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding the ``studio`` package

_VIEWPORT_CHILD = """
import json, sys, time
from studio.ui.bench_ui import viewport_figures
print("FIGURES " + json.dumps(viewport_figures(int(sys.argv[1]))), flush=True)
"""

# Runs the real CLI (``python -m studio run ...``) with a watcher on the application: it reports when the
# main window is exposed (mode "launch") or when the window's first_segment_ready fires ("first-segment").
_EDITOR_CHILD = """
import logging, os, runpy, sys, time
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

mode, args = sys.argv[1], sys.argv[2:]
OPEN_LATER_MS = int(os.environ.get("CHOREO_BENCH_OPEN_LATER_MS", "3000"))
song = args[0] if args else None
if mode == "open-later":
    args = []  # started without a song
QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
app = QApplication(sys.argv[:1])

def report(what, value):  # then leave at once: the figure is taken, the editor's shutdown is not timed
    print(what, value, flush=True)
    sys.stderr.flush()
    os._exit(0)

def watch():
    for widget in QApplication.topLevelWidgets():
        handle = widget.windowHandle()
        if isinstance(widget, QMainWindow) and widget.isVisible() and handle is not None and handle.isExposed():
            timer.stop()
            if mode == "launch":
                QTimer.singleShot(0, lambda: report("INTERACTIVE", time.time()))
            elif mode == "stall":  # from the window shown (the song opening) to the whole dance made
                from studio.ui.stall import StallMeter

                meter = watch.meter = StallMeter()  # kept alive on the function
                meter.start()
                loading = watch.loading = []  # the worst stall while the generator loads (imports torch)

                def loaded(name, device):
                    loading.append(meter.worst_ms)
                    meter.gaps.clear()

                def done(seconds):
                    worst_loading = loading[0] if loading else float("nan")
                    report("STALL", f"{meter.worst_ms:.1f} {meter.percentile_ms(99):.1f} {seconds} {worst_loading:.1f}")

                widget.generation.generators_ready.connect(loaded)
                widget.dance_ready.connect(done)
            else:
                widget.first_segment_ready.connect(lambda seconds: report("FIRST_SEGMENT", f"{seconds} {time.time()}"))
                if mode == "open-later":  # the editor started empty; the song is opened once it has settled
                    widget.generation.generators_ready.connect(
                        lambda name, device: QTimer.singleShot(OPEN_LATER_MS, lambda: widget.session.open_song(song))
                    )
            return

class Failure(logging.Handler):  # the first error the editor logs ends a first-segment run
    def emit(self, record):
        if mode != "launch" and record.levelno >= logging.ERROR:
            lines = [line.strip() for line in record.getMessage().splitlines() if line.strip()]
            if record.exc_info:
                lines.append(f"{record.exc_info[0].__name__}: {record.exc_info[1]}")
            message = lines[0] + (" ... " + lines[-1] if len(lines) > 1 else "")  # what failed ... the exception
            QTimer.singleShot(0, lambda: report("FAILED", message))

logging.getLogger("studio").addHandler(Failure())
timer = QTimer()
timer.timeout.connect(watch)
timer.start(5)
sys.argv = ["studio", "run", *args]
try:
    runpy.run_module("studio", run_name="__main__")
except SystemExit:
    pass
"""


def bench_ui(args) -> dict:
    runs = max(1, args.runs or 3)
    with tempfile.TemporaryDirectory(prefix="choreo-bench-ui-") as scratch, _display() as display:
        scratch = Path(scratch)
        env = _child_env(display, scratch)
        viewport = [_run_viewport(env) for _ in range(runs)]
        song, song_label = _song(args, scratch)
        launch = [_launch_seconds(env, song) for _ in range(runs)]
        first = _first_segments(env, song, runs)
        stalls = [_stall(env, song) for _ in range(runs)]

    figures: dict = {"what": "ui", "size": f"{WIDTH}x{HEIGHT}", "runs": runs, "frames_per_run": FRAMES}
    for key in viewport[0]["configs"]:
        for measure in ("render_ms", "frame_ms", "cpu_ms"):
            if measure in viewport[0]["configs"][key]:
                values = [run["configs"][key][measure] for run in viewport]
                figures[f"viewport_{key}_{measure}"] = statistics.median(values)
    two = figures["viewport_two_dancers_frame_ms"]
    figures["target_frame_ms"] = TARGET_FRAME_MS
    figures["frame_meets_target"] = two <= TARGET_FRAME_MS
    figures["launch_s"] = statistics.median(launch)
    figures["target_launch_s"] = TARGET_LAUNCH_S
    figures["launch_meets_target"] = figures["launch_s"] <= TARGET_LAUNCH_S
    figures["song"] = song_label
    figures.update(first)
    measured = [run for run in stalls if "worst_ms" in run]
    if measured:
        figures["stall_worst_ms"] = statistics.median(run["worst_ms"] for run in measured)
        figures["stall_p99_ms"] = statistics.median(run["p99_ms"] for run in measured)
        figures["stall_while_loading_worst_ms"] = statistics.median(run["loading_worst_ms"] for run in measured)
        figures["target_stall_ms"] = TARGET_STALL_MS
        figures["stall_meets_target"] = figures["stall_worst_ms"] <= TARGET_STALL_MS
    figures["stall_runs"] = stalls
    figures["launch_runs"] = launch
    figures["viewport_runs"] = viewport
    figures["gl_renderer"] = viewport[0]["gl_renderer"]
    figures["gl_version"] = viewport[0]["gl_version"]
    figures["mesh_level_draws"] = viewport[0]["level_draws"]
    figures["load_average_1min"] = [run["load_average"] for run in viewport]
    figures["display"] = "own Xvfb" if display else os.environ.get("DISPLAY", "")
    figures["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    return figures


# --- the viewport, measured inside a child -------------------------------------------------------------
def viewport_figures(frames: int = FRAMES) -> dict:
    """Median render and frame times (ms) of a 1280x720 viewport: one dancer, two, two with the overlay."""
    from OpenGL import GL
    from PySide6.QtWidgets import QApplication

    from studio.body.provider import load_avatar
    from studio.ui.viewport import DancerView, DanceViewport
    from studio.ui.viewport.demo import demo_dance

    app = QApplication.instance() or QApplication(sys.argv[:1])
    avatar = load_avatar()
    seconds = frames / 30.0 + 1.0
    lead = DancerView(demo_dance(avatar, seconds, x=-0.6, facing=15.0), "#e07a5f", "lead")
    partner = DancerView(demo_dance(avatar, seconds, x=0.6, phase=1.5, facing=-15.0), "#3d85c6", "partner")
    view = DanceViewport()
    view.resize(WIDTH, HEIGHT)
    view.show()
    view.set_avatar(avatar)
    deadline = time.perf_counter() + 10
    while view.gl_error is None and not view.frame_times.stats()["count"] and time.perf_counter() < deadline:
        app.processEvents()  # until the first frame is on screen
        time.sleep(0.01)
    if view.gl_error or view.renderer is None:
        raise RuntimeError(f"the viewport did not start: {view.gl_error or 'no OpenGL context in 10 s'}")
    view.makeCurrent()
    renderer, version = GL.glGetString(GL.GL_RENDERER).decode(), GL.glGetString(GL.GL_VERSION).decode()
    view.doneCurrent()
    view.timing_sync = True

    def measure(dancers: list, overlay: bool, widget=view) -> dict:
        if dancers is not None:
            view.set_dancers(dancers)
            view.set_skeleton_overlay(overlay)
            view.set_camera_preset("front")
        for frame in range(10):  # warm-up: first uploads, caches
            view.set_time(frame / 30.0)
            widget.repaint()
            app.processEvents()
        view.frame_times.clear()
        walls = []
        cpu = time.process_time()
        for frame in range(frames):
            started = time.perf_counter()
            view.set_time(frame / 30.0)
            widget.repaint()
            app.processEvents()
            walls.append((time.perf_counter() - started) * 1000.0)
        cpu_ms = (time.process_time() - cpu) * 1000.0 / frames  # this process, all threads (llvmpipe's too)
        figures = {"frame_ms": statistics.median(walls), "cpu_ms": cpu_ms}
        if widget is view:
            figures["render_ms"] = view.frame_times.stats()["median"]
        return figures

    # What any OpenGL view of this size made like the viewport costs here (clear and swap): the floor under
    # the viewport's own frame time.
    blank = _blank_widget()
    blank.resize(WIDTH, HEIGHT)
    blank.show()
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)
    baseline = measure(None, False, widget=blank)
    blank.close()

    configs = {
        "qt_blank_widget": baseline,
        "one_dancer": measure([lead], False),
        "two_dancers": measure([lead, partner], False),
        "two_dancers_overlay": measure([lead, partner], True),
    }
    level_draws = dict(view.renderer.level_draws)
    view.close()
    return {
        "configs": configs,
        "gl_renderer": renderer,
        "gl_version": version,
        "level_draws": level_draws,
        "load_average": os.getloadavg()[0],
    }


def _blank_widget():
    """An empty OpenGL view built as ``DanceViewport`` is (a QOpenGLWindow in a window container): it clears."""
    from OpenGL import GL
    from PySide6.QtCore import QCoreApplication, QEvent, QObject
    from PySide6.QtOpenGL import QOpenGLWindow
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from studio.ui.viewport import surface_format

    class BlankGL(QOpenGLWindow):
        def paintGL(self) -> None:
            GL.glClearColor(0.1, 0.1, 0.1, 1.0)
            GL.glClear(GL.GL_COLOR_BUFFER_BIT)
            GL.glFinish()

    class Blank(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.surface = BlankGL()
            self.surface.setFormat(surface_format())
            QObject.setParent(self.surface, self)  # C++ owns it (see DanceViewport.__init__)
            layout = QVBoxLayout(self)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(QWidget.createWindowContainer(self.surface, self))

        def repaint(self) -> None:  # paint and swap now, as DanceViewport.repaint does
            if self.surface.isExposed():
                self.surface.update()
                QCoreApplication.sendEvent(self.surface, QEvent(QEvent.Type.UpdateRequest))

    return Blank()


def _run_viewport(env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _VIEWPORT_CHILD, str(FRAMES)], env=env, capture_output=True, text=True, timeout=600
    )
    for line in done.stdout.splitlines():
        if line.startswith("FIGURES "):
            return json.loads(line[len("FIGURES ") :])
    raise RuntimeError(f"the viewport benchmark's child failed:\n{done.stderr[-3000:]}")


# --- the editor ---------------------------------------------------------------------------------------------
def _song(args, scratch: Path) -> tuple[Path, str]:
    if args.song:
        return Path(args.song), str(args.song)
    if DEMO_SONG.is_file():
        return DEMO_SONG, str(DEMO_SONG.relative_to(ROOT))
    import soundfile

    from studio.audio.synth import demo_song

    generated = demo_song(60.0, bpm=120.0, sample_rate=44100)
    song = scratch / "demo.wav"
    soundfile.write(song, generated.samples, generated.sample_rate, subtype="PCM_16")
    return song, "generated 60-s pop song (resources/demo/demo.wav is missing)"


def _launch_seconds(env: dict, song: Path) -> float:
    started = time.time()
    out = _editor_child(env, "launch", song, timeout=LAUNCH_TIMEOUT_S)
    value = _reported(out, "INTERACTIVE")
    if value is None:
        raise RuntimeError(f"the editor did not show its window:\n{out[-3000:]}")
    return float(value.split()[0]) - started


def _first_segment(env: dict, song: Path, mode: str = "first-segment") -> dict:
    started = time.time()
    out = _editor_child(env, mode, song, timeout=FIRST_SEGMENT_TIMEOUT_S)
    value = _reported(out, "FIRST_SEGMENT")
    if value is None:
        failed = _reported(out, "FAILED")
        if failed:
            why = f"the editor logged an error: {failed}"
        elif _reported(out, "TIMEOUT"):
            why = f"no watchable segment in {FIRST_SEGMENT_TIMEOUT_S:.0f} s"
        else:
            why = "the editor did not report first_segment_ready"
        return {"first_segment_s": f"n/a ({why})", "first_segment_log": out[-2000:]}
    seconds, at = (float(v) for v in value.split())
    return {"first_segment_s": seconds, "first_segment_wall_s": at - started}


def _first_segments(env: dict, song: Path, runs: int) -> dict:
    """Medians of ``runs`` first-segment runs on this machine as it is (numba's cache warm: a second start),
    and of ``runs`` with numba's cache empty (``NUMBA_CACHE_DIR`` a new empty folder: a fresh install's first
    run, librosa's ``__pycache__`` not used), and of ``runs`` where the editor starts empty and the song is
    opened 3 s after its generator is ready (``_opened_later``: File > Open in a running editor, numba warm);
    each a fresh process with a fresh analysis cache."""
    figures: dict = {}
    for label, suffix in (("warm", ""), ("cold", "_cold_numba"), ("open-later", "_opened_later")):
        results = []
        for _ in range(runs):
            run_env = dict(env)
            if label == "cold":
                run_env["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="choreo-bench-numba-")
            results.append(_first_segment(run_env, song, "open-later" if label == "open-later" else "first-segment"))
            if label == "cold":
                shutil.rmtree(run_env["NUMBA_CACHE_DIR"], ignore_errors=True)
        measured = [r for r in results if isinstance(r["first_segment_s"], float)]
        if not measured:
            figures.update({key + suffix: value for key, value in results[0].items()})
            continue
        figures["first_segment" + suffix + "_s"] = statistics.median(r["first_segment_s"] for r in measured)
        figures["first_segment" + suffix + "_wall_s"] = statistics.median(r["first_segment_wall_s"] for r in measured)
        figures["first_segment" + suffix + "_runs"] = [r["first_segment_s"] for r in measured]
    figures["target_first_segment_s"] = TARGET_FIRST_SEGMENT_S
    figures["target_first_segment_cold_numba_s"] = TARGET_FIRST_SEGMENT_COLD_S
    return figures


def _stall(env: dict, song: Path) -> dict:
    out = _editor_child(env, "stall", song, timeout=FIRST_SEGMENT_TIMEOUT_S)
    value = _reported(out, "STALL")
    if value is None:
        return {"error": _reported(out, "FAILED") or "no whole dance in time", "log": out[-2000:]}
    worst, p99, dance_s, loading = (float(v) for v in value.split())
    return {"worst_ms": worst, "p99_ms": p99, "dance_s": dance_s, "loading_worst_ms": loading}


def _editor_child(env: dict, mode: str, song: Path, timeout: float) -> str:
    # Each run gets its own settings, data and cache folders, as a first start on a new machine: an earlier
    # run killed mid-work would otherwise leave an autosave behind, and the next start would ask about it.
    with tempfile.TemporaryDirectory(prefix="choreo-bench-editor-") as home:
        child = subprocess.Popen(
            [sys.executable, "-c", _EDITOR_CHILD, mode, str(song)],
            env=_fresh_home(env, Path(home)),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            return child.communicate(timeout=timeout)[0]
        except subprocess.TimeoutExpired:
            child.kill()
            return child.communicate()[0] + f"\nTIMEOUT {timeout}"


def _reported(output: str, tag: str) -> str | None:
    for line in output.splitlines():
        if line.startswith(tag + " "):
            return line[len(tag) + 1 :]
    return None


# --- display ---------------------------------------------------------------------------------------------------
def _child_env(display: str | None, scratch: Path) -> dict:
    env = dict(os.environ)
    if display:
        env["DISPLAY"] = display
    env.pop("QT_QPA_PLATFORM", None)  # offscreen has no OpenGL
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [ROOT, env.get("PYTHONPATH")]))
    # Mesa's shader cache is the machine's, like numba's: kept across this bench's runs (the viewport runs
    # fill it), so the figures are a second start's. With it empty, llvmpipe compiles the viewport's shaders
    # on the UI thread at its first paint: a 240-300 ms stall once per machine (docs/startup.md).
    env.setdefault("MESA_SHADER_CACHE_DIR", str(scratch / "mesa-shader-cache"))
    return _fresh_home(env, scratch)


def _fresh_home(env: dict, home: Path) -> dict:
    """Private settings, data and caches: no recent files, no autosave recoveries asking questions, and the
    song analysed as on a first open."""
    env = dict(env)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    env["CHOREO_STUDIO_CACHE"] = str(home / "analysis-cache")
    return env


@contextlib.contextmanager
def _display() -> Iterator[str | None]:
    """None when a display is there (DISPLAY / WAYLAND_DISPLAY); else start Xvfb and yield its name."""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or not sys.platform.startswith("linux"):
        yield None
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise RuntimeError("bench ui needs a display or Xvfb (Debian: apt-get install xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)
