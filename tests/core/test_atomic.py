"""``studio.core.atomic``: the one write-to-a-temporary-then-rename helper every writer uses."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest

from studio.core import atomic
from studio.core.errors import ExportError, WriteError


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(atomic.TEMPORARY_SUFFIX))


def test_a_write_replaces_the_file_whole(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    atomic.write_text(target, "new")
    assert target.read_text() == "new" and not _leftovers(tmp_path)
    atomic.save_npy(tmp_path / "a.part.npy", np.arange(3))
    assert np.load(tmp_path / "a.part.npy").tolist() == [0, 1, 2]  # exactly that name, nothing appended


def test_a_failing_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError, match="boom"), atomic.atomic_path(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("boom")  # the caller's own error passes through unchanged
    assert target.read_text() == "old" and not _leftovers(tmp_path)


def test_a_disk_error_is_a_write_error_naming_the_file(tmp_path):
    target = tmp_path / "a.bin"
    with pytest.raises(WriteError, match="No space left") as caught, atomic.atomic_path(target):
        raise OSError(28, "No space left on device", str(target))
    assert isinstance(caught.value, OSError)  # callers that only lose speed keep catching OSError
    assert not target.exists() and not _leftovers(tmp_path)
    with pytest.raises(ExportError, match="does not exist"):
        atomic.write_bytes(tmp_path / "no" / "such" / "a.bin", b"x", error=ExportError)
    with pytest.raises(WriteError, match="is a folder"):
        atomic.write_bytes(tmp_path, b"x")


def test_several_files_appear_together_or_not_at_all(tmp_path):
    a, b = tmp_path / "a.bvh", tmp_path / "b.bvh"
    with pytest.raises(ValueError), atomic.atomic_paths([a, b]) as (ta, tb):
        ta.write_text("a")
        raise ValueError("the second could not be made")
    assert not a.exists() and not b.exists() and not _leftovers(tmp_path)
    with atomic.atomic_paths([a, b], fsync=False) as (ta, tb):
        ta.write_text("a")
        tb.write_text("b")
    assert (a.read_text(), b.read_text()) == ("a", "b")


def test_a_symlink_is_written_through(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic.write_text(link, '{"a": 1}')
    assert link.is_symlink() and real.read_text() == '{"a": 1}'


def test_a_replaced_file_keeps_its_permissions_and_temporaries_carry_the_pid(tmp_path):
    target = tmp_path / "dance.bvh"
    target.write_text("old")
    os.chmod(target, 0o640)
    seen = []
    with atomic.atomic_path(target, suffix=".tmp") as temporary:
        seen.append(temporary.name)
        temporary.write_text("new")
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert seen[0].startswith(f".dance.bvh.{os.getpid()}-") and seen[0].endswith(".tmp")
    assert os.listdir(tmp_path) == ["dance.bvh"]
