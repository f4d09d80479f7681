"""Where a partner stands relative to the lead, and which way it faces: a ``Formation`` (plain value, no Qt).

Conventions (those of ``studio.core.rotations`` and ``studio.core.finedance.heading``): Y is up, a dancer at
yaw 0 faces +Z (the audience), a yaw turns +Z toward +X, and a dancer's left is +X at yaw 0 (SMPL-X's left
joints are at +x), so at yaw ``a`` the forward direction on the floor is ``(sin a, cos a)`` and the left is
``(cos a, -sin a)`` in (x, z).

- ``side``: side by side, ``spacing`` m to the lead's left, facing the same way (the duet rules' place since
  the first partner: 1.4 m at +x);
- ``side-right``: side by side on the lead's right (where the procedural corpus's duets stand);
- ``facing``: face to face, ``spacing`` m in front of the lead, turned to face it;
- ``behind``: ``spacing`` m behind the lead, facing the same way (a shadow).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from studio.core import rotations as rot
from studio.core.motion import Motion

FORMATIONS = ("side", "side-right", "facing", "behind")
FORMATION_NAMES = {"side": "side by side, on the left", "side-right": "side by side, on the right",
                   "facing": "face to face", "behind": "behind"}  # fmt: skip
DEFAULT_SPACING = 1.4  # m: the partner's place before formations existed (choreography.partner.PARTNER_SPACING)
# Closer than 0.8 m two dancers' arms cross (clearance is 0.2 m between any joints); beyond 4 m they no
# longer read as a duet on a stage, and the partner model never saw a lead that far (its corpus: 1.2-2 m).
SPACING_RANGE = (0.8, 4.0)


@dataclass(frozen=True)
class Formation:
    """A partner's place beside its lead: ``kind`` (one of ``FORMATIONS``) at ``spacing`` metres."""

    kind: str = "side"
    spacing: float = DEFAULT_SPACING

    def __post_init__(self) -> None:
        if self.kind not in FORMATIONS:
            raise ValueError(f"formation must be one of {', '.join(FORMATIONS)}, got {self.kind!r}")
        spacing = self.spacing
        if isinstance(spacing, bool) or not isinstance(spacing, int | float) or not math.isfinite(spacing):
            raise ValueError(f"formation spacing must be a number of metres, got {spacing!r}")
        low, high = SPACING_RANGE
        if not low <= spacing <= high:
            raise ValueError(f"formation spacing must be {low:g} to {high:g} m, got {spacing:g} m")
        object.__setattr__(self, "spacing", float(spacing))

    @property
    def label(self) -> str:
        """For people: "face to face, 2.0 m"."""
        return f"{FORMATION_NAMES[self.kind]}, {self.spacing:.1f} m"

    def place(self, lead_xz: tuple[float, float], lead_yaw: float) -> tuple[float, float, float]:
        """Where the partner of a lead at ``lead_xz`` (x, z, metres) facing ``lead_yaw`` (radians) stands, and
        its yaw: ``(x, z, yaw)``, the yaw in [-pi, pi)."""
        x, z = (float(v) for v in lead_xz)
        yaw = float(lead_yaw)
        forward = (math.sin(yaw), math.cos(yaw))
        if self.kind in ("side", "side-right"):
            left = (math.cos(yaw), -math.sin(yaw))
            reach = self.spacing if self.kind == "side" else -self.spacing
            return x + reach * left[0], z + reach * left[1], float(rot.wrap_angle(yaw))
        if self.kind == "facing":
            return x + self.spacing * forward[0], z + self.spacing * forward[1], float(rot.wrap_angle(yaw + math.pi))
        return x - self.spacing * forward[0], z - self.spacing * forward[1], float(rot.wrap_angle(yaw))

    def place_dance(self, motion: Motion) -> Motion:
        """A dance made on the lead's home spot (the origin, facing +Z) moved, all of it rigidly, to where this
        formation puts the partner of a lead standing there: turned about +Y around the origin, then shifted.

        One placement for every frame and segment, so placed copies of continuous dances stay continuous."""
        x, z, yaw = self.place((0.0, 0.0), 0.0)
        turn = rot.yaw_to_matrix(yaw)
        rotations = np.array(motion.rotations, copy=True)
        rotations[:, 0] = turn @ rotations[:, 0]  # the pelvis's local rotation is the body's world orientation
        return Motion(motion.trans @ turn.T + np.array([x, 0.0, z]), rotations, motion.fps)
