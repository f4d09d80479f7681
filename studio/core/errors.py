"""Domain errors.  Errors at the boundary teach: they name the file, what was expected and what was found.

The UI shows ``str(error)`` to the user and keeps running; the CLI prints it and exits with status 2.
"""

from __future__ import annotations

from os import PathLike


class StudioError(Exception):
    """Base of every error the app reports to a person rather than as a crash."""


class InputError(StudioError):
    """Bad input: a file or value that is not what was expected.

    >>> str(InputError("song.wav", expected="audio", found="a text file"))
    "song.wav: expected audio, found a text file"
    """

    def __init__(self, source: str | PathLike | None, *, expected: str, found: str, hint: str = "") -> None:
        self.source = None if source is None else str(source)
        self.expected = expected
        self.found = found
        self.hint = hint
        where = f"{self.source}: " if self.source else ""
        message = f"{where}expected {expected}, found {found}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)

    def __reduce__(self):  # rebuilt from its parts: errors cross process boundaries (core.child_process)
        return _rebuild_input_error, (type(self), self.source, self.expected, self.found, self.hint)


def _rebuild_input_error(cls, source, expected, found, hint):
    return cls(source, expected=expected, found=found, hint=hint)


class AudioError(InputError):
    """A song that cannot be decoded or analysed."""


class MotionFormatError(InputError):
    """A motion array or file of the wrong shape or content."""


class ProjectFileError(InputError):
    """A .choreo file that is truncated, foreign, or from a newer version."""


class ModelError(InputError):
    """A model folder or checkpoint that does not match what the code expects."""


class WriteError(StudioError, OSError):
    """A file that could not be written (no such folder, no space, no permission). Also an ``OSError``, so a
    caller that only costs speed when the disk fails (the analysis cache) can keep catching that."""


class ExportError(StudioError):
    """An export that cannot be done (empty project, unwritable path, ...)."""


class Cancelled(StudioError):
    """Long work stopped because the user (or a newer request) asked it to."""
