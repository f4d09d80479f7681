"""``choreo-studio install-desktop`` / ``uninstall-desktop``: the editor in this user's desktop menu.

What install writes, for the current user only, under ``$XDG_DATA_HOME`` (``~/.local/share`` when unset), as
the XDG specifications (Desktop Entry, Icon Theme, Shared MIME-info) place them:

- ``applications/choreo-studio.desktop``: ``packaging/choreo-studio.desktop`` with ``Exec``/``TryExec`` naming
  the launcher of the installation that ran the command, by absolute path, so a venv need not be on PATH;
- ``icons/hicolor/scalable/apps/choreo-studio.svg``: the app icon (the entry's ``Icon=choreo-studio``);
- ``icons/hicolor/scalable/mimetypes/application-x-choreo-studio.svg``: the same icon for ``.choreo`` files;
- ``mime/packages/choreo-studio.xml``: the ``application/x-choreo-studio`` type (``*.choreo``, or a ZIP whose
  first member is ``project.json``), which the entry's ``MimeType=`` opens.

Then, each only when it is installed: ``update-desktop-database`` (the menu's MIME-to-application cache),
``update-mime-database`` (without it ``.choreo`` is unknown until something else rebuilds the cache) and
``gtk-update-icon-cache``, only where a cache already exists (GTK ignores an icon folder whose cache is older
than the folder, so creating a cache nobody refreshes would do harm). These are the files and steps of
``xdg-desktop-menu install``, ``xdg-icon-resource install`` and ``xdg-mime install``; writing them here needs
no xdg-utils and can say exactly what was written. The user's default applications (``mimeapps.list``) are
left alone: Choreo Studio is the only handler of its own type, so ``.choreo`` files open with it without it
being made a default, and uninstall has nothing to undo there.

``uninstall-desktop`` removes those four files (and nothing else) and runs the same tools again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

APP = "choreo-studio"
MIME_TYPE = "application/x-choreo-studio"
ENTRY_TEMPLATE = ("packaging", f"{APP}.desktop")  # shipped files, by source-tree path (studio.core.resources)
MIME_XML = ("packaging", f"{APP}.xml")
TOOL_TIMEOUT_S = 60
# Characters that make the Desktop Entry spec's Exec key need a quoted argument.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


@dataclass(frozen=True)
class DesktopFiles:
    """Where install-desktop writes, under one XDG data folder."""

    data_home: Path

    @property
    def entry(self) -> Path:
        return self.data_home / "applications" / f"{APP}.desktop"

    @property
    def icon(self) -> Path:
        return self.data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP}.svg"

    @property
    def mime_icon(self) -> Path:
        return self.data_home / "icons" / "hicolor" / "scalable" / "mimetypes" / f"{MIME_TYPE.replace('/', '-')}.svg"

    @property
    def mime_xml(self) -> Path:
        return self.data_home / "mime" / "packages" / f"{APP}.xml"

    def all(self) -> list[Path]:
        return [self.entry, self.icon, self.mime_icon, self.mime_xml]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-home", default=None, metavar="DIR", help="the XDG data folder (default: $XDG_DATA_HOME, ~/.local/share)"
    )


def run(args: argparse.Namespace) -> int:
    files = DesktopFiles(Path(args.data_home).expanduser() if args.data_home else data_home())
    if args.command == "uninstall-desktop":
        removed = uninstall(files)
        for path in removed:
            print(f"removed {path}")
        if not removed:
            print(f"nothing to remove: no Choreo Studio desktop files in {files.data_home}")
            return 0
    else:
        command = install(files)
        print(f"wrote {files.entry} (runs: {exec_line(command)})")
        print(f"wrote {files.icon}")
        print(f"wrote {files.mime_icon}")
        print(f"wrote {files.mime_xml} ({MIME_TYPE}: *.choreo)")
    for line in update_caches(files):
        print(line)
    return 0


def data_home() -> Path:
    """``$XDG_DATA_HOME``, else ``~/.local/share`` (the spec ignores a relative value)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local" / "share"


def launcher_command() -> list[str]:
    """How the desktop starts this installation: its ``choreo-studio`` script by absolute path, else its Python."""
    beside = Path(sys.executable).parent / APP  # a venv's or a --user install's bin/, with this interpreter
    if beside.is_file():
        return [str(beside)]
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name == APP and argv0.is_file():
        return [str(argv0.absolute())]
    found = shutil.which(APP)
    if found:
        return [str(Path(found).absolute())]
    return [sys.executable, "-m", "studio"]  # e.g. a checkout run as python -m studio


def exec_line(command: list[str]) -> str:
    """The ``Exec`` value: the command, then ``run %f`` (the file the desktop passes, or none)."""
    return " ".join([*(_quote(part) for part in command), "run", "%f"])


def _quote(argument: str) -> str:
    """One Exec argument as the Desktop Entry spec wants it: reserved characters inside double quotes, with
    ``"`` `` ` `` ``$`` ``\\`` backslash-escaped there; ``%`` doubled."""
    argument = argument.replace("%", "%%")
    if not _RESERVED & set(argument):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'


def desktop_entry(template: str, command: list[str], source: Path) -> str:
    """The template with ``Exec`` and ``TryExec`` for ``command``, its comments (notes for this source tree)
    replaced by one line saying who wrote it."""
    lines = template.splitlines()
    if not any(line.startswith("Exec=") for line in lines):
        from studio.core.errors import InputError

        raise InputError(source, expected="a desktop entry with an Exec= line", found="none")
    # The value is a desktop-file string: its backslashes are escaped once more (spec: "Value types").
    exec_value = exec_line(command).replace("\\", "\\\\")
    out = ["# Written by `choreo-studio install-desktop`; `choreo-studio uninstall-desktop` removes it."]
    for line in lines:
        if line.startswith("#"):
            continue
        if line.startswith("Exec="):
            line = f"Exec={exec_value}"
        elif line.startswith("TryExec="):
            line = f"TryExec={command[0]}"
        out.append(line)
    return "\n".join(out) + "\n"


def _shipped(path: Path, what: str) -> Path:
    from studio.core.errors import InputError

    if not path.is_file():
        raise InputError(path, expected=what, found="no such file",
                         hint="this installation lacks its package data: reinstall Choreo Studio")  # fmt: skip
    return path


def install(files: DesktopFiles, command: list[str] | None = None) -> list[str]:
    """Write the four files (together or not at all); returns the command the entry runs."""
    from studio.core.atomic import atomic_paths
    from studio.core.errors import WriteError
    from studio.core.resources import app_icon, shipped

    command = command or launcher_command()
    template = _shipped(shipped(*ENTRY_TEMPLATE), "the desktop entry template")
    mime = _shipped(shipped(*MIME_XML), "the .choreo MIME type definition")
    icon = _shipped(app_icon(), "the application icon")
    entry = desktop_entry(template.read_text(encoding="utf-8"), command, template)
    for path in files.all():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise WriteError(f"{path.parent}: could not create the folder ({error.strerror or error})") from None
    with atomic_paths(files.all()) as (entry_tmp, icon_tmp, mime_icon_tmp, mime_tmp):
        entry_tmp.write_text(entry, encoding="utf-8")
        icon_tmp.write_bytes(icon.read_bytes())
        mime_icon_tmp.write_bytes(icon.read_bytes())
        mime_tmp.write_bytes(mime.read_bytes())
    return command


def uninstall(files: DesktopFiles) -> list[Path]:
    """Remove the files install wrote; returns those that were there."""
    from studio.core.errors import WriteError

    removed = []
    for path in files.all():
        if path.is_file():
            try:
                path.unlink()
            except OSError as error:
                raise WriteError(f"{path}: could not remove it ({error.strerror or error})") from None
            removed.append(path)
    return removed


def update_caches(files: DesktopFiles) -> list[str]:
    """Run the cache tools that are installed; one line each on what was done (failures are reported, not
    raised: the files are in place either way, a desktop picks them up at its next rebuild)."""
    icons = files.icon.parents[2]  # icons/hicolor
    steps = [
        (["update-desktop-database", "-q", str(files.entry.parent)], "the menu's file-type cache"),
        (["update-mime-database", str(files.mime_xml.parents[1])], "the MIME database"),
    ]
    lines = []
    for command, purpose in steps:
        lines.append(_run_tool(command, purpose))
    if (icons / "icon-theme.cache").is_file():
        lines.append(_run_tool(["gtk-update-icon-cache", "-q", "-t", "-f", str(icons)], "the icon cache"))
    return lines


def _run_tool(command: list[str], purpose: str) -> str:
    tool = shutil.which(command[0])
    if tool is None:
        return f"{command[0]}: not installed, skipped ({purpose} waits for the desktop's next rebuild)"
    try:
        done = subprocess.run([tool, *command[1:]], capture_output=True, text=True, timeout=TOOL_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{command[0]}: could not run ({error})"
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        return f"{command[0]}: failed with status {done.returncode} ({detail[-1] if detail else 'no message'})"
    return f"ran {' '.join(command)} ({purpose})"
