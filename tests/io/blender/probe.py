"""Run under Blender's Python (``.venv-blender/bin/python probe.py ...``): import a file, report what Blender sees.

Writes an NPZ: ``report`` (JSON text: armatures with bone names and parents, fps, action key ranges,
meshes), ``joints/<armature>`` (F, B, 3) world positions of the pose bone heads on the sampled frames,
and ``mesh/<object>/<frame>`` (V, 3) world positions of the evaluated (skinned) mesh vertices.
Nothing is compared here: the test does that with the project's own numpy code.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys

import bpy
import numpy as np
from bpy_extras import anim_utils


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("out")
    parser.add_argument("--format", choices=["fbx", "bvh", "gltf"], required=True)
    parser.add_argument("--scene-fps", type=int, default=None, help="set before importing (glTF keys use it)")
    parser.add_argument("--bvh-scale", type=float, default=1.0)
    parser.add_argument("--frames", type=int, nargs=2, required=True, help="first and last frame to sample")
    parser.add_argument("--mesh-frames", type=int, nargs="*", default=[])
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra importer option (Python literal), e.g. automatic_bone_orientation=True",
    )
    return parser.parse_args(sys.argv[1:])


def _import(args: argparse.Namespace) -> None:
    bpy.ops.wm.read_factory_settings(use_empty=True)
    extra = {}
    for item in args.option:
        name, _, value = item.partition("=")
        extra[name] = ast.literal_eval(value)
    if args.scene_fps:
        bpy.context.scene.render.fps = args.scene_fps
    if args.format == "fbx":
        operator, options = bpy.ops.import_scene.fbx, {"anim_offset": 0.0}
    elif args.format == "gltf":
        operator, options = bpy.ops.import_scene.gltf, {}
    else:  # no axis change by default: the file's Y-up numbers arrive unchanged
        operator = bpy.ops.import_anim.bvh
        options = {"axis_forward": "Y", "axis_up": "Z", "rotate_mode": "NATIVE", "global_scale": args.bvh_scale,
                   "update_scene_fps": True, "update_scene_duration": True}  # fmt: skip
    options.update(extra)
    known = operator.get_rna_type().properties.keys()
    unknown = sorted(set(options) - set(known))
    if unknown:  # a Blender whose importer renamed its options: say so plainly
        raise SystemExit(f"{operator.idname_py()} has no option {unknown}; it has {sorted(known)}")
    result = operator(filepath=args.path, **options)
    if result != {"FINISHED"}:
        raise SystemExit(f"Blender's importer answered {result}")


def _action_report(obj: bpy.types.Object) -> dict:
    animation = obj.animation_data
    if animation is None or animation.action is None:
        return {}
    action = animation.action
    channelbag = anim_utils.action_get_channelbag_for_slot(action, animation.action_slot)
    curves = list(channelbag.fcurves) if channelbag else []
    counts = [len(c.keyframe_points) for c in curves]
    firsts = [c.keyframe_points[0].co[0] for c in curves if len(c.keyframe_points)]
    lasts = [c.keyframe_points[-1].co[0] for c in curves if len(c.keyframe_points)]
    return {
        "name": action.name,
        "frame_range": list(action.frame_range),
        "curves": len(curves),
        "keys": [min(counts, default=0), max(counts, default=0)],
        "first_key": min(firsts, default=None),
        "last_key": max(lasts, default=None),
    }


def main() -> None:
    args = _arguments()
    _import(args)
    scene = bpy.context.scene
    armatures = [o for o in scene.objects if o.type == "ARMATURE"]
    meshes = [o for o in scene.objects if o.type == "MESH" and o.data.vertices and o.parent]  # not bone shapes
    report = {
        "fps": scene.render.fps,
        "fps_base": scene.render.fps_base,
        "frame_end": scene.frame_end,
        "armatures": [
            {
                "name": arm.name,
                "bones": [b.name for b in arm.data.bones],
                "parents": [b.parent.name if b.parent else None for b in arm.data.bones],
                "action": _action_report(arm),
            }
            for arm in armatures
        ],
        "meshes": [
            {
                "name": m.name,
                "parent": m.parent.name if m.parent else None,
                "vertices": len(m.data.vertices),
                "armature_modifiers": [mod.object.name for mod in m.modifiers if mod.type == "ARMATURE" and mod.object],
                "materials": [s.material.name for s in m.material_slots if s.material],
            }
            for m in meshes
        ],
    }
    arrays: dict[str, np.ndarray] = {}
    first, last = args.frames
    frames = range(first, last + 1)
    heads = {arm.name: np.zeros((len(frames), len(arm.pose.bones), 3)) for arm in armatures}
    for row, frame in enumerate(frames):
        scene.frame_set(frame)
        for arm in armatures:
            world = arm.matrix_world
            heads[arm.name][row] = [tuple(world @ pb.head) for pb in arm.pose.bones]
        if frame in args.mesh_frames:
            depsgraph = bpy.context.evaluated_depsgraph_get()
            for obj in meshes:
                evaluated = obj.evaluated_get(depsgraph)
                mesh = evaluated.to_mesh()
                co = np.empty(len(mesh.vertices) * 3)
                mesh.vertices.foreach_get("co", co)
                matrix = np.array(evaluated.matrix_world)
                co = co.reshape(-1, 3) @ matrix[:3, :3].T + matrix[:3, 3]
                arrays[f"mesh/{obj.name}/{frame}"] = co
                evaluated.to_mesh_clear()
    for name, values in heads.items():
        arrays[f"joints/{name}"] = values
    arrays["pose_bones"] = np.array(json.dumps({a.name: [pb.name for pb in a.pose.bones] for a in armatures}))
    np.savez(args.out, report=np.array(json.dumps(report)), **arrays)


if __name__ == "__main__":
    main()
