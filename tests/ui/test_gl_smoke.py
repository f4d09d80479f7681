"""OpenGL works in the test display: a real context (Mesa llvmpipe under Xvfb), clear, read back.

Qt's offscreen platform has no OpenGL, so these run under Xvfb (pytest-xvfb starts it).
"""

from __future__ import annotations

import pytest
from PySide6.QtOpenGLWidgets import QOpenGLWidget

pytestmark = pytest.mark.gl

GL_VERSION = 0x1F02
GL_RENDERER = 0x1F01
GL_COLOR_BUFFER_BIT = 0x4000
CLEAR = (0.2, 0.4, 0.6)  # -> (51, 102, 153) in an 8-bit framebuffer


class ClearWidget(QOpenGLWidget):
    def __init__(self) -> None:
        super().__init__()
        self.version = ""
        self.renderer = ""

    def initializeGL(self) -> None:
        gl = self.context().functions()
        self.version = gl.glGetString(GL_VERSION)
        self.renderer = gl.glGetString(GL_RENDERER)

    def paintGL(self) -> None:
        gl = self.context().functions()
        gl.glClearColor(*CLEAR, 1.0)
        gl.glClear(GL_COLOR_BUFFER_BIT)


def test_gl_context_version_and_clear_colour(qtbot):
    widget = ClearWidget()
    qtbot.addWidget(widget)
    widget.resize(64, 48)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.version != "", timeout=5000)

    assert widget.isValid(), "no OpenGL context"
    assert "4." in widget.version or "3." in widget.version, (widget.version, widget.renderer)

    image = widget.grabFramebuffer()
    colour = image.pixelColor(image.width() // 2, image.height() // 2)
    expected = [round(c * 255) for c in CLEAR]
    assert [colour.red(), colour.green(), colour.blue()] == pytest.approx(expected, abs=2), widget.renderer
