"""``DanceViewport``: the editor's 3D view (OpenGL 3.3 core in a ``QOpenGLWindow`` inside a widget).

See the package docstring (``studio.ui.viewport``) for the API the editor uses. Setters only store state
and mark the view dirty (aitviewer style); GL work happens in ``_paint_gl``: the avatar mesh is uploaded once
when it changes, each paint uploads 52 matrices per dancer.

Why a window and not a ``QOpenGLWidget``: one QOpenGLWidget anywhere in a window makes Qt compose that whole
window through OpenGL (every widget's pixels uploaded as a texture, drawn and swapped) on every repaint of any
widget in it, a status-bar label included. On software GL (Mesa llvmpipe) that costs more than the 3D view
itself. A ``QOpenGLWindow`` has its own native surface: the rest of the editor is composed by the raster
backing store as in a window without GL, and the view swaps on its own. ``QWidget.createWindowContainer``
puts it into the widget tree; ``DanceViewport`` is that tree's end (a plain QWidget for layouts).

What the container changes, handled here: input reaches the window (forwarded to the viewport's mouse, input.py);
widgets the editor puts on the viewport (a badge) would sit under the native surface, so visible ones are
drawn into the GL frame; ``QWidget.grab`` of the editor renders widgets, not native surfaces, so the viewport
paints its frame when it is rendered off screen; the failure message is a QLabel in place of the window.
"""

from __future__ import annotations

import time
import weakref

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QImage,
    QOpenGLContext,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QSurfaceFormat,
)
from PySide6.QtOpenGL import (
    QOpenGLFramebufferObject,
    QOpenGLFramebufferObjectFormat,
    QOpenGLWindow,
)
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget
from shiboken6 import getCppPointer

from studio.core.motion import Motion
from studio.ui.viewport.camera import OrbitCamera
from studio.ui.viewport.frame_times import FrameTimes
from studio.ui.viewport.input import ViewportMouse
from studio.ui.viewport.overlays import ViewportOverlays
from studio.ui.viewport.rig import CameraRig
from studio.ui.viewport.scene import DancerPose, DancerView, PoseCache, build_scene, frame_at, parse_color

GL_VERSION_NEEDED = (3, 3)
FRAME_TIMES_KEPT = 600
NO_GL_HINT = (
    "Update the graphics driver, or start with LIBGL_ALWAYS_SOFTWARE=1 to use Mesa's software renderer. "
    "Everything but the 3D view keeps working."
)


def surface_format(samples: int = 0) -> QSurfaceFormat:
    """OpenGL 3.3 core, 24-bit depth; ``samples`` > 0 asks for multisampling."""
    fmt = QSurfaceFormat()
    fmt.setRenderableType(QSurfaceFormat.RenderableType.OpenGL)
    fmt.setVersion(*GL_VERSION_NEEDED)
    fmt.setProfile(QSurfaceFormat.OpenGLContextProfile.CoreProfile)
    fmt.setDepthBufferSize(24)
    fmt.setSamples(samples)
    return fmt


def opengl_problem() -> str | None:
    """None when an OpenGL 3.3 context can be made here, else a sentence saying what is wrong.

    Needs a QGuiApplication. Qt's ``offscreen`` platform has no OpenGL: it gets a message too.
    """
    context = QOpenGLContext()
    context.setFormat(surface_format())
    if not context.create():
        return (
            f"The 3D view needs OpenGL {_version(GL_VERSION_NEEDED)}, but no OpenGL context can be made. {NO_GL_HINT}"
        )
    got = (context.format().majorVersion(), context.format().minorVersion())
    if got < GL_VERSION_NEEDED:
        return (
            f"The 3D view needs OpenGL {_version(GL_VERSION_NEEDED)}; this system offers {_version(got)}. {NO_GL_HINT}"
        )
    return None


def _version(v: tuple[int, int]) -> str:
    return f"{v[0]}.{v[1]}"


def _on_screen(widget: QWidget, painter: QPainter) -> bool:
    """Whether ``painter`` paints ``widget`` into its window's backing store (not into a QWidget.grab pixmap)."""
    store = widget.backingStore()
    engine = painter.paintEngine()
    if store is None or engine is None or engine.paintDevice() is None:
        return True
    return getCppPointer(engine.paintDevice())[0] == getCppPointer(store.paintDevice())[0]


MESSAGE_STYLE = "QLabel { background: rgb(29, 32, 37); color: rgb(220, 222, 228); padding: 24px; }"
STARTING = "Starting the 3D view..."


class _GLSurface(QOpenGLWindow):
    """The native OpenGL surface inside a ``DanceViewport``: its GL callbacks and input go to the viewport.

    It holds the viewport weakly: a reference cycle would leave a viewport nobody uses to Python's garbage
    collector, which deletes widgets at any moment, even while Qt is inside one of this window's handlers."""

    def __init__(self, viewport: DanceViewport) -> None:
        super().__init__(QOpenGLWindow.UpdateBehavior.NoPartialUpdate)
        self._viewport = weakref.ref(viewport)

    def initializeGL(self) -> None:
        if (viewport := self._viewport()) is not None:
            viewport._initialize_gl(self.context())

    def paintGL(self) -> None:
        if (viewport := self._viewport()) is not None:
            viewport._dirty = False
            viewport._paint_gl()

    def event(self, event: QEvent) -> bool:
        # With NoPartialUpdate every update request paints (Qt marks the whole window dirty at each paint), so
        # the request left over after DanceViewport.repaint painted at once would paint the same frame again.
        viewport = self._viewport()
        if event.type() == QEvent.Type.UpdateRequest and (viewport is None or not viewport._dirty):
            return True
        if viewport is not None and viewport.mouse.handle(event):  # the mouse moves the camera
            return True
        return super().event(event)


class DanceViewport(QWidget):
    """The dancers, skinned on the GPU, on a floor, under an orbit camera. See ``studio.ui.viewport``."""

    glUnavailable = Signal(str)  # the message shown instead of the 3D view
    presetChanged = Signal(str)  # a preset name, or "custom" once the user moved the camera

    def __init__(self, parent: QWidget | None = None, samples: int = 0) -> None:
        super().__init__(parent)
        self.setMinimumSize(160, 120)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._avatar = None
        self._avatar_dirty = False
        self._cache: PoseCache | None = None
        self._dancers: list[DancerView] = []
        self._previews: dict[int, Motion] = {}
        self._time = 0.0
        self.rig = CameraRig()  # presets, framing, following, the user's moves (rig.py)
        self._overlay = False
        self._renderer = None
        self._gl_error: str | None = None
        self.frame_times = FrameTimes(FRAME_TIMES_KEPT)  # paint times (ms), for benchmarks and tests
        self._samples = samples
        self._draw_overlays = True  # off while painting the frame for QWidget.grab, which draws them itself
        self._dirty = True  # something changed since the window last painted
        self.debug_flat = False  # unlit flat colours on black, no floor (silhouette tests)
        self.level_of_detail = True  # dancers drawn with a lighter mesh level where triangles are small (lod.py)
        self.timing_sync = False  # glFinish in each paint so frame times include the rendering itself

        self.mouse = ViewportMouse(self)  # orbit, pan, zoom (input.py); the GL window forwards to it at once
        self._window = _GLSurface(self)
        self._window.setFormat(surface_format(samples))
        # The container owns the window and deletes it with itself, but PySide's createWindowContainer leaves
        # the Python wrapper owning it too: Python would delete the window under the container (when the
        # wrapper is collected, and at exit), and Qt would crash on the dangling window. A QObject parent known
        # to PySide hands it over (the container reparents it at once).
        QObject.setParent(self._window, self)
        self._container = QWidget.createWindowContainer(self._window, self)
        self._container.setMinimumSize(1, 1)
        self._message = QLabel(STARTING, self)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._message.setStyleSheet(MESSAGE_STYLE)
        self._pages = QStackedLayout(self)
        self._pages.setContentsMargins(0, 0, 0, 0)
        self._pages.addWidget(self._container)
        self._pages.addWidget(self._message)
        self._overlays = ViewportOverlays(self, (self._container, self._message))
        self.installEventFilter(self._overlays)
        self.installEventFilter(self.mouse)

    # === the editor's API ==========================================================================
    def set_avatar(self, avatar) -> None:
        """The body every dancer wears; its GPU buffers are made once, at the next paint."""
        self._avatar = avatar
        self._avatar_dirty = True
        self._cache = PoseCache(avatar.skeleton)
        self._warm(self._dancers, self._previews.values())
        self.rig.needs_framing = self.rig.needs_framing or self.rig.preset != "custom"
        self._reframe()
        self.redraw()

    def set_dancers(self, dancers: list[DancerView]) -> None:
        """Who dances, in order. Bad colours raise ValueError here, not at paint time."""
        dancers = list(dancers)
        for dancer in dancers:
            parse_color(dancer.color)
        self._dancers = dancers
        self._previews = {i: m for i, m in self._previews.items() if i < len(dancers)}
        self._warm(dancers, self._previews.values())
        self._reframe()
        self.rig.follow(self.current_poses())
        self.redraw()

    def set_time(self, seconds: float) -> None:
        """Show the frame at ``seconds`` (clamped to each motion; no interpolation)."""
        self._time = float(seconds)
        self.rig.follow(self.current_poses())
        self.redraw()

    def set_preview(self, index: int, motion: Motion | None) -> None:
        """Show ``motion`` (a candidate) in place of dancer ``index``'s motion; None ends the preview."""
        if motion is None:
            self._previews.pop(index, None)
        else:
            self._previews[index] = motion
            self._warm([], [motion])
        self.redraw()

    def set_camera_preset(self, name: str) -> None:
        """front, side, top, hands (frames both hands of the first dancer) or follow (tracks its pelvis)."""
        self.rig.set_preset(name)
        self._reframe()
        self.presetChanged.emit(name)
        self.redraw()

    def camera_preset(self) -> str:
        return self.rig.preset

    def set_skeleton_overlay(self, on: bool) -> None:
        self._overlay = bool(on)
        self.redraw()

    def skeleton_overlay(self) -> bool:
        return self._overlay

    def grab_frame(self) -> QImage:
        """Render now and return the picture: the 3D view (drawn into an offscreen framebuffer, with the widgets
        on it), or the message shown instead of it."""
        self._ensure_context()
        if self._gl_error is not None or self._renderer is None:
            return self._message_image()
        return self._render_image(overlays=True)

    def redraw(self) -> None:
        """Mark dirty; the paint happens when Qt next gets to it."""
        self._dirty = True
        self._window.update()

    def repaint(self, *args) -> None:
        """Paint now: the 3D view (benchmarks and tests time this), or the message shown instead of it."""
        if self._gl_error is None:
            self._render_now()
        else:
            super().repaint(*args)

    # --- for tests and tools --------------------------------------------------------------------------
    @property
    def camera(self) -> OrbitCamera:
        """The live camera (changing it moves the view at the next paint)."""
        return self.rig.camera

    @property
    def time(self) -> float:
        return self._time

    @property
    def renderer(self):
        return self._renderer

    @property
    def gl_error(self) -> str | None:
        """Why the 3D view is not drawn (no OpenGL 3.3, a shader failure), or None."""
        return self._gl_error

    @property
    def gl_window(self) -> QOpenGLWindow:
        """The native OpenGL window the view is drawn in (it receives the mouse)."""
        return self._window

    def makeCurrent(self) -> None:  # QOpenGLWidget's name, for tools that query GL
        self._window.makeCurrent()

    def doneCurrent(self) -> None:
        self._window.doneCurrent()

    def pixel_size(self) -> tuple[int, int]:
        ratio = self.devicePixelRatioF()
        return max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio))

    def matrices(self) -> tuple[np.ndarray, np.ndarray]:
        """(view, projection) of the current camera for the current widget size."""
        width, height = self.pixel_size()
        return self.rig.camera.view(), self.rig.camera.projection(width / height)

    def current_poses(self) -> list[DancerPose]:
        """What the next paint will draw (joints, skinning matrices, colours)."""
        height = self._avatar.pelvis_height if self._avatar is not None else 0.0
        return build_scene(self._dancers, self._previews, self._time, self._cache, height)

    # === internals ===================================================================================
    def _warm(self, dancers, motions) -> None:
        """Forward kinematics of new motions now, in the setter, so paints only look frames up."""
        if self._cache is None:
            return
        for motion in [*(d.motion for d in dancers), *motions]:
            if motion is not None and motion.num_frames:
                self._cache.pose(motion, frame_at(motion, self._time))

    def _reframe(self) -> None:
        width, height = self.pixel_size()
        self.rig.reframe(self.current_poses(), width / height)

    def camera_moved(self, became_custom: bool) -> None:
        """After the user moved the camera (``ViewportMouse``): redraw; say so when the preset is left."""
        if became_custom:
            self.presetChanged.emit("custom")
        self.redraw()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.rig.resized()  # keep a preset framed when the widget's shape changes
        self._reframe()

    # --- GL ------------------------------------------------------------------------------------------
    def _initialize_gl(self, context: QOpenGLContext | None) -> None:
        from studio.ui.viewport.renderer import GLSetupError, Renderer

        if context is None or not context.isValid():
            self._fail(
                f"The 3D view needs OpenGL {_version(GL_VERSION_NEEDED)}, but no OpenGL context can be made. "
                f"{NO_GL_HINT}"
            )
            return
        fmt = context.format()
        got = (fmt.majorVersion(), fmt.minorVersion())
        if got < GL_VERSION_NEEDED:
            self._fail(
                f"The 3D view needs OpenGL {_version(GL_VERSION_NEEDED)}; this system offers {_version(got)}. "
                f"{NO_GL_HINT}"
            )
            return
        renderer = Renderer()
        try:
            renderer.initialize()
        except (GLSetupError, RuntimeError) as error:
            self._fail(f"The 3D view could not start: {error}")
            return
        # The context lives as long as the window (so as this viewport) and shares with none: the renderer's
        # buffers and programs go with it, nothing to release by hand.
        self._renderer = renderer
        self._avatar_dirty = self._avatar is not None

    def _paint_gl(self) -> None:
        """One frame into the bound framebuffer (the window's, or the offscreen one of ``grab_frame``)."""
        if self._gl_error is not None or self._renderer is None:
            return  # the message label shows instead (see _fail)
        from OpenGL import GL

        from studio.ui.viewport.renderer import RenderFrame

        started = time.perf_counter()

        try:
            if self._avatar_dirty and self._avatar is not None:
                self._renderer.upload_avatar(self._avatar)
                self._avatar_dirty = False
            width, height = self.pixel_size()
            view, projection = self.matrices()
            self._renderer.render(
                RenderFrame(
                    view=view,
                    projection=projection,
                    eye=self.rig.camera.eye(),
                    target=self.rig.camera.target,
                    width=width,
                    height=height,
                    dancers=self.current_poses(),
                    skeleton_overlay=self._overlay,
                    flat=self.debug_flat,
                    level_of_detail=self.level_of_detail,
                )
            )
            if self._draw_overlays:
                self._overlays.paint(width, height, self.devicePixelRatioF())
            if self.timing_sync:
                GL.glFinish()
        except Exception as error:  # a GL failure must not take the editor down: show it instead
            self._fail(f"The 3D view stopped: {type(error).__name__}: {error}")
            return
        self.frame_times.add((time.perf_counter() - started) * 1000.0)

    def _ensure_context(self) -> None:
        """Make the GL context now if the window has none yet. QOpenGLWindow makes it at the window's first
        resize or expose, which for a window just shown can still be on its way; a resize event brings it
        about (``initializeGL`` comes before the first ``resizeGL``)."""
        window = self._window
        if self._gl_error is None and not window.isValid() and self.isVisible():
            QCoreApplication.sendEvent(window, QResizeEvent(window.size(), window.size()))

    def _render_now(self) -> None:
        """Paint and swap the GL window now (QOpenGLWindow paints on an update request; this is one, sent)."""
        window = self._window
        if window.isExposed():
            self.redraw()
            QCoreApplication.sendEvent(window, QEvent(QEvent.Type.UpdateRequest))

    def _render_image(self, overlays: bool) -> QImage:
        """A frame drawn into an offscreen framebuffer and read back (the window's own buffers are swapped)."""
        from OpenGL import GL

        width, height = self.pixel_size()
        self._window.makeCurrent()
        fmt = QOpenGLFramebufferObjectFormat()
        fmt.setAttachment(QOpenGLFramebufferObject.Attachment.CombinedDepthStencil)
        fmt.setSamples(self._samples)
        target = QOpenGLFramebufferObject(width, height, fmt)
        resolved = QOpenGLFramebufferObject(width, height) if self._samples else target
        try:
            target.bind()
            self._draw_overlays = overlays
            try:
                self._paint_gl()
            finally:
                self._draw_overlays = True
            if resolved is not target:
                QOpenGLFramebufferObject.blitFramebuffer(resolved, target)
            resolved.bind()
            data = GL.glReadPixels(0, 0, width, height, GL.GL_RGBA, GL.GL_UNSIGNED_BYTE)
        finally:
            QOpenGLFramebufferObject.bindDefault()
            del resolved, target
            self._window.doneCurrent()
        rows = np.frombuffer(data, dtype=np.uint8).reshape(height, width, 4)[::-1].copy()
        image = QImage(rows.data, width, height, width * 4, QImage.Format.Format_RGBX8888).copy()
        image.setDevicePixelRatio(self.devicePixelRatioF())
        return image

    def paintEvent(self, event: QPaintEvent) -> None:
        """On screen the GL window covers this widget and nothing is drawn. Rendered into something else
        (``QWidget.grab`` of the editor, for a screenshot) the viewport draws the frame the window shows."""
        if self._gl_error is not None or self._renderer is None or not self._window.isValid():
            return
        painter = QPainter(self)
        if not _on_screen(self, painter):
            painter.drawImage(self.rect(), self._render_image(overlays=False))
        painter.end()

    def _fail(self, message: str) -> None:
        first = self._gl_error is None
        self._gl_error = message
        self._message.setText(message)
        if first:
            self.glUnavailable.emit(message)
        # not from inside the window's paint: hiding the window there would end the paint under Qt's feet
        QTimer.singleShot(0, self, self._show_message)

    def _show_message(self) -> None:
        self._pages.setCurrentWidget(self._message)

    def _message_image(self) -> QImage:
        self._message.setText(self._gl_error or STARTING)
        self._message.resize(self.size())
        return self._message.grab().toImage()
