"""The viewport's camera control, apart from the widget: which preset frames the dancers, when to frame
again, following the pelvis, and the user's orbit, pan and zoom (after which the view is "custom").

Plain Python (no Qt): the widget gives it the dancers' current poses and its aspect ratio.
"""

from __future__ import annotations

import numpy as np

from studio.ui.viewport.camera import PRESETS, OrbitCamera, follow, preset_camera

ORBIT_DEGREES_PER_PIXEL = 0.4
FIXED_PRESETS = ("front", "side", "top", "hands")  # framed again when the view's shape changes


class CameraRig:
    """``camera`` (the live ``OrbitCamera``) and ``preset`` (a name in ``PRESETS``, or "custom")."""

    def __init__(self) -> None:
        self.camera = OrbitCamera()
        self.preset = "front"
        self.needs_framing = True
        self._follow_anchor = np.zeros(3)

    def set_preset(self, name: str) -> None:
        if name not in PRESETS:
            raise ValueError(f"unknown camera preset {name!r}; presets are {', '.join(PRESETS)}")
        self.preset = name
        self.needs_framing = True

    def reframe(self, poses, aspect: float) -> None:
        """Frame the preset's view of ``poses`` when it is due (a new preset, a new avatar, a resize)."""
        if not self.needs_framing or self.preset == "custom" or not poses:
            return  # without poses: framed when the first dancer with a motion arrives
        self.camera = preset_camera(self.preset, [p.joints for p in poses], aspect, self.camera)
        self.needs_framing = False
        if self.preset == "follow":
            self._follow_anchor = self.camera.target - poses[0].joints[0]

    def follow(self, poses) -> None:
        """The follow preset keeps the first dancer's pelvis where it was framed."""
        if self.preset == "follow" and poses:
            follow(self.camera, poses[0].joints[0], self._follow_anchor)

    def resized(self) -> None:
        if self.preset in FIXED_PRESETS:
            self.needs_framing = True

    # -- the user's moves: each returns True when the view became "custom" ------------------------------------
    def orbit(self, dx: float, dy: float) -> bool:
        self.camera.orbit(-dx * ORBIT_DEGREES_PER_PIXEL, dy * ORBIT_DEGREES_PER_PIXEL)
        return self._moved()

    def pan(self, dx: float, dy: float, height: int, poses) -> bool:
        self.camera.pan(dx, dy, height)
        if self.preset == "follow" and poses:
            self._follow_anchor = self.camera.target - poses[0].joints[0]
        return self._moved()

    def zoom(self, steps: float) -> bool:
        self.camera.zoom(steps)
        return self._moved()

    def _moved(self) -> bool:
        self.needs_framing = False
        if self.preset not in ("custom", "follow"):
            self.preset = "custom"
            return True
        return False
