"""glTF 2.0 export (``.glb`` binary, or ``.gltf`` with the buffer embedded): skinned avatars + one animation.

For web viewers (three.js, Babylon, model-viewer) and engines. Per dancer: a root node named after the
dancer holding the 52-joint hierarchy (rest translations = rest offsets, rotation identity = T-pose), a
skinned mesh node at the scene root (glTF ignores a skinned mesh node's own transform), and a skin whose
inverse bind matrices are translations by ``-rest position``. One animation, "Dance", drives every joint's
rotation (quaternions, linear = slerp, signs kept continuous) and the pelvis translation for all dancers.
glTF is Y up, metres, +Z front: our frame, so no conversion.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pygltflib as gl

from studio.body.avatar import Avatar
from studio.core import rotations as rot
from studio.core.atomic import atomic_path
from studio.core.errors import MotionFormatError
from studio.core.motion import Motion
from studio.core.skeleton import JOINT_NAMES, NUM_JOINTS, PARENTS, Skeleton
from studio.io.skin_data import joint_influences, vertex_normals

_WOOD = [0.72, 0.53, 0.34, 1.0]
_TYPES = {1: gl.SCALAR, 3: gl.VEC3, 4: gl.VEC4, 16: gl.MAT4}
_COMPONENTS = {np.dtype(np.float32): gl.FLOAT, np.dtype(np.uint8): gl.UNSIGNED_BYTE,
               np.dtype(np.uint16): gl.UNSIGNED_SHORT, np.dtype(np.uint32): gl.UNSIGNED_INT}  # fmt: skip


class _Builder:
    def __init__(self) -> None:
        self.doc = gl.GLTF2(asset=gl.Asset(version="2.0", generator="Choreo Studio"), scene=0)
        self.blob = bytearray()

    def accessor(self, array: np.ndarray, *, target: int | None = None, bounds: bool = False) -> int:
        """Append an array (rows = elements) as its own buffer view; return the accessor index."""
        array = np.ascontiguousarray(array)
        width = 1 if array.ndim == 1 else int(np.prod(array.shape[1:]))
        self.blob.extend(b"\x00" * (-len(self.blob) % 4))  # views start 4-byte aligned
        self.doc.bufferViews.append(
            gl.BufferView(buffer=0, byteOffset=len(self.blob), byteLength=array.nbytes, target=target)
        )
        self.blob.extend(array.tobytes())
        flat = array.reshape(len(array), width)
        accessor = gl.Accessor(
            bufferView=len(self.doc.bufferViews) - 1,
            componentType=_COMPONENTS[array.dtype],
            count=len(array),
            type=_TYPES[width],
        )
        if bounds:  # required for POSITION and animation inputs
            accessor.min = flat.min(axis=0).tolist()
            accessor.max = flat.max(axis=0).tolist()
        self.doc.accessors.append(accessor)
        return len(self.doc.accessors) - 1

    def node(self, **fields) -> int:
        self.doc.nodes.append(gl.Node(**fields))
        return len(self.doc.nodes) - 1


def _vertex_skin(avatar: Avatar) -> tuple[np.ndarray, np.ndarray]:
    """(V, 4) joints and weights with each joint at most once per vertex, weights summing to 1."""
    count = len(avatar.vertices)
    joints = np.zeros((count, 4), dtype=np.uint8)
    weights = np.zeros((count, 4), dtype=np.float64)
    filled = np.zeros(count, dtype=np.intp)
    for joint, indices, values in joint_influences(avatar):
        slot = filled[indices]
        if slot.max(initial=0) >= 4:
            raise ValueError("more than 4 joints influence a vertex")
        joints[indices, slot] = joint
        weights[indices, slot] = values
        filled[indices] += 1
    weights /= weights.sum(axis=1, keepdims=True)
    return joints, weights.astype(np.float32)


def _dancer(builder: _Builder, name: str, body: Avatar | Skeleton, mesh: bool) -> dict:
    """Nodes, skin and mesh of one dancer; returns what the animation needs."""
    skeleton = body.skeleton if isinstance(body, Avatar) else body
    root = builder.node(name=name, children=[])
    joints: list[int] = []
    for joint, joint_name in enumerate(JOINT_NAMES):
        offset = skeleton.rest_positions[0] if joint == 0 else skeleton.offsets[joint]
        index = builder.node(name=joint_name, translation=offset.tolist(), children=[])
        parent = root if joint == 0 else joints[PARENTS[joint]]
        builder.doc.nodes[parent].children.append(index)
        joints.append(index)
    for index in joints:
        if not builder.doc.nodes[index].children:
            builder.doc.nodes[index].children = None  # leaf: omit the empty list
    scene_nodes = [root]
    if mesh and isinstance(body, Avatar):
        avatar = body
        inverse_bind = np.tile(np.eye(4, dtype=np.float32), (NUM_JOINTS, 1, 1))
        inverse_bind[:, :3, 3] = -skeleton.rest_positions
        # glTF matrices are column-major: store the transpose of our row-major arrays
        ibm = builder.accessor(np.ascontiguousarray(inverse_bind.transpose(0, 2, 1)).reshape(NUM_JOINTS, 16))
        builder.doc.skins.append(gl.Skin(name=name, joints=joints, skeleton=root, inverseBindMatrices=ibm))
        vertex_joints, vertex_weights = _vertex_skin(avatar)
        faces = avatar.faces.astype(np.uint16 if len(avatar.vertices) < 65535 else np.uint32).ravel()
        attributes = gl.Attributes(
            POSITION=builder.accessor(avatar.vertices.astype(np.float32), target=gl.ARRAY_BUFFER, bounds=True),
            NORMAL=builder.accessor(
                vertex_normals(avatar.vertices, avatar.faces).astype(np.float32), target=gl.ARRAY_BUFFER
            ),
            JOINTS_0=builder.accessor(vertex_joints, target=gl.ARRAY_BUFFER),
            WEIGHTS_0=builder.accessor(vertex_weights, target=gl.ARRAY_BUFFER),
        )
        primitive = gl.Primitive(
            attributes=attributes,
            indices=builder.accessor(faces, target=gl.ELEMENT_ARRAY_BUFFER),
            material=0,
            mode=gl.TRIANGLES,
        )
        builder.doc.meshes.append(gl.Mesh(name=f"{name}_body", primitives=[primitive]))
        scene_nodes.append(
            builder.node(name=f"{name}_body", mesh=len(builder.doc.meshes) - 1, skin=len(builder.doc.skins) - 1)
        )
    return {"joints": joints, "scene_nodes": scene_nodes}


def _continuous_quaternions(rotations: np.ndarray) -> np.ndarray:
    """(T, J, 3, 3) -> (T, J, 4) scalar-last quaternions with no sign flips between frames."""
    quat = rot.matrix_to_quat(rotations)
    flips = np.sum(quat[1:] * quat[:-1], axis=-1) < 0
    sign = np.concatenate([np.ones((1, quat.shape[1])), np.where(np.cumsum(flips, axis=0) % 2, -1.0, 1.0)])
    return quat * sign[..., None]


def document(
    dancers: Mapping[str, Motion], body: Avatar | Skeleton, *, mesh: bool = True, animation: str = "Dance"
) -> gl.GLTF2:
    """The glTF document (buffer set as the binary blob) for ``{dancer name: motion}``.

    The skinned mesh comes only with ``mesh=True`` and an Avatar; a Skeleton gives the animated joints alone.
    """
    if not dancers:
        raise ValueError("nothing to export: no dancers")
    lengths = {m.num_frames for m in dancers.values()}
    rates = {m.fps for m in dancers.values()}
    if len(rates) != 1 or len(lengths) != 1 or 0 in lengths:
        raise ValueError(f"dancers must share a frame rate and a non-zero length, got {rates} fps, {lengths} frames")
    frames, fps = lengths.pop(), rates.pop()
    builder = _Builder()
    doc = builder.doc
    doc.materials.append(
        gl.Material(
            name="wood",
            pbrMetallicRoughness=gl.PbrMetallicRoughness(
                baseColorFactor=_WOOD, metallicFactor=0.0, roughnessFactor=0.7
            ),
        )
    )
    times = builder.accessor((np.arange(frames) / fps).astype(np.float32), bounds=True)
    channels: list[gl.AnimationChannel] = []
    samplers: list[gl.AnimationSampler] = []

    def animate(node: int, path: str, values: np.ndarray) -> None:
        samplers.append(gl.AnimationSampler(input=times, output=builder.accessor(values.astype(np.float32))))
        channels.append(
            gl.AnimationChannel(sampler=len(samplers) - 1, target=gl.AnimationChannelTarget(node=node, path=path))
        )

    scene_nodes: list[int] = []
    for name, motion in dancers.items():
        made = _dancer(builder, name, body, mesh)
        scene_nodes += made["scene_nodes"]
        animate(made["joints"][0], "translation", motion.trans)
        quaternions = _continuous_quaternions(motion.rotations)
        for joint, node in enumerate(made["joints"]):
            animate(node, "rotation", quaternions[:, joint])
    doc.animations.append(gl.Animation(name=animation, channels=channels, samplers=samplers))
    doc.scenes.append(gl.Scene(name="Choreo Studio", nodes=scene_nodes))
    if not doc.meshes:
        doc.materials = []
    doc.buffers.append(gl.Buffer(byteLength=len(builder.blob)))
    doc.set_binary_blob(bytes(builder.blob))
    return doc


def dumps(dancers: Mapping[str, Motion], body: Avatar | Skeleton, *, mesh: bool = True, binary: bool = True) -> bytes:
    doc = document(dancers, body, mesh=mesh)
    if binary:
        return b"".join(doc.save_to_bytes())
    doc.convert_buffers(gl.BufferFormat.DATAURI)
    return doc.to_json(separators=(",", ":")).encode("utf-8")


def save(path: str | os.PathLike, dancers: Mapping[str, Motion], body: Avatar | Skeleton, *, mesh: bool = True) -> None:
    """``.glb`` writes binary glTF; ``.gltf`` writes JSON with the buffer embedded as a data URI."""
    data = dumps(dancers, body, mesh=mesh, binary=Path(path).suffix.lower() != ".gltf")
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)


# -- reading back our own files ----------------------------------------------------------------------


def load(path: str | os.PathLike) -> dict[str, Motion]:
    """The dancers' motions from a glTF written by :func:`save` (float32 precision)."""
    try:
        doc = gl.GLTF2().load(str(path))
        if doc is None:
            raise ValueError("unreadable glTF")
        return _motions(doc)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
        raise MotionFormatError(path, expected="a glTF written by Choreo Studio", found=str(error)) from None


def _blob(doc: gl.GLTF2) -> bytes:
    uri = doc.buffers[0].uri
    return doc.binary_blob() if uri is None else doc.get_data_from_buffer_uri(uri)


def _read(doc: gl.GLTF2, accessor_index: int, blob: bytes | None = None) -> np.ndarray:
    accessor = doc.accessors[accessor_index]
    view = doc.bufferViews[accessor.bufferView]
    blob = _blob(doc) if blob is None else blob
    dtype = {v: k for k, v in _COMPONENTS.items()}[accessor.componentType]
    width = {v: k for k, v in _TYPES.items()}[accessor.type]
    start = (view.byteOffset or 0) + (accessor.byteOffset or 0)
    return np.frombuffer(blob, dtype=dtype, count=accessor.count * width, offset=start).reshape(accessor.count, -1)


def _motions(doc: gl.GLTF2) -> dict[str, Motion]:
    blob = _blob(doc)  # decode a data URI once, not per accessor
    animation = doc.animations[0]
    tracks = {(c.target.node, c.target.path): animation.samplers[c.sampler] for c in animation.channels}
    out: dict[str, Motion] = {}
    for index in doc.scenes[doc.scene or 0].nodes:
        root = doc.nodes[index]
        if root.mesh is not None or not root.children:
            continue
        joints = {}
        stack = list(root.children)
        while stack:
            node = stack.pop()
            joints[doc.nodes[node].name] = node
            stack += doc.nodes[node].children or []
        if sorted(joints) != sorted(JOINT_NAMES):
            continue
        pelvis = tracks[(joints["pelvis"], "translation")]
        times = _read(doc, pelvis.input, blob)[:, 0]
        fps = round(1.0 / float(times[1] - times[0]), 3) if len(times) > 1 else 30.0
        quat = np.stack([_read(doc, tracks[(joints[n], "rotation")].output, blob) for n in JOINT_NAMES], axis=1)
        out[root.name] = Motion(_read(doc, pelvis.output, blob), rot.quat_to_matrix(quat.astype(np.float64)), fps)
    if not out:
        raise ValueError("no dancer with the 52 SMPL-X joints")
    return out
