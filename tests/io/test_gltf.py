import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from studio.core.errors import MotionFormatError
from studio.core.skeleton import JOINT_NAMES
from studio.io import gltf

pygltflib = pytest.importorskip("pygltflib")

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = Path(os.environ.get("CHOREO_GLTF_VALIDATOR", ROOT / ".cache" / "npm" / "node_modules"))


def _validate(path: Path) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("the Khronos glTF validator runs on node, which is not installed")
    if not (VALIDATOR / "gltf-validator").is_dir():
        pytest.skip(f"no gltf-validator in {VALIDATOR} (make tools: npm install --prefix .cache/npm gltf-validator)")
    script = Path(__file__).with_name("gltf_validate.cjs")
    done = subprocess.run([node, str(script), str(path)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NODE_PATH": str(VALIDATOR)})  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _issues(report: dict) -> list[str]:
    return [f"{m['code']}: {m['message']} ({m.get('pointer', '')})" for m in report["issues"]["messages"]]


@pytest.mark.parametrize("suffix", [".glb", ".gltf"])
def test_khronos_validator_finds_no_errors(tmp_path, avatar, duet, suffix):
    path = tmp_path / f"duet{suffix}"
    gltf.save(path, duet, avatar)
    report = _validate(path)
    issues = report["issues"]
    print(f"glTF validator ({suffix}): {issues['numErrors']} errors, {issues['numWarnings']} warnings,"
          f" {issues['numInfos']} infos, {issues['numHints']} hints")  # fmt: skip
    assert issues["numErrors"] == 0, _issues(report)
    assert issues["numWarnings"] == 0, _issues(report)
    info = report["info"]
    assert info["animationCount"] == 1 and info["hasSkins"] and info["drawCallCount"] == 2


def test_round_trip_and_structure(tmp_path, avatar, duet):
    path = tmp_path / "duet.glb"
    gltf.save(path, duet, avatar)
    back = gltf.load(path)
    assert sorted(back) == ["Ana", "Ben"]
    for name, motion in duet.items():
        assert back[name].fps == 30.0 and back[name].num_frames == motion.num_frames
        assert np.abs(back[name].rotations - motion.rotations).max() < 1e-5
        assert np.abs(back[name].positions(avatar.skeleton) - motion.positions(avatar.skeleton)).max() < 1e-5
    doc = pygltflib.GLTF2().load(str(path))
    assert [s.name for s in doc.skins] == ["Ana", "Ben"]
    assert [doc.nodes[j].name for j in doc.skins[0].joints] == list(JOINT_NAMES)
    assert [m.name for m in doc.meshes] == ["Ana_body", "Ben_body"]


def test_skin_data_reproduces_our_skinning(tmp_path, avatar, dances):
    """Apply glTF's skinning formula to the file's own arrays: the vertices match Avatar.skin."""
    motion = dances.lively(12)
    path = tmp_path / "solo.glb"
    gltf.save(path, {"Solo": motion}, avatar)
    doc = pygltflib.GLTF2().load(str(path))
    attributes = doc.meshes[0].primitives[0].attributes
    positions = gltf._read(doc, attributes.POSITION).astype(np.float64)
    joints = gltf._read(doc, attributes.JOINTS_0).astype(int)
    weights = gltf._read(doc, attributes.WEIGHTS_0).astype(np.float64)
    inverse_bind = gltf._read(doc, doc.skins[0].inverseBindMatrices).reshape(-1, 4, 4).transpose(0, 2, 1)
    world = motion.global_transforms(avatar.skeleton)[7]  # frame 7
    skin_matrices = world @ inverse_bind
    homogeneous = np.concatenate([positions, np.ones((len(positions), 1))], axis=1)
    posed = np.einsum("vk,vkij,vj->vi", weights, skin_matrices[joints], homogeneous)[:, :3]
    assert np.linalg.norm(posed - avatar.skin(motion, np.array([7]))[0], axis=1).max() < 1e-5


def test_skeleton_only_export(tmp_path, skeleton, dances):
    path = tmp_path / "bones.glb"
    gltf.save(path, {"Solo": dances.lively(5)}, skeleton)
    doc = pygltflib.GLTF2().load(str(path))
    assert doc.meshes == [] and doc.skins == [] and len(doc.animations[0].channels) == 53


def test_load_rejects_foreign_files(tmp_path):
    path = tmp_path / "other.glb"
    path.write_bytes(b"not a glb at all")
    with pytest.raises(MotionFormatError, match="glTF written by Choreo Studio"):
        gltf.load(path)
