"""FBX (binary 7.4) export of one or more dancers, by our own writer: no FBX SDK, Blender-verified.

What is in the file:

- GlobalSettings: Y up, +Z front, +X side (right-handed, our frame), ``UnitScaleFactor`` 100 (one file
  unit = 100 cm = 1 m: values are metres), the frame rate as ``TimeMode`` (``CustomFrameRate`` if it is
  not a standard rate);
- per dancer a ``Null`` model named after the dancer (Blender turns it into the armature object), the 52
  ``LimbNode`` models with our joint names under it, rest pose = T-pose: ``Lcl Translation`` = rest
  offset from the parent, ``Lcl Rotation`` 0 (so bind matrices are pure translations);
- optionally the skinned avatar: Geometry + Mesh model + Material, a Skin deformer with one Cluster per
  influencing joint (Indexes, Weights, Transform, TransformLink), and a BindPose;
- one AnimationStack/Layer (the take) with, per dancer, the pelvis's ``Lcl Translation`` and every
  joint's ``Lcl Rotation``: Euler XYZ (FBX ``eEulerXYZ``: ``R = Rz @ Ry @ Rx``), degrees, one key per frame,
  linear, unwrapped over time. Key times are in FBX ticks, 46186158000 per second.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import numpy as np

from studio.body.avatar import Avatar
from studio.core import rotations as rot
from studio.core.atomic import atomic_path
from studio.core.errors import MotionFormatError
from studio.core.motion import Motion
from studio.core.skeleton import JOINT_NAMES, NUM_JOINTS, PARENTS, Skeleton
from studio.io import fbx_binary
from studio.io import fbx_scene as scene
from studio.io.euler import continuous_euler
from studio.io.fbx_binary import Int64, Node
from studio.io.fbx_scene import KTIME_PER_SECOND

EULER_ORDER = "xyz"  # scipy extrinsic xyz == FBX eEulerXYZ: R = Rz @ Ry @ Rx
UNIT_SCALE_FACTOR = 100.0  # centimetres per file unit: our values are metres
# Frame rates FBX names by TimeMode; any other rate is written as custom (14) + CustomFrameRate.
_TIME_MODES = {120.0: 1, 100.0: 2, 60.0: 3, 50.0: 4, 48.0: 5, 30.0: 6, 25.0: 10, 24.0: 11, 96.0: 15, 72.0: 16}
_CUSTOM_TIME_MODE = 14
_CREATOR = "Choreo Studio FBX writer"
__all__ = ["EULER_ORDER", "KTIME_PER_SECOND", "UNIT_SCALE_FACTOR", "dumps", "load", "rest_skeleton", "save"]


def _header(num_frames: int, fps: float, take: str) -> list[Node]:
    header = Node("FBXHeaderExtension")
    header.add("FBXHeaderVersion", 1003)
    header.add("FBXVersion", fbx_binary.VERSION)
    header.add("EncryptionType", 0)
    stamp = header.add("CreationTimeStamp")
    for field, value in (("Version", 1000), ("Year", 1970), ("Month", 1), ("Day", 1), ("Hour", 10),
                         ("Minute", 0), ("Second", 0), ("Millisecond", 0)):  # fmt: skip
        stamp.add(field, value)
    header.add("Creator", _CREATOR)
    info = header.add("SceneInfo", scene.fbx_name("GlobalInfo", "SceneInfo"), "UserData")
    info.add("Type", "UserData")
    info.add("Version", 100)
    meta = info.add("MetaData")
    meta.add("Version", 100)
    for field in ("Title", "Subject", "Author", "Keywords", "Revision", "Comment"):
        meta.add(field, "")

    settings = Node("GlobalSettings")
    settings.add("Version", 1000)
    props = scene.Properties(settings)
    axes = (("UpAxis", 1), ("UpAxisSign", 1), ("FrontAxis", 2), ("FrontAxisSign", 1), ("CoordAxis", 0),
            ("CoordAxisSign", 1), ("OriginalUpAxis", 1), ("OriginalUpAxisSign", 1))  # fmt: skip
    for name, value in axes:  # Y up, +Z front, +X side: right-handed, our frame
        props.integer(name, value)
    props.number("UnitScaleFactor", UNIT_SCALE_FACTOR)
    props.number("OriginalUnitScaleFactor", UNIT_SCALE_FACTOR)
    props.p("AmbientColor", "ColorRGB", "Color", "", 0.0, 0.0, 0.0)
    props.string("DefaultCamera", "Producer Perspective")
    props.enum("TimeMode", _TIME_MODES.get(float(fps), _CUSTOM_TIME_MODE))
    props.ktime("TimeSpanStart", 0)
    props.ktime("TimeSpanStop", _stop_time(num_frames, fps))
    props.number("CustomFrameRate", float(fps))

    documents = Node("Documents")
    documents.add("Count", 1)
    document = documents.add("Document", Int64(1), "Scene", "Scene")
    doc_props = scene.Properties(document)
    doc_props.p("SourceObject", "object", "", "")
    doc_props.string("ActiveAnimStackName", take)
    document.add("RootNode", Int64(0))
    return [
        header,
        Node("FileId", [fbx_binary.FILE_ID]),
        Node("CreationTime", [fbx_binary.CREATION_TIME]),
        Node("Creator", [_CREATOR]),
        settings,
        documents,
        Node("References"),
    ]


def _stop_time(num_frames: int, fps: float) -> int:
    return round((num_frames - 1) * KTIME_PER_SECOND / fps)


def _definitions(counts: Mapping[str, int]) -> Node:
    definitions = Node("Definitions")
    definitions.add("Version", 100)
    definitions.add("Count", 1 + sum(counts.values()))
    definitions.add("ObjectType", "GlobalSettings").add("Count", 1)
    for kind, count in counts.items():
        definitions.add("ObjectType", kind).add("Count", count)
    return definitions


def _check(dancers: Mapping[str, Motion]) -> tuple[int, float]:
    if not dancers:
        raise ValueError("nothing to export: no dancers")
    lengths = {m.num_frames for m in dancers.values()}
    rates = {m.fps for m in dancers.values()}
    if len(rates) != 1 or len(lengths) != 1 or 0 in lengths:
        raise ValueError(f"dancers must share a frame rate and a non-zero length, got {rates} fps, {lengths} frames")
    for name in dancers:
        if not name or "\x00" in name:
            raise ValueError(f"dancer name {name!r} cannot be an FBX name")
    return lengths.pop(), rates.pop()


def dumps(dancers: Mapping[str, Motion], body: Avatar | Skeleton, *, mesh: bool = True, take: str = "Dance") -> bytes:
    """The FBX file's bytes for ``{dancer name: motion}``; the mesh only when ``body`` is an Avatar."""
    num_frames, fps = _check(dancers)
    skeleton = body.skeleton if isinstance(body, Avatar) else body
    with_mesh = mesh and isinstance(body, Avatar)
    writer = scene.Writer()
    stack, node = writer.new("AnimationStack", take, "", fbx_class="AnimStack")
    props = scene.Properties(node)
    stop = _stop_time(num_frames, fps)
    for name, value in (("LocalStart", 0), ("LocalStop", stop), ("ReferenceStart", 0), ("ReferenceStop", stop)):
        props.ktime(name, value)
    layer, _ = writer.new("AnimationLayer", take, "", fbx_class="AnimLayer")
    writer.link(layer, stack)
    curves = scene.Curves(writer, layer, num_frames, fps)

    for dancer, motion in dancers.items():
        root, joints = scene.skeleton_models(writer, dancer, skeleton)
        pose_nodes: list[tuple[int, np.ndarray]] = [(root, np.eye(4))]
        if with_mesh:
            pose_nodes.append((scene.mesh(writer, dancer, body, root, joints), np.eye(4)))
        pose_nodes += [(uid, scene.translation(skeleton.rest_positions[j])) for j, uid in enumerate(joints)]
        scene.bind_pose(writer, dancer, pose_nodes)
        curves.add(joints[0], "Lcl Translation", "T", motion.trans)
        angles = continuous_euler(motion.rotations, EULER_ORDER)
        for joint, uid in enumerate(joints):
            curves.add(uid, "Lcl Rotation", "R", angles[:, joint])

    takes = Node("Takes")
    takes.add("Current", take)
    entry = takes.add("Take", take)
    entry.add("FileName", f"{take}.tak")
    entry.add("LocalTime", Int64(0), Int64(stop))
    entry.add("ReferenceTime", Int64(0), Int64(stop))
    nodes = [*_header(num_frames, fps, take), _definitions(writer.counts), writer.objects, writer.connections, takes]
    return fbx_binary.encode(nodes)


def save(
    path: str | os.PathLike,
    dancers: Mapping[str, Motion],
    body: Avatar | Skeleton,
    *,
    mesh: bool = True,
    take: str = "Dance",
) -> None:
    """Write all dancers into one FBX (atomically): one armature per dancer, named after the dancer."""
    data = dumps(dancers, body, mesh=mesh, take=take)
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)


# -- reading back our own files (tests, round trips) --------------------------------------------------


def load(path: str | os.PathLike) -> dict[str, Motion]:
    """Read the dancers of an FBX written by :func:`save` back to Motions (float32 key precision)."""
    try:
        _, nodes = fbx_binary.read(path)
        return _motions(nodes)
    except (OSError, ValueError, KeyError, StopIteration) as error:
        raise MotionFormatError(path, expected="an FBX written by Choreo Studio", found=str(error)) from None


def _motions(nodes: list[Node]) -> dict[str, Motion]:
    top = {n.name: n for n in nodes}
    settings = {p.props[0]: p.props[4:] for p in top["GlobalSettings"].find("Properties70").children}
    mode = settings["TimeMode"][0]
    fps = next((rate for rate, m in _TIME_MODES.items() if m == mode), None) or settings["CustomFrameRate"][0]
    objects = {int(o.props[0]): o for o in top["Objects"].children}
    children: dict[int, list[int]] = {}
    drives: dict[tuple[int, str], int] = {}  # (model, property) -> curve node
    curves: dict[tuple[int, str], int] = {}  # (curve node, d|X) -> curve
    for c in top["Connections"].children:
        kind, child, parent = c.props[0], int(c.props[1]), int(c.props[2])
        if kind == "OO":
            children.setdefault(parent, []).append(child)
        elif objects[child].name == "AnimationCurveNode":
            drives[(parent, c.props[3])] = child
        else:
            curves[(parent, c.props[3])] = child

    def name_of(uid: int) -> str:
        return objects[uid].props[1].split("\x00")[0]

    def keys(model: int, prop: str) -> np.ndarray:
        node = drives[(model, prop)]
        columns = [objects[curves[(node, f"d|{a}")]].find("KeyValueFloat").props[0] for a in "XYZ"]
        return np.stack(columns, axis=1).astype(np.float64)

    out: dict[str, Motion] = {}
    for root in children.get(0, []):
        model = objects[root]
        if model.name != "Model" or model.props[2] != "Null":
            continue
        joints: dict[str, int] = {}
        stack = [c for c in children.get(root, []) if objects[c].props[2:] == ["LimbNode"]]
        while stack:
            uid = stack.pop()
            joints[name_of(uid)] = uid
            stack += [c for c in children.get(uid, []) if objects[c].name == "Model"]
        if sorted(joints) != sorted(JOINT_NAMES):
            continue
        angles = np.stack([keys(joints[name], "Lcl Rotation") for name in JOINT_NAMES], axis=1)
        rotations = rot.euler_to_matrix(angles, EULER_ORDER)
        out[name_of(root)] = Motion(keys(joints[JOINT_NAMES[0]], "Lcl Translation"), rotations, fps)
    if not out:
        raise ValueError("no armature with the 52 SMPL-X joints")
    return out


def rest_skeleton(path: str | os.PathLike) -> Skeleton:
    """The rest skeleton stored in an FBX written by :func:`save` (the first dancer's)."""
    _, nodes = fbx_binary.read(path)
    objects = [o for o in next(n for n in nodes if n.name == "Objects").children if o.name == "Model"]
    translations = {}
    for model in objects:
        if model.props[2] == "LimbNode":
            props = {p.props[0]: p.props[4:] for p in model.find("Properties70").children}
            translations.setdefault(model.props[1].split("\x00")[0], np.array(props["Lcl Translation"], float))
    rest = np.zeros((NUM_JOINTS, 3))
    for joint, name in enumerate(JOINT_NAMES):
        rest[joint] = translations[name] + (rest[PARENTS[joint]] if joint else 0.0)
    return Skeleton(rest, source="fbx")
