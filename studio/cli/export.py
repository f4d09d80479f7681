"""``studio export``: a project's dance to FBX, BVH, SMPL-X NPZ or glTF, for Blender, Unity, Unreal, the web.

    python -m studio export PROJECT.choreo -o OUT.{fbx,bvh,npz,glb,gltf} [--dancer N|NAME|all]
                            [--mesh/--no-mesh] [--fps F] [--range START END] [--bvh-units m|cm]

FBX and glTF hold all dancers (one armature each); BVH and NPZ write one file per dancer, the dancer's
name appended to the stem when there are two. See docs/export.md for the import settings per tool.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", metavar="PROJECT.choreo", help="the project file")
    from studio.io.formats import FORMATS  # plain data: --help stays instant

    suffixes = " ".join(f.suffix for f in FORMATS)
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help=f"file to write: {suffixes}")
    parser.add_argument("--dancer", default="all", help="which dancer: a number from 1, a name, or 'all' (default)")
    parser.add_argument(
        "--mesh", action=argparse.BooleanOptionalAction, default=True, help="include the skinned avatar (FBX, glTF)"
    )
    parser.add_argument("--fps", type=float, default=None, help="resample to this frame rate (default: the dance's)")
    parser.add_argument("--range", nargs=2, type=float, metavar=("START", "END"), help="export only these seconds")
    parser.add_argument("--bvh-units", choices=["m", "cm"], default="m", help="BVH length unit (default metres)")
    parser.add_argument("--smplx", metavar="MODEL", default=None, help="SMPL-X model file/folder for the avatar")


def run(args: argparse.Namespace) -> int:
    from studio.body.provider import load_avatar
    from studio.io import project as project_file
    from studio.io.exporters import export_motions, project_motions

    project = project_file.load(args.project)
    motions = project_motions(project, args.dancer)
    avatar = load_avatar(args.smplx)
    written = export_motions(
        args.output,
        motions,
        avatar,
        fps=args.fps,
        mesh=args.mesh,
        time_range=tuple(args.range) if args.range else None,
        bvh_units=args.bvh_units,
    )
    for path in written:
        print(path)
    return 0
