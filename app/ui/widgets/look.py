"""Fonts and colours of the labels that carry a role (headings, hints, coverage notes).

Set directly on the widgets rather than through an application-wide style sheet: a style sheet
on the main window makes Qt re-style every widget it creates, which made building a page several
times slower.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

# objectName → (pixel size or None, bold, text colour or None)
LOOKS: dict[str, tuple[int | None, bool, str | None]] = {
    "pageHeading": (17, True, None),
    "editorTitle": (14, True, None),
    "inspectionName": (15, True, None),
    "stage": (14, False, None),
    "daysLeft": (14, False, None),
    "bigNumber": (18, True, None),
    "reviewState": (None, True, None),
    "coverage": (None, False, "#7a4a00"),
    "hint": (None, False, "#6b6b6b"),
    "placeholder": (15, False, "#555555"),
}


def apply_looks(root: QWidget) -> None:
    """Give every role-carrying label under `root` (and `root` itself) its font and colour."""
    labels = root.findChildren(QLabel)
    if isinstance(root, QLabel):
        labels.append(root)
    for label in labels:
        look = LOOKS.get(label.objectName())
        if look is None:
            continue
        size, bold, colour = look
        font = label.font()
        if size is not None:
            font.setPixelSize(size)
        font.setBold(bold)
        label.setFont(font)
        if colour is not None:
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
            label.setPalette(palette)
