"""The editor's generators in a child process (``studio.core.child_process``): torch is imported and the
dances are made there, so the window's thread never waits for torch's interpreter lock.

``GeneratorProcess`` offers what a driver uses of ``Generators`` (``name``, ``device``, ``notes``,
``lead.model_id``, ``generate``, ``guess``); the child holds the real ones, built by ``load_generators``.
The same request gives the same dance as in this process: the child runs the same code on the same inputs.
A song's analysis crosses the pipe once; later calls name it by its content hash.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

from studio.choreography.generators import Generators, load_generators
from studio.choreography.requests import GenerationRequest, GenerationResponse, GenreGuess
from studio.choreography.sources import Progress
from studio.core.child_process import ChildProcess

SONGS_KEPT = 4  # analyses the child keeps (the songs opened last); both sides evict in the same order


@dataclass(frozen=True)
class SourceInfo:
    """What the parent knows of a source in the child: enough to make requests and label candidates."""

    name: str
    device: str
    model_id: str


@dataclass(frozen=True)
class SongRef:
    """A song the child already holds."""

    content_hash: str


class GeneratorProcess:
    """``Generators`` in a child process; see the module docstring. ``close()`` when done."""

    def __init__(
        self, device: str = "auto", *, threads: int | None = None, partner: str = "model", niceness: int = 0
    ) -> None:
        self._child = ChildProcess("dance generator process", _GeneratorHost.build, device, threads, partner,
                                   describe=_GeneratorHost.describe, niceness=niceness)  # fmt: skip
        self._songs = _SongKeys()
        self.lead: SourceInfo | None = None
        self.notes: list[str] = []

    def wait_ready(self, interrupt: threading.Event | None = None) -> GeneratorProcess:
        """Block until the child has loaded its generators (raises what loading raised; ``Cancelled`` when
        ``interrupt`` is set first)."""
        info = self._child.wait_ready(interrupt)
        self.lead = info["lead"]
        self.notes = list(info["notes"])
        return self

    @property
    def alive(self) -> bool:
        return self._child.alive

    @property
    def name(self) -> str:
        return self.lead.name

    @property
    def device(self) -> str:
        return self.lead.device

    def generate(
        self, request: GenerationRequest, song: Any, progress: Progress, interrupt: threading.Event
    ) -> GenerationResponse:
        response = self._child.call("generate", request, self._songs.ref(song), progress=progress,
                                    interrupt=interrupt)  # fmt: skip
        return replace(response, request=request)  # the caller's own request object: drivers match by identity

    def guess(self, song: Any) -> GenreGuess:
        return self._child.call("guess", self._songs.ref(song))

    def partner_model_loaded(self) -> bool:
        """Whether the child has loaded the learned partner (it loads with the first partner segment)."""
        return self._child.call("partner_model_loaded")

    def close(self) -> None:
        self._child.close()


_started: dict[tuple, GeneratorProcess] = {}  # begun ahead by ``start``, each waiting for its ``take``


def start(device: str = "auto", *, threads: int | None = None, niceness: int = 0) -> None:
    """Start a child now (milliseconds here; it loads on its own), for a later ``take`` with these arguments."""
    key = (device, threads, niceness)
    if key not in _started:
        _started[key] = GeneratorProcess(device, threads=threads, niceness=niceness)


def take(device: str = "auto", *, threads: int | None = None, niceness: int = 0) -> GeneratorProcess:
    """The child ``start`` began with these arguments (once), else a new one."""
    started = _started.pop((device, threads, niceness), None)
    if started is not None and started.alive:
        return started
    return GeneratorProcess(device, threads=threads, niceness=niceness)


class _SongKeys:
    """Which songs the child holds: the same first-in, first-out rule as ``_GeneratorHost`` applies."""

    def __init__(self) -> None:
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def ref(self, song: Any) -> Any:
        key = getattr(song, "content_hash", "")
        if not key:
            return song  # no identity to name it by: sent whole each time, and not kept
        with self._lock:
            if key in self._keys:
                return SongRef(key)
            _remember(self._keys, key, None)
        return song


def _remember(store: OrderedDict, key: str, value: Any) -> None:
    store[key] = value
    while len(store) > SONGS_KEPT:
        store.popitem(last=False)


class _GeneratorHost:
    """The child's side: the real ``Generators`` and the songs sent so far."""

    def __init__(self, generators: Generators) -> None:
        self.generators = generators
        self._songs: OrderedDict[str, Any] = OrderedDict()

    @staticmethod
    def build(device: str, threads: int | None, partner: str) -> _GeneratorHost:
        return _GeneratorHost(load_generators(device, threads=threads, partner=partner))

    @staticmethod
    def describe(host: _GeneratorHost) -> dict:
        lead = host.generators.lead
        return {"lead": SourceInfo(lead.name, lead.device, lead.model_id), "notes": list(host.generators.notes)}

    def _song(self, song: Any) -> Any:
        if isinstance(song, SongRef):
            return self._songs[song.content_hash]
        if getattr(song, "content_hash", ""):
            _remember(self._songs, song.content_hash, song)
        return song

    def generate(self, request: GenerationRequest, song: Any, progress: Progress, interrupt) -> GenerationResponse:
        return self.generators.generate(request, self._song(song), progress, interrupt)

    def guess(self, song: Any) -> GenreGuess:
        return self.generators.guess(self._song(song))

    def partner_model_loaded(self) -> bool:
        return getattr(self.generators.partner, "model", None) is not None
