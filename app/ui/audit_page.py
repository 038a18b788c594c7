"""The audit viewer: who changed which record, when, from what to what; and the chain check.

Queries run off the UI thread through app.services.audit; the table model holds the entries of the
pages loaded so far (200 at a time, newest first).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import audit
from app.services.context import ServiceContext

from .i18n import QT_TRANSLATE_NOOP, translate
from .tasks import TaskRunner

PAGE = 200
_Index = QModelIndex | QPersistentModelIndex


def show_value(value: Any, width: int = 200) -> str:
    if value is None or value == "":
        return translate("Security", "（空）")
    if isinstance(value, bool):
        return translate("Security", "是") if value else translate("Security", "否")
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


class AuditTableModel(QAbstractTableModel):
    # Marked for lupdate; headerData translates them.
    HEADERS = (
        QT_TRANSLATE_NOOP("Security", "时间"),
        QT_TRANSLATE_NOOP("Security", "操作人"),
        QT_TRANSLATE_NOOP("Security", "操作"),
        QT_TRANSLATE_NOOP("Security", "记录类型"),
        QT_TRANSLATE_NOOP("Security", "记录编号"),
        QT_TRANSLATE_NOOP("Security", "修改的字段"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[audit.AuditEntry] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt signature
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt signature
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return translate("Security", self.HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        e = self.entries[index.row()]
        column = index.column()
        if column == 0:
            return e.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if column == 1:
            return e.author_name or translate("Security", "（未记录）")
        if column == 2:
            return e.op_label
        if column == 3:
            return e.table_label
        if column == 4:
            return e.row_id[:8]
        return e.summary()

    def set_entries(self, entries: list[audit.AuditEntry], *, append: bool = False) -> None:
        if append:
            first = len(self.entries)
            self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
            self.entries.extend(entries)
            self.endInsertRows()
            return
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()


class AuditPage(QWidget):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = TaskRunner(self)
        self.total = 0
        self.setWindowTitle(translate("Security", "审计记录"))

        filters = self._build_filters()
        split = self._build_views()
        bottom = self._build_bottom()

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.verify_result)
        self.resize(1100, 700)

        ctx_ = self.ctx
        self.tasks.run(lambda: audit.authors(ctx_), self._authors_loaded, self._error, key="authors")
        self.search()

    def _build_filters(self) -> QHBoxLayout:
        """Who, which record type, which record, when, and what text."""
        filters = QHBoxLayout()
        self.author = QComboBox(self)
        self.author.setObjectName("auditAuthor")
        self.author.addItem(translate("Security", "全部操作人"), None)
        self.table = QComboBox(self)
        self.table.setObjectName("auditTable")
        self.table.addItem(translate("Security", "全部记录类型"), None)
        for table, label in audit.table_choices():
            self.table.addItem(label, table)
        self.record = QLineEdit(self)
        self.record.setObjectName("auditRecord")
        self.record.setPlaceholderText(translate("Security", "记录编号"))
        self.use_dates = QCheckBox(translate("Security", "日期"), self)
        self.use_dates.setObjectName("auditUseDates")
        self.since = QDateEdit(QDate.currentDate().addMonths(-1), self)
        self.since.setObjectName("auditSince")
        self.until = QDateEdit(QDate.currentDate(), self)
        self.until.setObjectName("auditUntil")
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.text = QLineEdit(self)
        self.text.setObjectName("auditText")
        self.text.setPlaceholderText(translate("Security", "修改内容中的文字"))
        self.search_button = QPushButton(translate("Security", "查询"), self)
        self.search_button.setObjectName("auditSearch")
        for widget in (self.author, self.table, self.record, self.use_dates, self.since, QLabel("—", self), self.until,
                       self.text, self.search_button):
            filters.addWidget(widget)
        self.record.returnPressed.connect(self.search)
        self.text.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        return filters

    def _build_views(self) -> QSplitter:
        """The changes above, the chosen change's fields below."""
        self.model = AuditTableModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("auditView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.selectionModel().currentRowChanged.connect(self._show_detail)

        self.detail = QTableWidget(0, 3, self)
        self.detail.setObjectName("auditDetail")
        self.detail.setHorizontalHeaderLabels([translate("Security", "字段"), translate("Security", "修改前"),
                                               translate("Security", "修改后")])
        self.detail.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.detail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.setWordWrap(True)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.view)
        split.addWidget(self.detail)
        return split

    def _build_bottom(self) -> QHBoxLayout:
        """The count, 加载更多 and the check of the change chain."""
        bottom = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setObjectName("auditStatus")
        self.more_button = QPushButton(translate("Security", "加载更多"), self)
        self.more_button.setObjectName("auditMore")
        self.more_button.clicked.connect(self.load_more)
        self.verify_button = QPushButton(translate("Security", "校验变更链"), self)
        self.verify_button.setObjectName("auditVerify")
        self.verify_button.clicked.connect(self.verify)
        self.verify_result = QLabel(self)
        self.verify_result.setObjectName("auditVerifyResult")
        self.verify_result.setWordWrap(True)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.more_button)
        bottom.addWidget(self.verify_button)
        return bottom

    # --- filters -------------------------------------------------------------------------------
    def current_filter(self, offset: int = 0) -> audit.AuditFilter:
        since = until = None
        if self.use_dates.isChecked():
            since = dt.date.fromisoformat(self.since.date().toString("yyyy-MM-dd"))
            until = dt.date.fromisoformat(self.until.date().toString("yyyy-MM-dd"))
        return audit.AuditFilter(
            user=self.author.currentData(), table=self.table.currentData(), record=self.record.text().strip() or None,
            since=since, until=until, text=self.text.text().strip() or None, limit=PAGE, offset=offset,
        )

    def _authors_loaded(self, rows: list[tuple[str | None, str]]) -> None:
        for author_id, name in rows:
            if author_id:
                self.author.addItem(name, author_id)

    def search(self) -> None:
        f = self.current_filter()
        ctx = self.ctx
        self.status.setText(translate("Security", "正在查询……"))
        self.tasks.run(lambda: audit.query(ctx, f), lambda page: self._loaded(page, False), self._error, key="query")

    def load_more(self) -> None:
        f = self.current_filter(offset=len(self.model.entries))
        ctx = self.ctx
        self.tasks.run(lambda: audit.query(ctx, f, count=False), lambda page: self._loaded(page, True), self._error,
                       key="query")

    def _loaded(self, page: audit.AuditPage, append: bool) -> None:
        if not append:
            self.total = page.total
        self.model.set_entries(page.entries, append=append)
        shown = len(self.model.entries)
        self.status.setText(translate("Security", "共 {total} 条，已显示 {shown} 条").format(total=self.total, shown=shown))
        self.more_button.setEnabled(shown < self.total)
        if not append and shown:
            self.view.selectRow(0)
        elif not shown:
            self.detail.setRowCount(0)

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.setRowCount(0)
            return
        entry = self.model.entries[current.row()]
        changes = [c for c in entry.changes if c.name not in audit.BOOKKEEPING]
        self.detail.setRowCount(len(changes))
        for row, change in enumerate(changes):
            for column, text in enumerate((change.label, show_value(change.before), show_value(change.after))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.detail.setItem(row, column, item)
        self.detail.resizeRowsToContents()

    def _error(self, message: str) -> None:
        self.status.setText(message)

    # --- chain check ---------------------------------------------------------------------------
    def verify(self) -> None:
        db = self.ctx.db
        self.verify_button.setEnabled(False)
        self.verify_result.setText(translate("Security", "正在校验变更链……"))
        self.tasks.run_with_progress(lambda progress: audit.verify_chains(db, progress=progress.report), self._verified,
                                     self._verify_failed, self._verify_progressed, key="verify")

    def _verify_progressed(self, done: int, total: int) -> None:
        # Events checked and rows replayed (the bench's 100,000 findings: a million steps, ~20 s).
        self.verify_result.setText(
            f"{translate('Security', '正在校验变更链……')} {done:,} / {total:,}（{done * 100 // max(1, total)}%）")

    def _verified(self, report: audit.VerifyReport) -> None:
        self.verify_button.setEnabled(True)
        if report.ok:
            self.verify_result.setText(translate("Security", "校验通过：{events} 条变更，{sites} 条变更链完整。").format(
                events=report.events, sites=len(report.sites)))
            self.verify_result.setStyleSheet("color: #1b5e20;")
        else:
            lines = [b.message for b in report.breaks[:10]]
            self.verify_result.setText(translate("Security", "校验未通过：") + "\n".join(lines))
            self.verify_result.setStyleSheet("color: #b00020;")

    def _verify_failed(self, message: str) -> None:
        self.verify_button.setEnabled(True)
        self.verify_result.setText(message)
