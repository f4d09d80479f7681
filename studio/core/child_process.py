"""An object that lives in a child process: built there once, its methods called from here.

Why: a Python thread shares the interpreter lock with the window. Importing torch holds that lock for 0.2 s
in one piece (``torch._C``'s initialisation) and librosa's import holds it in 0.1 s pieces, so the editor
froze while they loaded, and on two cores the two imports ran one after the other instead of side by side.
In a child each has its own interpreter and core, and the window's thread only waits on a pipe.

``ChildProcess(what, build, *args)`` starts a new interpreter (``python -m studio.core.child_process``;
never a fork, since the parent may run Qt and torch threads, and never multiprocessing's spawn, which would
run the parent's main module again) that calls ``build(*args)`` and keeps the result. ``call(name, *args,
progress=..., interrupt=...)`` runs one of its methods there and returns what it returns; exceptions come
back as themselves (``studio.core.errors`` keeps its errors picklable). ``progress(done, total)`` is called
here as the child reports; an ``interrupt`` (a ``threading.Event``) set here is seen by the child's
``is_set()``. One call at a time (calls from several threads wait their turn). When the child dies, every
call raises ``ChildProcessError`` naming what stopped and its exit status. The child ends when the parent
does (its end of the socket closes). POSIX only (the socket is handed over with ``pass_fds``).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

from studio.core.errors import Cancelled, StudioError

POLL_S = 0.05  # how often a waiting call looks at its interrupt
JOIN_S = 2.0  # a child asked to close gets this long before it is terminated


class ChildProcessError(StudioError):
    """The child process stopped (crashed, was killed, or failed to start)."""


class ChildProcess:
    """See the module docstring. ``describe`` (a function of the built object, run in the child) gives the
    ``info`` dict the parent reads after ``wait_ready``. ``niceness``: the child's, so that a window in this
    process goes first when the cores are busy."""

    def __init__(self, what: str, build: Callable[..., Any], *args: Any, describe: Callable[[Any], dict] | None = None,
                 niceness: int = 0, **kwargs: Any) -> None:  # fmt: skip
        self.what = what
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parents[2])  # the child imports the same ``studio``
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        with theirs:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "studio.core.child_process", str(theirs.fileno()), str(niceness)],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env,
            )  # fmt: skip
        self._conn = Connection(ours.detach())
        try:
            self._conn.send((build, args, kwargs, describe))
        except Exception as error:  # e.g. a lambda, which cannot travel: no child is left behind
            self._process.kill()
            self._process.wait()
            self._conn.close()
            raise ChildProcessError(f"the {what} could not be started: {error}") from error
        self._lock = threading.Lock()
        self._ready: dict | None = None
        self._failure: BaseException | None = None

    @property
    def alive(self) -> bool:
        return self._failure is None and self._process.poll() is None

    def wait_ready(self, interrupt: threading.Event | None = None) -> dict:
        """Block until the child has built its object; its ``describe`` info (raises what building raised).
        An ``interrupt`` set meanwhile closes the child and raises ``Cancelled``."""
        with self._lock:
            if self._ready is None:
                self._raise_if_failed()
                while True:  # an interrupt already set wins, even over a child that is ready
                    if interrupt is not None and interrupt.is_set():
                        self.close()
                        raise Cancelled(f"the {self.what} was no longer needed")
                    if self._message_waiting():
                        break
                kind, payload = self._receive()
                if kind == "error":
                    self._failure = payload
                    raise payload
                self._ready = payload
            return self._ready

    def call(self, name: str, *args: Any, progress: Callable[[int, int], None] | None = None,
             interrupt: threading.Event | None = None) -> Any:  # fmt: skip
        """``getattr(obj, name)(*args, [progress], [interrupt])`` in the child: the two are passed on when given
        (an interrupt alone comes with a progress that reports nothing)."""
        self.wait_ready()
        with self._lock:
            self._raise_if_failed()
            self._send(("call", name, args, progress is not None, interrupt is not None))
            cancel_sent = False
            while True:
                if interrupt is not None and not cancel_sent and interrupt.is_set():
                    self._send(("cancel",))
                    cancel_sent = True
                if not self._message_waiting():
                    continue
                kind, payload = self._receive()
                if kind == "progress":
                    if progress is not None:
                        progress(*payload)
                elif kind == "done":
                    return payload
                else:
                    raise payload

    def close(self) -> None:
        """Ask the child to stop; terminate it when it does not."""
        with contextlib.suppress(OSError, ValueError):
            self._conn.send(("close",))
        try:
            self._process.wait(JOIN_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._conn.close()
        self._failure = self._failure or ChildProcessError(f"the {self.what} was closed")

    # -- the pipe ----------------------------------------------------------------------------------------------
    def _message_waiting(self) -> bool:
        """Wait up to ``POLL_S`` for a message; a child that has died with nothing left to read raises."""
        if self._conn.poll(POLL_S):
            return True
        if self._process.poll() is not None and not self._conn.poll():
            self._died()
        return False

    def _send(self, message: tuple) -> None:
        try:
            self._conn.send(message)
        except (OSError, ValueError):
            self._died()

    def _receive(self) -> tuple[str, Any]:
        try:
            return self._conn.recv()
        except (EOFError, OSError):
            self._died()
        except Exception as error:  # an answer this side cannot rebuild (its class takes other arguments)
            return "error", ChildProcessError(f"an answer of the {self.what} could not be read ({error})")

    def _died(self):
        try:
            code = self._process.wait(JOIN_S)
        except subprocess.TimeoutExpired:
            code = "none yet"
        self._failure = ChildProcessError(f"the {self.what} stopped (exit status {code})")
        raise self._failure

    def _raise_if_failed(self) -> None:
        if self._failure is not None:
            raise self._failure


class _PipeInterrupt:
    """The child's side of an interrupt: set once the parent has sent "cancel" during the current call."""

    def __init__(self, conn) -> None:
        self._conn = conn
        self._set = False

    def is_set(self) -> bool:
        while not self._set and self._conn.poll():
            if self._conn.recv()[0] == "cancel":
                self._set = True
        return self._set


def _serve(conn: Connection) -> None:
    """The child: build the object, then answer calls until "close" or the parent goes (its end of the
    socket closes: every read or write fails, and the child ends quietly)."""
    try:
        _answer_calls(conn)
    except (EOFError, OSError):
        return


def _answer_calls(conn: Connection) -> None:
    try:
        build, args, kwargs, describe = conn.recv()
        obj = build(*args, **kwargs)
        info = describe(obj) if describe is not None else {}
    except (EOFError, OSError):
        raise
    except BaseException as error:  # reported to the parent, which raises it; the child has nothing left to do
        _reply(conn, "error", error)
        return
    _reply(conn, "ready", info)
    while True:
        message = conn.recv()
        if message[0] == "close":
            return
        if message[0] != "call":
            continue  # a cancel that came after its call had finished
        _, name, call_args, wants_progress, wants_interrupt = message
        extra: list = []
        if wants_progress or wants_interrupt:  # positional: an interrupt comes after a progress, wanted or not
            extra.append(_report_progress(conn) if wants_progress else _no_progress)
        if wants_interrupt:
            extra.append(_PipeInterrupt(conn))
        try:
            result = getattr(obj, name)(*call_args, *extra)
        except Exception as error:
            _reply(conn, "error", error)
        else:
            _reply(conn, "done", result)


def _report_progress(conn) -> Callable[[int, int], None]:
    return lambda done, total: conn.send(("progress", (done, total)))


def _no_progress(done: int, total: int) -> None:
    pass


def _reply(conn: Connection, kind: str, payload: Any) -> None:
    """Send an answer; one that does not pickle is replaced by an error that says what it was."""
    try:
        data = ForkingPickler.dumps((kind, payload))
    except Exception as error:
        if kind == "done":
            payload = ChildProcessError(f"the child's answer could not be sent back ({error})")
        data = ForkingPickler.dumps(("error", ChildProcessError(f"{type(payload).__name__}: {payload}")))
    conn.send_bytes(data)


if __name__ == "__main__":  # the child: run as the importable module, so what it sends names its real classes
    from studio.core import child_process

    if int(sys.argv[2]) and hasattr(os, "nice"):
        os.nice(int(sys.argv[2]))
    child_process._serve(Connection(int(sys.argv[1])))
