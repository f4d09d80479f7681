"""Events of the plain-Python document (napari's evented-model idea, without Qt).

A ``Signal`` is one kind of event (``choice_changed``); an ``EmitterGroup`` is the set of signals of one
object (``project.events``). Subscribers are called with an ``Event``. The document emits only when a
value really changes, so a subscriber never has to compare old and new itself.

- Qt widgets subscribe bound methods (``project.events.choice_changed.connect(self._on_choice_changed)``).
  Bound methods are held weakly: a widget that is gone is dropped instead of being called after deletion.
  Plain functions and lambdas are held strongly.
- A subscriber that raises is logged and skipped; the others still run.
- ``group.changed`` fires after every content change, or ONCE at the end of ``with group.batch():``
  (autosave listens to it, so a batch of edits saves once). Specific signals still fire immediately
  inside a batch, so views stay in step.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

log = logging.getLogger(__name__)

Callback = Callable[["Event"], Any]


@dataclass(frozen=True)
class Event:
    """What happened (``type``), to whom (``source``) and the details (``payload``, also as attributes)."""

    type: str
    source: Any = None
    payload: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "payload", MappingProxyType(dict(self.payload)))

    def __getattr__(self, name: str) -> Any:
        # Only reached for names that are not fields: ``event.index`` reads ``payload["index"]``.
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.payload[name]
        except KeyError:
            raise AttributeError(f"{self.type} event has no {name!r}") from None


class Signal:
    """One kind of event: ``connect``, ``disconnect``, ``emit(**payload)``."""

    def __init__(self, type: str, source: Any = None, group: EmitterGroup | None = None) -> None:
        self.type = type
        self.source = source
        self._group = group
        self._callbacks: list[Callable[[], Callback | None]] = []  # each returns the callback or None if dead
        self._blocked = 0

    def connect(self, callback: Callback) -> Callback:
        """Subscribe ``callback(event)``; returns it, so this works as a decorator. Idempotent."""
        if not callable(callback):
            raise TypeError(f"{callback!r} is not callable")
        if callback not in self.callbacks:
            self._callbacks.append(_reference(callback))
        return callback

    def disconnect(self, callback: Callback | None = None) -> None:
        """Unsubscribe ``callback`` (all subscribers when None). Unknown callbacks are ignored."""
        if callback is None:
            self._callbacks.clear()
            return
        self._callbacks = [ref for ref in self._callbacks if ref() not in (None, callback)]

    @property
    def callbacks(self) -> list[Callback]:
        """The live subscribers, in connection order."""
        return [cb for cb in (ref() for ref in self._callbacks) if cb is not None]

    @contextmanager
    def blocked(self) -> Iterator[None]:
        """Emit nothing from this signal inside the block (nests)."""
        self._blocked += 1
        try:
            yield
        finally:
            self._blocked -= 1

    def emit(self, **payload: Any) -> Event | None:
        """Call every subscriber with one ``Event``; returns it (None when blocked)."""
        if self._blocked or (self._group is not None and self._group.is_blocked):
            return None
        event = Event(self.type, self.source, payload)
        live = []
        for ref in list(self._callbacks):  # a copy: subscribers may (dis)connect while we emit
            callback = ref()
            if callback is None:
                continue
            live.append(ref)
            try:
                callback(event)
            except Exception:
                log.exception("subscriber %r of %s raised; other subscribers still run", callback, self.type)
        if len(live) != len(self._callbacks):
            self._callbacks = [ref for ref in self._callbacks if ref() is not None]
        if self._group is not None:
            self._group._note(self)
        return event

    def __repr__(self) -> str:
        return f"<Signal {self.type} ({len(self.callbacks)} subscribers)>"


class EmitterGroup:
    """The signals of one object, plus ``changed``: one event per content change or per batch.

    >>> events = EmitterGroup(source=None, signals=("value_changed",), quiet=("dirty_changed",))
    >>> seen = []
    >>> _ = events.changed.connect(lambda e: seen.append(e.types))
    >>> with events.batch():
    ...     _ = events.value_changed.emit(value=1)
    ...     _ = events.value_changed.emit(value=2)
    >>> seen
    [('value_changed',)]
    """

    def __init__(self, source: Any, signals: tuple[str, ...], quiet: tuple[str, ...] = ()) -> None:
        self.source = source
        self._quiet = frozenset(quiet)  # signals that are not content changes (e.g. dirty_changed)
        self._signals: dict[str, Signal] = {}
        for name in (*signals, *quiet):
            if name == "changed" or name.startswith("_") or hasattr(type(self), name):
                raise ValueError(f"{name!r} cannot be a signal name")
            self._signals[name] = Signal(name, source, group=self)
        self.changed = Signal("changed", source)  # not in the group: it must not count itself
        self._batch_depth = 0
        self._pending: list[str] = []
        self._blocked = 0

    def __getattr__(self, name: str) -> Signal:
        signals = self.__dict__.get("_signals", {})
        if name in signals:
            return signals[name]
        raise AttributeError(f"no signal named {name!r}")

    def __iter__(self) -> Iterator[Signal]:
        return iter(self._signals.values())

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._signals)

    @property
    def is_blocked(self) -> bool:
        return self._blocked > 0

    @contextmanager
    def blocked(self) -> Iterator[None]:
        """Emit nothing at all inside the block, not even ``changed`` afterwards (e.g. while loading)."""
        self._blocked += 1
        try:
            yield
        finally:
            self._blocked -= 1

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Collect content changes and emit ONE ``changed`` when the outermost batch ends.

        The changes that happened are reported even if the block raises: they are in the document.
        """
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0 and self._pending:
                types, self._pending = tuple(self._pending), []
                self.changed.emit(types=types)

    def _note(self, signal: Signal) -> None:
        if signal.type in self._quiet:
            return
        if self._batch_depth:
            if signal.type not in self._pending:
                self._pending.append(signal.type)
        else:
            self.changed.emit(types=(signal.type,))

    def disconnect_all(self) -> None:
        for signal in (*self._signals.values(), self.changed):
            signal.disconnect()


def _reference(callback: Callback) -> Callable[[], Callback | None]:
    """Weak for bound methods (their owner may be a widget that goes away), strong otherwise."""
    if hasattr(callback, "__self__") and hasattr(callback, "__func__"):
        try:
            return weakref.WeakMethod(callback)
        except TypeError:  # owner not weak-referenceable
            pass
    return lambda: callback
