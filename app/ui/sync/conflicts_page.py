"""冲突处理: every open conflict with its competing versions side by side — who set what, where
and when — and the ways to settle it. A settlement is an ordinary change: it travels with the
next package and closes the conflict on every copy."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.context import ServiceContext
from app.sync import conflicts

from ..tasks import TaskRunner
from ..widgets.message_bar import MessageBar

OPS = {"insert": "新建", "update": "修改", "delete": "删除", "restore": "恢复", "resolve": "处理冲突"}


def _shown(value: Any) -> str:
    if value is None:
        return "（空）"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def describe(conflict: conflicts.Conflict) -> str:
    where = f"{conflict.table_label}{conflict.row_label}"
    if conflict.kind == "duplicate":
        return f"重复：{conflict.table_label}的{conflict.key}（{len(conflict.rows)} 条）"
    if conflict.kind == "delete":
        return f"{where}：一方删除、另一方修改"
    return f"{where}：「{conflict.field_label}」两处修改不同"


class ConflictsPage(QWidget):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = TaskRunner(self)
        self.items: list[conflicts.Conflict] = []
        self.message = MessageBar(self)
        self.list = QListWidget(self)
        self.versions = QTableWidget(0, 4, self)
        self.versions.setHorizontalHeaderLabels(["内容", "修改人", "修改时间", "来自"])
        header = self.versions.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.versions.setWordWrap(True)
        self.versions.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.versions.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.hint = QLabel("", self)
        self.hint.setWordWrap(True)
        self.pick = QPushButton("采用所选版本(&P)", self)
        self.merged = QPlainTextEdit(self)
        self.merged.setPlaceholderText("也可以在这里写出合并后的内容，再点“采用合并内容”。")
        self.merged.setMaximumHeight(90)
        self.use_merged = QPushButton("采用合并内容(&M)", self)
        self.keep_deleted = QPushButton("保持删除(&D)", self)
        self.restore = QPushButton("恢复并保留修改(&R)", self)

        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.hint)
        detail_layout.addWidget(self.versions, 1)
        row = QHBoxLayout()
        for button in (self.pick, self.keep_deleted, self.restore):
            row.addWidget(button)
        row.addStretch(1)
        detail_layout.addLayout(row)
        detail_layout.addWidget(self.merged)
        detail_layout.addWidget(self.use_merged, 0, Qt.AlignmentFlag.AlignLeft)

        splitter = QSplitter(self)
        splitter.addWidget(self.list)
        splitter.addWidget(detail)
        splitter.setSizes([360, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        self.list.currentRowChanged.connect(self._show)
        self.pick.clicked.connect(self.adopt_selected)
        self.use_merged.clicked.connect(self.adopt_merged)
        self.keep_deleted.clicked.connect(lambda: self._settle_delete(True))
        self.restore.clicked.connect(lambda: self._settle_delete(False))
        self.refresh()

    def refresh(self) -> None:
        self.tasks.run(lambda: conflicts.list_conflicts(self.ctx.db), self._loaded, self.message.show_error, key="load")

    def _loaded(self, items: list[conflicts.Conflict]) -> None:
        self.items = items
        self.list.clear()
        for conflict in items:
            QListWidgetItem(describe(conflict), self.list)
        if items:
            self.list.setCurrentRow(0)
        else:
            self._show(-1)
            self.hint.setText("没有未处理的冲突。")

    @property
    def current(self) -> conflicts.Conflict | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _show(self, row: int) -> None:
        conflict = self.items[row] if 0 <= row < len(self.items) else None
        kind = conflict.kind if conflict else None
        self.pick.setVisible(kind == "field")
        self.merged.setVisible(kind == "field")
        self.use_merged.setVisible(kind == "field")
        self.keep_deleted.setVisible(kind == "delete")
        self.restore.setVisible(kind == "delete")
        self.versions.setRowCount(0)
        if conflict is None:
            return
        if kind == "duplicate":
            self.hint.setText(
                f"{conflict.key} 在两台计算机上都被使用了。请打开这些记录，修改其中一条的编号或删除重复的一条：\n"
                + "\n".join(conflict.rows)
            )
            return
        self.hint.setText(
            "两台计算机在互不知情时修改了同一内容，两个版本都已保存。请选择保留哪一个，或写出合并后的内容。"
            if kind == "field" else
            "一台计算机删除了这条记录，另一台同时修改了它。请决定保持删除，还是恢复并保留修改。"
        )
        for version in conflict.versions:
            r = self.versions.rowCount()
            self.versions.insertRow(r)
            value = version.value if kind == "field" else f"{OPS.get(version.op, version.op)}：{_shown(version.value)[:200]}"
            when = dt.datetime.fromisoformat(version.recorded_at).astimezone().strftime("%Y-%m-%d %H:%M")
            for c, text in enumerate((_shown(value), version.author, when, version.site)):
                self.versions.setItem(r, c, QTableWidgetItem(text))
        self.versions.resizeRowsToContents()
        if kind == "field" and conflict.versions:
            self.merged.setPlainText(_shown(conflict.versions[-1].value))

    def adopt_selected(self) -> None:
        conflict, row = self.current, self.versions.currentRow()
        if conflict is None or row < 0:
            self.message.show_warning("请先在右侧选中要采用的版本。")
            return
        value, field = conflict.versions[row].value, conflict.field
        assert field is not None  # the button shows for field conflicts only
        self._run(lambda: conflicts.resolve_field(self.ctx, conflict.table, conflict.row_id, field, value))

    def adopt_merged(self) -> None:
        conflict = self.current
        if conflict is None:
            return
        text, field = self.merged.toPlainText(), conflict.field
        assert field is not None  # the button shows for field conflicts only
        self._run(lambda: conflicts.resolve_field(self.ctx, conflict.table, conflict.row_id, field, text))

    def _settle_delete(self, keep_deleted: bool) -> None:
        conflict = self.current
        if conflict is None:
            return
        self._run(lambda: conflicts.resolve_delete(self.ctx, conflict.table, conflict.row_id, keep_deleted=keep_deleted))

    def _run(self, job: Any) -> None:
        def done(_result: Any) -> None:
            self.message.show_info("已处理；下次同步时会传到其他计算机。")
            self.refresh()

        self.tasks.run(job, done, self.message.show_error)


class SyncWindow(QWidget):
    """交换数据 and 冲突处理 in one window, opened from the main window's 同步 menu."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QTabWidget

        from .exchange_page import ExchangePage

        super().__init__(parent)
        self.setWindowTitle("数据同步")
        self.resize(1100, 700)
        self.tabs = QTabWidget(self)
        self.exchange = ExchangePage(ctx, self.tabs)
        self.conflicts = ConflictsPage(ctx, self.tabs)
        self.tabs.addTab(self.exchange, "交换数据")
        self.tabs.addTab(self.conflicts, "冲突处理")
        self.tabs.currentChanged.connect(lambda i: self.conflicts.refresh() if i == 1 else self.exchange.refresh())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
