"""Arm positions and footwork patterns shared by the vocabularies (left-arm values; moves mirror them).

Arm tuples are (elevation, azimuth, elbow flexion[, humeral roll]) in degrees, see ``pose.py``.
"""

from __future__ import annotations

from studio.data.procedural.moves import Step, step

DOWN = (-82, 10, 12)
SIDE = (0, 0, 5)
SIDE_LOW = (-40, 5, 10)
SIDE_HIGH = (45, 10, 5)
UP = (85, 20, 5)
FORWARD = (0, 85, 0)
FORWARD_LOW = (-40, 80, 10)
FORWARD_HIGH = (45, 75, 0)
DIAGONAL_UP = (45, 40, 0)
CACTUS = (0, 0, 90, 90)  # upper arm out, forearm up
HANG = (0, 0, 90, -80)  # upper arm out, forearm hanging
GUARD = (-50, 55, 125, 10)  # fist in front of the chest
PUNCH = (-10, 85, 10)
CHEST = (-30, 75, 110, 20)  # forearm across in front of the chest, clear of it
ROUND_FRONT = (-20, 80, 70)  # ballet first position
ROUND_UP = (75, 45, 60, 10)  # rounded over the head
# Chinese classical carriage
SHAN_BANG = (-10, 15, 35, -20)  # "mountain arm": out to the side, rounded, wrist bent back
TUO_ZHANG = (75, 25, 45, 60)  # "supporting palm": rounded above the head, palm up
AN_ZHANG = (-45, 70, 70)  # "pressing palm": in front of the waist


def turn_steps(total: float, first: float, every: float, count: int, lift: float = 0.08) -> tuple[Step, ...]:
    """A step turn in place: ``count`` alternating steps (right first) turning ``total`` degrees in all,
    then the other foot closes in the final facing (it lands last, turning nothing). Land on the counts
    or their halves: a landing is where the body's speed dips, and that dip should sit on the beat."""
    share = total / count
    steps = [step("RL"[i % 2], first + i * every, turn=share, dur=min(every, 0.5), lift=lift) for i in range(count)]
    closing = "RL"[count % 2]  # the foot that did not make the last turning step
    steps.append(step(closing, first + count * every, dur=min(every, 0.5), lift=lift))
    return tuple(steps)


def walk(first: float, every: float, count: int, stride: float, lift: float = 0.1, lead: str = "R") -> tuple[Step, ...]:
    """Walk forward ``count`` steps of ``stride`` (alternating feet), then close the other foot."""
    other = "L" if lead == "R" else "R"
    steps = [step((lead, other)[i % 2], first + i * every, dz=stride * (i + 1), dur=min(every, 0.6), lift=lift)
             for i in range(count)]  # fmt: skip
    last = (lead, other)[(count - 1) % 2]
    closer = other if last == lead else lead
    steps.append(step(closer, first + count * every, dz=stride * count, dur=min(every, 0.6), lift=lift))
    return tuple(steps)


def taps(counts: tuple[float, ...], lift: float = 0.06, first: str = "L") -> tuple[Step, ...]:
    """Feet lifting and landing in place on the given counts, alternating."""
    other = "R" if first == "L" else "L"
    return tuple(step((first, other)[i % 2], c, dur=0.4, lift=lift) for i, c in enumerate(counts))
