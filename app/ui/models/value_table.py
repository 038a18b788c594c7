"""A read-only table over rows a page hands over (the office's lists: units, the pool, clues,
rectification items …), each column declared once: its header, how to show a row, its width and
alignment; and the row's tone (background, text colour, bold, why) from one function.

The rows are plain service results; every cell is computed when Qt asks for it, so handing over
thousands of rows is one reset, not an item per cell. A click on a header sorts: numbers as numbers,
text by pinyin, blanks last; clicking it a third time returns to the order the service gave (the
services put names in pinyin order with app/collation.py).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import QCollator, QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from .record_table import IdRole, RecordTableModel, _display

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
# Longer texts than this are cut by a column of the usual width: the cell's tooltip shows them whole.
_TIP_FROM = 20
# A header click sorts on the UI thread, so by the system's collation (ICU's, or Windows') in Chinese
# order — pinyin — a hundred times faster than pypinyin's phrase analysis (4,000 distinct titles:
# 33 ms against 3.4 s); 第2项 before 第10项. Texts are ranked once (sort_keys): comparing
# QCollatorSortKeys from Python made sorting 3,915 rows by inspection name take half a second.
_COLLATOR = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
_COLLATOR.setNumericMode(True)


class Column(NamedTuple):
    header: str
    value: Callable[[Any], Any]
    # Drawn in pixels beside 9-point body text (the view scales it with the user's text size); 0 leaves Qt's.
    width: int = 0
    # None: numbers to the right, everything else to the left.
    align: Qt.AlignmentFlag | None = None
    # The column that takes the table's spare width.
    stretch: bool = False
    # What a click on the header sorts by, when not the shown value ("逾期7天" sorts by the days).
    sort_by: Callable[[Any], Any] | None = None


class Tone(NamedTuple):
    """How a row stands out, and why in words (the tooltip); the status itself is always a column's
    text too, so a colour-blind reader or a grey printout loses nothing."""

    background: QColor | None = None
    foreground: QColor | None = None
    bold: bool = False
    tip: str = ""


def _no_tone(_row: Any) -> Tone | None:
    return None


class ValueTableModel(RecordTableModel):
    def __init__(self, columns: Sequence[Column], *, row_id: Callable[[Any], Any] | None = None,
                 tone: Callable[[Any], Tone | None] | None = None, parent: Any = None) -> None:
        super().__init__([(c.header, c.value) for c in columns], parent)
        self.specs = list(columns)
        self.row_id = row_id or (lambda row: getattr(row, "id", None))
        self.tone = tone or _no_tone
        self._given: list[Any] = []
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        # True once rows were handed over, so an empty table can say so rather than before it loaded.
        self.filled = False
        self._bold = QFont()
        self._bold.setBold(True)

    # --- rows ------------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row in one reset, in the order the header's sort asks for."""
        self._given = list(rows)
        self.filled = True
        self.beginResetModel()
        self._rows = self._ordered()
        self.endResetModel()

    def row_of(self, record_id: Any) -> int:
        return next((n for n, row in enumerate(self._rows) if self.row_id(row) == record_id), -1)

    def id_at(self, row: int) -> Any:
        return self.row_id(self._rows[row]) if 0 <= row < len(self._rows) else None

    # --- sorting -------------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        before = self._rows
        self._rows = self._ordered()
        # Selection and current row follow their rows to the new places.
        place = {id(row): n for n, row in enumerate(self._rows)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(old, [self.index(place[id(before[i.row()])], i.column())
                                             if 0 <= i.row() < len(before) else QModelIndex() for i in old])
        self.layoutChanged.emit()

    def _ordered(self) -> list[Any]:
        column = self._sort_column
        if not 0 <= column < len(self.specs):
            return list(self._given)
        spec = self.specs[column]
        by = spec.sort_by or spec.value
        keys = sort_keys([by(row) for row in self._given])
        order = [n for n in range(len(keys)) if keys[n][0] != 2]
        order.sort(key=keys.__getitem__, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        # Blanks stay last whichever way the column is sorted; Python's sort is stable either way.
        order += [n for n in range(len(keys)) if keys[n][0] == 2]
        return [self._given[n] for n in order]

    # --- what Qt asks for ------------------------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        spec = self.specs[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(spec.value(row))
        if role == IdRole:
            return self.row_id(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if spec.align is not None:
                return spec.align
            value = spec.value(row)
            return _RIGHT if isinstance(value, (int, float)) and not isinstance(value, bool) else _LEFT
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
                    Qt.ItemDataRole.ToolTipRole):
            return self._looks(row, spec, role)
        return None

    def _looks(self, row: Any, spec: Column, role: int) -> Any:
        tone = self.tone(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            if tone is not None and tone.tip:
                return tone.tip
            text = _display(spec.value(row))
            return text if len(text) > _TIP_FROM else None
        if tone is None:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(tone.background) if tone.background is not None else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(tone.foreground) if tone.foreground is not None else None
        return self._bold if tone.bold else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self.specs[section].header + "（点击排序）"
        return super().headerData(section, orientation, role)


def sort_keys(values: Sequence[Any]) -> list[tuple[int, float]]:
    """Numbers by value, dates by day, text by pinyin (as its rank among the distinct texts, so each
    text is collated once, not at every comparison); blanks (kind 2) apart, to stay last."""
    texts = sorted({str(v) for v in values if v is not None and v != "" and not isinstance(v, (int, float, dt.date))},
                   key=functools.cmp_to_key(_COLLATOR.compare))
    rank = {text: float(n) for n, text in enumerate(texts)}
    keys: list[tuple[int, float]] = []
    for value in values:
        if value is None or value == "":
            keys.append((2, 0.0))
        elif isinstance(value, (bool, int, float)):
            keys.append((0, float(value)))
        elif isinstance(value, dt.date):
            keys.append((0, float(value.toordinal())))
        else:
            keys.append((1, rank[str(value)]))
    return keys
