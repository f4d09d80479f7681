"""The editor's 3D viewport: dancers skinned on the GPU, lit, on a floor grid, under an orbit camera.

API for the editor (everything else is internal)::

    from studio.ui.viewport import DancerView, DanceViewport

    view = DanceViewport(parent)                 # a QWidget holding a QOpenGLWindow, OpenGL 3.3 core
    view.set_avatar(avatar)                      # studio.body Avatar; GPU mesh buffers made once per avatar
    view.set_dancers([DancerView(motion, "#e07a5f", "Ana"), DancerView(None, "#3d85c6", "Ben")])
    view.set_time(seconds)                       # frame = floor(t * fps), clamped; no interpolation
    view.set_preview(index, candidate_motion)    # show a candidate instead of dancer `index`; None ends it
    view.set_camera_preset("front")              # front | side | top | hands | follow  (PRESETS)
    view.set_skeleton_overlay(True)              # joint lines and dots drawn on top
    view.frame_times.stats()                     # {"count", "median", "mean", "p95", "max", "last"} in ms
    view.grab_frame()                            # QImage of the current view (drawn now, offscreen)
    view.redraw()                                # mark dirty; paint later (view.repaint() paints now)

Signals: ``glUnavailable(str)`` when OpenGL 3.3 is missing or a shader fails (the widget then shows that
message, a QLabel, instead of the view; the rest of the editor keeps working); ``presetChanged(str)``
("custom" once the user orbits, pans or zooms away from a preset; "follow" keeps following while the user
orbits).
``opengl_problem()`` answers before any widget is made whether the 3D view can run here.

Mouse: left drag orbits, right or middle drag pans, the wheel zooms, a double click goes back to the preset.

The view is drawn in its own native window (``gl_window``, a ``QOpenGLWindow`` in a window container), not a
QOpenGLWidget, so the editor's window is composed without OpenGL (see ``widget.py``). Widgets the editor puts
on the viewport (a badge) are drawn over the 3D view; ``QWidget.grab`` of the editor includes the view.

For tests and tools: ``camera`` (the live ``OrbitCamera``), ``matrices()`` (view, projection for the current
size), ``current_poses()``, ``gl_error``, ``renderer`` (counters such as ``mesh_uploads``), ``gl_window``, and
three switches: ``debug_flat`` (unlit flat colours on black, no floor), ``level_of_detail`` (dancers whose
triangles are a few pixels use a lighter mesh level of ``lod.py``; on by default), ``timing_sync`` (glFinish
per paint so ``frame_times`` counts the GL work, not just its submission).

Motions are drawn in world units with the floor at y = 0 (the generators' convention: the pelvis of a
standing dancer is at ``avatar.pelvis_height``). Setters only store state and mark the view dirty;
forward kinematics run once per motion object when it is handed over (cached), and a paint uploads 52
skinning matrices per dancer. Qt's ``offscreen`` platform has no OpenGL: run GL tests under Xvfb.
"""

from studio.ui.viewport.camera import PRESETS, OrbitCamera
from studio.ui.viewport.scene import DancerView
from studio.ui.viewport.widget import DanceViewport, opengl_problem, surface_format

__all__ = ["PRESETS", "DanceViewport", "DancerView", "OrbitCamera", "opengl_problem", "surface_format"]
