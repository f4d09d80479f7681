"""The GL viewport under Xvfb (Mesa llvmpipe): what it draws, checked on grabbed frames.

Pixels are compared with joint and vertex projections computed in numpy with the widget's own camera
matrices, so these tests also pin the camera convention between numpy and the shaders.
"""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.gl

RED, BLUE = "#e07a5f", "#3d85c6"
TORSO_AND_LEGS = [0, 3, 6, 9, 4, 5]  # pelvis, spine1..3, knees: never hidden behind a hand from the front


def pixels(image) -> np.ndarray:
    """QImage -> (H, W, 3) uint8."""
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height)
    return data.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()


def tinted(rgb: np.ndarray, color: str) -> bool:
    """The pixel's hue leans the way the dancer colour does (lighting changes brightness, not the lean)."""
    from studio.ui.viewport.scene import parse_color

    target = np.array(parse_color(color)) * 255
    p, c = rgb.astype(float) - rgb.mean(), target - target.mean()
    return float(p @ c) / (np.linalg.norm(p) * np.linalg.norm(c) + 1e-9) > 0.8


@pytest.fixture
def make_view(qtbot, avatar):
    from studio.ui.viewport import DanceViewport

    def make(width=320, height=240, dancers=(), preset="front"):
        view = DanceViewport()
        qtbot.addWidget(view)
        view.resize(width, height)
        view.show()
        qtbot.waitExposed(view)
        view.set_avatar(avatar)
        view.set_dancers(list(dancers))
        view.set_camera_preset(preset)
        view.grab_frame()  # initialises GL
        assert view.gl_error is None, view.gl_error
        return view

    return make


def projected(view, points: np.ndarray) -> np.ndarray:
    from studio.ui.viewport.camera import project

    width, height = view.pixel_size()
    view_m, proj = view.matrices()
    return project(points, view_m, proj, width, height)


def test_opengl_is_available_here(qapp):
    from studio.ui.viewport import opengl_problem

    assert opengl_problem() is None


def test_renders_the_dancer_where_its_joints_project(make_view, dance, avatar):
    from studio.ui.viewport import DancerView

    empty = pixels(make_view().grab_frame())
    view = make_view(dancers=[DancerView(dance, RED, "Ana")])
    view.set_time(1.0)
    image = pixels(view.grab_frame())
    joints = dance.positions(avatar.skeleton)[30]
    for joint, (x, y, _) in zip(TORSO_AND_LEGS, projected(view, joints[TORSO_AND_LEGS]), strict=True):
        x, y = int(x), int(y)
        assert 0 <= x < image.shape[1] and 0 <= y < image.shape[0], joint
        patch = image[y - 1 : y + 2, x - 1 : x + 2].reshape(-1, 3)
        assert np.abs(patch.astype(int) - empty[y, x]).sum(axis=1).min() > 40, joint
        assert sum(tinted(p, RED) for p in patch) >= 7, (joint, patch)  # joint gaps of the mannequin aside

    view.set_time(1.6)  # the dance moves: another frame, another picture
    later = pixels(view.grab_frame())
    changed = np.abs(later.astype(int) - image).sum(axis=2) > 30
    assert changed.mean() > 0.005


def test_two_dancers_in_their_colours(make_view, dance, partner, avatar):
    from studio.ui.viewport import DancerView

    view = make_view(dancers=[DancerView(dance, RED, "Ana"), DancerView(partner, BLUE, "Ben")])
    image = pixels(view.grab_frame())
    for motion, color in ((dance, RED), (partner, BLUE)):
        joints = motion.positions(avatar.skeleton)[0][TORSO_AND_LEGS]
        for x, y, _ in projected(view, joints):
            patch = image[int(y) - 1 : int(y) + 2, int(x) - 1 : int(x) + 2].reshape(-1, 3)
            assert sum(tinted(p, color) for p in patch) >= 6, (color, patch)  # joint gaps of the mannequin aside


def test_missing_motion_draws_nothing_and_preview_replaces(make_view, dance, partner, avatar):
    from studio.ui.viewport import DancerView

    empty = pixels(make_view().grab_frame())
    view = make_view(dancers=[DancerView(None, RED, "Ana")])
    assert np.array_equal(pixels(view.grab_frame()), empty)

    view.set_preview(0, dance)  # a candidate shows in the dancer's colour
    shown = pixels(view.grab_frame())
    ((x, y, _),) = projected(view, dance.positions(avatar.skeleton)[0][:1])
    assert tinted(shown[int(y), int(x)], RED)
    view.set_preview(0, None)
    assert np.array_equal(pixels(view.grab_frame()), empty)


def test_skeleton_overlay_toggles(make_view, dance, avatar):
    from studio.ui.viewport import DancerView

    view = make_view(dancers=[DancerView(dance, RED, "Ana")])
    plain = pixels(view.grab_frame())
    view.set_skeleton_overlay(True)
    assert view.skeleton_overlay()
    overlay = pixels(view.grab_frame())
    changed = np.abs(overlay.astype(int) - plain).sum(axis=2) > 60
    assert changed.sum() > 100
    # the joint dots are white and drawn on top, even over the body
    x, y = np.round(projected(view, dance.positions(avatar.skeleton)[0][6:7])[0, :2]).astype(int)
    assert overlay[y - 1 : y + 2, x - 1 : x + 2].min() > 200
    view.set_skeleton_overlay(False)
    assert np.array_equal(pixels(view.grab_frame()), plain)


def test_camera_presets_give_different_pictures(make_view, dance, partner):
    from studio.ui.viewport import PRESETS, DancerView

    view = make_view(dancers=[DancerView(dance, RED, "Ana"), DancerView(partner, BLUE, "Ben")])
    images = {}
    for name in PRESETS:
        view.set_camera_preset(name)
        assert view.camera_preset() == name
        images[name] = pixels(view.grab_frame())
    names = list(images)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if {a, b} == {"front", "follow"}:
                continue  # follow starts out like front, on the first dancer only
            assert (np.abs(images[a].astype(int) - images[b]).sum(axis=2) > 30).mean() > 0.02, (a, b)
    with pytest.raises(ValueError, match="unknown camera preset"):
        view.set_camera_preset("dolly")


def test_follow_keeps_the_pelvis_in_place_on_screen(make_view, avatar):
    from studio.ui.viewport import DancerView
    from studio.ui.viewport.demo import demo_dance

    walking = demo_dance(avatar, seconds=4.0)
    walking = walking.__class__(
        walking.trans + np.linspace(0, 2, walking.num_frames)[:, None] * [1, 0, 0], walking.rotations, walking.fps
    )
    view = make_view(dancers=[DancerView(walking, RED, "Ana")], preset="follow")
    pelvis = walking.positions(avatar.skeleton)[:, 0]
    start = projected(view, pelvis[:1])[0, :2]
    view.set_time(3.5)
    later = projected(view, pelvis[105:106])[0, :2]
    assert np.abs(later[0] - start[0]) < 3  # 1.75 m further along x, same place in the picture
    view.set_camera_preset("front")
    assert abs(projected(view, pelvis[105:106])[0, 0] - start[0]) > 3


def test_gpu_skinning_matches_the_cpu_reference(make_view, dance, avatar):
    """Flat-colour silhouette of the GPU render vs Avatar.skin's vertices projected in numpy."""
    from scipy.ndimage import binary_dilation

    from studio.ui.viewport import DancerView

    view = make_view(400, 400, dancers=[DancerView(dance, "#ffffff", "Ana")])
    view.debug_flat = True
    view.level_of_detail = False  # every triangle: this compares the skinning, not the coarse mesh
    for frame in (17, 83):
        view.set_time(frame / dance.fps)
        silhouette = pixels(view.grab_frame()).max(axis=2) > 128
        vertices = avatar.skin(dance, np.array([frame]))[0]
        xy = projected(view, vertices)[:, :2]
        cols, rows = np.floor(xy[:, 0]).astype(int), np.floor(xy[:, 1]).astype(int)
        inside = (cols >= 0) & (cols < 400) & (rows >= 0) & (rows < 400)
        assert inside.all()
        # Vertices on the silhouette's edge and on sub-pixel fingers fall between pixel centres: exactly on
        # a lit pixel ~95.5 %, within one pixel of one all of them. The same check against the CPU pose 5
        # frames off gives ~70 % and ~74 %, so it does see a wrong skin.
        assert silhouette[rows, cols].mean() > 0.93
        near_body = binary_dilation(silhouette, iterations=1)[rows, cols].mean()
        assert near_body > 0.995, near_body
        # and the other way round: the silhouette is where the CPU vertices are (no stray triangles)
        splat = np.zeros_like(silhouette)
        splat[rows, cols] = True
        covered = binary_dilation(splat, iterations=3)[silhouette].mean()
        assert covered > 0.95, covered


def test_mesh_uploaded_once_and_paints_only_look_frames_up(make_view, dance, partner, qapp):
    from studio.ui.viewport import DancerView

    view = make_view(dancers=[DancerView(dance, RED, "Ana"), DancerView(partner, BLUE, "Ben")])
    cache = view._cache
    computed = cache.computed
    view.frame_times.clear()
    for frame in range(0, 120, 8):
        view.set_time(frame / 30)
        view.repaint()
        qapp.processEvents()
    assert view.renderer.mesh_uploads == 1
    assert cache.computed == computed == 2  # one chunk per dancer, computed when the dancers were set
    stats = view.frame_times.stats()
    assert stats["count"] >= 10 and 0 < stats["median"] <= stats["max"]
    assert set(stats) == {"count", "median", "mean", "p95", "max", "last"}


def test_mouse_orbits_pans_and_zooms(make_view, dance):
    from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
    from PySide6.QtGui import QMouseEvent, QWheelEvent
    from PySide6.QtWidgets import QApplication

    from studio.ui.viewport import DancerView

    view = make_view(dancers=[DancerView(dance, RED, "Ana")])
    seen = []
    view.presetChanged.connect(seen.append)

    def drag(button, dx, dy):
        start = QPointF(100, 100)
        end = start + QPointF(dx, dy)
        none = Qt.KeyboardModifier.NoModifier
        for kind, pos, buttons in (
            (QEvent.Type.MouseButtonPress, start, button),
            (QEvent.Type.MouseMove, end, button),
            (QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton),
        ):
            QApplication.sendEvent(view, QMouseEvent(kind, pos, view.mapToGlobal(pos), button, buttons, none))

    camera = view.camera
    yaw, pitch, distance = camera.yaw, camera.pitch, camera.distance
    drag(Qt.MouseButton.LeftButton, 50, 20)
    assert camera.yaw == pytest.approx((yaw - 20) % 360) and camera.pitch == pytest.approx(pitch + 8)
    assert camera.distance == distance
    assert view.camera_preset() == "custom" and seen == ["custom"]

    target = camera.target.copy()
    drag(Qt.MouseButton.RightButton, 30, 0)
    assert np.linalg.norm(camera.target - target) > 0.01
    target = camera.target.copy()
    drag(Qt.MouseButton.MiddleButton, 0, 30)
    assert camera.target[1] > target[1]  # dragging down moves the scene down: the target goes up

    wheel = QWheelEvent(
        QPointF(100, 100),
        view.mapToGlobal(QPointF(100, 100)),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view, wheel)
    assert camera.distance == pytest.approx(distance * 0.85**2)

    before = pixels(view.grab_frame())
    QApplication.sendEvent(
        view,
        QMouseEvent(
            QEvent.Type.MouseButtonDblClick,
            QPointF(5, 5),
            QPointF(5, 5),
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    assert view.camera_preset() == "front"
    assert not np.array_equal(pixels(view.grab_frame()), before)


def test_bad_colour_is_refused_at_once(make_view, dance):
    from studio.ui.viewport import DancerView

    view = make_view()
    with pytest.raises(ValueError, match="dancer colour"):
        view.set_dancers([DancerView(dance, "crimson", "Ana")])


def test_a_broken_shader_shows_a_message_instead_of_crashing(qtbot, avatar, monkeypatch):
    from studio.ui.viewport import DanceViewport, shaders

    monkeypatch.setattr(shaders, "BODY_FRAGMENT", "#version 330 core\nvoid main() { nonsense; }\n")
    view = DanceViewport()
    qtbot.addWidget(view)
    messages = []
    view.glUnavailable.connect(messages.append)
    view.resize(320, 240)
    view.show()
    qtbot.waitExposed(view)
    view.set_avatar(avatar)
    image = pixels(view.grab_frame())
    assert view.gl_error is not None and "body shader does not compile" in view.gl_error
    assert messages == [view.gl_error]
    assert image.std() > 1  # the message text is drawn
    # and it is what the viewport shows in place of the GL window
    qtbot.waitUntil(lambda: not view.gl_window.isVisible(), timeout=2000)
    shown = pixels(view.grab().toImage())
    assert shown.std() > 1 and np.abs(shown.astype(int) - image).mean() < 1


def test_full_body_views_use_the_medium_mesh_and_look_the_same(make_view, dance, partner):
    from studio.ui.viewport import DancerView

    # the bench's view: 1280x720, the front preset framing two dancers
    view = make_view(1280, 720, dancers=[DancerView(dance, "#ffffff", "Ana"), DancerView(partner, "#ffffff", "Ben")])
    view.debug_flat = True
    view.set_camera_preset("front")
    renderer = view.renderer
    assert 0 < renderer.levels["medium"][1] < 0.6 * renderer.index_count

    before = dict(renderer.level_draws)
    medium = pixels(view.grab_frame()).max(axis=2) > 128
    assert renderer.level_draws["medium"] == before["medium"] + 2
    view.level_of_detail = False
    full = pixels(view.grab_frame()).max(axis=2) > 128
    assert renderer.level_draws["full"] == before["full"] + 2
    assert (medium != full).sum() < 0.02 * full.sum()  # the silhouettes agree on >= 98 % of the dancer pixels

    view.level_of_detail = True
    view.set_camera_preset("hands")  # a close-up: every triangle, fingers and all
    view.grab_frame()
    assert renderer.level_draws["full"] >= before["full"] + 3
    assert renderer.level_draws["medium"] == before["medium"] + 2


# --- the view is a QOpenGLWindow in a window container ------------------------------------------------------
@pytest.fixture
def editor_like(qtbot, avatar, dance):
    """A QMainWindow with the viewport (one dancer) in the middle and a label in its status bar."""
    from PySide6.QtWidgets import QLabel, QMainWindow

    from studio.ui.viewport import DancerView, DanceViewport

    window = QMainWindow()
    qtbot.addWidget(window)
    view = DanceViewport()
    window.setCentralWidget(view)
    window.status = QLabel("status")
    window.statusBar().addWidget(window.status)
    window.resize(400, 300)
    window.show()
    qtbot.waitExposed(window)
    view.set_avatar(avatar)
    view.set_dancers([DancerView(dance, RED, "Ana")])
    qtbot.waitUntil(lambda: view.gl_window.isExposed() and view.frame_times.stats()["count"] > 0, timeout=5000)
    assert view.gl_error is None, view.gl_error
    return window, view


def test_the_window_around_the_view_is_not_composed_through_gl(qtbot, editor_like):
    """A QOpenGLWidget turns its top-level window into an OpenGL surface: Qt then composes every widget of the
    window through GL at each repaint of any of them (a status-bar label included), which software GL pays
    dearly for. The viewport's own window keeps the editor's window a raster surface."""
    from PySide6.QtGui import QSurface

    window, view = editor_like
    assert window.windowHandle().surfaceType() == QSurface.SurfaceType.RasterSurface
    assert view.gl_window.surfaceType() == QSurface.SurfaceType.OpenGLSurface

    qtbot.wait(50)
    view.frame_times.clear()
    for i in range(5):  # other widgets repaint without painting the 3D view
        window.status.setText(f"status {i}")
        window.status.repaint()
    qtbot.wait(50)
    assert view.frame_times.stats()["count"] == 0
    view.set_time(0.5)  # a change paints it, once
    qtbot.waitUntil(lambda: view.frame_times.stats()["count"] >= 1, timeout=2000)
    qtbot.wait(50)
    assert view.frame_times.stats()["count"] == 1


def test_repaint_paints_the_view_now_and_once(qtbot, make_view, dance, qapp):
    from studio.ui.viewport import DancerView

    view = make_view(dancers=[DancerView(dance, RED, "Ana")])
    qtbot.waitUntil(view.gl_window.isExposed, timeout=5000)  # the window on screen
    qtbot.wait(50)
    view.frame_times.clear()
    for frame in range(5):
        view.set_time(frame / 30)
        view.repaint()
        assert view.frame_times.stats()["count"] == frame + 1  # painted by the call
        qapp.processEvents()
        assert view.frame_times.stats()["count"] == frame + 1  # the update request left over paints nothing


def test_mouse_on_the_gl_window_moves_the_camera(qtbot, make_view, dance):
    """The user's clicks reach the native GL window, not the widget around it."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from studio.ui.viewport import DancerView

    view = make_view(dancers=[DancerView(dance, RED, "Ana")])
    seen = []
    view.presetChanged.connect(seen.append)
    window = view.gl_window
    camera = view.camera
    yaw, pitch, distance = camera.yaw, camera.pitch, camera.distance
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(window, left, none, QPoint(100, 100))
    QTest.mouseMove(window, QPoint(150, 120))
    QTest.mouseRelease(window, left, none, QPoint(150, 120))
    assert camera.yaw == pytest.approx((yaw - 20) % 360) and camera.pitch == pytest.approx(pitch + 8)
    assert camera.distance == distance and seen == ["custom"]
    QTest.mouseDClick(window, left, none, QPoint(100, 100))
    assert view.camera_preset() == "front" and seen[-1] == "front"


def test_shortcuts_work_while_the_view_has_the_keyboard(qtbot, editor_like):
    """A window shortcut (Space plays) still fires when the GL window, not a widget, has the focus."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
    from PySide6.QtTest import QTest

    window, view = editor_like
    hits = []
    action = QAction("Play", window)
    action.setShortcut(QKeySequence("Space"))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: hits.append(True))
    window.addAction(action)
    view.gl_window.requestActivate()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is view.gl_window, timeout=5000)
    QTest.keyClick(view.gl_window, Qt.Key.Key_Space)
    assert hits == [True]


def test_widgets_on_the_view_are_drawn_over_it(qtbot, make_view, dance):
    """The editor puts a badge (a QLabel) on the viewport. Under a native GL window it would be hidden, so the
    view draws the widgets on it into its frame, and repaints when one is shown, hidden or changed."""
    from PySide6.QtWidgets import QLabel

    from studio.ui.viewport import DancerView

    view = make_view(dancers=[DancerView(dance, RED, "Ana")])
    plain = pixels(view.grab_frame())
    badge = QLabel("Preview: candidate 2", view)
    badge.setStyleSheet("background: rgb(255, 213, 74); color: #202020; padding: 3px 8px;")
    badge.move(10, 10)
    badge.adjustSize()
    badge.hide()
    assert np.array_equal(pixels(view.grab_frame()), plain)

    qtbot.waitUntil(lambda: view.gl_window.isExposed() and view.frame_times.stats()["count"] > 0, timeout=5000)
    qtbot.wait(50)
    view.frame_times.clear()
    badge.show()
    qtbot.waitUntil(lambda: view.frame_times.stats()["count"] >= 1, timeout=2000)  # showing it repaints the view
    shown = pixels(view.grab_frame())
    inside = shown[12 : 10 + badge.height() - 2, 12 : 10 + badge.width() - 2].reshape(-1, 3)
    yellow = (np.abs(inside.astype(int) - [255, 213, 74]).sum(axis=1) < 30).mean()
    assert yellow > 0.5  # the badge's background, with its dark text on it
    assert (inside.max(axis=1) < 80).mean() > 0.02
    outside = np.ones(plain.shape[:2], bool)
    outside[10 : 10 + badge.height(), 10 : 10 + badge.width()] = False
    assert np.array_equal(shown[outside], plain[outside])

    view.frame_times.clear()
    badge.hide()
    qtbot.waitUntil(lambda: view.frame_times.stats()["count"] >= 1, timeout=2000)
    assert np.array_equal(pixels(view.grab_frame()), plain)


def test_grabbing_the_window_shows_the_3d_view(editor_like):
    """Screenshots (``QWidget.grab`` of the editor) render widgets, not native windows: the viewport paints its
    frame into such a picture."""
    window, view = editor_like
    frame = pixels(view.grab_frame())
    picture = pixels(window.grab().toImage())
    corner = view.mapTo(window, view.rect().topLeft())
    inset = picture[corner.y() : corner.y() + view.height(), corner.x() : corner.x() + view.width()]
    assert inset.shape == frame.shape
    assert np.abs(inset.astype(int) - frame).max() <= 2
    assert frame.std() > 5  # a dancer on a floor, not an empty picture


def test_the_gl_window_lives_and_dies_with_the_viewport(qapp):
    """PySide's createWindowContainer leaves the window owned by Python: deleted by Python (at exit, or when
    its wrapper was collected) before its container, it left Qt a dangling window and a crash. And no
    reference cycle between the two: a viewport nobody holds goes at once, not whenever the garbage collector
    runs (which can be while Qt is inside one of the window's handlers)."""
    import weakref

    import shiboken6

    from studio.ui.viewport import DanceViewport

    view = DanceViewport()
    window = view.gl_window
    assert not shiboken6.ownedByPython(window)  # Qt's: Python never deletes it
    gone = weakref.ref(view)
    del view
    assert gone() is None  # freed by its reference count
    assert not shiboken6.isValid(window)  # and its container took the window with it
