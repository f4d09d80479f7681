"""Rotations in 6.25 bytes: unit quaternions as "smallest three" 16-bit integers (the project files' encoding).

A rotation's quaternion ``q = (x, y, z, w)`` (scalar last) is made to have its largest-magnitude component
positive (``q`` and ``-q`` are the same rotation); that component is dropped and its index kept in 2 bits;
the other three lie in [-1/sqrt(2), 1/sqrt(2)] and are stored as int16 with that range mapped onto
[-32767, 32767]. Decoding rebuilds the dropped component as ``sqrt(1 - a^2 - b^2 - c^2)``.

Precision: one step is 1 / (32767 sqrt 2) = 2.2e-5 per component; a decoded rotation is within 7e-5 rad
(0.004 degrees; 2.3e-5 rad on average) of the original, whatever the rotation (no singularities, 180-degree
turns included). Any integers decode to a proper rotation (damaged data cannot give NaN). Re-encoding a
decoded rotation gives back the same integers, so saving a project again does not drift.

Four 2-bit indices are packed into a byte, joint ``4k + i`` in bits ``2i..2i+1`` of byte ``k``.
"""

from __future__ import annotations

import numpy as np

from studio.core import rotations as rot

SCALE = 32767 * np.sqrt(2.0)  # int16 units per unit of a quaternion component

# The components kept when component i (x, y, z, w) is dropped.
_KEPT = np.array([[1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2]])
_DIAGONAL = np.arange(4)


def encode(matrices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(..., 3, 3) rotation matrices -> (..., 3) int16 components and (...) uint8 index of the dropped one."""
    m = np.asarray(matrices, dtype=np.float64)
    lead = m.shape[:-2]
    m = m.reshape(-1, 9)
    count = len(m)
    m00, m01, m02, m10, m11, m12, m20, m21, m22 = m.T
    # Row i of this symmetric matrix is 4 q_i q for a rotation (Shepperd / Bar-Itzhack): normalising the row
    # with the largest diagonal entry gives q with q_i > 0, at full precision.
    k = np.empty((4, 4, count))
    k[0, 0], k[1, 1] = 1 + m00 - m11 - m22, 1 - m00 + m11 - m22
    k[2, 2], k[3, 3] = 1 - m00 - m11 + m22, 1 + m00 + m11 + m22
    for (i, j), value in {(0, 1): m01 + m10, (0, 2): m02 + m20, (1, 2): m12 + m21,
                          (0, 3): m21 - m12, (1, 3): m02 - m20, (2, 3): m10 - m01}.items():  # fmt: skip
        k[i, j] = k[j, i] = value
    largest = np.argmax(k[_DIAGONAL, _DIAGONAL], axis=0)
    index = np.arange(count)
    row = k[:, largest, index]  # (4, count)
    kept = row[_KEPT[largest].T, index]  # (3, count)
    kept *= SCALE / np.sqrt(np.einsum("ij,ij->j", row, row))
    values = np.clip(np.rint(kept), -32767, 32767)
    # The dropped component must still be the largest once the kept ones are rounded; else decoding and
    # encoding again would drop another one and round a second time (a project saved again would change).
    # Where rounding up made a kept one overtake it (a near tie), that one is rounded down instead.
    for _ in range(4):
        s0, s1, s2 = square = values * values
        overtaken = np.nonzero(np.maximum(np.maximum(s0, s1), s2) > SCALE * SCALE - (s0 + s1 + s2))[0]
        if not len(overtaken):
            break
        biggest = np.argmax(square[:, overtaken], axis=0)
        values[biggest, overtaken] -= np.sign(values[biggest, overtaken])
    return np.ascontiguousarray(values.T, dtype=np.int16).reshape((*lead, 3)), largest.astype(np.uint8).reshape(lead)


def decode(values: np.ndarray, largest: np.ndarray) -> np.ndarray:
    """(..., 3) int16 components and (...) indices 0..3 -> (..., 3, 3) float64 rotation matrices."""
    values = np.asarray(values)
    lead = values.shape[:-1]
    kept = values.reshape(-1, 3).astype(np.float64) / SCALE
    dropped = np.asarray(largest, dtype=np.intp).reshape(-1) & 3
    index = np.arange(len(kept))
    q = np.empty((len(kept), 4))
    q[index[:, None], _KEPT[dropped]] = kept
    q[index, dropped] = np.sqrt(np.maximum(0.0, 1.0 - np.einsum("ij,ij->i", kept, kept)))
    return rot.quat_to_matrix(q).reshape((*lead, 3, 3))  # normalises q (damaged data stays a rotation)


def pack(largest: np.ndarray) -> np.ndarray:
    """(F, J) indices 0..3 -> (F, ceil(J / 4)) uint8, four to a byte."""
    largest = np.asarray(largest, dtype=np.uint8)
    frames, joints = largest.shape
    padded = np.zeros((frames, -(-joints // 4) * 4), np.uint8)
    padded[:, :joints] = largest & 3
    quads = padded.reshape(frames, -1, 4)
    return quads[..., 0] | (quads[..., 1] << 2) | (quads[..., 2] << 4) | (quads[..., 3] << 6)


def unpack(packed: np.ndarray, joints: int) -> np.ndarray:
    """The inverse of ``pack``: (F, ceil(J / 4)) uint8 -> (F, J) uint8 indices."""
    packed = np.asarray(packed, dtype=np.uint8)
    quads = np.stack([(packed >> shift) & 3 for shift in (0, 2, 4, 6)], axis=-1)
    return quads.reshape(len(packed), -1)[:, :joints]
