"""The 三审 chain of a working paper: where it stands, who did what and when, and the next step.

承办人提交 → 副组长审核 → 组长审签; a reviewer may send it back with a reason at any step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ReviewAction, ReviewState

from .. import i18n
from ..i18n import translate
from ..models.record_table import format_local

_STATE_COLOURS: dict[str, str] = {
    ReviewState.DRAFT: "#5f6368",
    ReviewState.SUBMITTED: "#a05a00",
    ReviewState.DEPUTY_APPROVED: "#a05a00",
    ReviewState.APPROVED: "#1e7b34",
    ReviewState.RETURNED: "#b3261e",
}


class ReviewPanel(QWidget):
    # The user asked for a step: ("submit" | "approve" | "send_back", comment).
    action_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._by_state: dict[str, bool] = {}
        self.state_label = QLabel(self)
        self.state_label.setObjectName("reviewState")
        self.history = QTableWidget(0, 4, self)
        self.history.setHorizontalHeaderLabels([translate("ReviewPanel", "时间"), translate("ReviewPanel", "步骤"), translate("ReviewPanel", "人员"), translate("ReviewPanel", "意见")])
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setWordWrap(True)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.comment = QLineEdit(self)
        self.comment.setPlaceholderText(translate("ReviewPanel", "审核意见；退回时必须写明理由"))
        comment_label = QLabel(translate("ReviewPanel", "意见(&O)："), self)
        comment_label.setBuddy(self.comment)
        self.submit_button = QPushButton(translate("ReviewPanel", "提交审核(&U)"), self)
        self.approve_button = QPushButton(translate("ReviewPanel", "审核通过(&P)"), self)
        self.send_back_button = QPushButton(translate("ReviewPanel", "退回(&B)"), self)
        self.submit_button.clicked.connect(lambda: self._request("submit"))
        self.approve_button.clicked.connect(lambda: self._request("approve"))
        self.send_back_button.clicked.connect(lambda: self._request("send_back"))

        row = QHBoxLayout()
        row.addWidget(comment_label)
        row.addWidget(self.comment, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.send_back_button)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state_label)
        layout.addWidget(self.history, 1)
        layout.addLayout(row)
        layout.addLayout(buttons)
        self.show_state(None, [])

    def _request(self, action: str) -> None:
        self.action_requested.emit(action, self.comment.text().strip())

    def show_state(self, state: str | None, history: list[Any]) -> None:
        """`state` None: the working paper is not saved yet, so there is no chain to act on."""
        if state is None:
            self.state_label.setText(translate("ReviewPanel", "保存底稿后即可提交审核。"))
            self.state_label.setStyleSheet("")
        else:
            colour = _STATE_COLOURS.get(state, "#5f6368")
            self.state_label.setText(translate("ReviewPanel", "审核状态：{state}").format(state=i18n.label(ReviewState, state)))
            self.state_label.setStyleSheet(f"font-weight:bold; color:{colour};")
        self._by_state = {
            "submit": state in (ReviewState.DRAFT, ReviewState.RETURNED),
            "approve": state in (ReviewState.SUBMITTED, ReviewState.DEPUTY_APPROVED),
            "send_back": state in (ReviewState.SUBMITTED, ReviewState.DEPUTY_APPROVED, ReviewState.APPROVED),
        }
        self.submit_button.setEnabled(self._by_state["submit"])
        self.approve_button.setEnabled(self._by_state["approve"])
        self.approve_button.setText(
            translate("ReviewPanel", "组长审签(&P)") if state == ReviewState.DEPUTY_APPROVED else translate("ReviewPanel", "审核通过(&P)")
        )
        self.send_back_button.setEnabled(self._by_state["send_back"])
        self.history.setRowCount(len(history))
        for n, step in enumerate(history):
            values = (
                format_local(step.acted_at),
                i18n.label(ReviewAction, step.action),
                step.actor_name or "",
                step.comment or "",
            )
            for column, value in enumerate(values):
                self.history.setItem(n, column, QTableWidgetItem(value))
        self.history.resizeRowsToContents()

    def allow(self, reasons: dict[str, str | None] | None) -> None:
        """Enable only the steps the user may take now; the others say who may (as a tooltip).
        None: not known yet, so nothing can be pressed."""
        buttons = {"submit": self.submit_button, "approve": self.approve_button, "send_back": self.send_back_button}
        for action, button in buttons.items():
            reason = None if reasons is None else reasons.get(action)
            button.setEnabled(reasons is not None and reason is None and self._by_state.get(action, False))
            # A step the paper is not at needs no explanation; one the user may not take says who may.
            button.setToolTip(reason if reason is not None and self._by_state.get(action, False) else "")

    def clear_comment(self) -> None:
        self.comment.clear()
