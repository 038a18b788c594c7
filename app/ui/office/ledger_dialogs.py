"""The two answers to importing a returned 整改台账: the bad cells (nothing was imported), or the
changes it would make, before and after, to confirm."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.reports.ledger_xlsx import CellProblem
from app.services.office.rectification_ledger import LedgerPlan

from .tables import Column, RowsView, fill, make_view


def _table(columns: Sequence[Column], rows: Sequence[object], name: str, parent: QWidget) -> RowsView:
    table = make_view(columns, parent, name=name)
    table.setWordWrap(True)
    fill(table, rows)
    table.resizeRowsToContents()
    return table


class LedgerProblemsDialog(QDialog):
    """Every bad cell of a refused workbook: sheet, row, column and why."""

    def __init__(self, file_name: str, problems: Sequence[CellProblem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("整改台账未导入")
        self.resize(980, 520)
        layout = QVBoxLayout(self)
        heading = QLabel(f"「{file_name}」有{len(problems)}处问题，未导入任何数据。"
                         "请让被巡察单位修改后重新发送，或重新导出台账填写。", self)
        heading.setWordWrap(True)
        heading.setObjectName("summary")
        layout.addWidget(heading)
        self.table = _table([
            Column("工作表", lambda p: p.sheet, 90),
            Column("行", lambda p: p.row if p.row is not None else "", 48),
            Column("列", lambda p: f"{p.column or ''} {p.header or ''}".strip(), 150),
            Column("问题", lambda p: p.reason, 600, stretch=True),
        ], problems, "整改台账问题列表", self)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(self)
        self.close_button = QPushButton("关闭", self)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class LedgerConfirmDialog(QDialog):
    """What a clean workbook would change, field by field, with 确认导入 and 取消."""

    def __init__(self, plan: LedgerPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("确认导入整改台账")
        self.resize(1080, 560)
        layout = QVBoxLayout(self)
        lines = plan.summary_lines()
        # The per-field lines are in the table below; the head says whose ledger it is and how much.
        head = [line for line in lines if not line.startswith("  ")]
        self.summary = QLabel("\n".join(head), self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = _table([
            Column("整改事项", lambda c: c.item, 300),
            Column("内容", lambda c: c.label, 90),
            Column("原内容", lambda c: c.before or "（空）", 280),
            Column("新内容", lambda c: c.after or "（空）", 380, stretch=True),
        ], plan.changes, "将导入的修改列表", self)
        layout.addWidget(self.table, 1)
        source = QLabel(f"导入后，这些修改记为您的修改，来源为「{plan.file_name}」。", self)
        source.setObjectName("hint")
        layout.addWidget(source)
        buttons = QDialogButtonBox(self)
        self.confirm_button = QPushButton("确认导入", self)
        self.cancel_button = QPushButton("取消", self)
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.cancel_button.setDefault(True)
