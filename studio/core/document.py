"""The choreography document: a ``Project`` = a song, one or two dancers, and per dancer per segment the
generated candidates, the chosen one and a lock. Plain Python, evented (see ``studio.core.events``).

Every mutation is a domain-named method that validates its input, changes the document, and emits one
specific event only when something really changed; ``studio.core.commands`` wraps each in a do/undo pair.
Value objects (``Song``, ``Candidate``, ``SegmentTrack``, ``Dancer``, ``Settings``) are immutable.

Dancers are referred to by a ``Dancer``, its ``id`` (stable across renames and saves) or its index.
The project is used from the main thread only: workers hand their results back to it (DESIGN.md 4);
``snapshot()`` gives an immutable copy that a worker may read (autosave writes one).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from studio.core.errors import StudioError
from studio.core.events import EmitterGroup
from studio.core.formation import Formation
from studio.core.motion import Motion, concatenate
from studio.core.ranking import ScoreWeights
from studio.core.segments import Candidate, SegmentTrack, Song

__all__ = [
    "MAX_DANCERS",
    "ROLES",
    "Candidate",
    "Dancer",
    "EditError",
    "Formation",
    "Project",
    "ProjectState",
    "SegmentLockedError",
    "SegmentTrack",
    "Settings",
    "Song",
]

MAX_DANCERS = 2  # a solo or a duet (leader / follower, as in Duolando)
ROLES = ("lead", "partner")
DEFAULT_COLORS = ("#e0803a", "#3a8fe0")
DEFAULT_MODEL_ID = "finenet"
_DANCER_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


class EditError(StudioError, ValueError):
    """An edit that cannot be made (no such segment, index out of range, ...). Nothing was changed."""


class SegmentLockedError(EditError):
    """The segment is locked by the user; unlock it (or pass ``force=True``) to change it."""


@dataclass(frozen=True)
class Dancer:
    """A performer. ``id`` is stable (it keys the dancer's tracks and motions in the file).

    ``formation``: where the dancer stands beside the lead while it is a partner (a lead keeps its own, unused,
    so that a dancer who leads for a while and partners again stands where it stood).
    """

    id: str
    name: str
    color: str
    role: str = "lead"
    formation: Formation = field(default_factory=Formation)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _DANCER_ID.fullmatch(self.id):
            raise ValueError(f"dancer id must be 1-64 letters, digits, '-' or '_', got {self.id!r}")
        if not isinstance(self.name, str) or not self.name.strip() or len(self.name) > 200:
            raise ValueError(f"dancer name must be a non-empty string (at most 200 characters), got {self.name!r}")
        if not isinstance(self.color, str) or not _COLOR.fullmatch(self.color):
            raise ValueError(f"dancer color must be '#rrggbb', got {self.color!r}")
        if self.role not in ROLES:
            raise ValueError(f"dancer role must be one of {ROLES}, got {self.role!r}")
        if not isinstance(self.formation, Formation):
            raise ValueError(f"dancer formation must be a Formation, got {type(self.formation).__name__}")


@dataclass(frozen=True)
class Settings:
    """How candidates are made and ranked: M per segment, choice = argmax(alpha*GS + beta*CS)."""

    genre_override: str | None = None  # None: each candidate follows the music's predicted genre
    candidates_per_segment: int = 4
    alpha: float = 1.0  # weight of the genre score GS (FineNet paper: 1.0)
    beta: float = 0.5  # weight of the coherence score CS (FineNet paper: 0.5)
    model_id: str = DEFAULT_MODEL_ID

    def __post_init__(self) -> None:
        if self.genre_override is not None and (
            not isinstance(self.genre_override, str) or not self.genre_override.strip()
        ):
            raise ValueError(f"genre override must be a non-empty string or None, got {self.genre_override!r}")
        m = self.candidates_per_segment
        if isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 64:
            raise ValueError(f"candidates per segment must be an integer in 1..64, got {m!r}")
        for name in ("alpha", "beta"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, got {value!r}")
            object.__setattr__(self, name, float(value))
        if not isinstance(self.model_id, str) or not self.model_id:
            raise ValueError(f"model id must be a non-empty string, got {self.model_id!r}")

    @property
    def weights(self) -> ScoreWeights:
        """The ranking weights as ``studio.core.ranking`` applies them (alpha: GS, beta: CS)."""
        return ScoreWeights(gs=self.alpha, cs=self.beta)


@dataclass(frozen=True)
class ProjectState:
    """An immutable snapshot of a project's content (for comparison, saving and tests)."""

    song: Song | None
    settings: Settings
    dancers: tuple[Dancer, ...]
    tracks: tuple[tuple[SegmentTrack, ...], ...]  # per dancer, in ``dancers`` order


class Project:
    """The document the editor edits. See the module docstring."""

    def __init__(
        self,
        song: Song | None = None,
        *,
        settings: Settings | None = None,
        dancers: Sequence[Dancer] | None = None,
        tracks: Mapping[str, Sequence[SegmentTrack]] | None = None,
    ) -> None:
        self.events = EmitterGroup(
            self,
            signals=(
                "song_changed", "candidates_changed", "choice_changed", "lock_changed",
                "dancers_changed", "genre_changed", "settings_changed",
            ),
            quiet=("dirty_changed",),  # saving is not a content change
        )  # fmt: skip
        if song is not None and not isinstance(song, Song):
            raise TypeError(f"song must be a Song, got {type(song).__name__}")
        settings = Settings() if settings is None else settings
        if not isinstance(settings, Settings):
            raise TypeError(f"settings must be Settings, got {type(settings).__name__}")
        self._song = song
        self._settings = settings
        self._dirty = False
        if dancers is None:
            dancers = [Dancer("dancer-1", "Dancer 1", DEFAULT_COLORS[0], "lead")]
        self._dancers: list[Dancer] = list(dancers)
        self._check_dancers(self._dancers)
        tracks = {} if tracks is None else tracks
        unknown = set(tracks) - {d.id for d in self._dancers}
        if unknown:
            raise ValueError(f"tracks given for unknown dancers {sorted(unknown)}")
        self._tracks: dict[str, list[SegmentTrack]] = {
            d.id: self._checked_tracks(tracks.get(d.id)) for d in self._dancers
        }

    # -- reading -------------------------------------------------------------------------------------
    @property
    def song(self) -> Song | None:
        return self._song

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def genre_override(self) -> str | None:
        return self._settings.genre_override

    @property
    def num_segments(self) -> int:
        return 0 if self._song is None else self._song.num_segments

    @property
    def dancers(self) -> tuple[Dancer, ...]:
        return tuple(self._dancers)

    @property
    def lead(self) -> Dancer:
        return next(d for d in self._dancers if d.role == "lead")

    @property
    def dirty(self) -> bool:
        """True when the content changed since the last save (or load)."""
        return self._dirty

    def dancer(self, dancer: Dancer | str | int) -> Dancer:
        return self._dancers[self._dancer_index(dancer)]

    def dancer_index(self, dancer: Dancer | str | int) -> int:
        return self._dancer_index(dancer)

    def track(self, dancer: Dancer | str | int, segment: int) -> SegmentTrack:
        return self._tracks[self.dancer(dancer).id][self._segment(segment)]

    def tracks(self, dancer: Dancer | str | int) -> tuple[SegmentTrack, ...]:
        return tuple(self._tracks[self.dancer(dancer).id])

    def candidates(self, dancer: Dancer | str | int, segment: int) -> tuple[Candidate, ...]:
        return self.track(dancer, segment).candidates

    def chosen_index(self, dancer: Dancer | str | int, segment: int) -> int | None:
        return self.track(dancer, segment).chosen

    def chosen_candidate(self, dancer: Dancer | str | int, segment: int) -> Candidate | None:
        return self.track(dancer, segment).chosen_candidate

    def chosen_motion(self, dancer: Dancer | str | int, segment: int) -> Motion | None:
        candidate = self.track(dancer, segment).chosen_candidate
        return None if candidate is None else candidate.motion

    def is_locked(self, dancer: Dancer | str | int, segment: int) -> bool:
        return self.track(dancer, segment).locked

    def chosen_segments(self, dancer: Dancer | str | int) -> tuple[int, ...]:
        """The segments of ``dancer`` that have a chosen candidate, in song order."""
        return tuple(i for i, t in enumerate(self.tracks(dancer)) if t.chosen is not None)

    def whole_dance(self, dancer: Dancer | str | int) -> Motion:
        """The chosen motions of all segments that have one, end to end (segments without one are skipped,
        so the dance is only in time with the music when every segment has a choice)."""
        motions = [t.chosen_candidate.motion for t in self.tracks(dancer) if t.chosen_candidate is not None]
        if not motions:
            raise EditError(f"{self.dancer(dancer).name} has no chosen candidate in any segment yet")
        try:
            return concatenate(motions)
        except ValueError as error:
            raise EditError(f"cannot join the dance of {self.dancer(dancer).name}: {error}") from None

    def snapshot(self) -> ProjectState:
        return ProjectState(
            self._song, self._settings, self.dancers, tuple(tuple(self._tracks[d.id]) for d in self._dancers)
        )

    # -- song ----------------------------------------------------------------------------------------
    def set_song(self, song: Song) -> None:
        """Use another song (or a new analysis of it). Tracks are kept only if the segments are the same."""
        if not isinstance(song, Song):
            raise EditError(f"expected a Song, got {type(song).__name__}")
        if song == self._song:
            return
        same_segments = self._song is not None and song.segments == self._song.segments
        self._song = song
        if not same_segments:
            for dancer_id in self._tracks:
                self._tracks[dancer_id] = [SegmentTrack() for _ in range(song.num_segments)]
        self._emit("song_changed", song=song, tracks_kept=same_segments)

    # -- candidates, choice, lock ------------------------------------------------------------------------
    def set_candidates(
        self,
        dancer: Dancer | str | int,
        segment: int,
        candidates: Iterable[Candidate],
        *,
        chosen: int | None = 0,
        force: bool = False,
    ) -> None:
        """Replace the candidates of one segment (ranked best first) and choose ``chosen`` among them.

        A locked segment refuses unless ``force``. ``chosen`` is ignored when ``candidates`` is empty.
        """
        dancer_id = self.dancer(dancer).id
        index = self._segment(segment)
        old = self._tracks[dancer_id][index]
        if old.locked and not force:
            raise SegmentLockedError(f"segment {index + 1} of {self.dancer(dancer).name} is locked")
        candidates = tuple(candidates)
        try:
            new = SegmentTrack(candidates, chosen if candidates else None, old.locked)
        except (TypeError, ValueError, IndexError) as error:
            raise EditError(f"segment {index + 1}: {error}") from None
        if new == old:
            return
        self._tracks[dancer_id][index] = new
        if new.candidates != old.candidates:  # the chosen motion may differ even when the index does not
            self._emit(
                "candidates_changed", dancer=dancer_id, segment=index, candidates=new.candidates, chosen=new.chosen
            )
        if new.chosen != old.chosen:
            self._emit("choice_changed", dancer=dancer_id, segment=index, index=new.chosen, old=old.chosen)

    def choose(self, dancer: Dancer | str | int, segment: int, index: int, *, force: bool = False) -> None:
        """Make candidate ``index`` the chosen one. A locked segment refuses unless ``force``."""
        dancer_id = self.dancer(dancer).id
        seg = self._segment(segment)
        old = self._tracks[dancer_id][seg]
        if isinstance(index, bool) or not isinstance(index, int):
            raise EditError(f"candidate index must be an integer, got {index!r}")
        if not 0 <= index < len(old.candidates):
            have = f"0..{len(old.candidates) - 1}" if old.candidates else "none"
            raise EditError(f"segment {seg + 1} has no candidate {index} (it has {have})")
        if index == old.chosen:
            return
        if old.locked and not force:
            raise SegmentLockedError(f"segment {seg + 1} of {self.dancer(dancer).name} is locked")
        self._tracks[dancer_id][seg] = replace(old, chosen=index)
        self._emit("choice_changed", dancer=dancer_id, segment=seg, index=index, old=old.chosen)

    def lock(self, dancer: Dancer | str | int, segment: int, locked: bool = True) -> None:
        """Lock (or unlock) a segment: a locked segment keeps its candidates and choice."""
        if not isinstance(locked, bool):
            raise EditError(f"locked must be True or False, got {locked!r}")
        dancer_id = self.dancer(dancer).id
        seg = self._segment(segment)
        old = self._tracks[dancer_id][seg]
        if old.locked == locked:
            return
        self._tracks[dancer_id][seg] = replace(old, locked=locked)
        self._emit("lock_changed", dancer=dancer_id, segment=seg, locked=locked)

    # -- dancers -----------------------------------------------------------------------------------
    def add_dancer(
        self,
        name: str | None = None,
        *,
        color: str | None = None,
        role: str = "partner",
        formation: Formation | None = None,
    ) -> Dancer:
        """Add a new dancer with empty tracks and return it. A new lead makes the current lead a partner.
        ``formation``: where it stands as a partner (None: the default, side by side at 1.4 m)."""
        taken = {d.id for d in self._dancers}
        number = next(n for n in range(1, MAX_DANCERS + 2) if f"dancer-{n}" not in taken)
        used_colors = {d.color for d in self._dancers}
        if color is None:
            color = next((c for c in DEFAULT_COLORS if c not in used_colors), DEFAULT_COLORS[0])
        try:
            dancer = Dancer(f"dancer-{number}", name or f"Dancer {number}", color, role, formation or Formation())
        except ValueError as error:
            raise EditError(str(error)) from None
        self.insert_dancer(dancer)
        return self.dancer(dancer.id)

    def insert_dancer(
        self, dancer: Dancer, index: int | None = None, tracks: Sequence[SegmentTrack] | None = None
    ) -> None:
        """Put ``dancer`` (with ``tracks``, or empty ones) at ``index``. Used by undo to restore one exactly."""
        if not isinstance(dancer, Dancer):
            raise EditError(f"expected a Dancer, got {type(dancer).__name__}")
        if len(self._dancers) >= MAX_DANCERS:
            raise EditError(f"a project has at most {MAX_DANCERS} dancers")
        if any(d.id == dancer.id for d in self._dancers):
            raise EditError(f"there is already a dancer with id {dancer.id!r}")
        index = len(self._dancers) if index is None else index
        if not 0 <= index <= len(self._dancers):
            raise EditError(f"dancer position {index} is out of range 0..{len(self._dancers)}")
        try:
            checked = self._checked_tracks(tracks)
        except (TypeError, ValueError) as error:
            raise EditError(str(error)) from None
        if dancer.role == "lead":  # exactly one lead
            self._dancers = [replace(d, role="partner") for d in self._dancers]
        self._dancers.insert(index, dancer)
        self._tracks[dancer.id] = checked
        self._emit("dancers_changed", dancers=self.dancers)

    def remove_dancer(self, dancer: Dancer | str | int) -> Dancer:
        """Remove a dancer and its tracks; returns it. The last dancer cannot go; a remaining one leads."""
        index = self._dancer_index(dancer)
        if len(self._dancers) == 1:
            raise EditError("a project needs at least one dancer")
        removed = self._dancers.pop(index)
        del self._tracks[removed.id]
        if removed.role == "lead":
            self._dancers[0] = replace(self._dancers[0], role="lead")
        self._emit("dancers_changed", dancers=self.dancers)
        return removed

    def update_dancer(self, dancer: Dancer | str | int, *, name: str | None = None, color: str | None = None) -> None:
        """Rename or recolor a dancer."""
        index = self._dancer_index(dancer)
        old = self._dancers[index]
        try:
            new = replace(old, name=old.name if name is None else name, color=old.color if color is None else color)
        except ValueError as error:
            raise EditError(str(error)) from None
        if new == old:
            return
        self._dancers[index] = new
        self._emit("dancers_changed", dancers=self.dancers)

    def set_formation(self, dancer: Dancer | str | int, formation: Formation) -> None:
        """Where a partner stands beside the lead from now on. Its segments keep their dance (the driver makes
        them again: ``commands.SetFormation``); the lead has no formation to set."""
        index = self._dancer_index(dancer)
        old = self._dancers[index]
        if not isinstance(formation, Formation):
            raise EditError(f"expected a Formation, got {type(formation).__name__}")
        if old.role != "partner":
            raise EditError(f"{old.name} leads: a formation says where a partner stands beside the lead")
        if formation == old.formation:
            return
        self._dancers[index] = replace(old, formation=formation)
        self._emit("dancers_changed", dancers=self.dancers)

    # -- settings ------------------------------------------------------------------------------------
    def set_genre_override(self, genre: str | None) -> None:
        """Dance every segment in ``genre`` (None: follow the music)."""
        self.update_settings(genre_override=genre)

    def update_settings(self, **changes: Any) -> None:
        """Change settings by name (``candidates_per_segment=8, alpha=0.8``). A genre change emits
        ``genre_changed``; any other change ``settings_changed``."""
        names = {f.name for f in fields(Settings)}
        unknown = set(changes) - names
        if unknown:
            raise EditError(f"unknown settings {sorted(unknown)}; known: {sorted(names)}")
        old = self._settings
        try:
            new = replace(old, **changes)
        except (TypeError, ValueError) as error:
            raise EditError(str(error)) from None
        if new == old:
            return
        self._settings = new
        if new.genre_override != old.genre_override:
            self._emit("genre_changed", genre=new.genre_override, old=old.genre_override)
        changed = tuple(n for n in names if n != "genre_override" and getattr(new, n) != getattr(old, n))
        if changed:
            self._emit("settings_changed", settings=new, names=tuple(sorted(changed)))

    # -- saving state --------------------------------------------------------------------------------
    def mark_saved(self) -> None:
        """The content is now on disk: clear ``dirty``."""
        self._set_dirty(False)

    def mark_dirty(self) -> None:
        self._set_dirty(True)

    # -- internals -----------------------------------------------------------------------------------
    def _emit(self, signal: str, **payload: Any) -> None:
        self._set_dirty(True)  # first, so subscribers (autosave) already see the project as modified
        getattr(self.events, signal).emit(**payload)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.events.dirty_changed.emit(dirty=dirty)

    def _dancer_index(self, dancer: Dancer | str | int) -> int:
        if isinstance(dancer, Dancer):
            dancer = dancer.id
        if isinstance(dancer, str):
            for i, d in enumerate(self._dancers):
                if d.id == dancer:
                    return i
            raise EditError(f"no dancer with id {dancer!r} (have {[d.id for d in self._dancers]})")
        if isinstance(dancer, bool) or not isinstance(dancer, int):
            raise EditError(f"a dancer is a Dancer, its id or its index, got {dancer!r}")
        if not 0 <= dancer < len(self._dancers):
            raise EditError(f"no dancer {dancer}: the project has {len(self._dancers)}")
        return dancer

    def _segment(self, segment: int) -> int:
        if isinstance(segment, bool) or not isinstance(segment, int):
            raise EditError(f"a segment is an integer index, got {segment!r}")
        if self._song is None:
            raise EditError("the project has no song yet, so no segments")
        if not 0 <= segment < self.num_segments:
            raise EditError(f"no segment {segment}: the song has {self.num_segments} (0..{self.num_segments - 1})")
        return segment

    def _checked_tracks(self, tracks: Sequence[SegmentTrack] | None) -> list[SegmentTrack]:
        if tracks is None:
            return [SegmentTrack() for _ in range(self.num_segments)]
        tracks = list(tracks)
        if len(tracks) != self.num_segments:
            raise ValueError(f"expected {self.num_segments} segment tracks (one per segment), got {len(tracks)}")
        for i, track in enumerate(tracks):
            if not isinstance(track, SegmentTrack):
                raise TypeError(f"track {i} must be a SegmentTrack, got {type(track).__name__}")
        return tracks

    @staticmethod
    def _check_dancers(dancers: list[Dancer]) -> None:
        if not 1 <= len(dancers) <= MAX_DANCERS:
            raise ValueError(f"a project has 1 to {MAX_DANCERS} dancers, got {len(dancers)}")
        if any(not isinstance(d, Dancer) for d in dancers):
            raise TypeError("dancers must be Dancer objects")
        if len({d.id for d in dancers}) != len(dancers):
            raise ValueError(f"dancer ids must be unique, got {[d.id for d in dancers]}")
        leads = sum(d.role == "lead" for d in dancers)
        if leads != 1:
            raise ValueError(f"exactly one dancer must have the role 'lead', got {leads}")

    def __repr__(self) -> str:
        song = "no song" if self._song is None else f"{self._song.path!r}, {self.num_segments} segments"
        names = ", ".join(d.name for d in self._dancers)
        return f"<Project {song}; dancers: {names}{'; modified' if self._dirty else ''}>"
