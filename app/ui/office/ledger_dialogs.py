"""The two answers to importing a returned 整改台账: the bad cells (nothing was imported), or the
changes it would make, before and after, to confirm."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.reports.ledger_xlsx import CellProblem
from app.services.office.rectification_ledger import LedgerPlan

from .common import fill_table, make_table, set_widths


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[int],
           parent: QWidget) -> QTableWidget:
    table = make_table(headers, parent, stretch=len(headers) - 1)
    table.setWordWrap(True)
    fill_table(table, rows)
    set_widths(table, widths)
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
        self.table = _table(
            ["工作表", "行", "列", "问题"],
            [[p.sheet, p.row if p.row is not None else "", f"{p.column or ''} {p.header or ''}".strip(), p.reason]
             for p in problems],
            (90, 48, 150, 600), self,
        )
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
        self.table = _table(
            ["整改事项", "内容", "原内容", "新内容"],
            [[c.item, c.label, c.before or "（空）", c.after or "（空）"] for c in plan.changes],
            (300, 90, 280, 380), self,
        )
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
