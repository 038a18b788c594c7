"""公文登记簿: every issued document (文号, 文种, 成文日期, who), its stored PDF saved or printed again,
its Word version, a void with a reason (the number is never reused)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import documents

from .. import dialogs
from ..changes import DOCUMENT, ChangeSet
from ..tasks import TaskRunner
from ..widgets.message_bar import MessageBar
from ..workspace import Workspace

COLUMNS = ["文号", "文种", "标题", "成文日期", "印发人", "印发时间", "份数", "状态"]


def void_reason(parent: QWidget, number: str) -> str | None:
    text, ok = QInputDialog.getText(parent, "作废文书", f"作废 {number} 的原因（文号不再使用）：")
    return text if ok else None


class DocumentRegister(QWidget):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.tasks = TaskRunner(self)
        self.rows: list[documents.RegisterRow] = []
        self.message = MessageBar(self)
        self.all_inspections = QCheckBox("全部巡察", self)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.save_pdf = QPushButton("另存 PDF(&S)…", self)
        self.save_word = QPushButton("另存为 Word(&W)…", self)
        self.void_button = QPushButton("作废(&V)…", self)
        buttons = QHBoxLayout()
        for w in (self.all_inspections, self.save_pdf, self.save_word, self.void_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.all_inspections.toggled.connect(self.reload)
        self.save_pdf.clicked.connect(lambda: self.save("pdf"))
        self.save_word.clicked.connect(lambda: self.save("docx"))
        self.void_button.clicked.connect(self.void)
        self.table.itemSelectionChanged.connect(self._enable)
        workspace.changes.changed.connect(self._changed)
        self._enable()

    def set_lookups(self, _lookups) -> None:
        self.reload()

    def _changed(self, change: ChangeSet) -> None:
        if change.touches(DOCUMENT):
            self.reload()

    def reload(self) -> None:
        ctx = self.workspace.ctx
        if ctx is None:
            return
        inspection = None if self.all_inspections.isChecked() else self.workspace.inspection_id
        self.tasks.run(lambda: documents.list_issued(ctx, inspection_id=inspection), self._show,
                       self.message.show_error, key="list")

    def _show(self, rows: list[documents.RegisterRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            date = f"{row.document_date:%Y-%m-%d}" if row.document_date else ""
            values = [row.number_text, row.kind_label, row.title, date, row.issued_by,
                      f"{row.issued_at.astimezone():%Y-%m-%d %H:%M}", str(row.copies or ""), row.status]
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self._enable()

    def selected(self) -> documents.RegisterRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.rows[rows[0].row()] if rows else None

    def _enable(self) -> None:
        row = self.selected()
        self.save_pdf.setEnabled(row is not None and row.has_pdf)
        self.save_word.setEnabled(row is not None and row.has_snapshot)
        self.void_button.setEnabled(row is not None and not row.voided)

    def save(self, fmt: str) -> None:
        row, ctx = self.selected(), self.workspace.ctx
        if row is None or ctx is None:
            return
        suffix = ".docx" if fmt == "docx" else ".pdf"
        path = dialogs.save_file_path(self, "另存文书", f"{row.number_text}{row.title}{suffix}", "Word (*.docx)" if fmt == "docx" else "PDF (*.pdf)")
        if not path:
            return

        def job() -> Path:
            _name, data = documents.stored_file(ctx, row.id, fmt)
            target = Path(path)
            partial = target.with_name(target.name + ".partial")
            partial.write_bytes(data)
            partial.replace(target)
            return target

        self.tasks.run(job, lambda p: self.message.show_info(f"已保存到 {p}", 0), self.message.show_error)

    def void(self) -> None:
        row, ctx = self.selected(), self.workspace.ctx
        if row is None or ctx is None:
            return
        reason = void_reason(self, row.number_text)
        if reason is None:
            return
        def voided(rec: Any) -> None:
            self.message.show_info(f"已作废 {rec.number_text}，该文号不再使用。", 0)
            self.workspace.announce("documents")

        self.tasks.run(lambda: documents.void_document(ctx, row.id, reason), voided, self.message.show_error)
