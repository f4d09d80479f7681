"""The viewport the window shows: the GL ``DanceViewport`` where OpenGL 3.3 works, else a flat placeholder.

The GL package (``studio.ui.viewport``) is imported lazily, so the editor still starts where PyOpenGL or a
3.3 context is missing; the window only ever calls the API the two views share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QWidget

from studio.core.motion import Motion


class PlaceholderViewport(QWidget):
    """Stands in for the GL ``DanceViewport`` where OpenGL 3.3 is missing: a flat front view of the joints.

    Same API (set_avatar, set_dancers, set_time, set_preview, set_camera_preset, set_skeleton_overlay,
    grab_frame) so the window never needs to know which one it has.
    """

    def __init__(self, parent: QWidget | None = None, reason: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("viewport")
        self.reason = reason
        self.skeleton = None
        self.dancers: list[Any] = []
        self.previews: dict[int, Motion] = {}
        self.time = 0.0
        self.preset = "front"
        self.overlay = False
        self.setMinimumSize(200, 150)
        self.setAutoFillBackground(True)

    def set_avatar(self, avatar) -> None:
        self.skeleton = avatar.skeleton
        self.update()

    def set_dancers(self, dancers) -> None:
        self.dancers = list(dancers)
        self.update()

    def set_time(self, seconds: float) -> None:
        self.time = float(seconds)
        self.update()

    def set_preview(self, index: int, motion: Motion | None) -> None:
        if motion is None:
            self.previews.pop(index, None)
        else:
            self.previews[index] = motion
        self.update()

    def set_camera_preset(self, name: str) -> None:
        self.preset = name

    def set_skeleton_overlay(self, on: bool) -> None:
        self.overlay = bool(on)

    def grab_frame(self) -> QImage:
        return self.grab().toImage()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#2a2d34"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        floor = self.height() * 0.88
        scale = self.height() * 0.4
        painter.setPen(QPen(QColor("#555a66"), 1))
        painter.drawLine(QPointF(0, floor), QPointF(self.width(), floor))
        if self.skeleton is not None:
            parents = self.skeleton.parents
            for index, dancer in enumerate(self.dancers):
                motion = self.previews.get(index, dancer.motion)
                if motion is None or len(motion) == 0:
                    continue
                frame = min(max(math.floor(self.time * motion.fps + 1e-6), 0), len(motion) - 1)
                joints = motion[frame : frame + 1].positions(self.skeleton)[0]
                points = [QPointF(self.width() / 2 + (x - 0.7) * scale, floor - y * scale) for x, y, _ in joints]
                color = QColor(dancer.color)
                if index in self.previews:
                    color = color.lighter(140)
                painter.setPen(QPen(color, 3 if index not in self.previews else 4))
                for joint, parent in enumerate(parents):
                    if parent >= 0:
                        painter.drawLine(points[parent], points[joint])
        if self.reason:
            painter.setPen(QColor("#b8bcc6"))
            painter.drawText(self.rect().adjusted(10, 8, -10, -8),
                             Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
                             self.reason)  # fmt: skip
        painter.end()


def dancer_view(motion: Motion | None, color: str, name: str):
    """A ``DancerView`` for the viewport (the GL package's type when it is installed)."""
    try:
        from studio.ui.viewport import DancerView
    except ImportError:
        return _DancerView(motion, color, name)
    return DancerView(motion, color, name)


@dataclass(frozen=True, eq=False)
class _DancerView:
    motion: Motion | None
    color: str
    name: str = ""


def make_viewport(parent: QWidget | None = None) -> QWidget:
    """The GL ``DanceViewport`` when OpenGL 3.3 works here, else the placeholder saying why."""
    try:
        from studio.ui.viewport import DanceViewport, opengl_problem
    except ImportError as error:
        return PlaceholderViewport(parent, f"3D view not available ({error})")
    problem = opengl_problem()
    if problem:
        return PlaceholderViewport(parent, problem)
    view = DanceViewport(parent)
    view.setObjectName("viewport")
    return view
