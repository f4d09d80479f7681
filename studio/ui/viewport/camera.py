"""Orbit camera and camera presets: pure numpy, no Qt, no GL (tested on its own).

Conventions: world Y up, metres, the audience at +Z (a dancer in the rest pose faces +Z, its left is +X).
Matrices are 4x4 acting on COLUMN vectors (``clip = projection @ view @ world``), as the shaders use them;
they go to GL with ``transpose=GL_TRUE``.

The camera orbits ``target`` at ``distance``: ``yaw`` 0 puts the eye on the +Z side (looking at a dancer's
front), 90 on the +X side (the dancer's left); ``pitch`` > 0 puts the eye above the target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from studio.core.skeleton import HANDS

PRESETS: tuple[str, ...] = ("front", "side", "top", "hands", "follow")
MIN_PITCH, MAX_PITCH = -85.0, 89.0
MIN_DISTANCE, MAX_DISTANCE = 0.15, 60.0
BODY_MARGIN = 0.25  # m around the joints: the mesh (head top, hands, soles) reaches past them
HANDS_MARGIN = 0.07


def look_at(eye: np.ndarray, target: np.ndarray, up: np.ndarray = (0.0, 1.0, 0.0)) -> np.ndarray:
    """World -> camera: the camera at ``eye`` looks down its -Z axis toward ``target``."""
    eye, target, up = (np.asarray(v, dtype=np.float64) for v in (eye, target, up))
    forward = target - eye
    norm = np.linalg.norm(forward)
    if norm < 1e-12:
        raise ValueError("eye and target coincide")
    forward /= norm
    side = np.cross(forward, up)
    if np.linalg.norm(side) < 1e-9:  # looking straight along up: any side vector will do
        side = np.cross(forward, [0.0, 0.0, -1.0] if abs(forward[2]) < 0.9 else [1.0, 0.0, 0.0])
    side /= np.linalg.norm(side)
    true_up = np.cross(side, forward)
    view = np.eye(4)
    view[0, :3], view[1, :3], view[2, :3] = side, true_up, -forward
    view[:3, 3] = -view[:3, :3] @ eye
    return view


def perspective(fov_y_degrees: float, aspect: float, near: float, far: float) -> np.ndarray:
    """OpenGL clip matrix (depth -1..1) for a vertical field of view in degrees."""
    if not (0 < fov_y_degrees < 180 and aspect > 0 and 0 < near < far):
        raise ValueError(f"bad projection: fov {fov_y_degrees}, aspect {aspect}, near {near}, far {far}")
    f = 1.0 / math.tan(math.radians(fov_y_degrees) / 2)
    proj = np.zeros((4, 4))
    proj[0, 0] = f / aspect
    proj[1, 1] = f
    proj[2, 2] = (far + near) / (near - far)
    proj[2, 3] = 2 * far * near / (near - far)
    proj[3, 2] = -1.0
    return proj


def project(points: np.ndarray, view: np.ndarray, proj: np.ndarray, width: int, height: int) -> np.ndarray:
    """World points (N, 3) -> (N, 3): pixel x, pixel y (top-left origin, as in a QImage), NDC depth.

    Points behind the camera get NaN pixel coordinates.
    """
    points = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    homo = np.concatenate([points, np.ones((len(points), 1))], axis=1)
    clip = homo @ (proj @ view).T
    w = clip[:, 3]
    with np.errstate(divide="ignore", invalid="ignore"):
        ndc = clip[:, :3] / w[:, None]
    ndc[w <= 1e-9] = np.nan
    x = (ndc[:, 0] + 1) * 0.5 * width
    y = (1 - ndc[:, 1]) * 0.5 * height
    return np.stack([x, y, ndc[:, 2]], axis=1)


@dataclass
class OrbitCamera:
    target: np.ndarray = field(default_factory=lambda: np.array([0.0, 0.9, 0.0]))
    yaw: float = 0.0  # degrees about +Y; 0 = eye on the +Z side
    pitch: float = 8.0  # degrees; > 0 = eye above the target
    distance: float = 4.0
    fov_y: float = 35.0
    near: float = 0.02
    far: float = 200.0

    def __post_init__(self) -> None:
        self.target = np.asarray(self.target, dtype=np.float64).copy()

    def copy(self) -> OrbitCamera:
        return replace(self, target=self.target.copy())

    # --- matrices ---------------------------------------------------------------------------------
    def direction(self) -> np.ndarray:
        """Unit vector from the target to the eye."""
        yaw, pitch = math.radians(self.yaw), math.radians(self.pitch)
        return np.array([math.cos(pitch) * math.sin(yaw), math.sin(pitch), math.cos(pitch) * math.cos(yaw)])

    def eye(self) -> np.ndarray:
        return self.target + self.distance * self.direction()

    def view(self) -> np.ndarray:
        return look_at(self.eye(), self.target)

    def projection(self, aspect: float) -> np.ndarray:
        # near shrinks for close-ups so a hand 20 cm away is not clipped
        near = min(self.near, self.distance * 0.1)
        return perspective(self.fov_y, aspect, near, self.far)

    # --- mouse ------------------------------------------------------------------------------------
    def orbit(self, d_yaw: float, d_pitch: float) -> None:
        """Turn around the target by degrees; the distance to the target does not change."""
        self.yaw = (self.yaw + d_yaw) % 360.0
        self.pitch = float(np.clip(self.pitch + d_pitch, MIN_PITCH, MAX_PITCH))

    def pan(self, dx_pixels: float, dy_pixels: float, viewport_height: int) -> None:
        """Slide the target in the view plane so the point under the mouse follows it."""
        view = self.view()
        right, up = view[0, :3], view[1, :3]
        metres_per_pixel = 2 * self.distance * math.tan(math.radians(self.fov_y) / 2) / max(viewport_height, 1)
        self.target = self.target + metres_per_pixel * (-dx_pixels * right + dy_pixels * up)

    def zoom(self, steps: float) -> None:
        """Positive steps move closer (one wheel notch = 15 %)."""
        self.distance = float(np.clip(self.distance * 0.85**steps, MIN_DISTANCE, MAX_DISTANCE))

    # --- framing ----------------------------------------------------------------------------------
    def frame(self, points: np.ndarray, aspect: float, margin: float) -> None:
        """Keep the direction; aim and back off until every point (+ margin in the picture plane) is in view."""
        points = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        centre = (points.min(axis=0) + points.max(axis=0)) / 2
        axes = look_at(self.direction(), np.zeros(3))[:3, :3]  # rows: right, up, back (toward the eye)
        rel = (points - centre) @ axes.T
        mid = (rel.max(axis=0) + rel.min(axis=0)) / 2
        self.target = centre + mid[0] * axes[0] + mid[1] * axes[1]  # centred in the picture, not in depth
        x, y, z = (rel - [mid[0], mid[1], 0.0]).T
        tan_v = math.tan(math.radians(self.fov_y) / 2)
        tan_h = tan_v * aspect
        # a point at (x, y, z) is in view from distance d when |x| <= (d - z) tan_h and |y| <= (d - z) tan_v
        needed = z + np.maximum((np.abs(x) + margin) / tan_h, (np.abs(y) + margin) / tan_v)
        self.distance = float(np.clip(needed.max(), MIN_DISTANCE, MAX_DISTANCE))


def facing_yaw(joints: np.ndarray) -> float:
    """The yaw (degrees) of a dancer's front, from its hips: 0 when it faces +Z."""
    left = joints[1] - joints[2]  # right hip -> left hip
    forward = np.cross(left, [0.0, 1.0, 0.0])
    return math.degrees(math.atan2(forward[0], forward[2]))


def _with_floor(joints: np.ndarray) -> np.ndarray:
    """The joints plus the floor point under the pelvis, so a preset shows the feet on the floor."""
    floor = joints[:1].copy()
    floor[:, 1] = 0.0
    return np.concatenate([joints, floor])


def preset_camera(name: str, dancers: list[np.ndarray], aspect: float, base: OrbitCamera | None = None) -> OrbitCamera:
    """A camera for preset ``name`` framing the dancers' joints ((52, 3) each, the current frame).

    front / side / top frame every dancer; hands frames both hands of the first dancer, seen from its
    front; follow starts like front on the first dancer (the viewport then keeps the target on its pelvis).
    """
    if name not in PRESETS:
        raise ValueError(f"unknown camera preset {name!r}; presets are {', '.join(PRESETS)}")
    camera = (base or OrbitCamera()).copy()
    if not dancers:
        dancers = [np.array([[0.0, 0.9, 0.0]])]
    everyone = np.concatenate([_with_floor(j) for j in dancers])
    if name == "front":
        camera.yaw, camera.pitch = 0.0, 8.0
        camera.frame(everyone, aspect, BODY_MARGIN)
    elif name == "side":
        camera.yaw, camera.pitch = 90.0, 8.0
        camera.frame(everyone, aspect, BODY_MARGIN)
    elif name == "top":
        camera.yaw, camera.pitch = 0.0, MAX_PITCH
        camera.frame(everyone, aspect, BODY_MARGIN)
    elif name == "hands":
        joints = dancers[0]
        camera.yaw, camera.pitch = facing_yaw(joints), 12.0
        camera.frame(joints[HANDS] if joints.shape[0] > int(HANDS[-1]) else joints, aspect, HANDS_MARGIN)
    else:  # follow
        camera.yaw, camera.pitch = 0.0, 8.0
        camera.frame(_with_floor(dancers[0]), aspect, BODY_MARGIN)
    return camera


def follow(camera: OrbitCamera, pelvis: np.ndarray, anchor: np.ndarray) -> None:
    """Keep the target over the pelvis: ``anchor`` is the target's offset from the pelvis (x, z only).

    The height stays put, so a jump or a squat does not bob the picture.
    """
    camera.target = np.array([pelvis[0] + anchor[0], camera.target[1], pelvis[2] + anchor[2]])
