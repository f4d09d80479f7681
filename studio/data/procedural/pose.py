"""Pose parameters: a small vector of body-meaningful angles that a move keyframe sets, and its rotations.

A pose says *what the body does* in dance terms (knee level, lean, arm elevation ...), not joint
rotations, so that keyframes blend, mirror and scale simply; :func:`upper_rotations` turns poses into the
local rotations of every joint except the legs (the legs come from the feet, see ``legs.py``).

Conventions (the skeleton's: Y up, the dancer faces +Z, its left is +X; angles in degrees):

- ``level`` (m) lowers the pelvis (bent knees); ``sway``/``shift`` (m) move it left/forward of the feet.
- ``hip_yaw``/``hip_roll``/``hip_pitch``: pelvis turned left / left hip up / tipped forward.
- ``lean``/``bend``/``twist``: the chest's forward lean, side bend to the left and turn to the left,
  measured against the WORLD (the spine compensates the pelvis), so a tilted pelvis keeps an upright torso.
- ``nod``/``turn``/``tilt``/``slide``: head down, head turned left, left ear down, head slid left.
- per arm (``l_`` / ``r_``), mirror-symmetric meanings: ``elev`` upper-arm elevation (-90 down .. 90 up),
  ``azim`` its direction (0 out to the side, 90 straight forward, negative behind), ``elbow`` flexion,
  ``roll`` humeral external rotation (turns the palm up/forward), ``wrist`` flexion toward the palm
  (negative = bent back, the peacock / Chinese-classical wrist), ``dev`` deviation toward the thumb,
  ``palm`` forearm supination, ``shrug`` shoulder girdle up.

Human ranges, enforced by :func:`clamp` on every keyframe (degrees unless noted):

==========  ==============  ==============================================================
parameter   range           why
==========  ==============  ==============================================================
level       0 .. 0.34 m     deeper needs ankle dorsiflexion beyond ~40 deg with flat heels
lean        -25 .. 45       back bend / forward fold of a standing dancer
bend        -35 .. 35       side bend
twist       -50 .. 50       thoracic + lumbar rotation
hip_*       -25 .. 25       pelvis tilt / rotation against the legs
nod         -35 .. 40       neck flexion / extension
turn        -70 .. 70       neck rotation
tilt        -35 .. 35       lateral neck flexion
elev        -90 .. 82       shoulder elevation (90 = straight up; more brings the elbow to the head)
azim        -40 .. 135      horizontal abduction / adduction (past 135 the arm crosses the chest)
elbow       0 .. 145        no hyperextension
roll        -80 .. 90       humeral internal / external rotation
wrist       -70 .. 75       wrist extension / flexion
dev         -20 .. 30       ulnar / radial deviation
palm        -80 .. 90       pronation / supination
shrug       -10 .. 25       scapular depression / elevation
==========  ==============  ==============================================================
"""

from __future__ import annotations

import numpy as np

from studio.core import rotations as rot
from studio.core.skeleton import NUM_JOINTS, joint_index

_BODY = (
    ("level", 0.0, 0.34), ("sway", -0.25, 0.25), ("shift", -0.25, 0.25),
    ("hip_yaw", -25, 25), ("hip_roll", -25, 25), ("hip_pitch", -25, 25),
    ("lean", -25, 45), ("bend", -35, 35), ("twist", -50, 50),
    ("nod", -35, 40), ("turn", -70, 70), ("tilt", -35, 35), ("slide", -15, 15),
)  # fmt: skip
_ARM = (
    ("elev", -90, 82), ("azim", -40, 135), ("elbow", 0, 145), ("roll", -80, 90),
    ("wrist", -70, 75), ("dev", -20, 30), ("palm", -80, 90), ("shrug", -10, 25),
)  # fmt: skip
_RANGES = list(_BODY) + [(f"{side}_{name}", lo, hi) for side in "lr" for name, lo, hi in _ARM]
PARAMS: tuple[str, ...] = tuple(name for name, _, _ in _RANGES)
INDEX = {name: i for i, name in enumerate(PARAMS)}
LOW = np.array([lo for _, lo, _ in _RANGES], dtype=np.float64)
HIGH = np.array([hi for _, _, hi in _RANGES], dtype=np.float64)
# parameters whose sign flips under a left/right mirror (the arm ones swap sides instead)
_ODD = ("sway", "hip_yaw", "hip_roll", "bend", "twist", "turn", "tilt", "slide")
_MIRROR_PERM = np.array([INDEX[("r" + n[1:]) if n[:2] == "l_" else ("l" + n[1:]) if n[:2] == "r_" else n]
                         for n in PARAMS])  # fmt: skip
_MIRROR_SIGN = np.array([-1.0 if n in _ODD else 1.0 for n in PARAMS])
LINEAR = np.array([INDEX[n] for n in ("level", "sway", "shift")])  # metres, blended linearly

NEUTRAL = dict.fromkeys(PARAMS, 0.0) | {"l_elev": -82.0, "r_elev": -82.0, "l_azim": 10.0, "r_azim": 10.0,
                                        "l_elbow": 12.0, "r_elbow": 12.0}  # fmt: skip


def vector(params: dict[str, float], base: np.ndarray | None = None) -> np.ndarray:
    """A pose vector from named parameters over ``base`` (default: standing, arms down)."""
    out = vector_of(NEUTRAL) if base is None else np.array(base, dtype=np.float64)
    for name, value in params.items():
        if name not in INDEX:
            raise KeyError(f"unknown pose parameter {name!r}; known: {', '.join(PARAMS)}")
        out[INDEX[name]] = float(value)
    return out


def vector_of(params: dict[str, float]) -> np.ndarray:
    return np.array([float(params.get(name, 0.0)) for name in PARAMS])


def mirror(poses: np.ndarray) -> np.ndarray:
    """Left/right mirror of pose vectors (..., P)."""
    return poses[..., _MIRROR_PERM] * _MIRROR_SIGN


def clamp(poses: np.ndarray) -> np.ndarray:
    return np.clip(poses, LOW, HIGH)


# -- rotations ----------------------------------------------------------------------------------------
_X, _Y, _Z = np.eye(3)
# mannequin-x's rest left upper arm points 16 deg below the horizontal: swing from it, so elev 0 is level
_UPPER_ARM = np.array([0.254, -0.072, -0.042]) / np.linalg.norm([0.254, -0.072, -0.042])
_REFLECT = np.diag([-1.0, 1.0, 1.0])
_SPINE = [(joint_index(n), f) for n, f in (("spine1", 0.35), ("spine2", 0.35), ("spine3", 0.3))]
_NECK, _HEAD = joint_index("neck"), joint_index("head")
_ARM_JOINTS = {
    side: tuple(joint_index(f"{side}_{n}") for n in ("collar", "shoulder", "elbow", "wrist"))
    for side in ("left", "right")
}


def _axis(axis: np.ndarray, degrees: np.ndarray) -> np.ndarray:
    return rot.axis_angle_to_matrix(np.radians(degrees)[..., None] * axis)


def _ypr(yaw: np.ndarray, pitch: np.ndarray, roll: np.ndarray) -> np.ndarray:
    """R_y(yaw) R_x(pitch) R_z(roll), degrees."""
    return _axis(_Y, yaw) @ _axis(_X, pitch) @ _axis(_Z, roll)


def pelvis_tilt(poses: np.ndarray) -> np.ndarray:
    """The pelvis's rotation relative to the dancer's facing: (K, 3, 3)."""
    p = poses.T
    return _ypr(p[INDEX["hip_yaw"]], p[INDEX["hip_pitch"]], p[INDEX["hip_roll"]])


def _left_arm(p: np.ndarray, prefix: str) -> tuple[np.ndarray, ...]:
    """Collar, shoulder, elbow, wrist local rotations of a LEFT arm from its parameters (K,)."""
    get = lambda name: p[INDEX[prefix + name]]  # noqa: E731
    elev, azim = np.radians(get("elev")), np.radians(get("azim"))
    # the girdle rises with the arm above shoulder height, as a real shoulder does
    shrug = get("shrug") + 0.25 * np.clip(get("elev") - 30.0, 0.0, None)
    collar = _axis(_Z, np.minimum(shrug, 40.0))
    direction = np.stack([np.cos(elev) * np.cos(azim), np.sin(elev), np.cos(elev) * np.sin(azim)], axis=-1)
    axis = np.cross(_UPPER_ARM, direction)
    norm = np.linalg.norm(axis, axis=-1, keepdims=True)
    angle = np.arccos(np.clip(direction @ _UPPER_ARM, -1.0, 1.0))[:, None]
    swing = rot.axis_angle_to_matrix(np.where(norm > 1e-9, axis / np.maximum(norm, 1e-12), 0.0) * angle)
    # the direction is meant in the chest's frame: undo the girdle's rotation
    shoulder = np.swapaxes(collar, -1, -2) @ swing @ _axis(_UPPER_ARM, -get("roll"))
    elbow = _axis(_Y, -get("elbow"))
    wrist = _axis(_X, -get("palm")) @ _axis(_Z, -get("wrist")) @ _axis(_Y, -get("dev"))
    return collar, shoulder, elbow, wrist


def upper_rotations(poses: np.ndarray) -> np.ndarray:
    """Local rotations (K, 52, 3, 3) of spine, head and arms for pose vectors (K, P).

    The pelvis, legs and fingers are identity here; the choreographer fills them in.
    """
    poses = np.atleast_2d(poses)
    p = poses.T
    out = np.broadcast_to(np.eye(3), (poses.shape[0], NUM_JOINTS, 3, 3)).copy()
    yaw = p[INDEX["twist"]] - p[INDEX["hip_yaw"]]
    pitch = p[INDEX["lean"]] - p[INDEX["hip_pitch"]]
    roll = -p[INDEX["bend"]] - p[INDEX["hip_roll"]]
    for joint, share in _SPINE:
        out[:, joint] = _ypr(share * yaw, share * pitch, share * roll)
    slide = p[INDEX["slide"]]
    out[:, _NECK] = _ypr(0.4 * p[INDEX["turn"]], 0.4 * p[INDEX["nod"]], -0.4 * p[INDEX["tilt"]] - slide)
    out[:, _HEAD] = _ypr(0.6 * p[INDEX["turn"]], 0.6 * p[INDEX["nod"]], -0.6 * p[INDEX["tilt"]] + slide)
    for joint, matrix in zip(_ARM_JOINTS["left"], _left_arm(p, "l_"), strict=True):
        out[:, joint] = matrix
    for joint, matrix in zip(_ARM_JOINTS["right"], _left_arm(p, "r_"), strict=True):
        out[:, joint] = _REFLECT @ matrix @ _REFLECT  # the right arm is the left one's mirror image
    return out
