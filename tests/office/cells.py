"""Reading the office's table views as a user reads them: the text of a cell, its colour, the rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor


def rows(view) -> int:
    return view.model().rowCount()


def cell(view, row: int, column: int) -> str:
    """The text shown in a cell ("" for an empty one)."""
    return view.model().index(row, column).data() or ""


def background(view, row: int, column: int) -> QColor | None:
    """The cell's background colour, or None where the view's own shows."""
    brush = view.model().index(row, column).data(Qt.ItemDataRole.BackgroundRole)
    return brush.color() if brush is not None else None


def column_texts(view, column: int) -> list[str]:
    return [cell(view, r, column) for r in range(rows(view))]


def row_of(view, column: int, text: str) -> int:
    """The first row whose cell in `column` contains `text`."""
    for r in range(rows(view)):
        if text in cell(view, r, column):
            return r
    raise AssertionError(f"no row with {text!r} in column {column}")
