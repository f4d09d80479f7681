"""Avatars: rest skeletons and skinned meshes (mannequin-x by default, SMPL-X from the user's files)."""
