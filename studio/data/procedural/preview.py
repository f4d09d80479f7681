"""Contact sheets: a strip of a genre's poses over time, body and both hands, so a person can look.

Each sheet shows 16 moments of a short dance (every 2 counts over four phrases): the skinned mannequin
seen from the front-left (left limbs tinted blue, right limbs red), and under each body both hands in
close-up, drawn in the hand's own frame (back of the hand up, fingers to the right, thumb side toward
the viewer) so a fist, a point or an orchid hand reads whatever the arm does.
"""

from __future__ import annotations

from os import PathLike

import numpy as np

from studio.core.motion import Motion
from studio.core.skeleton import JOINT_NAMES, LEFT_HAND, PARENTS, RIGHT_HAND
from studio.data.procedural.choreographer import Choreographer, regular_beats, render_placements
from studio.data.procedural.genres import genre
from studio.data.procedural.raster import Canvas

CELL_W, BODY_H, HAND_H, LABEL_H = 170, 300, 90, 14
COLUMNS, ROWS = 8, 2
EVERY = 2  # counts between shown moments
_YAW, _PITCH = np.radians(25.0), np.radians(8.0)
_LIGHT = np.array([0.35, 0.55, 0.75]) / np.linalg.norm([0.35, 0.55, 0.75])
_WOOD = np.array([0.86, 0.74, 0.58])
_LEFT_TINT, _RIGHT_TINT = np.array([0.45, 0.62, 1.0]), np.array([1.0, 0.55, 0.45])
_FINGER_COLORS = ((0.85, 0.2, 0.2), (0.95, 0.6, 0.1), (0.2, 0.55, 0.95), (0.2, 0.7, 0.3), (0.55, 0.3, 0.8))


def _camera() -> np.ndarray:
    cy, sy, cp, sp = np.cos(_YAW), np.sin(_YAW), np.cos(_PITCH), np.sin(_PITCH)
    yaw = np.array([[cy, 0, -sy], [0, 1, 0], [sy, 0, cy]])
    pitch = np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
    return pitch @ yaw  # world -> camera; camera looks along -Z_cam, x right, y up


def _vertex_colors(avatar) -> np.ndarray:
    dominant = avatar.skin_joints[np.arange(len(avatar.skin_joints)), avatar.skin_weights.argmax(axis=1)]
    names = np.array(JOINT_NAMES)[dominant]
    colors = np.tile(_WOOD, (len(names), 1))
    colors[np.char.startswith(names, "left_")] *= _LEFT_TINT / _WOOD.max()
    colors[np.char.startswith(names, "right_")] *= _RIGHT_TINT / _WOOD.max()
    return np.clip(colors, 0, 1)


def _normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    tri = vertices[faces]
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    out = np.zeros_like(vertices)
    for k in range(3):
        np.add.at(out, faces[:, k], n)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def draw_body(canvas: Canvas, x0: int, y0: int, vertices: np.ndarray, faces: np.ndarray, colors: np.ndarray,
              center_x: float, cell_w: int = CELL_W, metres: float = 2.25) -> None:  # fmt: skip
    """One skinned body in a cell ``cell_w`` wide; ``metres``: the height the cell shows (2.25 m fits a dancer
    with raised arms)."""
    cam = _camera()
    v = vertices @ cam.T
    scale = (BODY_H - 20) / metres  # px per metre
    floor_y = y0 + BODY_H - 12
    xy = np.stack([x0 + cell_w / 2 + (v[:, 0] - center_x) * scale, floor_y - v[:, 1] * scale], axis=1)
    shade = 0.35 + 0.65 * np.clip(_normals(vertices, faces) @ _LIGHT, 0, 1)
    # the floor: a line and a soft shadow under the feet
    canvas.rect(x0 + 4, floor_y, x0 + cell_w - 4, floor_y + 1, (0.75, 0.75, 0.75))
    canvas.splat(xy, -v[:, 2], colors * shade[:, None], size=3)


def _hand_points(motion: Motion, skeleton, frame: int, side: str) -> np.ndarray:
    """Wrist + 15 finger joints in the wrist's frame, the right hand mirrored to look like the left."""
    transforms = motion[frame : frame + 1].global_transforms(skeleton)[0]
    wrist = 20 if side == "left" else 21
    joints = [wrist, *(LEFT_HAND if side == "left" else RIGHT_HAND)]
    local = (transforms[joints, :3, 3] - transforms[wrist, :3, 3]) @ transforms[wrist, :3, :3]
    if side == "right":
        local[:, 0] *= -1
    return local


def draw_hand(canvas: Canvas, x0: int, y0: int, size: int, points: np.ndarray) -> None:
    # look at the back of the hand from above the thumb side: fingers right, knuckles up
    view = np.array([[1.0, 0.0, 0.0], [0.0, 0.75, 0.66], [0.0, -0.66, 0.75]])  # x, up, toward viewer
    p = points @ view.T
    scale = size / 0.24
    xy = np.stack([x0 + 10 + p[:, 0] * scale, y0 + size * 0.5 - p[:, 1] * scale], axis=1)
    canvas.rect(x0 + 1, y0 + 1, x0 + size - 1, y0 + size - 1, (0.97, 0.96, 0.93))
    parents = {j: PARENTS[j] for j in LEFT_HAND}
    index = {j: i + 1 for i, j in enumerate(LEFT_HAND)}
    index[20] = 0
    order = sorted(range(5), key=lambda f: p[1 + 3 * f, 2])  # far fingers first
    for finger in order:
        for k in range(3):
            joint = LEFT_HAND[3 * finger + k]
            a, b = xy[index[parents[joint]]], xy[index[joint]]
            canvas.capsule(a, b, 2.6 if k == 0 else 2.2, _FINGER_COLORS[finger])
        tip = LEFT_HAND[3 * finger + 2]
        end = xy[index[tip]] + (xy[index[tip]] - xy[index[tip - 1]]) * 0.7
        canvas.capsule(xy[index[tip]], end, 1.8, _FINGER_COLORS[finger])
    canvas.capsule(xy[0], xy[0], 3.5, (0.3, 0.3, 0.3))


def contact_sheet(genre_name: str, path: str | PathLike, seed: int = 0) -> list[str]:
    """Render ``genre_name``'s sheet to ``path`` (PNG); returns the move names shown, left to right."""
    from studio.body.provider import load_avatar

    g = genre(genre_name)
    rng = np.random.default_rng(seed)
    bpm = float(np.mean(g.music.tempo))
    counts = COLUMNS * ROWS * EVERY
    beats = regular_beats(bpm, 0.5, 0.5 + (counts + 6) * 60.0 / bpm)
    c = Choreographer(g.name, rng)
    placements = []
    for start in range(0, counts, 8):
        placements += c.phrase(start, fill=start // 8 % 2 == 1)
    frames = round(beats[-1] * 30)
    motion, _ = render_placements(placements, g.name, beats, frames)
    avatar = load_avatar()
    moments = [round((0.5 + (i * EVERY + 0.5) * 60.0 / bpm) * 30) for i in range(COLUMNS * ROWS)]
    skinned = avatar.skin(motion, np.array(moments))
    colors = _vertex_colors(avatar)
    title_h = 34
    sheet = Canvas(title_h + ROWS * (LABEL_H + BODY_H + HAND_H + 8), COLUMNS * CELL_W, (0.99, 0.98, 0.96))
    sheet.text(8, 6, f"{g.name}  ({g.coarse})", (0.1, 0.1, 0.1), scale=2)
    sheet.text(8, 24, f"{bpm:.0f} BPM  SEED {seed}  EVERY {EVERY} COUNTS  BODY FROM FRONT-LEFT, HANDS: BACK OF HAND"
               "  L=BLUE R=RED", (0.35, 0.35, 0.35))  # fmt: skip
    cam = _camera()
    shown = []
    for i, frame in enumerate(moments):
        row, col = divmod(i, COLUMNS)
        x0 = col * CELL_W
        y0 = title_h + row * (LABEL_H + BODY_H + HAND_H + 8)
        count = i * EVERY + 0.5
        active = [p for p in placements if p.start <= count < p.start + p.move.counts]
        name = active[-1].move.name + ("~" if active[-1].mirror else "") if active else "-"
        shown.append(name)
        sheet.text(x0 + 4, y0 + 3, f"{count:.1f} {name}"[:27], (0.2, 0.2, 0.2))
        draw_moment(sheet, x0, y0, motion, frame, skinned[i], avatar, colors, cam)
    sheet.save_png(path)
    return shown


def draw_moment(sheet: Canvas, x0: int, y0: int, motion: Motion, frame: int, vertices, avatar, colors, cam) -> None:
    """One cell of a sheet: the body at ``frame`` (skinned ``vertices``) and both hands under it."""
    center = float((motion.trans[frame] @ cam.T)[0])
    draw_body(sheet, x0, y0 + LABEL_H, vertices, avatar.faces, colors, center)
    half = CELL_W // 2
    for k, side in enumerate(("left", "right")):
        draw_hand(sheet, x0 + k * half, y0 + LABEL_H + BODY_H, min(half, HAND_H),
                  _hand_points(motion, avatar.skeleton, frame, side))  # fmt: skip
        sheet.text(x0 + k * half + 4, y0 + LABEL_H + BODY_H + 4, side[0], (0.5, 0.5, 0.5))
    sheet.rect(x0 + CELL_W - 1, y0, x0 + CELL_W, y0 + LABEL_H + BODY_H + HAND_H, (0.85, 0.85, 0.85))


def dance_sheet(
    motion: Motion, path: str | PathLike, title: str, beats: np.ndarray | None = None, columns: int = COLUMNS
) -> list[int]:
    """Any dance as a sheet to look at: ``columns`` moments spread over it (body and both hands), and under them
    the mean body-joint speed over time with the music's beats (seconds) as ticks. Returns the frames shown."""
    from studio.body.provider import load_avatar

    avatar = load_avatar()
    frames = motion.num_frames
    moments = _moments(frames, columns)
    skinned = avatar.skin(motion, np.array(moments))
    colors = _vertex_colors(avatar)
    title_h, curve_h = 34, 120
    sheet = _titled_sheet(title_h + LABEL_H + BODY_H + HAND_H + 8 + curve_h, columns * CELL_W, title,
                          f"{frames / motion.fps:.1f} S  BODY FROM FRONT-LEFT, HANDS: BACK OF HAND  L=BLUE R=RED  "
                          "CURVE: MEAN BODY-JOINT SPEED, TICKS: BEATS")  # fmt: skip
    cam = _camera()
    for i, frame in enumerate(moments):
        x0, y0 = i * CELL_W, title_h
        sheet.text(x0 + 4, y0 + 3, f"{frame / motion.fps:.1f} S", (0.2, 0.2, 0.2))
        draw_moment(sheet, x0, y0, motion, frame, skinned[i], avatar, colors, cam)
    _speed_curve(sheet, motion, avatar.skeleton, beats, title_h + LABEL_H + BODY_H + HAND_H + 8, curve_h)
    sheet.save_png(path)
    return moments


def duet_sheet(
    lead: Motion, partner: Motion, path: str | PathLike, title: str, beats: np.ndarray | None = None, columns: int = 6
) -> list[int]:
    """Two dancers as a sheet to look at: ``columns`` moments, both bodies in each (the partner greyer, drawn
    in the same camera so their spacing and facing read as on stage), and under them the partner's mean
    body-joint speed with the beats. Returns the frames shown."""
    from studio.body.provider import load_avatar

    avatar = load_avatar()
    frames = min(lead.num_frames, partner.num_frames)
    moments = _moments(frames, columns)
    skinned = (avatar.skin(lead, np.array(moments)), avatar.skin(partner, np.array(moments)))
    colors = _vertex_colors(avatar)
    tints = (colors, np.clip(0.55 * colors + 0.45 * np.array([0.55, 0.6, 0.7]), 0, 1))
    cell_w, title_h, curve_h = 2 * CELL_W, 34, 120
    sheet = _titled_sheet(title_h + LABEL_H + BODY_H + 8 + curve_h, columns * cell_w, title,
                          f"{frames / lead.fps:.1f} S  FROM FRONT-LEFT  LEAD: WOOD, PARTNER: GREY  "
                          "CURVE: PARTNER'S MEAN BODY-JOINT SPEED, TICKS: BEATS")  # fmt: skip
    cam = _camera()
    for i, frame in enumerate(moments):
        x0, y0 = i * cell_w, title_h
        sheet.text(x0 + 4, y0 + 3, f"{frame / lead.fps:.1f} S", (0.2, 0.2, 0.2))
        middle = float((((lead.trans[frame] + partner.trans[frame]) / 2) @ cam.T)[0])
        for vertices, tint in zip((skinned[0][i], skinned[1][i]), tints, strict=True):
            draw_body(sheet, x0, y0 + LABEL_H, vertices, avatar.faces, tint, middle, cell_w, metres=3.0)
        sheet.rect(x0 + cell_w - 1, y0, x0 + cell_w, y0 + LABEL_H + BODY_H, (0.85, 0.85, 0.85))
    _speed_curve(sheet, partner[:frames], avatar.skeleton, beats, title_h + LABEL_H + BODY_H + 8, curve_h)
    sheet.save_png(path)
    return moments


def _moments(frames: int, columns: int) -> list[int]:
    """The frames a sheet shows: the middles of ``columns`` equal spans of the dance."""
    return [round((i + 0.5) * frames / columns) for i in range(columns)]


def _titled_sheet(height: int, width: int, title: str, legend: str) -> Canvas:
    """A sheet's canvas with its title and its one-line legend under it."""
    sheet = Canvas(height, width, (0.99, 0.98, 0.96))
    sheet.text(8, 6, title[:90], (0.1, 0.1, 0.1), scale=2)
    sheet.text(8, 24, legend, (0.35, 0.35, 0.35))
    return sheet


def _speed_curve(sheet: Canvas, motion: Motion, skeleton, beats, top: int, height: int) -> None:
    from studio.core.skeleton import NUM_BODY_JOINTS

    positions = motion.positions(skeleton)[:, :NUM_BODY_JOINTS]
    speed = np.linalg.norm(np.diff(positions, axis=0), axis=-1).mean(axis=1) * motion.fps
    width, frames = sheet.width, motion.num_frames
    scale = (height - 16) / 1.5  # 0 .. 1.5 m/s
    for y_speed in (0.15, 0.5, 1.0):  # the still threshold and two guides
        y = top + height - 4 - round(y_speed * scale)
        sheet.rect(0, y, width, y + 1, (0.85, 0.6, 0.6) if y_speed == 0.15 else (0.88, 0.88, 0.88))
    if beats is not None:
        for t in np.asarray(beats, dtype=float):
            x = round(t * motion.fps / frames * (width - 1))
            if 0 <= x < width:
                sheet.rect(x, top + height - 10, x + 1, top + height - 2, (0.3, 0.45, 0.8))
    xs = np.round(np.arange(len(speed)) / max(frames - 1, 1) * (width - 1)).astype(int)
    ys = top + height - 4 - np.round(np.clip(speed, 0.0, 1.5) * scale).astype(int)
    previous = ys[:1]
    for x, y, before in zip(xs, ys, np.r_[previous, ys[:-1]], strict=True):  # joined, so fast moves read as peaks
        sheet.rect(x, min(y, before), x + 1, max(y, before) + 2, (0.15, 0.15, 0.15))
    sheet.text(4, top, "1.5 M/S", (0.5, 0.5, 0.5))
