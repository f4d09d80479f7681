"""The one build step pyproject.toml cannot say: put the shipped files into the wheel.

``models/``, ``resources/`` and ``packaging/`` stay at the top of the source tree, where ``make run`` and the
tests read them.  An installed wheel needs them inside the package so that ``importlib.resources`` finds
them: ``build_py`` copies them to ``studio/_data/`` in the build folder (never in the checkout), under their
source-tree paths, which is where ``studio.core.resources`` looks.  An editable install copies nothing: it
reads the checkout's own folders.  Everything else about the build is in pyproject.toml; MANIFEST.in lists
the same files for the sdist (``python -m build`` makes the wheel from the sdist), and tests/cli/test_install.py
checks that the wheel holds every file of ``SHIPPED``.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PACKAGED_DATA = Path("studio", "_data")  # studio.core.resources.PACKAGED_DATA
# Globs relative to the top of the tree.  Files by name rather than whole folders: a model folder may also
# hold a training checkpoint.pt of hundreds of MB (git-ignored) that must not ship.
SHIPPED = (
    "models/*/config.json",
    "models/*/model.safetensors",
    "models/*/card.json",
    "resources/demo/*.wav",
    "resources/demo/*.md",
    "resources/icons/*.svg",
    "packaging/choreo-studio.desktop",
    "packaging/choreo-studio.xml",
)


def shipped_files(root: Path = ROOT) -> list[Path]:
    """The files of ``SHIPPED`` under ``root``, relative to it."""
    return sorted({path.relative_to(root) for pattern in SHIPPED for path in root.glob(pattern) if path.is_file()})


class BuildPyWithShippedFiles(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        files = shipped_files()
        if not any(path.parts[0] == "models" for path in files):
            # A wheel without models installs fine and then dances with the procedural baseline: refuse it.
            raise SystemExit(f"setup.py: no model folders under {ROOT / 'models'} (expected {SHIPPED[0]}, ...)")
        for relative in files:
            target = Path(self.build_lib) / PACKAGED_DATA / relative
            self.mkpath(str(target.parent))
            self.copy_file(str(ROOT / relative), str(target))


setup(cmdclass={"build_py": BuildPyWithShippedFiles})
