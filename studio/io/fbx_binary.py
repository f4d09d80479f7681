"""The binary FBX container (version 7400): node records with typed properties, and a reader for tests.

Layout (little-endian), as Blender's ``encode_bin.py`` / ``parse_fbx.py`` and ufbx read it:

- header: ``b"Kaydara FBX Binary  \\x00\\x1a\\x00"`` then the version as uint32;
- node record: ``end_offset, property_count, property_bytes`` (uint32 each below 7500, uint64 from 7500),
  the name length (uint8) and name, the properties, the child records, and a 13-byte null record after
  the children. A childless node gets the null record too when it has no properties and is not the last
  of its siblings, and AnimationStack/AnimationLayer always get one (what the FBX SDK writes);
- property: a type code then the value: ``C`` bool, ``Y`` int16, ``I`` int32, ``L`` int64, ``F`` float32,
  ``D`` float64, ``S`` string and ``R`` raw bytes (uint32 length first), arrays ``b i l f d`` as
  ``count, encoding (0 plain, 1 zlib), byte length`` then the data;
- the top level ends with a null record and a footer whose magic bytes the FBX SDK checks.

Python values map to types: bool -> C, int -> I, :class:`Int64` -> L, float -> D, str -> S, bytes -> R,
numpy arrays by dtype (bool, int32, int64, float32, float64).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

VERSION = 7400
HEAD_MAGIC = b"Kaydara FBX Binary  \x00\x1a\x00"
# Fixed FileId / CreationTime pair and footer bytes: the SDK checks them against each other, so every
# writer without the SDK (Blender's included) writes these known-good constants.
FILE_ID = b"\x28\xb3\x2a\xeb\xb6\x24\xcc\xc2\xbf\xc8\xb0\x2a\xa9\x2b\xfc\xf1"
CREATION_TIME = "1970-01-01 10:00:00:000"
_FOOT_ID = b"\xfa\xbc\xab\x09\xd0\xc8\xd4\x66\xb1\x76\xfb\x83\x1c\xf7\x26\x7e"
_FOOT_MAGIC = b"\xf8\x5a\x8c\x6a\xde\xf5\xd9\x7e\xec\xe9\x0c\xe3\x75\x8f\x29\x0b"
_ALWAYS_NULL_RECORD = {"AnimationStack", "AnimationLayer"}
_COMPRESS_ABOVE = 128  # bytes; small arrays stay plain, as the SDK does
_ARRAY_CODES = {np.dtype(bool): b"b", np.dtype(np.int32): b"i", np.dtype(np.int64): b"l",
                np.dtype(np.float32): b"f", np.dtype(np.float64): b"d"}  # fmt: skip
_ARRAY_DTYPES = {code: dtype for dtype, code in _ARRAY_CODES.items()}


class Int64(int):
    """An int written as FBX ``L`` (object ids, KTime values)."""


class Float32(float):
    """A float written as FBX ``F``."""


class Encoded(bytes):
    """A property already encoded (type code and payload): an array shared by many nodes is packed once."""


Value = bool | int | float | str | bytes | np.ndarray


@dataclass
class Node:
    name: str
    props: list[Value] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    def add(self, name: str, *props: Value) -> Node:
        """Append and return a child node."""
        child = Node(name, list(props))
        self.children.append(child)
        return child

    def find(self, name: str) -> Node | None:
        return next((c for c in self.children if c.name == name), None)

    def find_all(self, name: str) -> list[Node]:
        return [c for c in self.children if c.name == name]


# -- writing ------------------------------------------------------------------------------------------


def _encode_array(code: bytes, array: np.ndarray, compress_level: int) -> bytes:
    data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
    if len(data) > _COMPRESS_ABOVE and compress_level > 0:
        packed = zlib.compress(data, compress_level)
        return code + struct.pack("<3I", array.size, 1, len(packed)) + packed
    return code + struct.pack("<3I", array.size, 0, len(data)) + data


def encode_property(value: Value, compress_level: int = 1) -> bytes:
    if isinstance(value, Encoded):
        return value
    if isinstance(value, np.ndarray):
        code = _ARRAY_CODES.get(value.dtype)
        if code is None:
            raise TypeError(f"FBX arrays are bool, int32, int64, float32 or float64, not {value.dtype}")
        return _encode_array(code, value.ravel(), compress_level)
    if isinstance(value, bool):
        return b"C" + struct.pack("<?", value)
    if isinstance(value, Int64):
        return b"L" + struct.pack("<q", value)
    if isinstance(value, int):
        return b"I" + struct.pack("<i", value)
    if isinstance(value, Float32):
        return b"F" + struct.pack("<f", value)
    if isinstance(value, float):
        return b"D" + struct.pack("<d", value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return b"S" + struct.pack("<I", len(data)) + data
    if isinstance(value, bytes):
        return b"R" + struct.pack("<I", len(value)) + value
    raise TypeError(f"no FBX property type for {type(value).__name__}")


def plain(array: np.ndarray) -> Encoded:
    """An array stored without zlib: for data that barely compresses (animation key values), it saves
    most of the writing time at a ~10% larger file."""
    return Encoded(encode_property(np.asarray(array), compress_level=0))


_NULL_RECORD = b"\x00" * 13


def _encode_node(node: Node, offset: int, is_last: bool, out: list[bytes], level: int) -> int:
    """Append the node's bytes to ``out``; return the file offset where it ends."""
    props = b"".join(encode_property(p, level) for p in node.props)
    name = node.name.encode("ascii")
    head_index = len(out)
    out.append(b"")  # the head needs the end offset: filled in below
    end = offset + 13 + len(name) + len(props)
    for index, child in enumerate(node.children):
        end = _encode_node(child, end, index == len(node.children) - 1, out, level)
    if node.children or (not node.props and not is_last) or node.name in _ALWAYS_NULL_RECORD:
        out.append(_NULL_RECORD)
        end += 13
    out[head_index] = struct.pack("<3IB", end, len(node.props), len(props), len(name)) + name + props
    if end >= 2**32:
        raise ValueError("FBX 7400 files are limited to 4 GiB")
    return end


def encode(nodes: Iterable[Node], compress_level: int = 1) -> bytes:
    """The whole file: header, top-level nodes, null record, footer."""
    nodes = list(nodes)
    out = [HEAD_MAGIC + struct.pack("<I", VERSION)]
    offset = len(out[0])
    for index, node in enumerate(nodes):
        offset = _encode_node(node, offset, index == len(nodes) - 1, out, compress_level)
    out.append(_NULL_RECORD)
    offset += 13
    footer = _FOOT_ID + b"\x00" * 4
    offset += len(footer)
    pad = (16 - offset % 16) or 16  # align to 16; a full 16 when already aligned
    footer += b"\x00" * pad + struct.pack("<I", VERSION) + b"\x00" * 120 + _FOOT_MAGIC
    out.append(footer)
    return b"".join(out)


# -- reading (our own files, in tests) ----------------------------------------------------------------


def _read_property(data: memoryview, pos: int) -> tuple[Value, int]:
    code = bytes(data[pos : pos + 1])
    pos += 1
    scalars = {b"C": "<?", b"Y": "<h", b"I": "<i", b"L": "<q", b"F": "<f", b"D": "<d"}
    if code in scalars:
        fmt = scalars[code]
        (value,) = struct.unpack_from(fmt, data, pos)
        value = Int64(value) if code == b"L" else Float32(value) if code == b"F" else value
        return value, pos + struct.calcsize(fmt)
    if code in (b"S", b"R"):
        (length,) = struct.unpack_from("<I", data, pos)
        raw = bytes(data[pos + 4 : pos + 4 + length])
        return (raw.decode("utf-8") if code == b"S" else raw), pos + 4 + length
    if code in _ARRAY_DTYPES:
        count, encoding, length = struct.unpack_from("<3I", data, pos)
        raw = bytes(data[pos + 12 : pos + 12 + length])
        if encoding == 1:
            raw = zlib.decompress(raw)
        array = np.frombuffer(raw, dtype=_ARRAY_DTYPES[code].newbyteorder("<"), count=count)
        return array.astype(_ARRAY_DTYPES[code]), pos + 12 + length
    raise ValueError(f"unknown FBX property type {code!r} at byte {pos - 1}")


def _read_node(data: memoryview, pos: int, wide: bool) -> tuple[Node | None, int]:
    meta = "<3Q" if wide else "<3I"
    end, count, _ = struct.unpack_from(meta, data, pos)
    pos += struct.calcsize(meta)
    name_length = data[pos]
    pos += 1
    if end == 0:
        return None, pos + name_length
    node = Node(bytes(data[pos : pos + name_length]).decode("ascii"))
    pos += name_length
    for _ in range(count):
        value, pos = _read_property(data, pos)
        node.props.append(value)
    while pos < end:
        child, pos = _read_node(data, pos, wide)
        if child is None:
            break
        node.children.append(child)
    return node, end


def decode(data: bytes) -> tuple[int, list[Node]]:
    """(version, top-level nodes) of a binary FBX."""
    if not data.startswith(HEAD_MAGIC[:20]):
        raise ValueError("not a binary FBX file (no 'Kaydara FBX Binary' header)")
    view = memoryview(data)
    (version,) = struct.unpack_from("<I", view, 23)
    pos, nodes = 27, []
    while pos < len(data):
        node, pos = _read_node(view, pos, wide=version >= 7500)
        if node is None:
            break
        nodes.append(node)
    return version, nodes


def read(path) -> tuple[int, list[Node]]:
    with open(path, "rb") as handle:
        return decode(handle.read())
