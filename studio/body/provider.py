"""Which avatar the app uses: mannequin-x unless the user configured SMPL-X model files."""

from __future__ import annotations

from os import PathLike

from studio.body.avatar import Avatar
from studio.core.skeleton import Skeleton


def load_avatar(smplx_path: str | PathLike | None = None) -> Avatar:
    if smplx_path:
        from studio.body.smplx_model import load_smplx_avatar

        return load_smplx_avatar(smplx_path)
    from studio.body.mannequin import mannequin_avatar

    return mannequin_avatar()


def default_skeleton() -> Skeleton:
    """The rest skeleton of the default avatar (mannequin-x, neutral shape)."""
    return load_avatar().skeleton
