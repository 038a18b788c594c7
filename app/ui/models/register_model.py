"""The findings register as a table model that stays fluid at 100,000 rows.

The idea of Anki's browser table: hold only the ordered row keys; build a row's data when a view
first asks for it. Here the rows come from the database in pages of `PAGE_SIZE`, fetched off the
UI thread and cached (the most recently used pages are kept). A row not fetched yet shows a
placeholder for the moment it takes.

A new filter or sort order is answered in two steps, so the first screenful appears at once:
1. `register.first_rows`: the number of matches and the first page (a LIMIT query); for a word in
   most findings the number is only a lower bound (`total_exact` is False);
2. `register.matching_ids`: every matching key, for scrolling anywhere, and the exact number (the
   rows beyond the lower bound are appended); skipped when the first step already returned
   everything.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.services import register
from app.services.context import ServiceContext
from app.services.crud import as_uuid
from app.services.register import Key, RegisterFilter, RegisterRow

from .. import i18n
from ..i18n import translate
from ..tasks import TaskRunner
from .record_table import IdRole, format_local

_Index = QModelIndex | QPersistentModelIndex
_ROLES_ANSWERED = frozenset(int(r) for r in (
    IdRole, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole))

PAGE_SIZE = 100
MAX_CACHED_PAGES = 200


@dataclass(frozen=True)
class RegisterColumn:
    header: str
    # The register's sort key for this column, or None when it cannot be sorted on.
    sort_key: str | None
    value: Callable[[RegisterRow], Any]
    width: int = 100


# Window widths in pixels; the columns themselves are register.REGISTER_FIELDS.
_WIDTHS = {"number": 64, "title": 250, "review_state": 90, "status": 64, "unit": 120, "category": 150,
           "discipline": 72, "severity": 64, "four_form": 84, "disposition": 84, "handler": 64, "assignee": 64,
           "found_on": 84, "inspection": 240}


def _cell(field: register.RegisterField) -> Callable[[RegisterRow], Any]:
    if field.labels is not None:
        labels = i18n.labels(field.labels)

        def label(row: RegisterRow) -> Any:
            code = field.value(row)
            return labels.get(code, code) if isinstance(code, str) else code

        return label
    if field.key == "found_on":
        return lambda r: format_local(r.found_on) if r.found_on else ""
    return field.value


def register_columns() -> list[RegisterColumn]:
    """The columns in the interface language (built on the UI thread: labels are translated)."""
    return [RegisterColumn(translate("FindingRegisterModel", f.header), f.key if f.sortable else None, _cell(f),
                           _WIDTHS.get(f.key, 100)) for f in register.REGISTER_FIELDS]


class FindingRegisterModel(QAbstractTableModel):
    # The number of matching findings once a query's first page is in.
    loaded = Signal(int)
    # Every key is known: scrolling anywhere and selecting all work.
    keys_loaded = Signal(int)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, *, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.columns = register_columns()
        self.tasks = runner or TaskRunner(self)
        self.ctx: ServiceContext | None = None
        self.filter = RegisterFilter()
        self.sort_key = "number"
        self.descending = False
        self._generation = 0
        # Pages have their own generation: refreshing rows on screen must not drop a key list
        # still on its way.
        self._page_generation = 0
        self._total = 0
        self._total_exact = True
        self._keys: list[Key] | None = None
        self._key_index: dict[uuid.UUID, int] | None = None
        self._pages: OrderedDict[int, list[RegisterRow | None]] = OrderedDict()
        self._pending: set[int] = set()
        self._loading = False
        self._placeholder = QBrush(QColor("#9a9a9a"))

    # --- queries --------------------------------------------------------------------------------
    def set_context(self, ctx: ServiceContext | None) -> None:
        self.ctx = ctx

    def set_query(self, filt: RegisterFilter, sort_key: str | None = None, descending: bool | None = None) -> None:
        self.filter = filt
        if sort_key is not None:
            self.sort_key = sort_key
        if descending is not None:
            self.descending = descending
        self.reload()

    def reload(self) -> None:
        """Ask the database again (after a filter change or a write)."""
        if self.ctx is None:
            return
        self._generation += 1
        generation, ctx = self._generation, self.ctx
        filt, sort_key, descending = self.filter, self.sort_key, self.descending
        self._loading = True
        self.tasks.run(
            lambda: register.first_rows(ctx, filt, sort_key, descending, PAGE_SIZE),
            lambda first: self._first_rows_arrived(generation, first),
            self._failed,
            key="register-first",
        )

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def total(self) -> int:
        return self._total

    @property
    def total_exact(self) -> bool:
        """False while `total` is a lower bound, until every key has arrived."""
        return self._total_exact

    @property
    def keys_complete(self) -> bool:
        return self._keys is not None

    def _failed(self, message: str) -> None:
        self._loading = False
        self.failed.emit(message)

    def _first_rows_arrived(self, generation: int, first: register.FirstRows) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._pages.clear()
        self._pending.clear()
        self._key_index = None
        self._keys = first.keys
        complete = first.keys is not None
        if first.keys is not None and len(first.rows) < min(len(first.keys), PAGE_SIZE):
            # A finding deleted between the two reads: let the page be fetched again.
            first = register.FirstRows(total=len(first.keys), rows=[], keys=first.keys)
        self._total, self._total_exact = first.total, first.exact
        if first.rows:
            self._pages[0] = list(first.rows)
        self.endResetModel()
        self.loaded.emit(self._total)
        if complete:
            self._loading = False
            self.keys_loaded.emit(self._total)
            return
        ctx, filt, sort_key, descending = self.ctx, self.filter, self.sort_key, self.descending
        assert ctx is not None  # (the first rows came from it)
        self.tasks.run(
            lambda: register.matching_ids(ctx, filt, sort_key, descending),
            lambda keys: self._keys_arrived(generation, keys),
            self._failed,
            key="register-keys",
        )

    def _keys_arrived(self, generation: int, keys: list[Key]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        first = self._pages.get(0)
        # Findings written between the two steps shift the order: then the first page is stale.
        if first is not None and [r.id if r else None for r in first] != [as_uuid(k) for k in keys[: len(first)]]:
            self._pages.pop(0)
        was_exact, self._total_exact = self._total_exact, True
        if not was_exact and 0 in self._pages and len(keys) >= self._total:
            # The lower bound's rows stay as they are (no reset: no flicker, the scroll position
            # kept); the rest of the matches are appended below them.
            if len(keys) > self._total:
                self.beginInsertRows(QModelIndex(), self._total, len(keys) - 1)
                self._keys, self._total = keys, len(keys)
                self.endInsertRows()
            self._keys = keys
            self._emit_all_changed()
            self.loaded.emit(self._total)
        elif len(keys) != self._total:
            self.beginResetModel()
            self._keys, self._total = keys, len(keys)
            self._pages.clear()
            self.endResetModel()
            self.loaded.emit(self._total)
        else:
            self._keys = keys
            self._emit_all_changed()
            if not was_exact:  # the same number, now known to be exact
                self.loaded.emit(self._total)
        self.keys_loaded.emit(self._total)

    # --- pages ----------------------------------------------------------------------------------
    def _row(self, row: int) -> RegisterRow | None:
        page = row // PAGE_SIZE
        cached = self._pages.get(page)
        if cached is None:
            self._request_page(page)
            return None
        self._pages.move_to_end(page)
        offset = row - page * PAGE_SIZE
        return cached[offset] if offset < len(cached) else None

    def _request_page(self, page: int) -> None:
        if self._keys is None or page in self._pending or self.ctx is None:
            return
        keys = self._keys[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        if not keys:
            return
        self._pending.add(page)
        generation, ctx = (self._generation, self._page_generation), self.ctx
        self.tasks.run(
            lambda: register.rows(ctx, keys),
            lambda rows: self._page_arrived(generation, page, keys, rows),
            self._failed,
        )

    def _page_arrived(
        self, generation: tuple[int, int], page: int, keys: Sequence[Key], rows: list[RegisterRow]
    ) -> None:
        if generation != (self._generation, self._page_generation):
            return
        self._pending.discard(page)
        by_id = {r.id: r for r in rows}
        # A finding deleted since the keys were listed keeps its place, shown as deleted.
        self._pages[page] = [by_id.get(as_uuid(k)) for k in keys]
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        first = page * PAGE_SIZE
        last = min(first + len(keys), self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

    def _emit_all_changed(self) -> None:
        if self._total:
            self.dataChanged.emit(self.index(0, 0), self.index(self._total - 1, self.columnCount() - 1))

    def invalidate_rows(self) -> None:
        """Refetch the rows on screen (after an edit that cannot change membership or order)."""
        self._pages.clear()
        self._pending.clear()
        self._page_generation += 1
        self._emit_all_changed()

    # --- keys and ids ---------------------------------------------------------------------------
    def row_id(self, row: int) -> uuid.UUID | None:
        if self._keys is not None and 0 <= row < len(self._keys):
            return as_uuid(self._keys[row])
        cached = self._pages.get(row // PAGE_SIZE)
        if cached is not None and row % PAGE_SIZE < len(cached) and cached[row % PAGE_SIZE] is not None:
            return cached[row % PAGE_SIZE].id  # type: ignore[union-attr]
        return None

    def ids_of_rows(self, rows: Sequence[int]) -> list[uuid.UUID]:
        return [i for i in (self.row_id(r) for r in rows) if i is not None]

    def row_of_id(self, record_id: uuid.UUID | str) -> int:
        if self._keys is None:
            return -1
        if self._key_index is None:
            self._key_index = {as_uuid(k): n for n, k in enumerate(self._keys)}
        return self._key_index.get(as_uuid(record_id), -1)

    def all_keys(self) -> list[Key] | None:
        return list(self._keys) if self._keys is not None else None

    def cached_row(self, row: int) -> RegisterRow | None:
        cached = self._pages.get(row // PAGE_SIZE)
        if cached is None or row % PAGE_SIZE >= len(cached):
            return None
        return cached[row % PAGE_SIZE]

    # --- Qt model -------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The role first: painting asks every cell for a dozen roles, most of which say nothing.
        if role not in _ROLES_ANSWERED or not index.isValid():
            return None
        if role == IdRole:
            return self.row_id(index.row())
        row = self._row(index.row())
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.sort_key == "number":
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if row is None:
            if role == Qt.ItemDataRole.ForegroundRole:
                return self._placeholder
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 1:
                if index.row() // PAGE_SIZE in self._pages:
                    return translate("FindingRegisterModel", "（已删除）")
                return translate("FindingRegisterModel", "正在读取…")
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return None
        value = column.value(row)
        return "" if value is None else str(value) if role == Qt.ItemDataRole.ToolTipRole else value

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort_key if 0 <= column < len(self.columns) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self.sort_key and descending == self.descending:
            return
        self.sort_key, self.descending = key, descending
        self.reload()

    def column_of_sort_key(self, key: str) -> int:
        for n, column in enumerate(self.columns):
            if column.sort_key == key:
                return n
        return -1
