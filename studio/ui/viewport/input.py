"""The viewport's mouse: left drag orbits, right or middle drag pans, the wheel zooms, a double click goes back
to the preset. An event filter on the viewport (and the target of the GL window's forwarded events), so the
widget itself needs no handlers."""

from __future__ import annotations

import weakref

from PySide6.QtCore import QEvent, QObject, QPointF, Qt

_BUTTON_EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease,
                  QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel)  # fmt: skip


class ViewportMouse(QObject):
    def __init__(self, viewport) -> None:
        super().__init__(viewport)
        self._viewport = weakref.ref(viewport)
        self._drag: tuple[QPointF, Qt.MouseButton] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return self.handle(event) if event.type() in _BUTTON_EVENTS else False

    def handle(self, event: QEvent) -> bool:
        """Act on one mouse or wheel event; True when it was one (it is accepted)."""
        view = self._viewport()
        kind = event.type()
        if view is None or kind not in _BUTTON_EVENTS:
            return False
        if kind == QEvent.Type.MouseButtonPress:
            self._drag = (event.position(), event.button())
        elif kind == QEvent.Type.MouseButtonRelease:
            self._drag = None
        elif kind == QEvent.Type.MouseButtonDblClick:
            view.set_camera_preset("front" if view.camera_preset() == "custom" else view.camera_preset())
        elif kind == QEvent.Type.Wheel:
            steps = event.angleDelta().y() / 120.0
            if steps:
                view.camera_moved(view.rig.zoom(steps))
        else:  # a move: only a drag moves the camera
            if self._drag is None:
                return False
            last, button = self._drag
            delta = event.position() - last
            self._drag = (event.position(), button)
            if button == Qt.MouseButton.LeftButton:
                view.camera_moved(view.rig.orbit(delta.x(), delta.y()))
            elif button in (Qt.MouseButton.RightButton, Qt.MouseButton.MiddleButton):
                view.camera_moved(view.rig.pan(delta.x(), delta.y(), view.height(), view.current_poses()))
            else:
                return False
        event.accept()
        return True
