"""The FBX object graph of a dancer: models, skeleton, skinned mesh, bind pose and animation curves.

Builders used by :mod:`studio.io.fbx`; facts from Blender's ``export_fbx_bin.py`` and ``import_fbx.py``:
objects are named ``name\\x00\\x01Class``; parents are given by ``OO`` connections (child, parent) and
animated properties by ``OP`` connections (curve node -> model "Lcl Rotation", curve -> node "d|X").
"""

from __future__ import annotations

import numpy as np

from studio.body.avatar import Avatar
from studio.core.skeleton import JOINT_NAMES, PARENTS, Skeleton
from studio.io import fbx_binary
from studio.io.fbx_binary import Encoded, Int64, Node
from studio.io.skin_data import joint_influences, vertex_normals

KTIME_PER_SECOND = 46186158000  # FBX time unit: ticks per second

_KEY_FLAGS_LINEAR = 24836  # the SDK's flags word for linear interpolation (what Blender writes)
_KEY_ATTR_DATA = np.array([0, 0, 255790911, 0], dtype=np.int32).view(np.float32)  # default tangent data
_WOOD = (0.72, 0.53, 0.34)


def fbx_name(name: str, kind: str) -> str:
    """FBX object names carry their class after a NUL + SOH separator."""
    return f"{name}\x00\x01{kind}"


def _matrix(m: np.ndarray) -> np.ndarray:
    """FBX stores 4x4 matrices column-major (translation in elements 12-14)."""
    return np.ascontiguousarray(np.asarray(m, dtype=np.float64).T).ravel()


def translation(t: np.ndarray) -> np.ndarray:
    m = np.eye(4)
    m[:3, 3] = t
    return m


class Properties:
    """A Properties70 block: each P is (name, type, label, flags, values...)."""

    def __init__(self, parent: Node) -> None:
        self.node = parent.add("Properties70")

    def p(self, name: str, kind: str, label: str, flags: str, *values) -> None:
        self.node.add("P", name, kind, label, flags, *values)

    def vector(self, name: str, value, flags: str = "A") -> None:
        self.p(name, name, "", flags, *(float(v) for v in value))

    def integer(self, name: str, value: int) -> None:
        self.p(name, "int", "Integer", "", int(value))

    def enum(self, name: str, value: int) -> None:
        self.p(name, "enum", "", "", int(value))

    def number(self, name: str, value: float) -> None:
        self.p(name, "double", "Number", "", float(value))

    def ktime(self, name: str, value: int) -> None:
        self.p(name, "KTime", "Time", "", Int64(value))

    def string(self, name: str, value: str) -> None:
        self.p(name, "KString", "", "", value)


class Writer:
    """Collects objects and connections; ids are sequential (0 is the scene root)."""

    def __init__(self) -> None:
        self.objects = Node("Objects")
        self.connections = Node("Connections")
        self.counts: dict[str, int] = {}
        self._next_id = 1000

    def new(self, kind: str, name: str, subclass: str, *, fbx_class: str | None = None) -> tuple[Int64, Node]:
        uid = Int64(self._next_id)
        self._next_id += 1
        node = self.objects.add(kind, uid, fbx_name(name, fbx_class or kind), subclass)
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return uid, node

    def link(self, child: int, parent: int, prop: str | None = None) -> None:
        if prop is None:
            self.connections.add("C", "OO", Int64(child), Int64(parent))
        else:
            self.connections.add("C", "OP", Int64(child), Int64(parent), prop)


def model(writer: Writer, name: str, kind: str, translation=(0.0, 0.0, 0.0)) -> Int64:
    uid, node = writer.new("Model", name, kind)
    node.add("Version", 232)
    props = Properties(node)
    props.vector("Lcl Translation", translation)
    props.vector("Lcl Rotation", (0.0, 0.0, 0.0))
    props.vector("Lcl Scaling", (1.0, 1.0, 1.0))
    props.integer("DefaultAttributeIndex", 0)
    props.enum("InheritType", 1)
    node.add("MultiLayer", 0)
    node.add("MultiTake", 0)
    node.add("Shading", True)
    node.add("Culling", "CullingOff")
    return uid


def skeleton_models(writer: Writer, dancer: str, skeleton: Skeleton) -> tuple[Int64, list[Int64]]:
    root = model(writer, dancer, "Null")
    attribute, node = writer.new("NodeAttribute", dancer, "Null")
    node.add("TypeFlags", "Null")
    writer.link(attribute, root)
    writer.link(root, 0)
    joints: list[Int64] = []
    for joint, name in enumerate(JOINT_NAMES):
        offset = skeleton.rest_positions[0] if joint == 0 else skeleton.offsets[joint]
        uid = model(writer, name, "LimbNode", offset)
        attribute, node = writer.new("NodeAttribute", name, "LimbNode")
        node.add("TypeFlags", "Skeleton")
        Properties(node).number("Size", 10.0)
        writer.link(attribute, uid)
        writer.link(uid, root if joint == 0 else joints[PARENTS[joint]])
        joints.append(uid)
    return root, joints


def mesh(writer: Writer, dancer: str, avatar: Avatar, root: int, joints: list[Int64]) -> Int64:
    name = f"{dancer}_body"
    geometry, node = writer.new("Geometry", name, "Mesh")
    node.add("Properties70")
    node.add("GeometryVersion", 124)
    node.add("Vertices", np.ascontiguousarray(avatar.vertices, dtype=np.float64))
    polygons = np.array(avatar.faces, dtype=np.int32)
    polygons[:, 2] = ~polygons[:, 2]  # the last index of each polygon is stored as -(index + 1)
    node.add("PolygonVertexIndex", polygons)
    normals = node.add("LayerElementNormal", 0)
    normals.add("Version", 101)
    normals.add("Name", "")
    normals.add("MappingInformationType", "ByVertice")
    normals.add("ReferenceInformationType", "Direct")
    normals.add("Normals", vertex_normals(avatar.vertices, avatar.faces))
    materials = node.add("LayerElementMaterial", 0)
    materials.add("Version", 101)
    materials.add("Name", "")
    materials.add("MappingInformationType", "AllSame")
    materials.add("ReferenceInformationType", "IndexToDirect")
    materials.add("Materials", np.zeros(1, dtype=np.int32))
    layer = node.add("Layer", 0)
    layer.add("Version", 100)
    for kind in ("LayerElementNormal", "LayerElementMaterial"):
        element = layer.add("LayerElement")
        element.add("Type", kind)
        element.add("TypedIndex", 0)

    body = model(writer, name, "Mesh")
    writer.link(body, root)
    writer.link(geometry, body)

    material, node = writer.new("Material", f"{dancer}_wood", "")
    node.add("Version", 102)
    node.add("ShadingModel", "Phong")
    node.add("MultiLayer", 0)
    props = Properties(node)
    props.p("DiffuseColor", "Color", "", "A", *_WOOD)
    writer.link(material, body)

    skin, node = writer.new("Deformer", f"{dancer}_skin", "Skin")
    node.add("Version", 101)
    node.add("Link_DeformAcuracy", 50.0)
    writer.link(skin, geometry)
    rest = avatar.skeleton.rest_positions
    for joint, indices, weights in joint_influences(avatar):
        cluster, node = writer.new("Deformer", JOINT_NAMES[joint], "Cluster", fbx_class="SubDeformer")
        node.add("Version", 100)
        node.add("UserData", "", "")
        node.add("Indexes", indices)
        node.add("Weights", weights)
        # Transform = inverse(bone bind) @ mesh bind; TransformLink = bone bind (world). Mesh bind = identity.
        node.add("Transform", _matrix(translation(-rest[joint])))
        node.add("TransformLink", _matrix(translation(rest[joint])))
        writer.link(cluster, skin)
        writer.link(joints[joint], cluster)
    return body


def bind_pose(writer: Writer, dancer: str, nodes: list[tuple[int, np.ndarray]]) -> None:
    """The BindPose: every node's world matrix at bind time (the T-pose)."""
    _, node = writer.new("Pose", dancer, "BindPose")
    node.add("Type", "BindPose")
    node.add("Version", 100)
    node.add("NbPoseNodes", len(nodes))
    for uid, matrix in nodes:
        entry = node.add("PoseNode")
        entry.add("Node", Int64(uid))
        entry.add("Matrix", _matrix(matrix))


class Curves:
    """Animation curves of one take; all curves key every frame, so the time array is encoded once."""

    def __init__(self, writer: Writer, layer: int, num_frames: int, fps: float) -> None:
        self.writer = writer
        self.layer = layer
        ticks = np.round(np.arange(num_frames) * (KTIME_PER_SECOND / fps)).astype(np.int64)
        self.key_time = Encoded(fbx_binary.encode_property(ticks))
        self.key_flags = Encoded(fbx_binary.encode_property(np.array([_KEY_FLAGS_LINEAR], dtype=np.int32)))
        self.key_data = Encoded(fbx_binary.encode_property(_KEY_ATTR_DATA))
        self.key_count = Encoded(fbx_binary.encode_property(np.array([num_frames], dtype=np.int32)))

    def add(self, target: int, prop: str, short: str, values: np.ndarray) -> None:
        """``values`` (T, 3) drive the X, Y, Z of ``target``'s ``prop``."""
        writer = self.writer
        curve_node, node = writer.new("AnimationCurveNode", short, "")
        props = Properties(node)
        for axis, letter in enumerate("XYZ"):
            props.p(f"d|{letter}", "Number", "", "A", float(values[0, axis]))
        writer.link(curve_node, self.layer)
        writer.link(curve_node, target, prop)
        keys = values.astype(np.float32)
        for axis, letter in enumerate("XYZ"):
            curve, node = writer.new("AnimationCurve", "", "")
            node.add("Default", float(values[0, axis]))
            node.add("KeyVer", 4008)
            node.add("KeyTime", self.key_time)
            node.add("KeyValueFloat", fbx_binary.plain(keys[:, axis]))
            node.add("KeyAttrFlags", self.key_flags)
            node.add("KeyAttrDataFloat", self.key_data)
            node.add("KeyAttrRefCount", self.key_count)
            writer.link(curve, curve_node, f"d|{letter}")
