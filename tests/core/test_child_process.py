"""An object in a child process: calls, progress, interrupts, errors, a child that dies."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from studio.core.child_process import ChildProcess, ChildProcessError
from studio.core.errors import Cancelled, InputError

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))  # child_fixtures, which the children import by name too (PYTHONPATH below)
from child_fixtures import Counter, describe  # noqa: E402


@pytest.fixture
def child(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(HERE))  # the child imports child_fixtures
    process = ChildProcess("counter process", Counter, 10, describe=describe)
    yield process
    process.close()


def test_the_object_lives_in_another_process_and_keeps_its_state(child):
    assert child.wait_ready() == {"start": 10}
    assert child.call("pid") != os.getpid()
    assert child.call("add", 5) == 15
    assert child.call("add", 1) == 16  # the same object


def test_progress_is_reported_here_and_an_interrupt_stops_the_call(child):
    seen = []
    assert child.call("count", 4, progress=lambda done, total: seen.append((done, total)),
                      interrupt=threading.Event()) == 4  # fmt: skip
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]

    interrupt = threading.Event()

    def stop_after_first(done, total):
        interrupt.set()

    with pytest.raises(Cancelled, match="stopped at"):
        child.call("count", 200, progress=stop_after_first, interrupt=interrupt)
    assert child.call("add", 1) == 11  # still serving; the late cancel did not stop the next call


def test_errors_come_back_as_themselves(child):
    with pytest.raises(InputError) as caught:
        child.call("refuse")
    assert (caught.value.source, caught.value.expected, caught.value.found) == ("song.wav", "audio", "a text file")
    with pytest.raises(ChildProcessError, match="could not be sent back"):
        child.call("unpicklable")
    assert child.call("add", 0) == 10


def test_a_failed_build_is_raised_by_wait_ready(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(HERE))
    process = ChildProcess("counter process", Counter, 0, fail=True)
    with pytest.raises(InputError, match="counter.cfg: expected a number, found a word"):
        process.wait_ready()
    with pytest.raises(InputError):
        process.call("add", 1)
    process.close()


def test_a_child_that_dies_is_named_with_its_exit_status(child):
    with pytest.raises(ChildProcessError, match=r"the counter process stopped \(exit status 3\)"):
        child.call("die")
    assert not child.alive
    with pytest.raises(ChildProcessError):
        child.call("add", 1)


def test_waiting_for_the_build_can_be_interrupted(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(HERE))
    process = ChildProcess("counter process", Counter, 0)
    interrupt = threading.Event()
    interrupt.set()
    with pytest.raises(Cancelled):
        process.wait_ready(interrupt)
    assert not process.alive


def test_close_ends_the_child(child):
    child.wait_ready()
    child.close()
    assert not child.alive
    assert child._process.returncode == 0  # it left on "close", not by a kill


def test_what_cannot_travel_to_the_child_is_refused_at_once():
    with pytest.raises(ChildProcessError, match="could not be started"):
        ChildProcess("counter process", Counter, 0, describe=lambda c: {})
