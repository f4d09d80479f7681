"""packaging/choreo-studio.desktop launches the editor the way the CLI names it."""

from __future__ import annotations

import configparser
from pathlib import Path

from studio.ui.app import DESKTOP_FILE_NAME

DESKTOP = Path(__file__).resolve().parents[2] / "packaging" / "choreo-studio.desktop"


def test_desktop_entry_runs_the_editor():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive in desktop entries
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]

    assert section["Type"] == "Application"
    assert section["Name"] == "Choreo Studio"
    assert section["Exec"].split()[:2] == ["choreo-studio", "run"]
    # Desktops pair the running window with this file through QGuiApplication.desktopFileName.
    assert DESKTOP.stem == DESKTOP_FILE_NAME
    assert section["Categories"].endswith(";")
