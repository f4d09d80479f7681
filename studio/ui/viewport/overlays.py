"""Widgets the editor puts on the viewport (a badge): the native GL window would cover them, so the visible
ones are drawn into the GL frame, and the view redraws when one of them changes.

An event filter on the viewport (it sees children come and go) and on each such child (it sees them change).
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QPainter, QRegion
from PySide6.QtOpenGL import QOpenGLPaintDevice
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid as shiboken_is_valid

OVERLAY_EVENTS = (QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Paint)


class ViewportOverlays(QObject):
    def __init__(self, viewport, internals: tuple[QWidget, ...]) -> None:
        super().__init__(viewport)
        self._viewport = weakref.ref(viewport)
        self._internals = internals  # the viewport's own widgets (the GL container, the message)
        self._painting = False

    def widgets(self) -> list[QWidget]:
        view = self._viewport()
        if view is None:
            return []
        return [child for child in view.children()
                if isinstance(child, QWidget) and child not in self._internals and not child.isHidden()]  # fmt: skip

    def paint(self, width: int, height: int, pixel_ratio: float) -> None:
        """Draw the visible overlay widgets into the bound GL framebuffer."""
        widgets = self.widgets()
        if not widgets:
            return
        device = QOpenGLPaintDevice(width, height)
        device.setDevicePixelRatio(pixel_ratio)
        self._painting = True
        painter = QPainter(device)
        try:
            for widget in widgets:  # over the 3D view, as they would be over a widget: no window background
                widget.render(painter, widget.pos(), QRegion(), QWidget.RenderFlag.DrawChildren)
        finally:
            painter.end()
            self._painting = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Never raise here: Qt calls this while it tears widgets down, even at interpreter exit.
        view = self._viewport()
        if view is None:
            return False
        kind = event.type()
        if watched is view:
            if kind in (QEvent.Type.ChildAdded, QEvent.Type.ChildRemoved):
                child = event.child()
                if child.isWidgetType() and child not in self._internals:
                    if kind == QEvent.Type.ChildAdded:
                        child.installEventFilter(self)  # a widget on the view: redraw when it changes
                    else:
                        child.removeEventFilter(self)
            return False
        if kind in OVERLAY_EVENTS and not self._painting and shiboken_is_valid(view.gl_window):
            view.redraw()
        return False
