"""Menus, toolbar and keyboard shortcuts of the main window, in one table so Help can list them.

Every action calls a method by name: of the window (``window.<slot>()``) or of one of its parts
(``"files.save"``: ``window.files.save()``); the table is the single source for the menus, the toolbar and the
Help > Keyboard shortcuts list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

CAMERA_PRESETS = ("front", "side", "top", "hands", "follow")


@dataclass(frozen=True)
class ActionSpec:
    name: str  # attribute on the Actions object, e.g. "save"
    text: str
    slot: str  # method of the window, or "part.method" of one of its parts
    keys: tuple[str, ...] = ()  # portable text shortcuts ("Ctrl+S")
    tip: str = ""
    toolbar: bool = False
    checkable: bool = False


FILE = (
    ActionSpec(
        "new", "&New from song...", "files.choose_song", ("Ctrl+N",), "Open a song and generate its dance", True
    ),
    ActionSpec("open", "&Open...", "files.choose_project", ("Ctrl+O",), "Open a .choreo project", True),
    ActionSpec("save", "&Save", "files.save", ("Ctrl+S",), "Save the project", True),
    ActionSpec("save_as", "Save &As...", "files.save_as", ("Ctrl+Shift+S",), "Save the project under another name"),
    ActionSpec(
        "locate_song", "&Locate Song...", "session.locate_song", (), "Find the project's song when it has moved"
    ),
    ActionSpec("export", "&Export...", "files.choose_export", ("Ctrl+E",), "Export FBX, BVH, NPZ or glTF", True),
    ActionSpec("quit", "&Quit", "close", ("Ctrl+Q",), "Quit Choreo Studio"),
)
EDIT = (
    ActionSpec("undo", "&Undo", "editing.undo", ("Ctrl+Z",), "Undo the last edit", True),
    ActionSpec("redo", "&Redo", "editing.redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo", True),
    ActionSpec("preferences", "&Preferences...", "show_preferences", ("Ctrl+,",), "Devices, M, alpha/beta, ..."),
)
PLAYBACK = (
    ActionSpec("play", "&Play / Pause", "toggle_play", ("Space",), "Play or pause the music and the dance", True),
    ActionSpec("loop", "&Loop selected segment", "toggle_loop", ("Ctrl+L",), "Loop the selected segment", True, True),
    ActionSpec(
        "previous_segment", "P&revious segment", "editing.previous_segment", ("Left",), "Select the previous segment"
    ),
    ActionSpec("next_segment", "&Next segment", "editing.next_segment", ("Right",), "Select the next segment"),
)
SEGMENT = (
    ActionSpec(
        "regenerate", "&Regenerate segment", "editing.regenerate_selected", ("R",), "New seeds for the segment", True
    ),
    ActionSpec("lock", "&Lock / Unlock segment", "editing.toggle_lock", ("L",), "Keep this segment as it is", True),
    ActionSpec(
        "regenerate_all",
        "Regenerate &all unlocked",
        "editing.regenerate_unlocked",
        ("Ctrl+Shift+R",),
        "New candidates for every unlocked segment (one undo step)",
    ),
)
DANCER = (
    ActionSpec(
        "add_partner", "&Add partner", "editing.add_partner", (), "A second dancer, in the formation you choose"
    ),
    ActionSpec(
        "partner_formation", "Partner &formation...", "editing.change_formation", (), "Where the partner stands"
    ),
    ActionSpec("remove_partner", "&Remove partner", "editing.remove_partner", (), "Back to a solo"),
    ActionSpec("next_dancer", "&Select other dancer", "editing.next_dancer", ("D",), "Edit the other dancer's lane"),
)
VIEW = (
    ActionSpec("skeleton", "&Skeleton overlay", "toggle_skeleton", ("S",), "Joints and bones on top", checkable=True),
    ActionSpec("fit_timeline", "&Fit timeline", "fit_timeline", ("F",), "Show the whole song in the timeline"),
)
HELP = (
    ActionSpec("shortcuts", "&Keyboard shortcuts", "show_shortcuts", ("F1",), "Every shortcut"),
    ActionSpec("about", "&About Choreo Studio", "show_about"),
)
MENUS = (("&File", FILE), ("&Edit", EDIT), ("&Playback", PLAYBACK), ("&Segment", SEGMENT), ("&Dancer", DANCER),
         ("&View", VIEW), ("&Help", HELP))  # fmt: skip
CHOOSE_KEYS = tuple(str(n) for n in range(1, 10))


def shortcut_table() -> list[tuple[str, str]]:
    """(keys, what they do) for every shortcut, in menu order (Help shows this)."""
    rows = []
    for _menu, specs in MENUS:
        for spec in specs:
            if spec.keys:
                rows.append((" / ".join(spec.keys), spec.text.replace("&", "").rstrip(".")))
        if specs is SEGMENT:
            rows.append(("1 ... 9", "Choose candidate 1 ... 9 of the selected segment"))
    rows.append(("Mouse on the timeline", "click: seek · drag: scrub · wheel: zoom · middle drag: pan"))
    rows.append(("Mouse on a candidate", "hover: preview in the dance · click: choose"))
    return rows


class Actions:
    """The window's QActions by name (``actions.save``), plus ``choose[i]`` and ``camera[name]``."""

    def __init__(self) -> None:
        self.by_name: dict[str, QAction] = {}
        self.choose: list[QAction] = []
        self.camera: dict[str, QAction] = {}
        self.recent_menu: QMenu | None = None
        self.toolbar: QToolBar | None = None

    def __getattr__(self, name: str) -> QAction:
        try:
            return self.__dict__["by_name"][name]
        except KeyError:
            raise AttributeError(name) from None


def _make(window: QMainWindow, spec: ActionSpec) -> QAction:
    action = QAction(spec.text, window)
    action.setObjectName(spec.name)
    if spec.keys:
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if spec.tip:
        keys = f" ({spec.keys[0]})" if spec.keys else ""
        action.setToolTip(spec.tip + keys)
        action.setStatusTip(spec.tip)
    action.setCheckable(spec.checkable)
    if spec.checkable:
        action.toggled.connect(lambda on, path=spec.slot: _slot(window, path)(on))
    else:
        action.triggered.connect(lambda checked=False, path=spec.slot: _slot(window, path)())
    return action


def _slot(window: Any, path: str):
    """``"files.save"`` -> ``window.files.save``; ``"close"`` -> ``window.close``. Looked up when the action is
    triggered, so the window may build its parts after its actions."""
    target = window
    for name in path.split("."):
        target = getattr(target, name)
    return target


def show_undo_texts(actions: Actions, event) -> None:
    """The undo stack's ``index_changed``: what Undo and Redo would do, in their tooltips (the text stays short:
    it is on the toolbar too)."""
    actions.undo.setToolTip(f"Undo {event.undo_text} (Ctrl+Z)" if event.can_undo else "Nothing to undo")
    actions.redo.setToolTip(f"Redo {event.redo_text} (Ctrl+Shift+Z)" if event.can_redo else "Nothing to redo")
    actions.undo.setStatusTip(actions.undo.toolTip())
    actions.redo.setStatusTip(actions.redo.toolTip())


def build_actions(window: Any) -> Actions:
    """Create every action, the menus (with Open Recent and Camera) and the toolbar on ``window``."""
    actions = Actions()
    bar = window.menuBar()
    bar.clear()
    for title, specs in MENUS:
        menu = bar.addMenu(title)
        menu.setObjectName(title.replace("&", "").lower())
        for spec in specs:
            action = _make(window, spec)
            actions.by_name[spec.name] = action
            if spec.name == "save":  # Open Recent sits after Open, as desktops do
                recent = QMenu("Open &Recent", menu)
                recent.setObjectName("recent")
                menu.addMenu(recent)
                actions.recent_menu = recent
            if spec.name in ("quit", "preferences", "regenerate_all", "shortcuts", "loop"):
                menu.addSeparator()
            menu.addAction(action)
        if specs is SEGMENT:
            menu.addSeparator()
            choose = menu.addMenu("&Choose candidate")
            for key in CHOOSE_KEYS:
                action = QAction(f"Candidate {key}", window)
                action.setShortcut(QKeySequence(key))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                index = int(key) - 1
                action.triggered.connect(lambda checked=False, index=index: window.editing.choose_candidate(index))
                choose.addAction(action)
                actions.choose.append(action)
        if specs is VIEW:
            camera = menu.addMenu("&Camera")
            for i, preset in enumerate(CAMERA_PRESETS):
                action = QAction(preset.capitalize(), window)
                action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                action.triggered.connect(lambda checked=False, preset=preset: window.set_camera(preset))
                camera.addAction(action)
                actions.camera[preset] = action

    toolbar = QToolBar("Main", window)
    toolbar.setObjectName("main-toolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for _title, specs in MENUS:
        added = False
        for spec in specs:
            if spec.toolbar:
                toolbar.addAction(actions.by_name[spec.name])
                added = True
        if added:
            toolbar.addSeparator()
    window.addToolBar(toolbar)
    actions.toolbar = toolbar
    return actions
