"""The choreographer: moves placed on the music's counts, phrase by phrase, and the public entry points.

How a dance is put together (what a person choreographing in eights would do):

- counts come from the beats; phrases are 8 counts long, aligned on the first downbeat;
- the intro phrase grooves (the genre's groove move, small), the outro ends on a final pose that lands on
  the song's final hit;
- a body phrase is two 4-count moves, or a 4-count move, a 2-count move slice and a 2-count accent on the
  drum fill at the phrase end; the second phrase of a pair often repeats the first on the other side
  (mirrored), as dancers "take it to the left";
- variations: mirror, amplitude, level, travel direction (flipped to stay near home), turning moves;
- moves join by the keyframe slerp (see ``render.py``); feet stay planted between steps.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from studio.core import rotations as rot
from studio.core.motion import Motion
from studio.data.procedural.feet import place
from studio.data.procedural.genres import genre as find_genre
from studio.data.procedural.genres import genre_for_tempo
from studio.data.procedural.legs import ANKLE, default_leg_model
from studio.data.procedural.moves import Move
from studio.data.procedural.render import (
    DancerState,
    Placement,
    assemble,
    bounce_curve,
    foot_events,
    keyframes,
    prepend_key,
    sample,
)  # fmt: skip
from studio.data.procedural.timing import FPS, CountMap
from studio.data.procedural.vocabulary import moves_for

PHRASE = 8
HOME_RADIUS = 0.8  # m a solo dancer may wander from where it started


@dataclass(frozen=True)
class DancePlan:
    genre: str
    placements: tuple[Placement, ...]
    start: DancerState

    def summary(self) -> list[list]:
        """[count, move, mirrored] per placement: what the label file records."""
        return [[p.start, p.move.name, bool(p.mirror)] for p in self.placements]


def _travel(move: Move) -> tuple[np.ndarray, float]:
    """Net displacement (x left, z forward, in the move's frame) and turn of a move, from its steps."""
    last: dict[str, tuple[float, float]] = {}
    for s in sorted(move.steps, key=lambda s: s.at):
        for foot in ("L", "R") if s.foot == "LR" else (s.foot,):
            last[foot] = (s.dx, s.dz)
    offsets = [np.array(last.get(f, (0.0, 0.0))) for f in ("L", "R")]
    return (offsets[0] + offsets[1]) / 2.0, move.turn


class Choreographer:
    """Picks and varies moves for one dancer of one genre, keeping track of where the dancer is."""

    def __init__(self, genre_name: str, rng: np.random.Generator, home_radius: float = HOME_RADIUS) -> None:
        self.genre = find_genre(genre_name)
        self.style = self.genre.dance
        self.rng = rng
        self.home_radius = home_radius
        moves = moves_for(self.genre.name)
        self.main = [m for m in moves if m.role == "main"]
        self.accents = [m for m in moves if m.role == "accent"] or self.main
        self.grooves = [m for m in moves if m.role == "groove"] or self.main
        self.recent: list[str] = []
        self.position = np.zeros(2)
        self.facing = 0.0

    # -- variation and travel --------------------------------------------------------------------------
    def _place(self, move: Move, start: int, mirror: bool | None = None, amplitude: float | None = None) -> Placement:
        rng = self.rng
        mirror = bool(rng.random() < 0.5) if mirror is None else mirror
        amplitude = float(rng.uniform(*self.style.amplitude)) if amplitude is None else amplitude
        level = float(rng.choice([0.0, 0.0, -0.02, 0.03, 0.05]))
        options = []
        for backward in (False, True):
            for flip in (mirror, not mirror):
                options.append((self._after(move, flip, backward), flip != mirror, backward, flip))
        # keep the intended side when it stays home and ends facing the front half; else the variant that does
        options.sort(key=lambda o: (np.linalg.norm(o[0][0]) > self.home_radius, abs(_wrap(o[0][1])) > 90.0,
                                    o[1], o[2], np.linalg.norm(o[0][0])))  # fmt: skip
        (position, facing), _, backward, flip = options[0]
        self.position, self.facing = position, facing
        self.recent = ([move.name, *self.recent])[:4]
        return Placement(move, start, flip, amplitude, level, backward)

    def _after(self, move: Move, mirror: bool, backward: bool) -> tuple[np.ndarray, float]:
        offset, turn = _travel(move)
        dx, dz = (-offset[0] if mirror else offset[0]), (-offset[1] if backward else offset[1])
        return place(self.position, self.facing, (dx, dz)), self.facing + (-turn if mirror else turn)

    def _pick(self, pool: list[Move], counts: int | None = None) -> Move:
        candidates = [m for m in pool if counts is None or m.counts == counts] or pool
        fresh = [m for m in candidates if m.name not in self.recent[:2]] or candidates
        if abs(_wrap(self.facing)) > 90.0:  # back to the audience: turn around with the very next move
            fresh = [m for m in candidates if m.turn % 360] or fresh
        weights = np.array([0.4 if m.name in self.recent else 1.0 for m in fresh])
        if abs(_wrap(self.facing)) > 45.0:  # turned away from the front: a turning move brings it back
            weights = weights * np.array([3.0 if m.turn % 360 else 1.0 for m in fresh])
        return fresh[int(self.rng.choice(len(fresh), p=weights / weights.sum()))]

    # -- phrases ---------------------------------------------------------------------------------------
    def groove(self, start: int, counts: int) -> list[Placement]:
        out, c = [], start
        while c < start + counts:
            out.append(self._place(self._pick(self.grooves), c, amplitude=float(self.rng.uniform(0.55, 0.8))))
            c += out[-1].move.counts
        return out

    def phrase(self, start: int, fill: bool) -> list[Placement]:
        """One body phrase of 8 counts."""
        if fill and self.rng.random() < 0.6:
            first = self._place(self._pick(self.main, 4), start)
            second = self._place(self._pick(self.main, 4), start + 4)
            accent = self._place(self._pick(self.accents, 2), start + 6)
            return [first, _cut(second, 2), accent]
        return [self._place(self._pick(self.main, 4), start), self._place(self._pick(self.main, 4), start + 4)]

    def repeat_mirrored(self, phrase: list[Placement], shift: int) -> list[Placement]:
        """The same phrase on the other side, ``shift`` counts later (travel re-checked)."""
        return [self._place(p.move, p.start + shift, mirror=not p.mirror, amplitude=p.amplitude) for p in phrase]

    def ending(self, final_count: int) -> list[Placement]:
        """The outro: a move, then the accent whose second key lands on the final hit."""
        move = self._place(self._pick(self.main, 4), final_count - 8)
        accent = self._place(self._pick(self.accents, 2), final_count - 1)
        closing = self._place(self._pick(self.main, 4), final_count - 4)
        return [move, _cut(closing, 3), accent]


def _wrap(degrees: float) -> float:
    return (degrees + 180.0) % 360.0 - 180.0


def _cut(p: Placement, counts: int) -> Placement:
    """A placement whose move keeps only its first ``counts`` counts (keys and steps)."""
    m = p.move
    keys = tuple(k for k in m.keys if k.at < counts)
    steps = tuple(s for s in m.steps if s.at <= counts)
    # a foot whose last step is cut away stays where it is: bring both feet home on the last count
    move = replace(m, counts=counts, keys=keys, steps=steps + _closing_steps(steps, counts, m))
    return replace(p, move=move)


def _closing_steps(steps, counts: int, move: Move):
    from studio.data.procedural.moves import step

    last: dict[str, tuple[float, float, float]] = {}
    for s in sorted(steps, key=lambda s: s.at):
        for foot in ("L", "R") if s.foot == "LR" else (s.foot,):
            last[foot] = (s.dx, s.dz, s.at)
    if not last:
        return ()
    if sum(s.turn for s in steps) % 360:
        # an unfinished turn: finish it with the remaining turn on the last count
        rest = move.turn - sum(s.turn for s in steps)
        return (step("L", counts, turn=rest, dur=0.4), step("R", counts, dur=0.4)) if rest else ()
    left, right = last.get("L", (0.0, 0.0, 0.0)), last.get("R", (0.0, 0.0, 0.0))
    if abs(left[0] - right[0]) < 0.02 and abs(left[1] - right[1]) < 0.02:
        return ()
    target = ((left[0] + right[0]) / 2, (left[1] + right[1]) / 2)
    out = []
    for foot, (dx, dz, at) in (("L", left), ("R", right)):
        if abs(dx - target[0]) > 0.01 or abs(dz - target[1]) > 0.01:
            dur = min(0.45, max(counts - at - 0.05, 0.2))
            out.append(step(foot, counts, dx=target[0], dz=target[1], dur=dur))
    return tuple(out)


def plan_song(
    genre_name: str, counts: int, rng: np.random.Generator, first_downbeat: int = 0, home_radius: float = HOME_RADIUS
) -> DancePlan:
    """A dance over counts 0 .. ``counts`` (the last one is the final hit), phrases from ``first_downbeat``."""
    c = Choreographer(genre_name, rng, home_radius)
    placements: list[Placement] = []
    if first_downbeat > 0:
        pickup = 4 * int(np.ceil(first_downbeat / 4))  # groove through the counts before the first downbeat
        placements += c.groove(first_downbeat - pickup, pickup)
    phrases = (counts - first_downbeat) // PHRASE
    if phrases < 2:
        placements += c.groove(first_downbeat, max(counts - first_downbeat, 4))
        return DancePlan(c.genre.name, tuple(placements), DancerState.standing(c.style.stance))
    placements += c.groove(first_downbeat, PHRASE)
    previous: list[Placement] | None = None
    for p in range(1, phrases - 1):
        start = first_downbeat + p * PHRASE
        if previous is not None and p % 2 == 0 and rng.random() < 0.6:
            current = c.repeat_mirrored(previous, PHRASE)
        else:
            current = c.phrase(start, fill=True)
        placements += current
        previous = current
    end = first_downbeat + phrases * PHRASE
    placements += c.ending(end)
    if counts > end:  # beats after the last full phrase: keep grooving
        placements += c.groove(end + 1, counts - end)
    return DancePlan(c.genre.name, tuple(placements), DancerState.standing(c.style.stance))


# -- rendering ----------------------------------------------------------------------------------------
def render_placements(
    placements: list[Placement],
    genre_name: str,
    beats: np.ndarray,
    frames: int,
    state: DancerState | None = None,
    tail: Motion | None = None,
) -> tuple[Motion, DancerState]:
    """Placed moves on ``beats`` (seconds of counts 0, 1, ...) -> a ``frames``-long Motion, and the end state."""
    style = find_genre(genre_name).dance
    counts = CountMap(beats)
    model = default_leg_model()
    start = state or DancerState.standing(style.stance)
    keys = keyframes(placements, style, counts)
    if tail is not None:
        last = tail.rotations[-1]
        heading = float(start.facing.mean())
        tilt = _yaw(-heading) @ last[0]
        level = model.pelvis_height - 0.02 - float(tail.trans[-1, 1])
        keys = prepend_key(keys, last, tilt, np.array([max(level, 0.0), 0.0, 0.0]))
    upper, tilt, linear = sample(keys, frames)
    events, end = foot_events(placements, style, counts, start)
    first = min(p.start for p in placements)
    last_count = max(p.start + p.move.counts for p in placements)
    bounce = bounce_curve(style, counts, frames, first, last_count)
    return assemble(model, style, upper, tilt, linear, events, start, bounce), end


def _yaw(degrees: float) -> np.ndarray:
    return rot.axis_angle_to_matrix(np.radians(degrees) * np.array([0.0, 1.0, 0.0]))


def render_plan(plan: DancePlan, beats: np.ndarray, frames: int) -> Motion:
    return render_placements(list(plan.placements), plan.genre, beats, frames, plan.start)[0]


def state_from_motion(motion: Motion, genre_name: str) -> DancerState:
    """Where the dancer of ``motion`` stands at its last frame (feet and facing), to continue from there."""
    model = default_leg_model()
    transforms = motion[-1:].global_transforms(model.skeleton)[0]
    style = find_genre(genre_name).dance
    feet, facing = [], []
    for side, sign in ((0, 1.0), (1, -1.0)):
        m = transforms[ANKLE[side]]
        feet.append(m[[0, 2], 3])
        forward = m[:3, :3] @ np.array([0.0, 0.0, 1.0])
        facing.append(np.degrees(np.arctan2(forward[0], forward[2])) - sign * style.turnout)
    facing = np.array(facing)
    facing[1] = facing[0] + ((facing[1] - facing[0] + 180.0) % 360.0 - 180.0)  # same turn
    return DancerState(np.array(feet), facing)


# -- public entry points ------------------------------------------------------------------------------
def _beats_and_duration(analysis_or_beats) -> tuple[np.ndarray, np.ndarray, float]:
    beats = getattr(analysis_or_beats, "beats", analysis_or_beats)
    beats = np.asarray(beats, dtype=np.float64).reshape(-1)
    downbeats = np.asarray(getattr(analysis_or_beats, "downbeats", beats[:1]), dtype=np.float64).reshape(-1)
    duration = float(getattr(analysis_or_beats, "duration", beats[-1] + 2.0 if beats.size else 4.0))
    return beats, downbeats, duration


def _tempo(analysis_or_beats, beats: np.ndarray) -> float:
    tempo = float(getattr(analysis_or_beats, "tempo", 0.0) or 0.0)
    if tempo > 0:
        return tempo
    return 60.0 / float(np.median(np.diff(beats))) if beats.size >= 2 else 100.0


def regular_beats(bpm: float, start: float, end: float) -> np.ndarray:
    period = 60.0 / bpm
    return start + period * np.arange(max(2, int(np.ceil((end - start) / period)) + 1))


def _usable_beats(beats: np.ndarray, genre_name: str, start: float, end: float) -> np.ndarray:
    """Beats as given, or a grid at the genre's middle tempo when fewer than two beats are known."""
    beats = np.unique(beats[np.isfinite(beats)])
    if beats.size >= 2:
        return beats
    bpm = float(np.mean(find_genre(genre_name).music.tempo))
    anchor = float(beats[0]) if beats.size else start
    grid = regular_beats(bpm, anchor - 60.0 / bpm * np.ceil((anchor - start) * bpm / 60.0), end)
    return grid


def choreograph(analysis_or_beats, genre: str | None = None, seed: int = 0) -> Motion:
    """A whole dance for a song: a ``SongAnalysis`` or an array of beat times (seconds).

    The non-learned baseline: moves of ``genre`` placed on the song's beats, phrases aligned on its first
    downbeat. The motion starts at time 0 and covers the song (analysis) or the beats plus 2 s. Without a
    genre, the one whose tempo range is nearest the song's tempo.
    """
    plan, beats, frames = song_plan(analysis_or_beats, genre, seed)
    return render_plan(plan, beats, frames)


def song_plan(
    analysis_or_beats, genre: str | None = None, seed: int = 0, home_radius: float = HOME_RADIUS
) -> tuple[DancePlan, np.ndarray, int]:
    """What ``choreograph`` renders: (plan, the beats it is placed on, frames), for callers that also make a
    partner from the plan (``studio.data.procedural.duet.make_duet``)."""
    beats, downbeats, duration = _beats_and_duration(analysis_or_beats)
    genre_name = find_genre(genre).name if genre else genre_for_tempo(_tempo(analysis_or_beats, beats))
    frames = int(getattr(analysis_or_beats, "n_frames", 0)) or round(duration * FPS)
    beats = _usable_beats(beats, genre_name, 0.0, duration)
    first = int(np.argmin(np.abs(beats - downbeats[0]))) if downbeats.size else 0
    rng = np.random.default_rng(seed)
    plan = plan_song(genre_name, len(beats) - 1, rng, first_downbeat=first % PHRASE, home_radius=home_radius)
    return plan, beats, frames


def choreograph_segment(
    beats_in_segment,
    start: float,
    end: float,
    genre: str | None = None,
    seed: int = 0,
    previous_tail: Motion | None = None,
    *,
    prev: Motion | None = None,
) -> Motion:
    """A dance for the song segment [start, end) seconds; time 0 of the result is ``start``.

    ``beats_in_segment``: beat times (seconds, song time) in and around the segment, or a ``SongAnalysis``
    (its beats are used). With ``previous_tail`` (alias ``prev``: the end of the dance before), the dancer
    continues from where its feet are and its body blends out of that pose; without it the dancer starts
    standing at the origin. ``genre`` None: the genre nearest the song's tempo.
    """
    if not end > start:
        raise ValueError(f"segment end {end} must be after its start {start}")
    previous_tail = previous_tail if previous_tail is not None else prev
    song_beats = np.asarray(getattr(beats_in_segment, "beats", beats_in_segment), dtype=np.float64).reshape(-1)
    song_beats = np.unique(song_beats[np.isfinite(song_beats)])
    genre_name = find_genre(genre).name if genre else genre_for_tempo(_tempo(beats_in_segment, song_beats))
    frames = max(1, round((end - start) * FPS))
    period = float(np.median(np.diff(song_beats))) if song_beats.size >= 2 else 0.5
    near = song_beats[(song_beats >= start - 1e-6) & (song_beats <= end + period)]
    beats = _usable_beats(near - start, genre_name, 0.0, end - start)
    rng = np.random.default_rng(seed)
    c = Choreographer(genre_name, rng, home_radius=0.5)
    state = state_from_motion(previous_tail, genre_name) if previous_tail is not None and len(previous_tail) else None
    if state is not None:  # new moves are relative to where the dancer stands: continue from there
        c.position = state.feet.mean(axis=0)
        c.facing = float(state.facing.mean())
    placements, count = [], 0
    while count < len(beats) + 1:
        placements.append(c._place(c._pick(c.main, 4), count))
        count += 4
    tail = previous_tail if state is not None else None
    motion, _ = render_placements(placements, genre_name, beats, frames, state, tail)
    return motion
