"""Shared test set-up.  Kept small: fixtures for one package live in that package's tests/<pkg>/conftest.py."""

from __future__ import annotations

import os
import sys

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # pytest-xvfb has started Xvfb and set DISPLAY by now, if Xvfb is installed.
    if not sys.platform.startswith("linux") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    if os.environ.get("CI"):
        # A CI run that silently skipped the window and GL tests would be green for the wrong reason.
        raise pytest.UsageError("no display and no Xvfb: run packaging/debian-deps.sh (installs xvfb)")
    # Local run without Xvfb: plain widgets still work on Qt's offscreen platform, which has no OpenGL.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    skip_gl = pytest.mark.skip(reason="needs OpenGL: no display, and Xvfb is not installed")
    for item in items:
        if item.get_closest_marker("gl"):
            item.add_marker(skip_gl)


@pytest.fixture
def tiny_fdgn(tmp_path, monkeypatch):
    """An untrained tiny FDGN saved as models/fdgn-small (the generator the editor prefers when it exists)."""
    torch = pytest.importorskip("torch")
    from studio.ml.fdgn import FDGN, preset
    from studio.ml.normalize import Normalizer
    from studio.ml.weights import save_pretrained

    torch.manual_seed(0)
    save_pretrained(tmp_path / "fdgn-small", FDGN(preset("tiny")), Normalizer.identity())
    monkeypatch.setenv("CHOREO_STUDIO_MODELS", str(tmp_path))
    return tmp_path / "fdgn-small"
