"""Preferences (QSettings) and their dialog: SMPL-X folder, device, M, alpha/beta, audio, autosave interval.

``Preferences`` is a frozen value read from and written to a ``QSettings``; the window gets its
``QSettings`` from outside, so tests pass an INI file in a temporary folder and never touch the user's.
M, alpha and beta are the defaults of new projects; changing them here also changes the open project
(as one undoable edit), since that is what a person changing them expects.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.audio.transport import output_devices

ORGANIZATION = "Choreo Studio"
APPLICATION = "Choreo Studio"
DEVICES = ("auto", "cpu", "cuda")
AUDIO = ("default", "off")  # or the name of an output device
MAX_RECENT = 8


def user_settings() -> QSettings:
    """The user's settings store (the platform's native one)."""
    return QSettings(ORGANIZATION, APPLICATION)


def ini_settings(path: str | Path) -> QSettings:
    """A settings store in an INI file (tests, portable installs)."""
    return QSettings(str(path), QSettings.Format.IniFormat)


@dataclass(frozen=True)
class Preferences:
    smplx_folder: str = ""  # empty: the mannequin-x avatar
    device: str = "auto"  # where models run: auto (CUDA when there is one), cpu, cuda
    candidates: int = 4  # M, candidates per segment for new projects
    alpha: float = 1.0  # weight of GS
    beta: float = 0.5  # weight of CS
    audio: str = "default"  # default output device, off (silent clock), or an output device's name
    autosave_seconds: int = 60

    def __post_init__(self) -> None:
        if self.device not in DEVICES:
            object.__setattr__(self, "device", "auto")
        if not isinstance(self.audio, str) or not self.audio.strip():
            object.__setattr__(self, "audio", "default")
        object.__setattr__(self, "candidates", int(min(max(int(self.candidates), 1), 16)))
        object.__setattr__(self, "autosave_seconds", int(min(max(int(self.autosave_seconds), 10), 3600)))
        object.__setattr__(self, "alpha", float(self.alpha))
        object.__setattr__(self, "beta", float(self.beta))

    @classmethod
    def load(cls, settings: QSettings) -> Preferences:
        """Read from ``settings``; missing or unreadable values take their defaults."""
        defaults = cls()
        values = {}
        for field in fields(cls):
            default = getattr(defaults, field.name)
            raw = settings.value(f"preferences/{field.name}", default)
            try:
                values[field.name] = type(default)(raw)
            except (TypeError, ValueError):
                values[field.name] = default
        return cls(**values)

    def save(self, settings: QSettings) -> None:
        for field in fields(self):
            settings.setValue(f"preferences/{field.name}", getattr(self, field.name))
        settings.sync()

    def with_changes(self, **changes) -> Preferences:
        return replace(self, **changes)


# -- recent files ------------------------------------------------------------------------------------------
def recent_files(settings: QSettings) -> list[str]:
    value = settings.value("recent/files", [])
    if isinstance(value, str):
        value = [value] if value else []
    return [str(v) for v in (value or [])][:MAX_RECENT]


def add_recent_file(settings: QSettings, path: str | Path) -> list[str]:
    path = str(Path(path).resolve())
    files = [path, *(f for f in recent_files(settings) if f != path)][:MAX_RECENT]
    settings.setValue("recent/files", files)
    settings.sync()
    return files


def clear_recent_files(settings: QSettings) -> None:
    settings.setValue("recent/files", [])
    settings.sync()


# -- the dialog ------------------------------------------------------------------------------------------
class PreferencesDialog(QDialog):
    """Edits a ``Preferences``; ``applied(preferences)`` fires on OK."""

    applied = Signal(object)

    def __init__(
        self, preferences: Preferences, parent: QWidget | None = None, devices: list[str] | None = None
    ) -> None:
        """``devices``: the audio output devices to offer (None: ask PortAudio)."""
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setObjectName("preferences")
        self.initial = preferences

        self.smplx = QLineEdit(preferences.smplx_folder)
        self.smplx.setPlaceholderText("empty: the wooden mannequin (no SMPL-X files needed)")
        browse = QPushButton("Browse...")
        browse.clicked.connect(self._browse)
        smplx_row = QHBoxLayout()
        smplx_row.addWidget(self.smplx, 1)
        smplx_row.addWidget(browse)

        self.device = QComboBox()
        for name, label in (("auto", "Automatic (CUDA when available)"), ("cpu", "CPU"), ("cuda", "CUDA GPU")):
            self.device.addItem(label, name)
        self.device.setCurrentIndex(DEVICES.index(preferences.device))
        self.candidates = QSpinBox()
        self.candidates.setRange(1, 16)
        self.candidates.setValue(preferences.candidates)
        self.alpha = QDoubleSpinBox()
        self.beta = QDoubleSpinBox()
        for box, value in ((self.alpha, preferences.alpha), (self.beta, preferences.beta)):
            box.setRange(0.0, 10.0)
            box.setSingleStep(0.1)
            box.setDecimals(2)
            box.setValue(value)
        self.audio = QComboBox()
        self.audio.addItem("Default output device", "default")
        self.audio.addItem("Off (silent clock)", "off")
        names = list(output_devices() if devices is None else devices)
        for name in names:
            self.audio.addItem(name, name)
        if preferences.audio not in (*AUDIO, *names):  # chosen before, not connected now: keep the choice
            self.audio.addItem(f"{preferences.audio} (not connected)", preferences.audio)
        self.audio.setCurrentIndex(self.audio.findData(preferences.audio))
        self.autosave = QSpinBox()
        self.autosave.setRange(10, 3600)
        self.autosave.setSuffix(" s")
        self.autosave.setValue(preferences.autosave_seconds)

        form = QFormLayout()
        form.addRow("SMPL-X model folder:", smplx_row)
        form.addRow("Run models on:", self.device)
        form.addRow("Candidates per segment (M):", self.candidates)
        form.addRow("Genre weight (alpha):", self.alpha)
        form.addRow("Coherence weight (beta):", self.beta)
        form.addRow("Sound:", self.audio)
        form.addRow("Autosave every:", self.autosave)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def preferences(self) -> Preferences:
        return Preferences(
            smplx_folder=self.smplx.text().strip(),
            device=self.device.currentData(),
            candidates=self.candidates.value(),
            alpha=self.alpha.value(),
            beta=self.beta.value(),
            audio=self.audio.currentData(),
            autosave_seconds=self.autosave.value(),
        )

    def accept(self) -> None:
        self.applied.emit(self.preferences())
        super().accept()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "SMPL-X model folder", self.smplx.text())
        if folder:
            self.smplx.setText(folder)
