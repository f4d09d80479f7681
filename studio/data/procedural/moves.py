"""Moves: keyframed phrases of a few counts, with footwork, authored in pose parameters and hand shapes.

A move is what a choreographer names ("toprock", "cloud hands"): keys at counts (the body pose and both
hands), and steps (a foot lifts, travels and lands on a count). Keys give only what differs from the
genre's base pose, so one vocabulary line reads like a dance note. Steps land at a spot given relative to
the foot's neutral spot in the move's frame (x to the dancer's left, z forward, metres), so a move can be
mirrored, turned and flipped in travel direction without rewriting it.

Shorthand accepted by :func:`key`: ``la`` / ``ra`` / ``arms`` = (elev, azim, elbow[, roll]) for the left /
right / both upper limbs, ``lw`` / ``rw`` / ``wrists`` = (flex[, dev[, palm]]), ``h`` = both hands' shape,
``hl`` / ``hr`` = one hand's shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from studio.data.procedural.hands import SHAPES
from studio.data.procedural.pose import INDEX
from studio.data.procedural.timing import EASES

ROLES = ("main", "accent", "groove")


@dataclass(frozen=True)
class Key:
    at: float  # count within the move (0 = the move's first count)
    pose: dict[str, float]  # pose parameters over the genre's base pose
    hands: tuple[str | None, str | None] = (None, None)  # left, right; None = the genre's resting hand
    ease: str = "smooth"  # how the body arrives at this key


@dataclass(frozen=True)
class Step:
    foot: str  # "L", "R" or "LR" (both: a jump)
    at: float  # landing count within the move
    dx: float = 0.0  # landing spot, metres left of the foot's neutral spot
    dz: float = 0.0  # metres in front of it
    dur: float = 0.5  # counts in the air
    lift: float = 0.1  # metres of clearance at the top of the swing
    turn: float = 0.0  # degrees the dancer's facing turns (to the left) when this foot lands
    point: float = 0.0  # toe-down pitch in the air, degrees (pointed foot in kicks)


@dataclass(frozen=True)
class Move:
    name: str
    counts: int
    keys: tuple[Key, ...]
    steps: tuple[Step, ...] = ()
    role: str = "main"  # "main", "accent" (a 2-count hit for a phrase end), "groove" (intro / filler)
    tags: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"{self.name}: role must be one of {ROLES}")
        if not self.keys or self.keys[0].at != 0:
            raise ValueError(f"{self.name}: the first key must be at count 0")
        if any(not 0 <= k.at < self.counts for k in self.keys):
            raise ValueError(f"{self.name}: keys must lie in [0, {self.counts})")
        for k in self.keys:
            if k.ease not in EASES:
                raise ValueError(f"{self.name}: unknown ease {k.ease!r}")
        for s in self.steps:
            if s.foot not in ("L", "R", "LR") or not 0 < s.at <= self.counts or s.dur <= 0:
                raise ValueError(f"{self.name}: bad step {s}")

    @property
    def turn(self) -> float:
        return sum(s.turn for s in self.steps)


def key(at: float, ease: str = "smooth", **kw: object) -> Key:
    """A key from shorthand (see the module docstring) and plain pose parameters."""
    pose: dict[str, float] = {}
    hands: list[str | None] = [None, None]
    for name, value in kw.items():
        if name in ("la", "ra", "arms"):
            sides = {"la": "l", "ra": "r", "arms": "lr"}[name]
            for side in sides:
                for part, v in zip(("elev", "azim", "elbow", "roll"), value, strict=False):  # type: ignore[call-overload]
                    pose[f"{side}_{part}"] = float(v)
        elif name in ("lw", "rw", "wrists"):
            sides = {"lw": "l", "rw": "r", "wrists": "lr"}[name]
            for side in sides:
                for part, v in zip(("wrist", "dev", "palm"), value, strict=False):  # type: ignore[call-overload]
                    pose[f"{side}_{part}"] = float(v)
        elif name in ("h", "hl", "hr"):
            if value not in SHAPES:
                raise KeyError(f"unknown hand shape {value!r}")
            if name in ("h", "hl"):
                hands[0] = str(value)
            if name in ("h", "hr"):
                hands[1] = str(value)
        elif name in INDEX:
            pose[name] = float(value)  # type: ignore[arg-type]
        else:
            raise KeyError(f"unknown key argument {name!r}")
    return Key(float(at), pose, (hands[0], hands[1]), ease)


def step(foot: str, at: float, dx: float = 0.0, dz: float = 0.0, **kw: float) -> Step:
    return Step(foot, float(at), float(dx), float(dz), **kw)
