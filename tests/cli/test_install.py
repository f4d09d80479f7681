"""The wheel, installed as a user would: built from the checkout, installed into a fresh venv outside it.

``python -m build`` makes the sdist and the wheel from it; the wheel goes into a new venv in a temporary
folder with pip ``--no-deps``, and a ``.pth`` file lets that venv see the checkout venv's packages (torch,
PySide6, ...) so nothing is downloaded again. Only the venv's own ``studio`` is importable there: the
checkout's editable-install hook lives in a ``.pth`` file of the checkout venv, and ``.pth`` files of a folder
added by a ``.pth`` line are not run. The installed ``choreo-studio`` then generates a dance for a
synthetic song with the shipped FDGN and GCRM (read back from the project), opens the editor under Xvfb on
that project (``CHOREO_SCREENSHOT``: it saves a picture once the window shows, then quits) and installs
the desktop files. Nothing is written into the checkout but the sdist's ``choreo_studio.egg-info``.

29 s on the project's 2-core machine at load 4.5 (52 s at load 6), 17 s of CPU time: most of it the
generation and the editor's start (docs/install.md has the steps).
"""

from __future__ import annotations

import ast
import json
import os
import site
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import soundfile

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_S = 300
# The wheel's size is mostly fdgn-small's weights and the demo song (12 MB in all); more means junk got in.
MAX_WHEEL_MB = 40
# Variables that would let the installed program find the checkout's files or a person's own.
SCRUBBED = ("CHOREO_STUDIO_MODELS", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CHOREO_SCREENSHOT_WHEN")

pytestmark = pytest.mark.slow


def _run(command: list, *, cwd: Path, env: dict[str, str] | None = None, timeout: float = TIMEOUT_S):
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)  # fmt: skip
    assert done.returncode == 0, f"{' '.join(map(str, command))} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    return done


def _shipped_patterns() -> tuple[str, ...]:
    """setup.py's SHIPPED, read without running setup.py."""
    tree = ast.parse((REPO / "setup.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "SHIPPED" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("setup.py has no SHIPPED")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(work folder, the venv, the wheel, environment for the installed commands, seconds per step)."""
    pytest.importorskip("build", reason="the dev extra's build package (pip install -e '.[dev]')")
    work = tmp_path_factory.mktemp("installed")
    times: dict[str, float] = {}

    started = time.perf_counter()
    # --no-isolation: the checkout venv's setuptools, so CI downloads nothing for the build.
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", work / "dist", REPO], cwd=work)
    (wheel,) = (work / "dist").glob("*.whl")
    times["build"] = time.perf_counter() - started

    started = time.perf_counter()
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=work)
    python = venv / "bin" / "python"
    # The checkout's pip installs into the new venv (pip --python), before the venv can see the checkout
    # venv: pip then finds no choreo-studio already installed elsewhere.
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel],
         cwd=work)  # fmt: skip
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=work).stdout
    (Path(purelib.strip()) / "checkout_venv_packages.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    times["install"] = time.perf_counter() - started

    home = work / "home"
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_CACHE_HOME=str(home / ".cache"), CHOREO_STUDIO_DATA=str(home / "data"),
               CHOREO_STUDIO_CACHE=str(home / "cache"), OMP_NUM_THREADS=env.get("OMP_NUM_THREADS", "2"))  # fmt: skip
    return work, venv, wheel, env, times


def test_the_wheel_holds_the_shipped_files_and_no_more(installed):
    _, _, wheel, _, _ = installed
    expected = {
        f"studio/_data/{path.relative_to(REPO).as_posix()}"
        for pattern in _shipped_patterns()
        for path in REPO.glob(pattern)
        if path.is_file()
    }
    assert {"studio/_data/models/fdgn-small/model.safetensors", "studio/_data/models/gcrm-small/config.json",
            "studio/_data/resources/demo/demo.wav", "studio/_data/resources/icons/choreo-studio.svg",
            "studio/_data/packaging/choreo-studio.desktop"} <= expected  # fmt: skip
    with zipfile.ZipFile(wheel) as archive:
        data = {name for name in archive.namelist() if name.startswith("studio/_data/")}
        assert "studio/py.typed" in archive.namelist()
    assert data == expected  # the sdist (MANIFEST.in) lost nothing of SHIPPED, and nothing else came in
    size_mb = wheel.stat().st_size / 2**20
    print(f"\nwheel {wheel.name}: {size_mb:.1f} MB")
    assert size_mb < MAX_WHEEL_MB


def test_the_installed_package_is_the_wheel_not_the_checkout(installed):
    work, venv, _, env, _ = installed
    probe = ("import json, studio, studio.core.resources as r; "
             "print(json.dumps([studio.__file__, str(r.shipped_root()), r.is_installed(), str(r.demo_song()), "
             "r.demo_song().is_file(), [str(p) for p in r.model_dirs()]]))")  # fmt: skip
    done = _run([venv / "bin" / "python", "-c", probe], cwd=work, env=env)
    module, root, is_installed, demo, demo_found, model_dirs = json.loads(done.stdout)
    assert Path(module).is_relative_to(venv) and not Path(module).is_relative_to(REPO)
    assert is_installed and Path(root) == Path(module).parent / "_data" and demo_found
    assert Path(demo).is_relative_to(venv)
    assert model_dirs == [str(Path(env["CHOREO_STUDIO_DATA"]) / "models"), str(Path(root) / "models")]


def test_generate_uses_the_shipped_fdgn_and_gcrm_then_the_editor_opens_the_project(installed, capsys):
    from studio.audio.synth import demo_song
    from studio.io import project as project_file

    work, venv, _, env, times = installed
    track = demo_song(8.0, seed=3)  # a synthetic pop song: 2 segments of 4 s, so the second has a seam (CS)
    song = work / "song.wav"
    soundfile.write(song, track.samples, track.sample_rate)
    out = work / "song.choreo"
    launcher = venv / "bin" / "choreo-studio"

    started = time.perf_counter()
    # 2 candidates, 2 denoising steps: what is checked is which models made and ranked them, not how well
    # they dance (tests/ml and the model cards do that), and each step of fdgn-small costs ~1 s here.
    command = [launcher, "generate", song, "-o", out, "--candidates", "2", "--steps", "2", "--threads", "2"]
    done = _run(command, cwd=work, env=env)
    times["generate"] = time.perf_counter() - started
    assert "genres:" in done.stderr and "no genre ranking" not in done.stderr, done.stderr  # GCRM's guess

    project = project_file.load(out)
    assert project.settings.model_id == "fdgn-small"
    candidates = [c for segment in range(project.num_segments) for c in project.candidates(project.lead.id, segment)]
    assert project.num_segments == 2 and len(candidates) == 4
    assert {c.model_id for c in candidates} == {"fdgn-small"}  # not the procedural baseline
    assert all({"gs", "cs"} <= set(c.scores) and c.genre for c in candidates)  # ranked by GCRM

    # The installed launcher with just a file: the editor, on that project.
    shot = work / "window.png"
    started = time.perf_counter()
    _run([launcher, out], cwd=work, env={**env, "CHOREO_SCREENSHOT": str(shot)}, timeout=120)
    times["editor"] = time.perf_counter() - started
    assert shot.is_file() and shot.stat().st_size > 10_000

    # install-desktop from the installed command: the entry runs this venv's launcher, the icon is the wheel's.
    share = work / "share"
    _run([launcher, "install-desktop", "--data-home", share], cwd=work, env=env)
    entry = (share / "applications" / "choreo-studio.desktop").read_text()
    assert f"Exec={launcher} run %f" in entry.splitlines()
    assert (share / "icons/hicolor/scalable/apps/choreo-studio.svg").read_bytes() == (
        REPO / "resources/icons/choreo-studio.svg"
    ).read_bytes()

    with capsys.disabled():
        print("\ninstall test seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in times.items()))
