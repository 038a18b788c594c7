"""A table over a short list of records (one inspection's interviews, petitions …).

The rows are the detached objects a service returned; columns are (header, how to show a row).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex

Column = tuple[str, Callable[[Any], Any]]
# Role carrying the record id, for finding a row again after a reload.
IdRole = Qt.ItemDataRole.UserRole + 1
# Role carrying the raw value, so a proxy sorts dates as dates and numbers as numbers.
SortRole = Qt.ItemDataRole.UserRole + 2
_ROLES_ANSWERED = frozenset(int(r) for r in (IdRole, SortRole, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole))


class RecordTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, record_id: Any) -> int:
        for n, r in enumerate(self._rows):
            if str(r.id) == str(record_id):
                return n
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section][0]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The role first: a view asks each cell for eight or more roles it does not use (font,
        # colours, alignment …) while sizing a column, and these answer without touching the index.
        if role not in _ROLES_ANSWERED or not index.isValid():
            return None
        record = self._rows[index.row()]
        if role == IdRole:
            return record.id
        value = self.columns[index.column()][1](record)
        if role == SortRole:
            return value if isinstance(value, (int, float)) else str(value if value is not None else "")
        return _display(value)


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if hasattr(value, "strftime"):
        return format_local(value)
    return str(value)


def format_local(value: Any) -> str:
    """Dates as 2026-10-09; times in the user's local zone without seconds.

    `isoformat`, not `strftime`: every `strftime` call imports `time` through the import hook
    PySide installs (Python code, ~10 µs a call), and a view calls this for every date cell it
    paints or sizes."""
    if hasattr(value, "hour"):
        if value.tzinfo is not None:
            value = value.astimezone().replace(tzinfo=None)
        return value.isoformat(" ", "minutes")
    return value.isoformat()
