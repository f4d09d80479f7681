"""Skeleton, rotations, motion, FineDance formats and the choreography document (numpy/scipy only)."""
