"""The office pages' lists: a read-only table view over a ValueTableModel (app/ui/models/value_table.py)
and the few things a page does with one: hand it rows (the chosen row stays chosen), ask which row is
chosen, choose one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ..models.record_table import IdRole
from ..models.value_table import Column, Tone, ValueTableModel
from ..widgets.look import scaled_pixels

__all__ = ["Column", "RowsView", "Tone", "current_id", "current_row", "fill", "make_view", "select_id"]

# The row height beside 9-point body text, as the QTableWidgets had it.
_ROW_HEIGHT = 26


class RowsView(QTableView):
    """A list of rows chosen one at a time; says `empty` in the middle when a load brought no rows."""

    selection_changed = Signal()

    def __init__(self, model: ValueTableModel, parent: QWidget | None = None, *, empty: str = "") -> None:
        super().__init__(parent)
        self.rows = model
        self.empty = empty
        model.setParent(self)
        self.setModel(model)
        self.selectionModel().selectionChanged.connect(lambda _new, _old: self.selection_changed.emit())

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self.empty and self.rows.filled and self.rows.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            area = self.viewport().rect().adjusted(12, 12, -12, -12)
            painter.drawText(QRect(area), int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self.empty)
            painter.end()


def make_view(columns: Sequence[Column], parent: QWidget | None, *, name: str, empty: str = "",
              row_id: Callable[[Any], Any] | None = None, tone: Callable[[Any], Tone | None] | None = None) -> RowsView:
    """A sortable, read-only, one-row-at-a-time table with the columns' widths scaled to the text size.

    `name` is what a screen reader says for the table ("整改事项列表"); `row_id` gives the id a row is
    found again by after a reload (default: its `.id`); `tone` colours a row."""
    view = RowsView(ValueTableModel(columns, row_id=row_id, tone=tone), parent, empty=empty)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(max(scaled_pixels(_ROW_HEIGHT), view.fontMetrics().height() + 8))
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for n, column in enumerate(columns):
        if column.width:
            view.setColumnWidth(n, scaled_pixels(column.width))
        if column.stretch:
            header.setSectionResizeMode(n, QHeaderView.ResizeMode.Stretch)
    # No sort until the user clicks a header: the service's order (names by pinyin, the urgent first) stands.
    header.setSortIndicatorClearable(True)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    return view


def fill(view: RowsView, rows: Sequence[Any]) -> None:
    """Replace the rows in one reset; the row chosen before stays chosen when it is still there."""
    chosen = current_id(view)
    view.rows.set_rows(rows)
    if chosen is not None:
        select_id(view, chosen)


def current_row(view: RowsView) -> Any:
    """The chosen row as the page handed it over, or None."""
    selected = view.selectionModel().selectedRows()
    return view.rows.row_object(selected[0].row()) if selected else None


def current_id(view: RowsView) -> Any:
    selected = view.selectionModel().selectedRows()
    return selected[0].data(IdRole) if selected else None


def select_id(view: RowsView, wanted: Any) -> bool:
    row = view.rows.row_of(wanted)
    if row < 0:
        return False
    view.selectRow(row)
    return True
