"""Fonts and colours of the labels that carry a role (headings, hints, coverage notes).

Set directly on the widgets rather than through an application-wide style sheet: a style sheet
on the main window makes Qt re-style every widget it creates, which made building a page several
times slower.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

# The sizes below and in the style sheets were drawn in pixels beside Windows' default 9-point
# (12-pixel) body text. They are applied in points of the user's body text, so that they grow with
# the system's text scaling (Windows 设置 → 辅助功能 → 文本大小) and screen DPI as the body text does.
DESIGN_BODY_POINTS = 9.0
_PIXEL_FONT = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)px")


def scaled_points(pixels: float) -> float:
    """A size drawn as `pixels` beside 9-point body text, in points of today's body text."""
    body = QApplication.font().pointSizeF()
    return pixels * 0.75 * (body if body > 0 else DESIGN_BODY_POINTS) / DESIGN_BODY_POINTS


def scaled_pixels(pixels: float) -> int:
    """A length drawn as `pixels` beside 9-point body text (a column's width), grown with the body text."""
    body = QApplication.font().pointSizeF()
    return round(pixels * (body if body > 0 else DESIGN_BODY_POINTS) / DESIGN_BODY_POINTS)


def scale_css(css: str) -> str:
    """The style sheet with every `font-size: Npx` turned into points that follow the system's scaling."""
    return _PIXEL_FONT.sub(lambda m: f"font-size: {scaled_points(float(m.group(1))):.1f}pt", css)


# objectName → (pixel size beside 9-point body text, or None; bold; text colour or None)
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
            font.setPointSizeF(scaled_points(size))
        font.setBold(bold)
        label.setFont(font)
        if colour is not None:
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
            label.setPalette(palette)
