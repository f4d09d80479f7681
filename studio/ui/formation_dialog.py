"""The partner formation dialog: where the partner stands beside the lead (side by side, face to face, behind) and
how far apart. Asked by Add partner and Partner formation... (``studio.ui.segment_editing``); Esc cancels.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel, QWidget

from studio.core.formation import FORMATION_NAMES, FORMATIONS, SPACING_RANGE, Formation

HINTS = {
    "side": "Beside the lead, on its left, facing the same way.",
    "side-right": "Beside the lead, on its right, facing the same way.",
    "facing": "In front of the lead, turned to face it.",
    "behind": "Behind the lead, facing the same way.",
}


class FormationDialog(QDialog):
    """A formation kind and a spacing in metres; ``formation()`` is what they say."""

    def __init__(self, parent: QWidget | None = None, title: str = "Partner formation",
                 current: Formation | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        current = current or Formation()
        self.setWindowTitle(title)
        self.setObjectName("formation-dialog")
        self.kind = QComboBox(self)
        self.kind.setObjectName("formation-kind")
        for kind in FORMATIONS:
            self.kind.addItem(FORMATION_NAMES[kind].capitalize(), kind)
        self.kind.setCurrentIndex(FORMATIONS.index(current.kind))
        self.spacing = QDoubleSpinBox(self)
        self.spacing.setObjectName("formation-spacing")
        self.spacing.setRange(*SPACING_RANGE)  # the same range Formation checks: no value it would refuse
        self.spacing.setSingleStep(0.1)
        self.spacing.setDecimals(1)
        self.spacing.setSuffix(" m")
        self.spacing.setValue(current.spacing)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow("Formation", self.kind)
        layout.addRow("Spacing", self.spacing)
        layout.addRow(self.hint)
        layout.addRow(buttons)
        self.kind.currentIndexChanged.connect(self._show_hint)
        self._show_hint()

    def formation(self) -> Formation:
        return Formation(self.kind.currentData(), round(self.spacing.value(), 1))

    def set_formation(self, formation: Formation) -> None:
        self.kind.setCurrentIndex(FORMATIONS.index(formation.kind))
        self.spacing.setValue(formation.spacing)

    def _show_hint(self) -> None:
        self.hint.setText(HINTS[self.kind.currentData()])


def ask_formation(parent: QWidget | None, title: str, current: Formation | None = None) -> Formation | None:
    """The formation the person picks in a modal dialog, or None when they cancel (Esc, Cancel, closing it)."""
    dialog = FormationDialog(parent, title, current)
    try:
        return dialog.formation() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
