"""Read an FBX with ufbx (a second, independent reader) in a child process; write what it sees to an NPZ.

Usage: ``python ufbx_probe.py FILE.fbx OUT.npz FRAMES SKIN_FRAME``. A child process, because ufbx 0.0.5's
Python wrappers crash when freed in some orders: every wrapper is kept alive in ``_keep`` until the end,
and a crash fails one test instead of killing the whole pytest run.
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np
import ufbx

_keep: list = []


def hold(obj):
    _keep.append(obj)
    return obj


def main() -> None:
    path, out, frames, skin_frame = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    scene = hold(ufbx.load_file(path))
    settings = hold(scene.settings)
    stack = hold(hold(scene.anim_stacks)[0])
    fps = settings.frames_per_second
    nodes = [hold(n) for n in hold(scene.nodes)]
    parents = {}
    for node in nodes:
        parent = hold(node.parent)
        parents[node.name] = None if parent is None else parent.name
    skins = [hold(s) for s in hold(scene.skin_deformers)]
    report = {
        "unit_meters": settings.unit_meters,
        "fps": fps,
        "stack": stack.name,
        "time_end": stack.time_end,
        "parents": parents,
        "clusters": [len(hold(s.clusters)) for s in skins],
    }
    anim = hold(stack.anim)
    names = [n.name for n in nodes]
    positions = np.zeros((frames, len(nodes), 3))
    for frame in range(frames):
        evaluated = hold(ufbx.evaluate_scene(scene, anim, frame / fps))
        for column, node in enumerate(hold(evaluated.nodes)):
            hold(node)
            positions[frame, column] = tuple(hold(hold(node.node_to_world).c3))
    arrays = {"positions": positions}
    evaluated = hold(ufbx.evaluate_scene(scene, anim, skin_frame / fps, evaluate_skinning=True))
    for mesh in hold(evaluated.meshes):
        hold(mesh)
        skinned = hold(mesh.skinned_position)
        report.setdefault("skinned_unique_per_vertex", []).append(skinned.unique_per_vertex)
        report.setdefault("skinned_is_local", []).append(mesh.skinned_is_local)
        arrays[f"skinned/{mesh.name}"] = np.array([tuple(v) for v in hold(skinned.values)])
    np.savez(out, report=np.array(json.dumps(report)), names=np.array(names), **arrays)
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown, where the wrappers' destructors may crash


if __name__ == "__main__":
    main()
