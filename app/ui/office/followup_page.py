"""整改督办: rectification items with their deadlines (yellow within a week, red overdue), progress,
completion and 销号; sending findings for rectification; each unit's 整改方案 and 双报告; the
整改督办函 one click from the overdue list; and the 整改台账 (三张清单) exchanged with the units:
exported one workbook per unit, and a returned one checked and, once confirmed, imported."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Stage
from app.services.inspections import InspectionService
from app.services.office import followup
from app.services.office import rectification_ledger as ledger
from app.services.office.followup import FollowupItem, PlanStatus
from app.services.rectifications import RectificationService

from .. import dialogs
from .common import (
    GREEN,
    RED,
    RED_TEXT,
    YELLOW,
    Office,
    OfficePage,
    date_edit,
    date_text,
    find_data,
    to_date,
)
from .ledger_dialogs import LedgerConfirmDialog, LedgerProblemsDialog
from .tables import Column, Tone, current_id, current_row, fill, make_view

URGENT = "urgent"
_BACKGROUND = {followup.OVERDUE: RED, followup.DUE_SOON: YELLOW, followup.CLOSED: GREEN}
_STATUS_FILTERS = (("全部事项", None), ("未完成", "open"), ("待销号", followup.AWAITING_CLOSE),
                   ("已销号", followup.CLOSED), ("已逾期", followup.OVERDUE))


def _inspections_with_followup(ctx: Any) -> list[Any]:
    inspections = InspectionService(ctx).list()
    live = [i for i in inspections if i.feedback_date is not None or i.follows_inspection_id is not None]
    return sorted(live, key=lambda i: (i.stage == Stage.CLOSED, -(i.feedback_date or dt.date.min).toordinal(), i.name))


def ask_folder(parent: QWidget | None, title: str) -> str | None:
    """A folder for one workbook per unit (a function of its own so tests can answer it)."""
    return QFileDialog.getExistingDirectory(parent, title) or None


def _item_tone(item: FollowupItem) -> Tone | None:
    background = _BACKGROUND.get(item.urgency)
    if background is None:
        return None
    return Tone(background, RED_TEXT if item.urgency == followup.OVERDUE else None)


_URGENCY_ORDER = {u: n for n, u in enumerate(followup.URGENCY_LABELS)}
ITEM_COLUMNS = (
    # The status in words as well as in colour.
    Column("状态", lambda i: i.urgency_label, 84, sort_by=lambda i: _URGENCY_ORDER.get(i.urgency, 99)),
    Column("巡察", lambda i: i.inspection_name, 220),
    Column("编号", lambda i: i.finding_number, 44),
    Column("问题", lambda i: i.finding_title, 220),
    Column("整改单位", lambda i: i.unit_name, 130),
    Column("整改措施", lambda i: i.measures, stretch=True),
    Column("责任人", lambda i: i.responsible_person, 70),
    Column("整改时限", lambda i: date_text(i.deadline), 90),
    Column("剩余天数", lambda i: _days_text(i), 80, sort_by=lambda i: i.days_left if i.is_open else None),
)
PENDING_COLUMNS = (
    Column("编号", lambda f: f.number, 44),
    Column("问题", lambda f: f.title, stretch=True),
    Column("责任单位", lambda f: f.unit_name, 140),
    Column("责任人", lambda f: f.responsible_people, 100),
)


def _days_text(item: FollowupItem) -> str:
    if not item.is_open:
        return ""
    if item.days_left < 0:
        return f"逾期{-item.days_left}天"
    return "今天到期" if item.days_left == 0 else f"还有{item.days_left}天"


class FollowupPage(OfficePage):
    title = "整改督办"

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(office, parent)
        self.items: list[FollowupItem] = []
        self.plans: list[PlanStatus] = []
        self.pending: list[Any] = []
        self._want: Any = None
        bar = QHBoxLayout()
        bar.addWidget(QLabel("范围：", self))
        self.scope = QComboBox(self)
        self.scope.setMinimumWidth(520)
        self.scope.currentIndexChanged.connect(self.load_items)
        bar.addWidget(self.scope, 1)
        bar.addWidget(QLabel("状态：", self))
        self.status = QComboBox(self)
        for label, value in _STATUS_FILTERS:
            self.status.addItem(label, value)
        self.status.currentIndexChanged.connect(self.show_items)
        bar.addWidget(self.status)
        self.supervise_button = QPushButton("生成整改督办函…", self)
        self.supervise_button.setToolTip("为所选整改事项所属巡察的全部逾期事项生成《整改督办函》（取文号、存档）")
        self.supervise_button.clicked.connect(self.issue_supervision)
        bar.addWidget(self.supervise_button)
        self.ledger_export_button = QPushButton("导出整改台账…", self)
        self.ledger_export_button.setToolTip("把所选巡察的问题清单、任务清单、责任清单导出为 Excel，每个被巡察单位一个工作簿，"
                                             "供其填写整改进展后报回")
        self.ledger_export_button.clicked.connect(self.export_ledger)
        bar.addWidget(self.ledger_export_button)
        self.ledger_import_button = QPushButton("导入整改台账…", self)
        self.ledger_import_button.setToolTip("导入被巡察单位填回的整改台账：先逐格核对，列出将更新的内容，确认后才写入")
        self.ledger_import_button.clicked.connect(self.import_ledger)
        bar.addWidget(self.ledger_import_button)
        for button in (self.ledger_export_button, self.ledger_import_button):
            button.setEnabled(False)  # until an inspection is chosen in 范围
        self.outer.addLayout(bar)
        # The dialog a ledger import opened last (kept so it stays alive and tests can answer it).
        self.ledger_dialog: LedgerProblemsDialog | LedgerConfirmDialog | None = None
        self.summary = QLabel("", self)
        self.summary.setObjectName("summary")
        self.outer.addWidget(self.summary)

        split = QSplitter(Qt.Orientation.Vertical, self)
        self.table = make_view(ITEM_COLUMNS, split, name="整改事项列表", tone=_item_tone,
                               empty="没有符合条件的整改事项。")
        self.table.selection_changed.connect(self.item_chosen)
        self.tabs = QTabWidget(split)
        self.tabs.addTab(self._build_handling(), "办理：进展、完成、销号")
        self.tabs.addTab(self._build_plan_fields(), "完成标准与责任分工")
        self.tabs.addTab(self._build_sending(), "下达整改")
        self.tabs.addTab(self._build_plans(), "整改方案与双报告")
        split.addWidget(self.table)
        split.addWidget(self.tabs)
        split.setSizes([360, 250])
        self.outer.addWidget(split, 1)

    # --- the three tabs ------------------------------------------------------------------------
    def _build_handling(self) -> QWidget:
        w = QWidget(self)
        layout = QHBoxLayout(w)
        left = QFormLayout()
        self.item_text = QLabel("请在上方选择一项整改事项。", w)
        self.item_text.setWordWrap(True)
        self.progress = QPlainTextEdit(w)
        self.progress.setPlaceholderText("整改进展")
        self.evidence = QPlainTextEdit(w)
        self.evidence.setPlaceholderText("佐证材料：整改报告、会议纪要、退款凭证、制度文件……")
        left.addRow(self.item_text)
        left.addRow("整改进展", self.progress)
        left.addRow("佐证材料", self.evidence)
        layout.addLayout(left, 3)
        right = QFormLayout()
        self.progress_button = QPushButton("登记进展", w)
        self.progress_button.clicked.connect(self.report_progress)
        self.complete_button = QPushButton("报告整改完成", w)
        self.complete_button.clicked.connect(self.report_completed)
        self.reviewer = QLineEdit(w)
        self.reviewer.setPlaceholderText("审核人姓名")
        self.review_comment = QLineEdit(w)
        self.review_comment.setPlaceholderText("审核意见（可不填）")
        self.close_button = QPushButton("审核销号", w)
        self.close_button.clicked.connect(self.close_out)
        right.addRow(self.progress_button)
        right.addRow(self.complete_button)
        right.addRow("审核人", self.reviewer)
        right.addRow("审核意见", self.review_comment)
        right.addRow(self.close_button)
        layout.addLayout(right, 2)
        return w

    def _build_plan_fields(self) -> QWidget:
        w = QWidget(self)
        layout = QHBoxLayout(w)
        form = QFormLayout()
        self.plan_item_text = QLabel("请在上方选择一项整改事项。", w)
        self.plan_item_text.setWordWrap(True)
        self.standard = QPlainTextEdit(w)
        self.standard.setPlaceholderText("完成标准：如“违规发放款项全部清退，建立津贴补贴发放审批制度”")
        self.leader = QLineEdit(w)
        self.leader.setPlaceholderText("分管该项整改的单位领导")
        self.department = QLineEdit(w)
        self.department.setPlaceholderText("牵头落实的内设机构")
        form.addRow(self.plan_item_text)
        form.addRow("完成标准", self.standard)
        form.addRow("责任领导", self.leader)
        form.addRow("责任部门", self.department)
        layout.addLayout(form, 3)
        side = QFormLayout()
        self.plan_fields_button = QPushButton("保存完成标准与责任分工", w)
        self.plan_fields_button.clicked.connect(self.save_plan_fields)
        hint = QLabel("依据被巡察单位报送的整改方案填写；导出的整改台账中，任务清单列出完成标准，责任清单列出责任领导、"
                      "责任部门和责任人。", w)
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        side.addRow(self.plan_fields_button)
        side.addRow(hint)
        layout.addLayout(side, 2)
        return w

    def _build_sending(self) -> QWidget:
        w = QWidget(self)
        layout = QHBoxLayout(w)
        col = QVBoxLayout()
        self.pending_hint = QLabel("请在“范围”中选择一次巡察，列出已审签、尚未下达整改的问题。", w)
        self.pending_hint.setObjectName("hint")
        self.pending_table = make_view(PENDING_COLUMNS, w, name="待下达整改的问题列表")
        col.addWidget(self.pending_hint)
        col.addWidget(self.pending_table)
        layout.addLayout(col, 3)
        form = QFormLayout()
        self.measures = QPlainTextEdit(w)
        self.measures.setPlaceholderText("整改措施")
        self.responsible = QLineEdit(w)
        self.deadline = date_edit(self.office.today() + dt.timedelta(days=60), w)
        self.send_standard = QLineEdit(w)
        self.send_standard.setPlaceholderText("可稍后在“完成标准与责任分工”中填写")
        self.send_leader = QLineEdit(w)
        self.send_department = QLineEdit(w)
        self.send_button = QPushButton("下达整改", w)
        self.send_button.clicked.connect(self.send_for_rectification)
        form.addRow("整改措施", self.measures)
        form.addRow("整改责任人", self.responsible)
        form.addRow("整改时限", self.deadline)
        form.addRow("完成标准", self.send_standard)
        form.addRow("责任领导", self.send_leader)
        form.addRow("责任部门", self.send_department)
        form.addRow(self.send_button)
        layout.addLayout(form, 2)
        self.pending_table.selection_changed.connect(self._prefill_responsible)
        return w

    def _build_plans(self) -> QWidget:
        w = QWidget(self)
        layout = QHBoxLayout(w)
        self.plans_table = make_view(self._plan_columns(), w, name="整改方案与双报告报送情况列表",
                                     row_id=lambda p: (p.inspection_id, p.unit_id), tone=self._plan_tone,
                                     empty="没有需要报送整改方案的单位。")
        layout.addWidget(self.plans_table, 4)
        form = QFormLayout()
        self.plan_date = date_edit(self.office.today(), w)
        self.plan_button = QPushButton("登记整改方案报送", w)
        self.plan_button.clicked.connect(lambda: self.record_plan("plan_submitted_on"))
        self.report_button = QPushButton("登记整改情况报告", w)
        self.report_button.clicked.connect(lambda: self.record_plan("report_submitted_on"))
        self.principal_button = QPushButton("登记主要负责人组织落实整改情况报告", w)
        self.principal_button.clicked.connect(lambda: self.record_plan("principal_report_submitted_on"))
        hint = QLabel("整改方案：反馈后15个工作日内报送（节假日顺延）；双报告：反馈后2个月内报送。", w)
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        form.addRow("报送日期", self.plan_date)
        for b in (self.plan_button, self.report_button, self.principal_button):
            form.addRow(b)
        form.addRow(hint)
        layout.addLayout(form, 2)
        return w

    def _plan_columns(self) -> list[Column]:
        def sent(day: str, urgency: str) -> Callable[[PlanStatus], str]:
            # The state in words as well as in colour (a colour-blind reader, a grey printout).
            return lambda p: date_text(getattr(p, day)) or _unsent(getattr(p, urgency)(self.office.today()))

        return [
            Column("巡察", lambda p: p.inspection_name, stretch=True),
            Column("被巡察单位", lambda p: p.unit_name, 150),
            Column("反馈日期", lambda p: date_text(p.feedback_date), 84),
            Column("整改方案应报", lambda p: date_text(p.plan_due), 96),
            Column("整改方案报送", sent("plan_submitted_on", "plan_urgency"), 96),
            Column("双报告应报", lambda p: date_text(p.report_due), 90),
            Column("整改情况报告", sent("report_submitted_on", "report_urgency"), 96),
            Column("主要负责人报告", sent("principal_report_submitted_on", "principal_report_urgency"), 110),
        ]

    def _plan_tone(self, p: PlanStatus) -> Tone | None:
        on = self.office.today()
        worst = {p.plan_urgency(on), p.report_urgency(on), p.principal_report_urgency(on)}
        return Tone(RED) if followup.OVERDUE in worst else Tone(YELLOW) if followup.DUE_SOON in worst else None

    # --- loading -------------------------------------------------------------------------------
    def load(self) -> None:
        self.run(lambda: _inspections_with_followup(self.ctx), self.show_scopes, key="scopes")

    def show_scopes(self, inspections: list[Any]) -> None:
        wanted = self._want if self._want is not None else self.scope.currentData()
        with QSignalBlocker(self.scope):
            self.scope.clear()
            self.scope.addItem("全部巡察：已逾期和7天内到期的事项", URGENT)
            for i in inspections:
                suffix = "（已结束）" if i.stage == Stage.CLOSED else ""
                self.scope.addItem(f"{i.name}{suffix}", i.id)
            self.scope.setCurrentIndex(max(0, find_data(self.scope, wanted)) if wanted is not None else 0)
        self._want = None
        self.load_items()

    def choose_scope(self, inspection_id: uuid.UUID | str) -> None:
        index = find_data(self.scope, inspection_id)
        if index >= 0:
            self.scope.setCurrentIndex(index)
        else:
            self._want = inspection_id

    def load_items(self) -> None:
        scope, on = self.scope.currentData(), self.office.today()
        if scope is None:
            return

        def work() -> tuple[list[FollowupItem], list[PlanStatus], list[Any]]:
            if scope == URGENT:
                return (followup.items(self.ctx, urgent_only=True, on=on), followup.plans(self.ctx, on=on), [])
            return (followup.items(self.ctx, inspection_id=scope, on=on),
                    followup.plans(self.ctx, inspection_id=scope, on=on),
                    followup.awaiting_rectification(self.ctx, scope))

        self.run(work, self.show_loaded, key="items")

    def show_loaded(self, result: tuple[list[FollowupItem], list[PlanStatus], list[Any]]) -> None:
        self.items, self.plans, self.pending = result
        self.show_items()
        self.show_plans()
        self.show_pending()

    def visible_items(self) -> list[FollowupItem]:
        wanted = self.status.currentData()
        if wanted is None:
            return self.items
        if wanted == "open":
            return [i for i in self.items if i.is_open]
        return [i for i in self.items if i.urgency == wanted]

    def show_items(self) -> None:
        fill(self.table, self.visible_items())
        counts = {u: sum(1 for i in self.items if i.urgency == u) for u in followup.URGENCY_LABELS}
        self.summary.setText(
            f"共{len(self.items)}项：已逾期 {counts[followup.OVERDUE]} 项（红色），7天内到期 {counts[followup.DUE_SOON]} 项"
            f"（黄色），整改中 {counts[followup.ON_TRACK]} 项，待销号 {counts[followup.AWAITING_CLOSE]} 项，"
            f"已销号 {counts[followup.CLOSED]} 项" + (f"，已转入回头看 {counts[followup.CARRIED]} 项" if counts[followup.CARRIED] else "")
            + "。")
        self.item_chosen()

    def show_plans(self) -> None:
        fill(self.plans_table, self.plans)
        self.plans_table.setColumnHidden(0, self.scope.currentData() != URGENT)

    def show_pending(self) -> None:
        is_inspection = self.scope.currentData() not in (None, URGENT)
        self.pending_hint.setText(f"已审签、尚未下达整改的问题：{len(self.pending)}个。" if is_inspection else
                                  "请在“范围”中选择一次巡察，列出已审签、尚未下达整改的问题。")
        fill(self.pending_table, self.pending)

    def selected_item(self) -> FollowupItem | None:
        item: FollowupItem | None = current_row(self.table)
        return item

    def item_chosen(self) -> None:
        item = self.selected_item()
        for button in (self.ledger_export_button, self.ledger_import_button):
            button.setEnabled(self.scope.currentData() not in (None, URGENT))
        self.plan_fields_button.setEnabled(item is not None and item.status != "closed")
        if item is None:
            self.plan_item_text.setText("请在上方选择一项整改事项。")
            self.item_text.setText("请在上方选择一项整改事项。")
            self.supervise_button.setEnabled(any(i.urgency == followup.OVERDUE for i in self.items)
                                             and self.scope.currentData() != URGENT)
            return
        self.item_text.setText(f"第{item.finding_number}号问题：{item.finding_title}\n整改措施：{item.measures}\n"
                               f"责任人：{item.responsible_person}　时限：{date_text(item.deadline)}　"
                               f"状态：{item.status_label}")
        self.progress.setPlainText(item.progress)
        self.evidence.setPlainText(item.evidence)
        self.plan_item_text.setText(f"第{item.finding_number}号问题：{item.finding_title}\n整改措施：{item.measures}\n"
                                    f"责任人：{item.responsible_person}　时限：{date_text(item.deadline)}")
        self.standard.setPlainText(item.completion_standard)
        self.leader.setText(item.responsible_leader)
        self.department.setText(item.responsible_department)
        self.supervise_button.setEnabled(item.urgency == followup.OVERDUE or any(
            i.urgency == followup.OVERDUE for i in self.items if i.inspection_id == item.inspection_id))

    # --- actions -------------------------------------------------------------------------------
    def _need_item(self) -> FollowupItem | None:
        item = self.selected_item()
        if item is None:
            self.message.show_error("请先选择一项整改事项。")
        return item

    def report_progress(self) -> None:
        item = self._need_item()
        if item is None:
            return
        text = self.progress.toPlainText()
        self.write(lambda: followup.report_progress(self.ctx, item.id, text), what="rectification", done_message="已登记整改进展。")

    def report_completed(self) -> None:
        item = self._need_item()
        if item is None:
            return
        evidence, on = self.evidence.toPlainText(), self.office.today()
        self.write(lambda: followup.report_completed(self.ctx, item.id, evidence, on), what="rectification",
                   done_message="已报告整改完成，待审核销号。")

    def close_out(self) -> None:
        item = self._need_item()
        if item is None:
            return
        reviewer, comment, on = self.reviewer.text(), self.review_comment.text(), self.office.today()
        self.write(lambda: followup.close_out(self.ctx, item.id, reviewer=reviewer, comment=comment, on=on),
                   what="rectification", done_message="已审核销号。")

    def _prefill_responsible(self) -> None:
        finding = current_row(self.pending_table)
        if finding is not None and not self.responsible.text():
            self.responsible.setText(finding.responsible_people.split("、")[0] if finding.responsible_people else "")

    def send_for_rectification(self) -> None:
        finding_id = current_id(self.pending_table)
        if finding_id is None:
            self.message.show_error("请先在左侧选择一个问题。")
            return
        measures, person, deadline = self.measures.toPlainText(), self.responsible.text(), to_date(self.deadline.date())

        plan = {"completion_standard": self.send_standard.text(), "responsible_leader": self.send_leader.text(),
                "responsible_department": self.send_department.text()}

        def done(_r: Any) -> None:
            for edit in (self.measures, self.responsible, self.send_standard, self.send_leader, self.send_department):
                edit.clear()

        self.write(lambda: followup.send_for_rectification(self.ctx, finding_id, measures=measures,
                                                           responsible_person=person, deadline=deadline, **plan),
                   done, what="rectification", done_message="已下达整改。")

    def save_plan_fields(self) -> None:
        item = self._need_item()
        if item is None:
            return
        values = {"completion_standard": self.standard.toPlainText(), "responsible_leader": self.leader.text(),
                  "responsible_department": self.department.text()}
        self.write(lambda: RectificationService(self.ctx).set_plan(item.id, **values), what="rectification",
                   done_message="已保存完成标准与责任分工。")

    # --- 整改台账 ---------------------------------------------------------------------------------
    def _chosen_inspection(self) -> Any:
        scope = self.scope.currentData()
        if scope in (None, URGENT):
            self.message.show_error("请先在“范围”中选择一次巡察。")
            return None
        return scope

    def export_ledger(self) -> None:
        inspection_id = self._chosen_inspection()
        if inspection_id is None:
            return
        on = self.office.today()

        def chosen_units(units: list[ledger.LedgerUnit]) -> None:
            if not units:
                self.message.show_error("该巡察还没有下达整改事项，无需导出整改台账。")
                return
            if len(units) == 1:
                unit = units[0]
                path = dialogs.save_file_path(self, "导出整改台账", ledger.file_name_for(unit.unit_name, on),
                                            "Excel 工作簿 (*.xlsx)")
                if not path:
                    return
                if not path.lower().endswith(".xlsx"):
                    path += ".xlsx"
                self.run(lambda: [ledger.export_unit(self.ctx, inspection_id, unit.unit_id, path)], self._exported)
                return
            folder = ask_folder(self, f"导出整改台账：选择文件夹（{len(units)}个单位，每个单位一个工作簿）")
            if folder:
                self.run(lambda: ledger.export_all(self.ctx, inspection_id, folder, on=on), self._exported)

        self.message.clear_message()
        self.run(lambda: ledger.ledger_units(self.ctx, inspection_id), chosen_units)

    def _exported(self, written: list[ledger.ExportedLedger]) -> None:
        where = written[0].path if len(written) == 1 else written[0].path.parent
        units = "、".join(w.unit_name for w in written)
        self.message.show_info(f"已导出{len(written)}个单位的整改台账（{units}），共{sum(w.tasks for w in written)}项整改事项："
                               f"{where}")

    def import_ledger(self) -> None:
        inspection_id = self._chosen_inspection()
        if inspection_id is None:
            return
        path = dialogs.open_file_path(self, "导入整改台账", "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        on = self.office.today()

        def check() -> Any:
            try:
                return ledger.check_ledger(self.ctx, path, inspection_id=inspection_id, today=on)
            except ledger.LedgerRefused as exc:
                return exc  # shown cell by cell in a dialog, not as one line

        self.message.clear_message()
        self.run(check, lambda result: self._checked(path, inspection_id, result))

    def _checked(self, path: str, inspection_id: Any, result: Any) -> None:
        if isinstance(result, ledger.LedgerRefused):
            self.message.show_error(f"整改台账有{len(result.problems)}处问题，未导入任何数据。")
            self.ledger_dialog = LedgerProblemsDialog(Path(path).name, result.problems, self)
            self.ledger_dialog.open()
            return
        plan: ledger.LedgerPlan = result
        if not plan.changes:
            self.message.show_info(" ".join(plan.summary_lines()[2:]))
            return
        dialog = LedgerConfirmDialog(plan, self)
        self.ledger_dialog = dialog
        on = self.office.today()
        dialog.accepted.connect(lambda: self.write(
            lambda: ledger.import_ledger(self.ctx, path, inspection_id=inspection_id, expected=plan, today=on),
            what="rectification",
            done_message=lambda p: f"已导入「{p.file_name}」：更新{p.items_changed}项整改事项的{len(p.changes)}处内容。"))
        dialog.open()

    def record_plan(self, field: str) -> None:
        key = current_id(self.plans_table)
        if key is None:
            self.message.show_error("请先在整改方案与双报告表中选择一个单位。")
            return
        inspection_id, unit_id = key
        day = to_date(self.plan_date.date())
        self.write(lambda: followup.record_plan(self.ctx, inspection_id, unit_id, **{field: day}), what="rectification",
                   done_message="已登记报送情况。")

    def issue_supervision(self) -> None:
        item = self.selected_item()
        inspection_id = item.inspection_id if item is not None else self.scope.currentData()
        if inspection_id in (None, URGENT):
            self.message.show_error("请先选择一项逾期的整改事项。")
            return
        path = dialogs.save_file_path(self, "保存整改督办函", "整改督办函.pdf", "PDF 文件 (*.pdf)")
        if not path:
            return
        on = self.office.today()

        def work() -> Any:
            result = followup.issue_supervision_letter(self.ctx, inspection_id, on=on)
            Path(path).write_bytes(result.pdf_bytes)
            return result

        self.write(work, what="documents",
                   done_message=lambda r: f"已生成整改督办函（{r.number_text}），保存到 {path}。"
                   + ("　" + "；".join(r.font_messages) if r.font_messages else ""))


def _unsent(urgency: str) -> str:
    """"未报送", with how late it is when the colour says so."""
    if urgency in (followup.OVERDUE, followup.DUE_SOON):
        return f"未报送（{followup.URGENCY_LABELS[urgency]}）"
    return "未报送"
