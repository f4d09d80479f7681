"""Run Blender (as the ``bpy`` module in its own venv, ``.venv-blender``) on exported files.

bpy 5.0.1 needs Python 3.11 and numpy<2, so it cannot live in the project venv: the probe script runs
in a subprocess and hands back an NPZ. ``make test`` creates ``.venv-blender``; without it these tests
skip and say how to get it. ``CHOREO_BLENDER_PYTHON`` may point at another bpy-capable interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[3]
PROBE = Path(__file__).with_name("probe.py")


def _blender_python() -> Path | None:
    configured = os.environ.get("CHOREO_BLENDER_PYTHON")
    candidate = Path(configured) if configured else ROOT / ".venv-blender" / "bin" / "python"
    return candidate if candidate.exists() else None


@dataclass
class BlenderView:
    """What Blender imported: the report plus the sampled arrays."""

    report: dict
    arrays: dict[str, np.ndarray]

    def armature(self, name: str) -> dict:
        return next(a for a in self.report["armatures"] if a["name"] == name)

    def joints(self, armature: str, names: list[str]) -> np.ndarray:
        """(F, len(names), 3) world positions of the named bones' heads, in the order asked."""
        bones = self.pose_bones[armature]
        return self.arrays[f"joints/{armature}"][:, [bones.index(n) for n in names]]

    @property
    def pose_bones(self) -> dict[str, list[str]]:
        return json.loads(str(self.arrays["pose_bones"]))


@pytest.fixture(scope="session")
def blender_python() -> Path:
    python = _blender_python()
    if python is None:
        pytest.skip("Blender checks need .venv-blender (make .venv-blender: a Python 3.11 venv with bpy==5.0.1)")
    return python


@pytest.fixture()
def blender(blender_python, tmp_path):
    def probe(
        path: Path,
        fmt: str,
        frames: tuple[int, int],
        mesh_frames=(),
        bvh_scale: float = 1.0,
        scene_fps: int | None = None,
        **options,
    ) -> BlenderView:
        out = tmp_path / f"{Path(path).stem}.blender.npz"
        command = [str(blender_python), str(PROBE), str(path), str(out), "--format", fmt,
                   "--frames", str(frames[0]), str(frames[1]), "--bvh-scale", str(bvh_scale),
                   *(["--scene-fps", str(scene_fps)] if scene_fps else []),
                   "--mesh-frames", *map(str, mesh_frames),
                   *(f"--option={name}={value!r}" for name, value in options.items())]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
        if done.returncode != 0:
            raise AssertionError(
                f"Blender probe failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )
        with np.load(out) as data:
            arrays = {key: data[key] for key in data.files}
        return BlenderView(json.loads(str(arrays.pop("report"))), arrays)

    return probe
