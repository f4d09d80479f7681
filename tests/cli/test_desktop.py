"""``choreo-studio install-desktop`` / ``uninstall-desktop``, and the launcher's no-command and FILE forms."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from studio.cli import desktop
from studio.cli.main import editor_arguments, main

MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    """An empty XDG data folder, and a PATH with none of the cache tools (a test adds the ones it wants)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    return tmp_path / "share"


def _fake_tool(bin_dir: Path, name: str, status: int = 0) -> Path:
    """A stand-in for a cache tool that logs its arguments."""
    log = bin_dir / f"{name}.log"
    script = bin_dir / name
    script.write_text(f'#!/bin/sh\necho "$@" >> {log}\necho "{name} said no" >&2\nexit {status}\n')
    script.chmod(0o755)
    return log


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text())
    return parser["Desktop Entry"]


def test_install_writes_the_entry_icon_and_mime_type_and_runs_the_tools_there_are(data_home, tmp_path, capsys):
    update_desktop = _fake_tool(tmp_path / "bin", "update-desktop-database")
    update_mime = _fake_tool(tmp_path / "bin", "update-mime-database", status=1)

    assert main(["install-desktop"]) == 0
    out = capsys.readouterr().out

    files = desktop.DesktopFiles(data_home)
    for path in files.all():
        assert path.is_file(), path
        assert f"wrote {path}" in out
    entry = _entry(files.entry)
    command = desktop.launcher_command()
    assert Path(command[0]).is_absolute()
    assert entry["Exec"] == desktop.exec_line(command).replace("\\", "\\\\") and entry["Exec"].endswith(" run %f")
    assert entry["TryExec"] == command[0] and entry["Icon"] == "choreo-studio"
    assert desktop.MIME_TYPE in entry["MimeType"].split(";")
    assert files.icon.read_bytes().startswith(b"<?xml") and files.mime_icon.read_bytes() == files.icon.read_bytes()
    mime = ET.parse(files.mime_xml).getroot().find(f"{MIME_NS}mime-type")
    assert mime.get("type") == desktop.MIME_TYPE
    assert mime.find(f"{MIME_NS}glob").get("pattern") == "*.choreo"

    assert update_desktop.read_text().split() == ["-q", str(data_home / "applications")]
    assert update_mime.read_text().split() == [str(data_home / "mime")]
    assert "update-mime-database: failed with status 1 (update-mime-database said no)" in out  # said, not fatal

    assert main(["install-desktop"]) == 0  # again: the same files, overwritten
    assert sorted(p.name for p in (data_home / "applications").iterdir()) == ["choreo-studio.desktop"]


def test_missing_tools_are_skipped_with_a_note(data_home, capsys):
    assert main(["install-desktop"]) == 0
    out = capsys.readouterr().out
    assert "update-desktop-database: not installed, skipped" in out
    assert "update-mime-database: not installed, skipped" in out
    assert "gtk-update-icon-cache" not in out  # only refreshes a cache that is already there


def test_uninstall_removes_exactly_what_install_wrote(data_home, capsys):
    neighbour = data_home / "applications" / "other.desktop"
    neighbour.parent.mkdir(parents=True)
    neighbour.write_text("[Desktop Entry]\n")
    main(["install-desktop"])
    capsys.readouterr()

    assert main(["uninstall-desktop"]) == 0
    out = capsys.readouterr().out
    for path in desktop.DesktopFiles(data_home).all():
        assert not path.exists() and f"removed {path}" in out
    assert neighbour.is_file()

    assert main(["uninstall-desktop"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_a_missing_template_is_named(data_home, monkeypatch, tmp_path, capsys):
    from studio.core import resources

    monkeypatch.setattr(resources, "shipped_root", lambda: tmp_path / "empty")
    assert main(["install-desktop"]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'empty' / 'packaging' / 'choreo-studio.desktop'}: expected the desktop entry template" in err
    assert not (data_home / "applications").exists()


def test_an_unwritable_data_home_is_named(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["install-desktop", "--data-home", str(blocker)]) == 2
    assert f"{blocker / 'applications'}: could not create the folder" in capsys.readouterr().err


def test_exec_arguments_are_quoted_as_the_spec_says():
    assert desktop.exec_line(["/opt/choreo/bin/choreo-studio"]) == "/opt/choreo/bin/choreo-studio run %f"
    assert desktop.exec_line(["/home/a b/bin/python", "-m", "studio"]) == '"/home/a b/bin/python" -m studio run %f'
    assert desktop._quote('/x/$HOME"100%') == '"/x/\\$HOME\\"100%%"'


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_the_written_entry_passes_desktop_file_validate(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    desktop.install(desktop.DesktopFiles(tmp_path))
    done = subprocess.run(["desktop-file-validate", str(tmp_path / "applications" / "choreo-studio.desktop")],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout


@pytest.mark.skipif(shutil.which("update-mime-database") is None, reason="shared-mime-info is not installed")
def test_the_mime_database_knows_choreo_files(tmp_path):
    desktop.install(desktop.DesktopFiles(tmp_path))
    subprocess.run(["update-mime-database", str(tmp_path / "mime")], check=True, capture_output=True)
    assert "application/x-choreo-studio:*.choreo" in (tmp_path / "mime" / "globs2").read_text()
    assert "application/x-choreo-studio application/zip" in (tmp_path / "mime" / "subclasses").read_text()


def test_the_mime_magic_matches_a_saved_project(tmp_path):
    """The MIME type's magic: a ZIP whose first member's name, at byte 30, is project.json."""
    from studio.core.document import Project
    from studio.io import project as project_file

    path = project_file.save(Project(), tmp_path / "empty.choreo")
    head = Path(path).read_bytes()[:64]
    magic = ET.parse(Path(desktop.__file__).parents[2] / "packaging" / "choreo-studio.xml").getroot()
    outer = magic.find(f"{MIME_NS}mime-type/{MIME_NS}magic/{MIME_NS}match")
    inner = outer.find(f"{MIME_NS}match")
    assert head.startswith(b"PK\x03\x04") and outer.get("value") == "PK\\003\\004"
    offset = int(inner.get("offset"))
    assert head[offset : offset + len(inner.get("value"))] == inner.get("value").encode()


def test_no_command_or_just_a_file_opens_the_editor(tmp_path):
    song = tmp_path / "song.wav"
    song.write_bytes(b"")
    assert editor_arguments([]) == ["run"]
    assert editor_arguments([str(song)]) == ["run", str(song)]
    assert editor_arguments(["missing.choreo"]) == ["run", "missing.choreo"]
    assert editor_arguments(["--demo"]) == ["run", "--demo"]
    assert editor_arguments(["generate", "x.wav", "-o", "y.choreo"]) == ["generate", "x.wav", "-o", "y.choreo"]
    assert editor_arguments(["--help"]) == ["--help"] and editor_arguments(["-h"]) == ["-h"]
    assert editor_arguments(["generat"]) == ["generat"]  # a typo stays a (wrong) command: argparse names the choices


def test_without_a_display_the_editor_says_what_to_do(monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "no display" in err and "xvfb-run -a choreo-studio" in err and "--help" in err


def test_demo_and_a_path_together_are_refused(capsys):
    assert main(["run", "--demo", "song.wav"]) == 2
    assert "--demo: expected either a PATH or --demo" in capsys.readouterr().err


def test_the_shipped_demo_song_is_opened_by_demo(monkeypatch):
    opened = []
    monkeypatch.setenv("DISPLAY", os.environ.get("DISPLAY", ":0"))
    monkeypatch.setattr("studio.ui.app.run_editor", lambda path: opened.append(path) or 0)
    assert main(["--demo"]) == 0
    from studio.core.resources import demo_song

    assert opened == [str(demo_song())]
