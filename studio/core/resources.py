"""Where the files that ship with Choreo Studio are, and where a person's own models go.

The shipped files sit at the top of the source tree: ``models/`` (weights with their cards), ``resources/``
(the demo song, the app icon) and ``packaging/`` (the desktop entry, the ``.choreo`` MIME type). A wheel
carries the same files, in the same layout, as package data under ``studio/_data/`` (``setup.py`` maps
them there at build time; nothing is copied by hand). So the one rule is:

- ``importlib.resources.files("studio") / "_data"`` when it exists: an installed wheel;
- else the folder above the ``studio`` package: a checkout (editable install, ``make run``, ``make test``),
  where the files are read where they are.

Model names (``fdgn-small``, ``gcrm-small``, a person's own) are looked up in these folders, first match wins:

1. ``$CHOREO_STUDIO_MODELS`` (one folder, or several joined by ``os.pathsep``). When it is set it is the
   only place searched: tests point it at a temporary folder so that neither the shipped models nor a
   person's own leak in, and a person can use it to try a set of models in isolation;
2. the user models folder, ``<data dir>/models``: ``$CHOREO_STUDIO_DATA/models`` when that is set, else the
   platform's user data folder (``~/.local/share/choreo-studio/models`` on Linux). It comes before the
   shipped folder so that a person's own model of a shipped name (say a fine-tuned ``fdgn-small``) is the
   one the editor uses;
3. the shipped models.

Only the standard library at import time (platformdirs is imported when the user folder is first asked
for), and no torch: ``studio.ml.weights`` and ``studio.choreography.generators`` (which must stay
torch-free until a model is loaded) both use it.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

PACKAGE = "studio"
PACKAGED_DATA = "_data"  # studio/_data/ in a wheel; the names below it are the source tree's top-level names
MODELS_ENV = "CHOREO_STUDIO_MODELS"
DATA_ENV = "CHOREO_STUDIO_DATA"  # the same variable and folder as the editor's autosave (studio.ui.autosave)
APP_DIR_NAME = "choreo-studio"
MODEL_CONFIG = "config.json"  # what makes a folder a model folder (studio.ml.weights.CONFIG_FILE)


def shipped_root() -> Path:
    """The folder that holds ``models/``, ``resources/`` and ``packaging/``: package data or the checkout's top."""
    package = files(PACKAGE)
    packaged = package / PACKAGED_DATA
    # pip installs a wheel unpacked, so these are real folders (safetensors and Qt need file paths).
    return Path(str(packaged)) if packaged.is_dir() else Path(str(package)).parent


def is_installed() -> bool:
    """True when the shipped files come from an installed wheel's package data, False in a checkout."""
    return (files(PACKAGE) / PACKAGED_DATA).is_dir()


def shipped(*parts: str) -> Path:
    """A shipped file or folder by its path in the source tree, e.g. ``shipped("resources", "demo", "demo.wav")``.

    The path is returned whether or not it exists: callers say what is missing in their own terms."""
    return shipped_root().joinpath(*parts)


def demo_song() -> Path:
    """The 60-s demo song (``resources/demo/demo.wav``)."""
    return shipped("resources", "demo", "demo.wav")


def app_icon() -> Path:
    """The application icon, scalable (``resources/icons/choreo-studio.svg``)."""
    return shipped("resources", "icons", f"{APP_DIR_NAME}.svg")


def shipped_models_dir() -> Path:
    return shipped("models")


def user_data_dir() -> Path:
    """``$CHOREO_STUDIO_DATA``, else the platform's user data folder (``~/.local/share/choreo-studio``)."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir as platform_data_dir

    return Path(platform_data_dir(APP_DIR_NAME, appauthor=False))


def user_models_dir() -> Path:
    """Where a person puts models of their own (one folder per model); it need not exist."""
    return user_data_dir() / "models"


def model_dirs() -> list[Path]:
    """The folders searched for a model name, in order (see the module's docstring)."""
    override = os.environ.get(MODELS_ENV)
    if override:
        return [Path(p).expanduser() for p in override.split(os.pathsep) if p]
    return [user_models_dir(), shipped_models_dir()]


def find_model(name: str) -> Path | None:
    """The first model folder called ``name`` (it has a ``config.json``) in :func:`model_dirs`, or None."""
    for folder in model_dirs():
        candidate = folder / name
        if (candidate / MODEL_CONFIG).is_file():
            return candidate
    return None


def model_names(folder: Path) -> list[str]:
    """The model folders in ``folder``, sorted ([] when it does not exist)."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / MODEL_CONFIG).is_file())


def describe_model_search() -> str:
    """Every folder searched and what it holds, for error messages:
    ``models in /a: none; in /b (does not exist); in /c: fdgn-small, gcrm-small``."""
    parts = []
    for folder in model_dirs():
        if not folder.is_dir():
            parts.append(f"{folder} (does not exist)")
        else:
            parts.append(f"{folder}: {', '.join(model_names(folder)) or 'none'}")
    text = "models in " + "; in ".join(parts)
    if os.environ.get(MODELS_ENV):
        text += f" (only ${MODELS_ENV} is searched while it is set)"
    return text
