import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from studio.core.errors import MotionFormatError
from studio.core.skeleton import JOINT_NAMES, PARENTS
from studio.io import fbx, fbx_binary
from studio.io.fbx_binary import Float32, Int64, Node


def test_binary_container_round_trips_every_property_type():
    arrays = [np.arange(5, dtype=t) for t in (np.int32, np.int64, np.float32, np.float64)]
    big = np.linspace(0, 1, 1000)  # above the compression threshold: zlib
    node = Node("Top", [True, 7, Int64(2**40), Float32(1.5), 2.25, "text", b"\x00raw", *arrays, big])
    node.add("Child", "x").add("Grandchild")
    nodes = [node, Node("Empty"), Node("Last", [1])]
    data = fbx_binary.encode(nodes)
    version, back = fbx_binary.decode(data)
    assert version == 7400 and [n.name for n in back] == ["Top", "Empty", "Last"]
    props = back[0].props
    assert props[:7] == [True, 7, 2**40, 1.5, 2.25, "text", b"\x00raw"]
    assert isinstance(props[2], Int64) and isinstance(props[3], Float32)
    for got, want in zip(props[7:], [*arrays, big], strict=True):
        assert got.dtype == want.dtype and np.array_equal(got, want)
    assert back[0].children[0].children[0].name == "Grandchild"
    assert fbx_binary.encode(back) == data  # decode -> encode is byte-exact
    assert data.endswith(b"\xf8\x5a\x8c\x6a\xde\xf5\xd9\x7e\xec\xe9\x0c\xe3\x75\x8f\x29\x0b")


def _top(path):
    version, nodes = fbx_binary.read(path)
    assert version == 7400
    return {n.name: n for n in nodes}


def _settings(top):
    return {p.props[0]: p.props[4:] for p in top["GlobalSettings"].find("Properties70").children}


def test_file_layout_and_global_settings(tmp_path, avatar, duet):
    path = tmp_path / "duet.fbx"
    fbx.save(path, duet, avatar)
    top = _top(path)
    assert list(top) == ["FBXHeaderExtension", "FileId", "CreationTime", "Creator", "GlobalSettings", "Documents",
                         "References", "Definitions", "Objects", "Connections", "Takes"]  # fmt: skip
    settings = _settings(top)
    assert settings["UpAxis"] == [1] and settings["FrontAxis"] == [2] and settings["CoordAxis"] == [0]
    assert settings["UnitScaleFactor"] == [100.0] and settings["TimeMode"] == [6]
    assert settings["TimeSpanStop"] == [59 * fbx.KTIME_PER_SECOND // 30]
    kinds = {}
    for obj in top["Objects"].children:
        kinds.setdefault((obj.name, obj.props[2]), []).append(obj.props[1].split("\x00\x01")[0])
    assert sorted(kinds[("Model", "Null")]) == ["Ana", "Ben"]
    assert sorted(kinds[("Model", "LimbNode")]) == sorted(JOINT_NAMES * 2)
    assert sorted(kinds[("Model", "Mesh")]) == ["Ana_body", "Ben_body"]
    assert len(kinds[("Deformer", "Skin")]) == 2 and len(kinds[("Pose", "BindPose")]) == 2
    assert len(kinds[("AnimationCurveNode", "")]) == 2 * 53  # pelvis T + 52 R per dancer
    counts = {t.props[0]: t.find("Count").props[0] for t in top["Definitions"].find_all("ObjectType")}
    assert counts["Model"] == 2 * (1 + 52 + 1) and counts["AnimationCurve"] == 2 * 53 * 3
    curve = next(o for o in top["Objects"].children if o.name == "AnimationCurve")
    assert np.array_equal(curve.find("KeyTime").props[0], np.arange(60) * (fbx.KTIME_PER_SECOND // 30))


def test_custom_frame_rate(tmp_path, skeleton, dances):
    path = tmp_path / "odd.fbx"
    fbx.save(path, {"Solo": dances.lively(10, fps=29.5)}, skeleton)
    settings = _settings(_top(path))
    assert settings["TimeMode"] == [14] and settings["CustomFrameRate"] == [29.5]
    assert fbx.load(path)["Solo"].fps == 29.5


def test_load_round_trip(tmp_path, avatar, duet):
    path = tmp_path / "duet.fbx"
    fbx.save(path, duet, avatar, mesh=False)
    back = fbx.load(path)
    assert sorted(back) == ["Ana", "Ben"]
    for name, motion in duet.items():
        assert back[name].fps == 30.0
        assert np.abs(back[name].rotations - motion.rotations).max() < 1e-5  # float32 keys
        assert np.abs(back[name].trans - motion.trans).max() < 1e-6
    assert np.allclose(fbx.rest_skeleton(path).rest_positions, avatar.skeleton.rest_positions)


def test_load_rejects_foreign_files(tmp_path):
    path = tmp_path / "not.fbx"
    path.write_text("; FBX 7.4.0 project file (ASCII)")
    with pytest.raises(MotionFormatError, match="FBX written by Choreo Studio"):
        fbx.load(path)


def test_rejects_dancers_of_different_length(skeleton, dances):
    with pytest.raises(ValueError, match="share a frame rate"):
        fbx.dumps({"A": dances.lively(10), "B": dances.lively(12)}, skeleton)


# -- ufbx: a second, independent reader ----------------------------------------------------------------


def _ufbx(path, frames, skin_frame, tmp_path):
    out = tmp_path / "ufbx.npz"
    probe = Path(__file__).with_name("ufbx_probe.py")
    done = subprocess.run([sys.executable, str(probe), str(path), str(out), str(frames), str(skin_frame)],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, f"ufbx probe failed ({done.returncode}): {done.stderr[-2000:]}"
    with np.load(out) as data:
        arrays = {key: data[key] for key in data.files}
    return json.loads(str(arrays.pop("report"))), arrays


@pytest.mark.parametrize("kind", ["lively", "fast_spin"])
def test_ufbx_reads_same_joint_positions_and_skin(tmp_path, avatar, dances, kind):
    pytest.importorskip("ufbx", reason="ufbx (the second FBX reader) comes with the dev extras")
    motion = getattr(dances, kind)(45)
    path = tmp_path / f"{kind}.fbx"
    fbx.save(path, {"Solo": motion}, avatar, mesh=True)
    report, arrays = _ufbx(path, motion.num_frames, 20, tmp_path)
    assert report["unit_meters"] == 1.0 and report["fps"] == 30.0
    assert report["stack"] == "Dance" and report["time_end"] == pytest.approx(44 / 30)
    parents = report["parents"]
    assert parents["Solo"] == "" and parents["pelvis"] == "Solo" and parents["Solo_body"] == "Solo"
    assert all(parents[name] == JOINT_NAMES[p] for name, p in zip(JOINT_NAMES[1:], PARENTS[1:], strict=True))
    names = list(arrays["names"])
    got = arrays["positions"][:, [names.index(n) for n in JOINT_NAMES]]
    error = np.abs(got - motion.positions(avatar.skeleton)).max()
    influencing = set(avatar.skin_joints[avatar.skin_weights > 0].tolist())
    assert report["clusters"] == [len(influencing)]
    assert report["skinned_unique_per_vertex"] == [True] and report["skinned_is_local"] == [False]
    expected = avatar.skin(motion, np.array([20]))[0]
    vertex_error = np.linalg.norm(arrays["skinned/Solo_body"] - expected, axis=1).max()
    print(f"ufbx {kind}: max joint error {error * 1000:.4f} mm, max skinned vertex error {vertex_error * 1000:.4f} mm")
    assert error < 1e-4 and vertex_error < 1e-4
