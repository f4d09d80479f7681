"""``DanceViewport``: the editor's 3D view (a QOpenGLWidget, OpenGL 3.3 core).

See the package docstring (``studio.ui.viewport``) for the API the editor uses. Setters only store state
and call ``update()`` (aitviewer style: mark dirty); GL work happens in ``paintGL``: the avatar mesh is
uploaded once when it changes, each paint uploads 52 matrices per dancer.
"""

from __future__ import annotations

import statistics
import time
from collections import deque

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QOpenGLContext, QPainter, QSurfaceFormat, QWheelEvent
from PySide6.QtOpenGLWidgets import QOpenGLWidget
from PySide6.QtWidgets import QWidget

from studio.core.motion import Motion
from studio.ui.viewport.camera import PRESETS, OrbitCamera, follow, preset_camera
from studio.ui.viewport.scene import DancerPose, DancerView, PoseCache, build_scene, frame_at, parse_color

GL_VERSION_NEEDED = (3, 3)
ORBIT_DEGREES_PER_PIXEL = 0.4
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


class DanceViewport(QOpenGLWidget):
    """The dancers, skinned on the GPU, on a floor, under an orbit camera. See ``studio.ui.viewport``."""

    glUnavailable = Signal(str)  # the message shown instead of the 3D view
    presetChanged = Signal(str)  # a preset name, or "custom" once the user moved the camera

    def __init__(self, parent: QWidget | None = None, samples: int = 0) -> None:
        super().__init__(parent)
        self.setFormat(surface_format(samples))
        self.setMinimumSize(160, 120)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._avatar = None
        self._avatar_dirty = False
        self._cache: PoseCache | None = None
        self._dancers: list[DancerView] = []
        self._previews: dict[int, Motion] = {}
        self._time = 0.0
        self._camera = OrbitCamera()
        self._preset = "front"
        self._needs_framing = True
        self._follow_anchor = np.zeros(3)
        self._overlay = False
        self._renderer = None
        self._gl_error: str | None = None
        self._drag: tuple[QPointF, Qt.MouseButton] | None = None
        self._frame_times: deque[float] = deque(maxlen=FRAME_TIMES_KEPT)
        self.debug_flat = False  # unlit flat colours on black, no floor (silhouette tests)
        self.level_of_detail = True  # far dancers drawn with the coarse mesh (see lod.py)
        self.timing_sync = False  # glFinish in each paint so frame times include the rendering itself

    # === the editor's API ==========================================================================
    def set_avatar(self, avatar) -> None:
        """The body every dancer wears; its GPU buffers are made once, at the next paint."""
        self._avatar = avatar
        self._avatar_dirty = True
        self._cache = PoseCache(avatar.skeleton)
        self._warm(self._dancers, self._previews.values())
        self._needs_framing = self._needs_framing or self._preset != "custom"
        self._reframe_if_needed()
        self.update()

    def set_dancers(self, dancers: list[DancerView]) -> None:
        """Who dances, in order. Bad colours raise ValueError here, not at paint time."""
        dancers = list(dancers)
        for dancer in dancers:
            parse_color(dancer.color)
        self._dancers = dancers
        self._previews = {i: m for i, m in self._previews.items() if i < len(dancers)}
        self._warm(dancers, self._previews.values())
        self._reframe_if_needed()
        self._follow_pelvis()
        self.update()

    def set_time(self, seconds: float) -> None:
        """Show the frame at ``seconds`` (clamped to each motion; no interpolation)."""
        self._time = float(seconds)
        self._follow_pelvis()
        self.update()

    def set_preview(self, index: int, motion: Motion | None) -> None:
        """Show ``motion`` (a candidate) in place of dancer ``index``'s motion; None ends the preview."""
        if motion is None:
            self._previews.pop(index, None)
        else:
            self._previews[index] = motion
            self._warm([], [motion])
        self.update()

    def set_camera_preset(self, name: str) -> None:
        """front, side, top, hands (frames both hands of the first dancer) or follow (tracks its pelvis)."""
        if name not in PRESETS:
            raise ValueError(f"unknown camera preset {name!r}; presets are {', '.join(PRESETS)}")
        self._preset = name
        self._needs_framing = True
        self._reframe_if_needed()
        self.presetChanged.emit(name)
        self.update()

    def camera_preset(self) -> str:
        return self._preset

    def set_skeleton_overlay(self, on: bool) -> None:
        self._overlay = bool(on)
        self.update()

    def skeleton_overlay(self) -> bool:
        return self._overlay

    def frame_time_ms(self) -> dict[str, float]:
        """Paint times of the recent frames (ms): count, median, mean, p95, max, last."""
        times = list(self._frame_times)
        if not times:
            return {
                "count": 0,
                "median": float("nan"),
                "mean": float("nan"),
                "p95": float("nan"),
                "max": float("nan"),
                "last": float("nan"),
            }
        return {
            "count": len(times),
            "median": statistics.median(times),
            "mean": statistics.fmean(times),
            "p95": float(np.percentile(times, 95)),
            "max": max(times),
            "last": times[-1],
        }

    def reset_frame_times(self) -> None:
        self._frame_times.clear()

    def grab_frame(self) -> QImage:
        """Render now and return the picture (QOpenGLWidget.grabFramebuffer)."""
        return self.grabFramebuffer()

    def redraw(self) -> None:
        """Mark dirty; the paint happens when Qt next gets to it."""
        self.update()

    # --- for tests and tools --------------------------------------------------------------------------
    @property
    def camera(self) -> OrbitCamera:
        """The live camera (changing it moves the view at the next paint)."""
        return self._camera

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

    def pixel_size(self) -> tuple[int, int]:
        ratio = self.devicePixelRatioF()
        return max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio))

    def matrices(self) -> tuple[np.ndarray, np.ndarray]:
        """(view, projection) of the current camera for the current widget size."""
        width, height = self.pixel_size()
        return self._camera.view(), self._camera.projection(width / height)

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

    def _reframe_if_needed(self) -> None:
        if not self._needs_framing or self._preset == "custom":
            return
        poses = self.current_poses()
        if not poses:
            return  # framed when the first dancer with a motion arrives
        width, height = self.pixel_size()
        self._camera = preset_camera(self._preset, [p.joints for p in poses], width / height, self._camera)
        self._needs_framing = False
        if self._preset == "follow":
            pelvis = poses[0].joints[0]
            self._follow_anchor = self._camera.target - pelvis

    def _follow_pelvis(self) -> None:
        if self._preset != "follow":
            return
        poses = self.current_poses()
        if poses:
            follow(self._camera, poses[0].joints[0], self._follow_anchor)

    def _user_moved_camera(self) -> None:
        self._needs_framing = False
        if self._preset not in ("custom", "follow"):
            self._preset = "custom"
            self.presetChanged.emit("custom")

    # --- GL ------------------------------------------------------------------------------------------
    def initializeGL(self) -> None:
        from studio.ui.viewport.renderer import GLSetupError, Renderer

        fmt = self.context().format()
        got = (fmt.majorVersion(), fmt.minorVersion())
        if got < GL_VERSION_NEEDED:
            self._fail(
                f"The 3D view needs OpenGL {_version(GL_VERSION_NEEDED)}; this system offers {_version(got)}. "
                f"{NO_GL_HINT}"
            )
            return
        self.context().aboutToBeDestroyed.connect(self._release_gl)
        renderer = Renderer()
        try:
            renderer.initialize()
        except (GLSetupError, RuntimeError) as error:
            self._fail(f"The 3D view could not start: {error}")
            return
        self._renderer = renderer
        self._avatar_dirty = self._avatar is not None  # a new context (e.g. after re-parenting) needs the mesh

    def resizeGL(self, width: int, height: int) -> None:
        if self._preset in ("front", "side", "top", "hands"):
            self._needs_framing = True  # keep a preset framed when the widget's shape changes
            self._reframe_if_needed()

    def paintGL(self) -> None:
        started = time.perf_counter()
        if self._gl_error is not None or self._renderer is None:
            self._paint_message(self._gl_error or "Starting the 3D view...")
            return
        from OpenGL import GL

        from studio.ui.viewport.renderer import RenderFrame

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
                    eye=self._camera.eye(),
                    target=self._camera.target,
                    width=width,
                    height=height,
                    dancers=self.current_poses(),
                    skeleton_overlay=self._overlay,
                    flat=self.debug_flat,
                    level_of_detail=self.level_of_detail,
                )
            )
            if self.timing_sync:
                GL.glFinish()
        except Exception as error:  # a GL failure must not take the editor down: show it instead
            self._fail(f"The 3D view stopped: {type(error).__name__}: {error}")
            return
        self._frame_times.append((time.perf_counter() - started) * 1000.0)

    def _fail(self, message: str) -> None:
        first = self._gl_error is None
        self._gl_error = message
        if first:
            self.glUnavailable.emit(message)
        self.update()

    def _paint_message(self, message: str) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(29, 32, 37))
        painter.setPen(QColor(220, 222, 228))
        painter.drawText(
            self.rect().adjusted(24, 24, -24, -24), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, message
        )
        painter.end()

    def _release_gl(self) -> None:
        if self._renderer is None:
            return
        self.makeCurrent()
        try:
            self._renderer.release()
        finally:
            self._renderer = None
            self.doneCurrent()

    # --- mouse ------------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._drag = (event.position(), event.button())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        last, button = self._drag
        delta = event.position() - last
        self._drag = (event.position(), button)
        if button == Qt.MouseButton.LeftButton:
            self._camera.orbit(-delta.x() * ORBIT_DEGREES_PER_PIXEL, delta.y() * ORBIT_DEGREES_PER_PIXEL)
        elif button in (Qt.MouseButton.RightButton, Qt.MouseButton.MiddleButton):
            self._camera.pan(delta.x(), delta.y(), self.height())
            if self._preset == "follow":
                poses = self.current_poses()
                if poses:
                    self._follow_anchor = self._camera.target - poses[0].joints[0]
        else:
            return
        self._user_moved_camera()
        self.update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag = None
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Double click: back to the preset (front after free moves)."""
        self.set_camera_preset("front" if self._preset == "custom" else self._preset)
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self._camera.zoom(steps)
            self._user_moved_camera()
            self.update()
        event.accept()
