"""OpenGL 3.3 core drawing of a viewport frame (PyOpenGL; the caller makes the context current).

GPU buffers are made once: the avatar mesh (rest positions, rest normals, 4 joint indices and 4 weights
per vertex, triangles) when an avatar is set, the floor and shadow quads at start-up. A frame uploads only
52 skinning matrices per dancer (a uniform array) and, with the skeleton overlay on, the joint positions.
Two dancers are two draws of the same mesh with different matrices and colours.
"""

from __future__ import annotations

import ctypes
import itertools
from dataclasses import dataclass, field

import numpy as np
from OpenGL import GL

from studio.core.skeleton import PARENTS
from studio.ui.viewport import shaders
from studio.ui.viewport.lod import prepared_mesh
from studio.ui.viewport.scene import DancerPose

BACKGROUND = (0.115, 0.125, 0.145)
FLOOR = (0.19, 0.20, 0.225)
FLOOR_LINE = (0.34, 0.36, 0.40)
GRID_SPACING, GRID_MAJOR, GRID_HALF = 0.5, 2.0, 12.0  # m: minor cells, major cells, grid half-size
FADE_MIN, FADE_MAX = 6.0, 11.0  # m from the target where the floor has faded into the background
LOD_EDGE_PIXELS = 8.0  # a dancer is drawn with the lightest mesh level whose mean edge spans at most this many pixels
SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "swiftshader", "software")
BONES = np.array([(j, p) for j, p in enumerate(PARENTS) if p >= 0], dtype=np.int32)


class GLSetupError(RuntimeError):
    """A shader that does not compile or a context that cannot run the viewport; the message says which."""


@dataclass
class RenderFrame:
    view: np.ndarray
    projection: np.ndarray
    eye: np.ndarray
    target: np.ndarray
    width: int
    height: int
    dancers: list[DancerPose] = field(default_factory=list)
    skeleton_overlay: bool = False
    flat: bool = False  # unlit flat colours on black, no floor: silhouettes for tests
    level_of_detail: bool = True  # draw dancers with a lighter mesh level where its triangles are a few pixels


def _grid_lines() -> np.ndarray:
    """(N, 3) float32 line-segment end points (x, z, along) of the floor grid, cut into cell-long pieces
    so the per-vertex fade follows the distance."""
    ticks = np.arange(-GRID_HALF, GRID_HALF + 1e-9, GRID_SPACING)
    starts, ends = ticks[:-1], ticks[1:]
    pieces = []
    for across in ticks:
        for along, (a, b) in enumerate(((starts, ends), (starts, ends))):
            const = np.full_like(a, across)
            p0 = np.stack([a, const] if along == 0 else [const, a], axis=1)
            p1 = np.stack([b, const] if along == 0 else [const, b], axis=1)
            flag = np.full((len(a), 1), float(along))
            pieces.append(np.stack([np.hstack([p0, flag]), np.hstack([p1, flag])], axis=1).reshape(-1, 3))
    return np.concatenate(pieces).astype(np.float32)


def _floor_disc(segments: int = 96) -> np.ndarray:
    """(N, 2) float32 triangles of a unit disc in rings, fine where the fade happens."""
    radii = np.array([0.0, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.93, 1.0])
    angles = np.linspace(0, 2 * np.pi, segments + 1)
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    triangles = []
    for inner, outer in itertools.pairwise(radii):
        a, b = ring[:-1] * inner, ring[1:] * inner
        c, d = ring[:-1] * outer, ring[1:] * outer
        triangles += [np.stack([a, c, d], axis=1), np.stack([a, d, b], axis=1)]
    return np.concatenate(triangles).reshape(-1, 2).astype(np.float32)


def _compile(vertex: str, fragment: str, name: str) -> int:
    program = GL.glCreateProgram()
    made = []
    for kind, source in ((GL.GL_VERTEX_SHADER, vertex), (GL.GL_FRAGMENT_SHADER, fragment)):
        shader = GL.glCreateShader(kind)
        GL.glShaderSource(shader, source)
        GL.glCompileShader(shader)
        if not GL.glGetShaderiv(shader, GL.GL_COMPILE_STATUS):
            log = GL.glGetShaderInfoLog(shader)
            raise GLSetupError(f"the {name} shader does not compile: {_text(log)}")
        GL.glAttachShader(program, shader)
        made.append(shader)
    GL.glLinkProgram(program)
    if not GL.glGetProgramiv(program, GL.GL_LINK_STATUS):
        raise GLSetupError(f"the {name} shader program does not link: {_text(GL.glGetProgramInfoLog(program))}")
    for shader in made:
        GL.glDetachShader(program, shader)
        GL.glDeleteShader(shader)
    return program


def _text(log: bytes | str) -> str:
    return log.decode(errors="replace").strip() if isinstance(log, bytes) else str(log).strip()


class _Program:
    def __init__(self, vertex: str, fragment: str, name: str) -> None:
        self.id = _compile(vertex, fragment, name)
        self._locations: dict[str, int] = {}

    def loc(self, name: str) -> int:
        if name not in self._locations:
            self._locations[name] = GL.glGetUniformLocation(self.id, name)
        return self._locations[name]

    def use(self) -> None:
        GL.glUseProgram(self.id)


def _matrix(m: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(m, dtype=np.float32)


class Renderer:
    """Owns every GL object of one viewport. Call ``initialize`` once with the context current."""

    def __init__(self) -> None:
        self.ready = False
        self.index_count = 0
        self.vertex_count = 0
        # per mesh level (full, medium, far): (first index, index count) in the one index buffer, mean edge (m)
        self.levels: dict[str, tuple[int, int]] = {}
        self.level_edges: dict[str, float] = {}
        self.level_draws: dict[str, int] = {}  # dancers drawn with each level (tests and benchmarks read it)
        self.floor_fill = True  # off on software GL (see initialize)
        self.software = False
        self.mesh_uploads = 0  # how many times mesh buffers were made (once per avatar; tests check it)
        self._mesh_vao = 0
        self._mesh_buffers: list[int] = []

    # --- set-up -----------------------------------------------------------------------------------
    def initialize(self) -> None:
        name = _text(GL.glGetString(GL.GL_RENDERER) or b"").lower()
        self.software = any(word in name for word in SOFTWARE_RENDERERS)
        # software GL pays for every floor pixel (a few ms a frame at 720p on two cores): draw the floor
        # as the background colour there, with its grid and shadows; GPUs get the filled floor
        self.floor_fill = not self.software
        self.body = _Program(shaders.BODY_VERTEX, shaders.BODY_FRAGMENT, "body")
        self.floor = _Program(shaders.FLOOR_VERTEX, shaders.FLOOR_FRAGMENT, "floor")
        self.shadow = _Program(shaders.SHADOW_VERTEX, shaders.SHADOW_FRAGMENT, "shadow")
        self.grid = _Program(shaders.GRID_VERTEX, shaders.GRID_FRAGMENT, "grid")
        self.lines = _Program(shaders.LINES_VERTEX, shaders.LINES_FRAGMENT, "skeleton")
        self.body_skin = self.body.loc("u_skin[0]")

        quad = np.array([[-1, -1], [1, -1], [1, 1], [-1, -1], [1, 1], [-1, 1]], dtype=np.float32)
        self._quad_vao, self._quad_vbo = _static_buffer(quad)

        grid = _grid_lines()
        self._grid_count = len(grid)
        self._grid_vao, self._grid_vbo = _static_buffer(grid)

        disc = _floor_disc()
        self._floor_count = len(disc)
        self._floor_vao, self._floor_vbo = _static_buffer(disc)

        self._lines_vao = GL.glGenVertexArrays(1)
        GL.glBindVertexArray(self._lines_vao)
        self._lines_vbo = GL.glGenBuffers(1)
        GL.glBindBuffer(GL.GL_ARRAY_BUFFER, self._lines_vbo)
        lines_bytes = (2 * len(BONES) + len(PARENTS)) * 3 * 4  # bone segments, then joint dots (float32 xyz)
        GL.glBufferData(GL.GL_ARRAY_BUFFER, lines_bytes, None, GL.GL_DYNAMIC_DRAW)
        GL.glEnableVertexAttribArray(0)
        GL.glVertexAttribPointer(0, 3, GL.GL_FLOAT, GL.GL_FALSE, 0, None)
        GL.glBindVertexArray(0)
        self.ready = True

    def upload_avatar(self, avatar) -> None:
        """Make the mesh buffers (once per avatar; a new avatar replaces the old buffers)."""
        self._delete_mesh()
        positions = np.ascontiguousarray(avatar.vertices, dtype=np.float32)
        normals, levels = prepared_mesh(avatar)
        joints = np.ascontiguousarray(avatar.skin_joints, dtype=np.int32)
        weights = np.ascontiguousarray(avatar.skin_weights, dtype=np.float32)
        # every level's triangles in one index buffer over the same vertices: a level is a range of it
        indices = np.ascontiguousarray(np.concatenate([level.faces.reshape(-1) for level in levels]), dtype=np.uint32)
        first = np.concatenate([[0], np.cumsum([level.faces.size for level in levels])])
        self.levels = {level.name: (int(first[i]), int(level.faces.size)) for i, level in enumerate(levels)}
        self.level_edges = {level.name: level.mean_edge for level in levels}
        self.level_draws = dict.fromkeys(self.levels, 0)

        # one vertex array: the levels differ only in where their triangles start in the element buffer
        self._mesh_buffers = [int(b) for b in np.atleast_1d(GL.glGenBuffers(5))]
        attributes = ((positions, 3), (normals, 3), (joints, 4), (weights, 4))
        self._mesh_vao = int(GL.glGenVertexArrays(1))
        GL.glBindVertexArray(self._mesh_vao)
        for location, (data, size) in enumerate(attributes):
            GL.glBindBuffer(GL.GL_ARRAY_BUFFER, self._mesh_buffers[location])
            GL.glBufferData(GL.GL_ARRAY_BUFFER, data.nbytes, data, GL.GL_STATIC_DRAW)
            GL.glEnableVertexAttribArray(location)
            if data.dtype == np.int32:
                GL.glVertexAttribIPointer(location, size, GL.GL_INT, 0, None)
            else:
                GL.glVertexAttribPointer(location, size, GL.GL_FLOAT, GL.GL_FALSE, 0, None)
        GL.glBindBuffer(GL.GL_ARRAY_BUFFER, 0)
        GL.glBindBuffer(GL.GL_ELEMENT_ARRAY_BUFFER, self._mesh_buffers[4])
        GL.glBufferData(GL.GL_ELEMENT_ARRAY_BUFFER, indices.nbytes, indices, GL.GL_STATIC_DRAW)
        GL.glBindVertexArray(0)
        self.index_count = self.levels["full"][1]
        self.vertex_count = len(positions)
        self.mesh_uploads += 1
        self._warm_up_bodies()

    def _warm_up_bodies(self) -> None:
        """Draw one triangle in each state the frames use, and a shadow, now: software GL compiles a pipeline
        variant on its first draw (~0.2 s on the UI thread), which would otherwise fall on the first
        frame that shows a dancer, in the middle of generating a song. The frame is cleared before it shows."""
        self.body.use()
        GL.glUniformMatrix4fv(self.body_skin, 1, GL.GL_TRUE, np.eye(4, dtype=np.float32)[None])
        GL.glBindVertexArray(self._mesh_vao)
        GL.glEnable(GL.GL_CULL_FACE)
        for flat in (0, 1):
            GL.glUniform1i(self.body.loc("u_flat"), flat)
            GL.glDrawElements(GL.GL_TRIANGLES, 3, GL.GL_UNSIGNED_INT, ctypes.c_void_p(0))
        GL.glDisable(GL.GL_CULL_FACE)
        if self._quad_vao:  # the contact shadows: blended, drawn only when there are dancers
            self.shadow.use()
            GL.glUniform1f(self.shadow.loc("u_strength"), 0.0)
            GL.glEnable(GL.GL_BLEND)
            GL.glBlendFunc(GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA)
            GL.glDisable(GL.GL_DEPTH_TEST)
            GL.glBindVertexArray(self._quad_vao)
            GL.glDrawArrays(GL.GL_TRIANGLES, 0, 6)
            GL.glEnable(GL.GL_DEPTH_TEST)
            GL.glDisable(GL.GL_BLEND)
        GL.glBindVertexArray(0)
        GL.glFinish()

    def _delete_mesh(self) -> None:
        if self._mesh_vao:
            GL.glDeleteVertexArrays(1, [self._mesh_vao])
            GL.glDeleteBuffers(len(self._mesh_buffers), self._mesh_buffers)
        self._mesh_vao, self._mesh_buffers = 0, []
        self.index_count = 0
        self.levels, self.level_edges = {}, {}

    def release(self) -> None:
        """Free everything (the context must be current)."""
        if not self.ready:
            return
        self._delete_mesh()
        GL.glDeleteVertexArrays(4, [self._quad_vao, self._floor_vao, self._grid_vao, self._lines_vao])
        GL.glDeleteBuffers(4, [self._quad_vbo, self._floor_vbo, self._grid_vbo, self._lines_vbo])
        for program in (self.body, self.floor, self.grid, self.shadow, self.lines):
            GL.glDeleteProgram(program.id)
        self.ready = False

    # --- a frame ----------------------------------------------------------------------------------
    def render(self, frame: RenderFrame) -> None:
        view_proj = _matrix(frame.projection @ frame.view)
        GL.glViewport(0, 0, frame.width, frame.height)
        background = (0.0, 0.0, 0.0) if frame.flat else BACKGROUND
        GL.glClearColor(*background, 1.0)
        GL.glClearDepth(1.0)
        GL.glClear(GL.GL_COLOR_BUFFER_BIT | GL.GL_DEPTH_BUFFER_BIT)
        GL.glEnable(GL.GL_DEPTH_TEST)
        GL.glDepthFunc(GL.GL_LESS)
        GL.glDisable(GL.GL_BLEND)
        GL.glDisable(GL.GL_CULL_FACE)

        if not frame.flat:
            self._draw_floor(view_proj, frame)
            self._draw_shadows(view_proj, frame.dancers)
        self._draw_bodies(view_proj, frame)
        if frame.skeleton_overlay:
            self._draw_skeletons(view_proj, frame.dancers)
        GL.glBindVertexArray(0)
        GL.glUseProgram(0)
        GL.glDisable(GL.GL_DEPTH_TEST)
        GL.glDisable(GL.GL_BLEND)

    def _draw_floor(self, view_proj: np.ndarray, frame: RenderFrame) -> None:
        """A floor disc and grid lines, both fading into the background; no depth (nothing is under)."""
        GL.glDisable(GL.GL_DEPTH_TEST)
        GL.glDepthMask(GL.GL_FALSE)
        center = (float(frame.target[0]), float(frame.target[2]))
        distance = float(np.linalg.norm(frame.eye - frame.target))
        fade = float(np.clip(3.0 * distance, FADE_MIN, FADE_MAX))
        floor = self.floor
        floor.use()
        GL.glUniformMatrix4fv(floor.loc("u_view_proj"), 1, GL.GL_TRUE, view_proj)
        GL.glUniform2f(floor.loc("u_center"), *center)
        GL.glUniform3f(floor.loc("u_floor"), *FLOOR)
        GL.glUniform3f(floor.loc("u_background"), *BACKGROUND)
        GL.glUniform1f(floor.loc("u_fade"), fade)
        if self.floor_fill:
            GL.glBindVertexArray(self._floor_vao)
            GL.glDrawArrays(GL.GL_TRIANGLES, 0, self._floor_count)

        grid = self.grid
        grid.use()
        shift = tuple(float(GRID_MAJOR * np.floor(c / GRID_MAJOR + 0.5)) for c in center)
        GL.glUniformMatrix4fv(grid.loc("u_view_proj"), 1, GL.GL_TRUE, view_proj)
        GL.glUniform2f(grid.loc("u_shift"), *shift)
        GL.glUniform2f(grid.loc("u_center"), *center)
        GL.glUniform1f(grid.loc("u_fade"), fade)
        GL.glUniform3f(grid.loc("u_floor"), *FLOOR)
        GL.glUniform3f(grid.loc("u_line"), *FLOOR_LINE)
        GL.glUniform3f(grid.loc("u_background"), *BACKGROUND)
        GL.glBindVertexArray(self._grid_vao)
        GL.glDrawArrays(GL.GL_LINES, 0, self._grid_count)
        GL.glDepthMask(GL.GL_TRUE)
        GL.glEnable(GL.GL_DEPTH_TEST)

    def _draw_shadows(self, view_proj: np.ndarray, dancers: list[DancerPose]) -> None:
        shadow = self.shadow
        shadow.use()
        GL.glUniformMatrix4fv(shadow.loc("u_view_proj"), 1, GL.GL_TRUE, view_proj)
        GL.glEnable(GL.GL_BLEND)
        GL.glBlendFunc(GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA)
        GL.glDepthMask(GL.GL_FALSE)
        GL.glDisable(GL.GL_DEPTH_TEST)  # lies on the floor: no fight with the floor's depth
        GL.glBindVertexArray(self._quad_vao)
        for dancer in dancers:
            if dancer.shadow_strength <= 0:
                continue
            GL.glUniform2f(shadow.loc("u_center"), *map(float, dancer.shadow_center))
            GL.glUniform1f(shadow.loc("u_radius"), dancer.shadow_radius)
            GL.glUniform1f(shadow.loc("u_strength"), dancer.shadow_strength)
            GL.glDrawArrays(GL.GL_TRIANGLES, 0, 6)
        GL.glDepthMask(GL.GL_TRUE)
        GL.glEnable(GL.GL_DEPTH_TEST)
        GL.glDisable(GL.GL_BLEND)

    def _draw_bodies(self, view_proj: np.ndarray, frame: RenderFrame) -> None:
        if not self._mesh_vao or not frame.dancers:
            return
        body = self.body
        body.use()
        GL.glUniformMatrix4fv(body.loc("u_view_proj"), 1, GL.GL_TRUE, view_proj)
        GL.glUniform3f(body.loc("u_eye"), *map(float, frame.eye))
        light = np.array([-0.35, -0.8, -0.5])
        GL.glUniform3f(body.loc("u_light_dir"), *(light / np.linalg.norm(light)))
        GL.glUniform1i(body.loc("u_flat"), 1 if frame.flat else 0)
        GL.glEnable(GL.GL_CULL_FACE)  # the mesh and its levels are closed with outward counter-clockwise triangles
        GL.glCullFace(GL.GL_BACK)
        GL.glBindVertexArray(self._mesh_vao)
        # pixels per metre at unit depth: at depth z an edge of length e spans e * this / z pixels
        pixels_per_metre = float(frame.projection[1, 1]) * frame.height / 2
        for dancer in frame.dancers:
            depth = float(np.linalg.norm(dancer.joints[0] - frame.eye))
            level = self.level_for(pixels_per_metre / max(depth, 1e-6)) if frame.level_of_detail else "full"
            self.level_draws[level] += 1
            first, count = self.levels[level]
            GL.glUniformMatrix4fv(self.body_skin, len(dancer.skinning), GL.GL_TRUE, dancer.skinning)
            GL.glUniform3f(body.loc("u_color"), *dancer.color)
            GL.glDrawElements(GL.GL_TRIANGLES, count, GL.GL_UNSIGNED_INT, ctypes.c_void_p(4 * first))
        GL.glDisable(GL.GL_CULL_FACE)

    def level_for(self, pixels_per_metre: float) -> str:
        """The lightest mesh level whose mean edge spans at most ``LOD_EDGE_PIXELS`` at this scale (the full
        mesh when none does: close-ups)."""
        chosen = "full"
        for name, edge in self.level_edges.items():  # finest first
            if edge * pixels_per_metre <= LOD_EDGE_PIXELS:
                chosen = name
        return chosen

    def _draw_skeletons(self, view_proj: np.ndarray, dancers: list[DancerPose]) -> None:
        lines = self.lines
        lines.use()
        GL.glUniformMatrix4fv(lines.loc("u_view_proj"), 1, GL.GL_TRUE, view_proj)
        GL.glDisable(GL.GL_DEPTH_TEST)  # on top of the body
        GL.glEnable(GL.GL_PROGRAM_POINT_SIZE)
        GL.glBindVertexArray(self._lines_vao)
        GL.glBindBuffer(GL.GL_ARRAY_BUFFER, self._lines_vbo)
        for dancer in dancers:
            segments = np.ascontiguousarray(dancer.joints[BONES.reshape(-1)], dtype=np.float32)
            points = np.ascontiguousarray(dancer.joints, dtype=np.float32)
            GL.glBufferSubData(GL.GL_ARRAY_BUFFER, 0, segments.nbytes, segments)
            GL.glBufferSubData(GL.GL_ARRAY_BUFFER, segments.nbytes, points.nbytes, points)
            bright = tuple(0.35 * c + 0.65 for c in dancer.color)
            GL.glUniform3f(lines.loc("u_color"), *bright)
            GL.glUniform1f(lines.loc("u_point_size"), 1.0)
            GL.glDrawArrays(GL.GL_LINES, 0, len(segments))
            GL.glUniform3f(lines.loc("u_color"), 1.0, 1.0, 1.0)
            GL.glUniform1f(lines.loc("u_point_size"), 4.0)
            GL.glDrawArrays(GL.GL_POINTS, len(segments), len(points))
        GL.glDisable(GL.GL_PROGRAM_POINT_SIZE)
        GL.glEnable(GL.GL_DEPTH_TEST)


def _static_buffer(data: np.ndarray) -> tuple[int, int]:
    """A VAO with one static float VBO bound to attribute 0 (components = the array's last axis)."""
    vao = GL.glGenVertexArrays(1)
    GL.glBindVertexArray(vao)
    vbo = GL.glGenBuffers(1)
    GL.glBindBuffer(GL.GL_ARRAY_BUFFER, vbo)
    GL.glBufferData(GL.GL_ARRAY_BUFFER, data.nbytes, data, GL.GL_STATIC_DRAW)
    GL.glEnableVertexAttribArray(0)
    GL.glVertexAttribPointer(0, data.shape[-1], GL.GL_FLOAT, GL.GL_FALSE, 0, None)
    return vao, vbo
