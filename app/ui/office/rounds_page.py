"""轮次与巡察: rounds and their inspections; for the chosen one its stages on a timeline, what it needs
next, and the actions that move it on (next stage, 回头看)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import InspectionKind, Stage
from app.services.inspections import InspectionService, RoundService
from app.services.office import followup, stages
from app.services.units import UnitService

from .. import i18n
from ..i18n import QT_TRANSLATE_NOOP, translate
from ..tasks import TaskRunner
from ..widgets import fields
from ..widgets.fields import read_optional, write_optional
from ..widgets.look import scale_css, scaled_pixels
from ..widgets.message_bar import MessageBar
from .charts import StageTimeline
from .common import IdRole, Office, OfficePage

_LEVEL_COLOURS = {stages.OVERDUE: QColor("#9b1c1c"), stages.WARNING: QColor("#8a5a00"), stages.TODO: QColor("#1f3b63")}
_LEVEL_MARKS = {stages.OVERDUE: QT_TRANSLATE_NOOP("Office", "● 逾期"), stages.WARNING: QT_TRANSLATE_NOOP("Office", "● 提醒"),
                stages.TODO: QT_TRANSLATE_NOOP("Office", "○ 待办")}


def optional_date_edit(parent: QWidget) -> QDateEdit:
    """A date that may be unset: shows 未定 until one is chosen."""
    return fields.optional_date_edit(parent, translate("Office", "未定"))


class RoundsPage(OfficePage):
    title = QT_TRANSLATE_NOOP("Office", "巡察轮次与进度")

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(office, parent)
        self.detail: stages.Overview | None = None
        self.rounds: list[Any] = []
        self.inspections: list[Any] = []
        self._build_bar()
        split = QSplitter(self)
        self._build_tree(split)
        right = self._build_detail(split)
        split.addWidget(self.tree)
        split.addWidget(right)
        split.setSizes([500, 830])
        self.outer.addWidget(split, 1)
        self._want: uuid.UUID | None = None

    def _build_bar(self) -> None:
        """New round, new inspection, and which inspections the tree shows."""
        bar = QHBoxLayout()
        self.new_round_button = QPushButton(translate("Office", "新建轮次…"), self)
        self.new_round_button.clicked.connect(self.ask_new_round)
        self.new_inspection_button = QPushButton(translate("Office", "新建巡察…"), self)
        self.new_inspection_button.clicked.connect(self.ask_new_inspection)
        self.show_filter = QComboBox(self)
        self.show_filter.addItem(translate("Office", "正在进行的巡察"), "open")
        self.show_filter.addItem(translate("Office", "全部巡察"), "all")
        self.show_filter.currentIndexChanged.connect(self.show_tree)
        bar.addWidget(self.new_round_button)
        bar.addWidget(self.new_inspection_button)
        bar.addStretch(1)
        bar.addWidget(QLabel(translate("Office", "显示："), self))
        bar.addWidget(self.show_filter)
        self.outer.addLayout(bar)

    def _build_tree(self, split: QSplitter) -> None:
        self.tree = QTreeWidget(split)
        self.tree.setHeaderLabels([translate("Office", "轮次 / 巡察"), translate("Office", "类型"), translate("Office", "阶段")])
        self.tree.setColumnWidth(0, scaled_pixels(330))
        self.tree.setColumnWidth(1, scaled_pixels(52))
        self.tree.itemSelectionChanged.connect(self.inspection_chosen)

    def _build_detail(self, split: QSplitter) -> QWidget:
        """The chosen inspection: its stages, actions, next steps, units, dates and announcement."""
        right = QWidget(split)
        col = QVBoxLayout(right)
        col.setContentsMargins(6, 0, 0, 0)
        self.name = QLabel(translate("Office", "请在左侧选择一次巡察。"), right)
        self.name.setStyleSheet(scale_css("font-size: 15px; font-weight: bold;"))
        self.name.setWordWrap(True)
        self.meta = QLabel("", right)
        self.meta.setWordWrap(True)
        self.meta.setObjectName("hint")
        self.timeline = StageTimeline(right)
        col.addWidget(self.name)
        col.addWidget(self.meta)
        col.addWidget(self.timeline)
        col.addLayout(self._build_actions(right))
        steps_box = QGroupBox(translate("Office", "下一步工作"), right)
        steps_layout = QVBoxLayout(steps_box)
        self.steps = QListWidget(steps_box)
        self.steps.setWordWrap(True)
        steps_layout.addWidget(self.steps)
        col.addWidget(steps_box, 1)
        lower = QHBoxLayout()
        lower.addWidget(self._build_units_box(right), 1)
        lower.addWidget(self._build_edit_box(right), 1)
        col.addLayout(lower)
        return right

    def _build_actions(self, right: QWidget) -> QHBoxLayout:
        actions = QHBoxLayout()
        self.advance_button = QPushButton(translate("Office", "进入下一阶段"), right)
        self.advance_button.clicked.connect(self.advance)
        self.follow_up_button = QPushButton(translate("Office", "安排回头看"), right)
        self.follow_up_button.clicked.connect(self.plan_follow_up)
        self.carry_button = QPushButton(translate("Office", "接续原巡察未销号整改事项"), right)
        self.carry_button.clicked.connect(self.carry_over)
        for b in (self.advance_button, self.follow_up_button, self.carry_button):
            actions.addWidget(b)
            b.setEnabled(False)
        actions.addStretch(1)
        return actions

    def _build_units_box(self, right: QWidget) -> QGroupBox:
        units_box = QGroupBox(translate("Office", "被巡察单位"), right)
        units_layout = QVBoxLayout(units_box)
        self.units = QLabel("", units_box)
        self.units.setWordWrap(True)
        self.units.setAlignment(Qt.AlignmentFlag.AlignTop)
        units_layout.addWidget(self.units)
        add_row = QHBoxLayout()
        self.unit_choice = QComboBox(units_box)
        self.unit_choice.setMinimumWidth(160)
        self.add_unit_button = QPushButton(translate("Office", "添加"), units_box)
        self.add_unit_button.clicked.connect(self.add_unit)
        add_row.addWidget(self.unit_choice, 1)
        add_row.addWidget(self.add_unit_button)
        units_layout.addLayout(add_row)
        return units_box

    def _build_edit_box(self, right: QWidget) -> QGroupBox:
        """时间与公告: the dates and the announcement's contacts."""
        edit_box = QGroupBox(translate("Office", "时间与公告"), right)
        form = QFormLayout(edit_box)
        self.start_date = optional_date_edit(edit_box)
        self.end_date = optional_date_edit(edit_box)
        self.feedback_date = optional_date_edit(edit_box)
        self.phone = QLineEdit(edit_box)
        self.mailbox = QLineEdit(edit_box)
        dates = QHBoxLayout()
        for label, w in ((translate("Office", "进驻"), self.start_date), (translate("Office", "结束"), self.end_date), (translate("Office", "反馈"), self.feedback_date)):
            dates.addWidget(QLabel(label, edit_box))
            dates.addWidget(w)
        form.addRow(dates)
        form.addRow(translate("Office", "举报电话"), self.phone)
        form.addRow(translate("Office", "举报信箱"), self.mailbox)
        self.save_button = QPushButton(translate("Office", "保存"), edit_box)
        self.save_button.clicked.connect(self.save)
        form.addRow(self.save_button)
        return edit_box

    # --- loading -------------------------------------------------------------------------------
    def load(self) -> None:
        def work() -> tuple[list[Any], list[Any], list[Any]]:
            return RoundService(self.ctx).list(), InspectionService(self.ctx).list(), UnitService(self.ctx).list()

        self.run(work, self.show_lists, key="rounds")

    def show_lists(self, result: tuple[list[Any], list[Any], list[Any]]) -> None:
        self.rounds, self.inspections, units = result
        self.all_units = units
        self.unit_choice.clear()
        for u in units:
            self.unit_choice.addItem(u.name, u.id)
        self.show_tree()

    def show_tree(self) -> None:
        chosen = self._want or self.current_inspection_id()
        only_open = self.show_filter.currentData() == "open"
        with QSignalBlocker(self.tree):
            self.tree.clear()
            bold = QFont(self.tree.font())
            bold.setBold(True)
            by_round: dict[Any, list[Any]] = {}
            for i in self.inspections:
                if only_open and i.stage == Stage.CLOSED:
                    continue
                by_round.setdefault(i.round_id, []).append(i)
            groups = [(r.id, translate("Office", "{name}（{year}年）").format(name=r.name, year=r.year)) for r in self.rounds]
            groups.append((None, translate("Office", "未编入轮次")))
            target = None
            for round_id, label in groups:
                members = by_round.get(round_id, [])
                if not members and (only_open or round_id is None):
                    continue
                top = QTreeWidgetItem([label, "", translate("Office", "{n}次").format(n=len(members))])
                top.setFont(0, bold)
                top.setData(0, IdRole, ("round", round_id))
                self.tree.addTopLevelItem(top)
                for i in sorted(members, key=lambda x: (x.start_date or dt.date.max, x.name)):
                    item = QTreeWidgetItem([i.name, i18n.label(InspectionKind, i.kind).replace("巡察", ""), i18n.label(Stage, i.stage)])
                    item.setData(0, IdRole, ("inspection", i.id))
                    item.setToolTip(0, i.name)
                    if i.stage == Stage.CLOSED:
                        for c in range(3):
                            item.setForeground(c, QBrush(QColor("#8a8a8a")))
                    top.addChild(item)
                    if i.id == chosen:
                        target = item
                top.setExpanded(True)
        if target is not None:
            self.tree.setCurrentItem(target)
        self._want = None
        if target is None:
            self.clear_detail()
        else:
            self.inspection_chosen()

    def current_inspection_id(self) -> uuid.UUID | None:
        item = self.tree.currentItem()
        data = item.data(0, IdRole) if item is not None else None
        return data[1] if data and data[0] == "inspection" else None

    def select_inspection(self, inspection_id: uuid.UUID) -> None:
        """Show one inspection (also when it is not yet loaded: it is chosen when the list arrives)."""
        self._want = inspection_id
        for n in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(n)
            for k in range(top.childCount() if top is not None else 0):
                child = top.child(k) if top is not None else None
                if child is not None and child.data(0, IdRole) == ("inspection", inspection_id):
                    self._want = None
                    self.tree.setCurrentItem(child)
                    return
        if self.show_filter.currentData() == "open" and any(i.id == inspection_id for i in self.inspections):
            self.show_filter.setCurrentIndex(1)

    def inspection_chosen(self) -> None:
        inspection_id = self.current_inspection_id()
        if inspection_id is None:
            self.clear_detail()
            return
        on = self.office.today()
        self.run(lambda: stages.overview(self.ctx, inspection_id, on), self.show_detail, key="detail")

    def clear_detail(self) -> None:
        self.detail = None
        self.name.setText(translate("Office", "请在左侧选择一次巡察。"))
        self.meta.clear()
        self.timeline.set_steps([])
        self.steps.clear()
        self.units.clear()
        for b in (self.advance_button, self.follow_up_button, self.carry_button):
            b.setEnabled(False)

    def show_detail(self, detail: stages.Overview) -> None:
        if detail.inspection.id != self.current_inspection_id():
            return
        self.detail = detail
        i = detail.inspection
        self.name.setText(i.name)
        parts = [i18n.label(InspectionKind, i.kind),
                 translate("Office", "当前阶段：{stage}").format(stage=i18n.label(Stage, i.stage))]
        if i.team_name:
            parts.append(i.team_name)
        if i.start_date:
            parts.append(translate("Office", "进驻 {day}").format(day=i.start_date.isoformat())
                         + (translate("Office", " 至 {day}").format(day=i.end_date.isoformat()) if i.end_date else ""))
        if i.feedback_date:
            parts.append(translate("Office", "反馈 {day}").format(day=i.feedback_date.isoformat()))
        if detail.follows_name:
            parts.append(translate("Office", "回头看：{name}").format(name=detail.follows_name))
        self.meta.setText(translate("Office", "　|　").join(parts))
        self.timeline.set_steps([(s.label, s.state, s.date) for s in detail.timeline])
        self.steps.clear()
        if not detail.steps:
            self.steps.addItem(QListWidgetItem(translate("Office", "本阶段没有待办事项。")))
        for step in detail.steps:
            item = QListWidgetItem(f"{translate('Office', _LEVEL_MARKS[step.level])}　{step.text}")
            item.setForeground(QBrush(_LEVEL_COLOURS[step.level]))
            item.setData(IdRole, step.area)
            self.steps.addItem(item)
        self.units.setText(translate("Office", "、").join(detail.units) or translate("Office", "尚未确定"))
        self.advance_button.setEnabled(detail.next_stage is not None)
        self.advance_button.setText(translate("Office", "进入「{stage}」阶段").format(stage=i18n.label(Stage, detail.next_stage)) if detail.next_stage else translate("Office", "已是最后阶段"))
        self.follow_up_button.setEnabled(i.kind != InspectionKind.FOLLOW_UP and i.feedback_date is not None
                                         and not detail.has_follow_up)
        self.carry_button.setVisible(i.kind == InspectionKind.FOLLOW_UP)
        self.carry_button.setEnabled(i.kind == InspectionKind.FOLLOW_UP)
        write_optional(self.start_date, i.start_date)
        write_optional(self.end_date, i.end_date)
        write_optional(self.feedback_date, i.feedback_date)
        self.phone.setText(i.announcement_phone or "")
        self.mailbox.setText(i.announcement_mailbox or "")

    # --- actions -------------------------------------------------------------------------------
    def advance(self) -> None:
        inspection_id, on = self.current_inspection_id(), self.office.today()
        if inspection_id is None:
            return
        self.write(lambda: stages.advance_stage(self.ctx, inspection_id, on=on), what="inspection",
                   done_message=lambda i: translate("Office", "「{name}」已进入「{stage}」阶段。").format(
                       name=i.name, stage=i18n.label(Stage, i.stage)))

    def plan_follow_up(self) -> None:
        inspection_id = self.current_inspection_id()
        if inspection_id is None:
            return

        def done(result: tuple[Any, int]) -> None:
            self._want = result[0].id

        self.write(lambda: followup.plan_follow_up(self.ctx, inspection_id), done, what="inspection",
                   done_message=lambda r: translate("Office", "已安排回头看，接续{n}项未销号整改事项。").format(n=r[1]))

    def carry_over(self) -> None:
        inspection_id = self.current_inspection_id()
        if inspection_id is None:
            return
        self.write(lambda: followup.carry_over(self.ctx, inspection_id), what="rectification",
                   done_message=lambda n: translate("Office", "已接续{n}项整改事项。").format(n=n) if n else translate("Office", "没有需要接续的整改事项。"))

    def save(self) -> None:
        inspection_id = self.current_inspection_id()
        if inspection_id is None:
            return
        values: dict[str, Any] = {"start_date": read_optional(self.start_date), "end_date": read_optional(self.end_date),
                  "feedback_date": read_optional(self.feedback_date), "announcement_phone": self.phone.text(),
                  "announcement_mailbox": self.mailbox.text()}
        self._want = inspection_id
        self.write(lambda: InspectionService(self.ctx).update(inspection_id, **values), what="inspection",
                   done_message=translate("Office", "已保存。"))

    def add_unit(self) -> None:
        inspection_id, unit_id = self.current_inspection_id(), self.unit_choice.currentData()
        if inspection_id is None or unit_id is None:
            return
        from app.services.inspections import InspectionUnitService

        self._want = inspection_id
        self.write(lambda: InspectionUnitService(self.ctx).create(inspection_id=inspection_id, unit_id=unit_id),
                   what="inspection", done_message=translate("Office", "已添加被巡察单位。"))

    def create_round(self, values: dict[str, Any]) -> None:
        self.write(lambda: RoundService(self.ctx).create(**values), what="round",
                   done_message=lambda r: translate("Office", "已新建「{name}」。").format(name=r.name))

    def create_inspection(self, values: dict[str, Any]) -> None:
        def done(inspection: Any) -> None:
            self._want = inspection.id

        self.write(lambda: stages.create_inspection(self.ctx, **values), done, what="inspection",
                   done_message=lambda i: translate("Office", "已新建「{name}」，请组建巡察组。").format(name=i.name))

    def ask_new_round(self) -> None:
        ctx = self.ctx
        dialog = NewRoundDialog(self.office.today(), self, create=lambda values: RoundService(ctx).create(**values))
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.created is not None:
            self.message.show_info(translate("Office", "已新建「{name}」。").format(name=dialog.created.name))
            self.office.changes.announce("round")

    def ask_new_inspection(self) -> None:
        ctx = self.ctx
        dialog = NewInspectionDialog(self.rounds, getattr(self, "all_units", []), self.office.today(), self,
                                     create=lambda values: stages.create_inspection(ctx, **values))
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.created is not None:
            self._want = dialog.created.id
            self.message.show_info(translate("Office", "已新建「{name}」，请组建巡察组。").format(name=dialog.created.name))
            self.office.changes.announce("inspection")


class _CheckedDialog(QDialog):
    """OK runs the service call first and closes only once it succeeded: a refused value is
    explained in the dialog, and nothing typed has to be typed again."""

    buttons: QDialogButtonBox  # made by each dialog

    def __init__(self, parent: QWidget | None, create: Callable[[dict[str, Any]], Any] | None) -> None:
        super().__init__(parent)
        # (not `create`: that would hide QWidget.create())
        self.create_record = create
        self.created: Any = None
        self.tasks = TaskRunner(self)
        self.message = MessageBar(self)

    def accept(self) -> None:
        if self.create_record is None:
            super().accept()
            return
        if self.tasks.busy:
            return
        values, create = self.values(), self.create_record
        self.buttons.setEnabled(False)
        self.message.clear_message()
        self.tasks.run(lambda: create(values), self._created, self._refused)

    def _created(self, record: Any) -> None:
        self.created = record
        self.buttons.setEnabled(True)
        super().accept()

    def _refused(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.message.show_error(message)

    def values(self) -> dict[str, Any]:
        raise NotImplementedError


class NewRoundDialog(_CheckedDialog):
    def __init__(self, today: dt.date, parent: QWidget | None = None,
                 create: Callable[[dict[str, Any]], Any] | None = None) -> None:
        super().__init__(parent, create)
        self.setWindowTitle(translate("Office", "新建巡察轮次"))
        form = QFormLayout(self)
        form.addRow(self.message)
        self.name = QLineEdit(self)
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.ordinal = QSpinBox(self)
        self.ordinal.setRange(1, 50)
        form.addRow(translate("Office", "轮次名称"), self.name)
        form.addRow(translate("Office", "年度"), self.year)
        form.addRow(translate("Office", "第几轮"), self.ordinal)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def values(self) -> dict[str, Any]:
        return {"name": self.name.text(), "year": self.year.value(), "ordinal": self.ordinal.value()}


class NewInspectionDialog(_CheckedDialog):
    def __init__(self, rounds: list[Any], units: list[Any], today: dt.date, parent: QWidget | None = None,
                 create: Callable[[dict[str, Any]], Any] | None = None) -> None:
        super().__init__(parent, create)
        self.setWindowTitle(translate("Office", "新建巡察"))
        self.resize(560, 560)
        form = QFormLayout(self)
        form.addRow(self.message)
        self.name = QLineEdit(self)
        self.kind = QComboBox(self)
        for kind in InspectionKind:
            if kind != InspectionKind.FOLLOW_UP:  # a 回头看 is arranged from the inspection it follows
                self.kind.addItem(i18n.label(type(kind), kind.value), kind.value)
        self.round = QComboBox(self)
        self.round.addItem(translate("Office", "（不编入轮次）"), None)
        for r in rounds:
            self.round.addItem(r.name, r.id)
        self.team_name = QLineEdit(self)
        self.team_name.setPlaceholderText(translate("Office", "如：市委第一巡察组"))
        self.start = optional_date_edit(self)
        self.end = optional_date_edit(self)
        self.units = QListWidget(self)
        for u in units:
            item = QListWidgetItem(u.name)
            item.setData(IdRole, u.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.units.addItem(item)
        for label, w in ((translate("Office", "巡察名称"), self.name), (translate("Office", "巡察类型"), self.kind), (translate("Office", "巡察轮次"), self.round),
                         (translate("Office", "巡察组"), self.team_name), (translate("Office", "进驻日期"), self.start), (translate("Office", "结束日期"), self.end),
                         (translate("Office", "被巡察单位"), self.units)):
            form.addRow(label, w)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def values(self) -> dict[str, Any]:
        chosen = [self.units.item(n).data(IdRole) for n in range(self.units.count())
                  if self.units.item(n).checkState() == Qt.CheckState.Checked]
        return {"name": self.name.text(), "kind": self.kind.currentData(), "round_id": self.round.currentData(),
                "team_name": self.team_name.text(), "start_date": read_optional(self.start),
                "end_date": read_optional(self.end), "unit_ids": chosen}
