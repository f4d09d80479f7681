"""The export formats, one row each: what the export dialog offers, what ``studio export`` accepts, what
``studio.io.exporters`` writes. Plain data, no imports, so ``--help`` and the dialog read it for free.

A new format: a row here, a module with ``dumps(...)`` in ``studio.io`` and its payload function in
``exporters.PAYLOADS``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExportFormat:
    suffix: str  # ".fbx"
    name: str  # what a person calls it
    all_dancers: bool  # every dancer in one file (one armature each); else one file per dancer


# the order the dialog offers them: FBX first, what Blender, Unity and Unreal users want
FORMATS = (
    ExportFormat(".fbx", "FBX", True),
    ExportFormat(".bvh", "BVH", False),
    ExportFormat(".npz", "SMPL-X NPZ", False),
    ExportFormat(".glb", "glTF binary", True),
    ExportFormat(".gltf", "glTF", True),
)
BY_SUFFIX = {f.suffix: f for f in FORMATS}
EXTENSIONS = tuple(sorted(BY_SUFFIX))


def file_filter() -> str:
    """A Qt file-dialog filter with one entry per format: ``FBX (*.fbx);;BVH (*.bvh);;...``."""
    return ";;".join(f"{f.name} (*{f.suffix})" for f in FORMATS)
