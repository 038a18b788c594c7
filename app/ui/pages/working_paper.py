"""The working paper (问题底稿) of one finding: 现象 / 定性 / 责任, its classification and disposal,
evidence, and the 三审 review chain with who did what and when.

A finding may come from another inspection (问题台账 with 范围 = 全部巡察): its 责任单位 and team
members are then outside this inspection's pickers. They are shown as stored, marked, and a save
sends only the fields the user changed, so nothing the form could not show is ever overwritten.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import FindingStatus, ReviewState, Severity, SourceKind
from app.services.crud import as_uuid
from app.services.errors import ServiceError
from app.services.findings import FindingService
from app.services.inspectors import InspectorService
from app.services.units import UnitService

from .. import dialogs, i18n
from ..dialogs import Unsaved
from ..i18n import translate
from ..lookups import Lookups
from ..tasks import TaskRunner
from ..widgets.attachments import AttachmentsPanel
from ..widgets.choice_combo import ChoiceCombo
from ..widgets.dirty import DirtyTracker
from ..widgets.field_errors import FieldErrors
from ..widgets.fields import optional_date_edit, read_optional, write_optional
from ..widgets.message_bar import MessageBar
from ..widgets.record_page import changed_values
from ..widgets.review_panel import ReviewPanel
from ..workspace import FINDING, Workspace

# QDateEdit cannot be empty: its minimum stands for "not filled in".
_PAPER_FIELDS = ("title", "facts", "characterisation", "responsibility")


def _text_edit(parent: QWidget, placeholder: str, height: int) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    return edit


class WorkingPaperEditor(QWidget):
    saved = Signal(object)
    reviewed = Signal(object)
    # A finding (or None: a new paper) has just been put on the paper.
    shown = Signal(object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.tasks = TaskRunner(self)
        self.lookups: Lookups | None = None
        self.current: Any = None
        self._new_values: dict[str, Any] = {}
        self._saving = False
        self.tracker = DirtyTracker(self)
        self.tracker.dirty_changed.connect(lambda _d: self._update_heading())

        self.heading = QLabel(self)
        self.heading.setObjectName("editorTitle")
        self.heading.setWordWrap(True)
        # Said while the register's filter leaves out the finding on the paper (see set_unlisted).
        self.unlisted_hint = QLabel(self)
        self.unlisted_hint.setWordWrap(True)
        self.unlisted_hint.setStyleSheet("color:#7a4a00;")
        self.unlisted_hint.hide()
        self.message = MessageBar(self)
        self.errors = FieldErrors(self.message, self.tracker, self)
        # The values as shown when the finding was opened: a save sends only what differs.
        self._shown: dict[str, Any] = {}
        self.tabs = QTabWidget(self)
        self._build_tabs(self._build_paper_tab(), self._build_details_tab())
        self._lay_out(self._build_buttons())

        self.tracker.watch(
            self.title, self.facts, self.characterisation, self.responsibility, self.unit, self.category,
            self.discipline, self.severity, self.responsible_people, self.handler, self.assignee, self.disposition,
            self.four_form, self.status, self.found_on,
        )
        self.severity.set_choices(list(i18n.labels(Severity).items()))
        self.status.set_choices(list(i18n.labels(FindingStatus).items()))
        self.show_finding(None)

    def _build_paper_tab(self) -> QWidget:
        """底稿: the title, 现象, 定性 and 责任."""
        paper = QWidget(self)
        form = QFormLayout(paper)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title = QLineEdit(paper)
        self.title.setPlaceholderText(translate("WorkingPaperEditor", "一句话概括问题"))
        self.facts = _text_edit(paper, translate("WorkingPaperEditor", "时间、地点、事实经过、涉及金额和人员"), 90)
        self.characterisation = _text_edit(paper, translate("WorkingPaperEditor", "违反了哪项规定，属于什么性质的问题"), 60)
        self.responsibility = _text_edit(paper, translate("WorkingPaperEditor", "主体责任、监督责任、直接责任、领导责任"), 60)
        self._add_row(form, translate("WorkingPaperEditor", "问题标题(&T)："), self.title)
        self._add_row(form, translate("WorkingPaperEditor", "问题现象(&X)："), self.facts)
        self._add_row(form, translate("WorkingPaperEditor", "问题定性(&Q)："), self.characterisation)
        self._add_row(form, translate("WorkingPaperEditor", "责任认定(&R)："), self.responsibility)
        self.locked_hint = QLabel(translate("WorkingPaperEditor", "底稿已经组长审签，现象、定性和责任不能直接修改；如需修改请先退回。"), paper)
        self.locked_hint.setWordWrap(True)
        self.locked_hint.setStyleSheet("color:#7a4a00;")
        form.addRow(self.locked_hint)
        return paper

    def _build_details_tab(self) -> QWidget:
        """分类与处置: who and what the problem concerns and how it is handled."""
        details = QWidget(self)
        grid = QFormLayout(details)
        grid.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        unset = translate("WorkingPaperEditor", "（未选择）")
        self.unit = ChoiceCombo(details, blank=unset)
        self.category = ChoiceCombo(details, blank=unset)
        self.discipline = ChoiceCombo(details, blank=unset)
        self.severity = ChoiceCombo(details)
        self.responsible_people = QLineEdit(details)
        self.responsible_people.setPlaceholderText(translate("WorkingPaperEditor", "姓名，多人用顿号分隔"))
        self.handler = ChoiceCombo(details, blank=unset)
        self.assignee = ChoiceCombo(details, blank=unset)
        self.disposition = ChoiceCombo(details, blank=unset)
        self.four_form = ChoiceCombo(details, blank=unset)
        self.status = ChoiceCombo(details)
        self.found_on = optional_date_edit(details, translate("WorkingPaperEditor", "未填写"))
        # A problem cannot be found tomorrow (the service refuses it too).
        self.found_on.setMaximumDate(QDate.currentDate())
        self.source_label = QLabel(details)
        self.source_button = QPushButton(translate("WorkingPaperEditor", "查看来源记录"), details)
        self.source_button.clicked.connect(self._open_source)
        source_row = QHBoxLayout()
        source_row.addWidget(self.source_label, 1)
        source_row.addWidget(self.source_button)
        self._add_row(grid, translate("WorkingPaperEditor", "责任单位(&U)："), self.unit)
        self._add_row(grid, translate("WorkingPaperEditor", "问题类别(&C)："), self.category)
        self._add_row(grid, translate("WorkingPaperEditor", "违反纪律(&J)："), self.discipline)
        self._add_row(grid, translate("WorkingPaperEditor", "严重程度："), self.severity)
        self._add_row(grid, translate("WorkingPaperEditor", "责任人："), self.responsible_people)
        self._add_row(grid, translate("WorkingPaperEditor", "承办人："), self.handler)
        self._add_row(grid, translate("WorkingPaperEditor", "经办人："), self.assignee)
        self._add_row(grid, translate("WorkingPaperEditor", "处置方式："), self.disposition)
        self._add_row(grid, translate("WorkingPaperEditor", "四种形态："), self.four_form)
        self._add_row(grid, translate("WorkingPaperEditor", "办理状态："), self.status)
        self._add_row(grid, translate("WorkingPaperEditor", "发现日期："), self.found_on)
        grid.addRow(translate("WorkingPaperEditor", "问题来源："), source_row)
        return details

    def _build_tabs(self, paper: QWidget, details: QWidget) -> None:
        """The four tabs: the two built above, 证据材料 and 三审."""
        self.evidence = AttachmentsPanel("finding", self)
        self.evidence.error.connect(self.message.show_error)
        self.evidence.message.connect(lambda text: self.message.show_info(text))
        self.review = ReviewPanel(self)
        self.review.action_requested.connect(self._review_action)

        self.tabs.addTab(paper, translate("WorkingPaperEditor", "底稿"))
        self.tabs.addTab(details, translate("WorkingPaperEditor", "分类与处置"))
        self.tabs.addTab(self.evidence, translate("WorkingPaperEditor", "证据材料"))
        self.tabs.addTab(self.review, translate("WorkingPaperEditor", "三审"))

    def _build_buttons(self) -> QHBoxLayout:
        self.save_button = QPushButton(translate("WorkingPaperEditor", "保存底稿(&S)"), self)
        self.save_button.setToolTip(translate("WorkingPaperEditor", "保存（Ctrl+S）"))
        self.save_button.clicked.connect(lambda: self.save())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        return buttons

    def _lay_out(self, buttons: QHBoxLayout) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.unlisted_hint)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

    @staticmethod
    def _add_row(form: QFormLayout, text: str, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, field)

    # --- pickers --------------------------------------------------------------------------------
    def set_lookups(self, lookups: Lookups | None) -> None:
        self.lookups = lookups
        with self.tracker.quiet():
            if lookups is not None:
                self.unit.set_choices(lookups.units)
                self.category.set_choices(lookups.categories)
                self.discipline.set_choices(lookups.disciplines)
                self.four_form.set_choices(lookups.four_forms)
                self.disposition.set_choices(lookups.dispositions)
                team = [(str(m.id), m.name) for m in lookups.team]
                self.handler.set_choices(team)
                self.assignee.set_choices(team)
        self.show_finding(None)

    # --- showing --------------------------------------------------------------------------------
    @property
    def current_id(self) -> uuid.UUID | None:
        return self.current.id if self.current is not None else None

    def load(self, finding_id: Any) -> None:
        ctx = self.workspace.ctx
        if ctx is None:
            return
        service, lookups = FindingService(ctx), self.lookups

        def read() -> tuple[Any, list[Any], dict[str, str]]:
            finding = service.get(finding_id)
            return finding, service.review_history(finding_id), outside_labels(ctx, finding, lookups)

        self.tasks.run(read, lambda found: self.show_finding(*found), self.message.show_error, key="load")

    def show_finding(self, finding: Any | None, history: list[Any] | None = None,
                     outside: dict[str, str] | None = None) -> None:
        self.current = finding
        self._new_values = {}
        self._outside = outside or {}
        self.errors.clear()
        self.message.clear_message()
        with self.tracker.quiet():
            self._fill(finding)
        self._shown = self.values() if finding is not None else {}
        self.tracker.set_dirty(False)
        self.review.show_state(finding.review_state if finding else None, history or [])
        self._check_review_steps(finding)
        self.review.clear_comment()
        self.evidence.set_owner(self.workspace.ctx, finding.id if finding else None)
        self._apply_lock()
        self._update_heading()
        self.set_unlisted(False)
        self.shown.emit(finding)

    def set_unlisted(self, unlisted: bool) -> None:
        """Say (or stop saying) that the finding on the paper is not among the register's rows, so
        nobody takes it for the row they see selected, or for none."""
        if unlisted and self.current is not None:
            self.unlisted_hint.setText(translate(
                "WorkingPaperEditor", "问题 {number} 不在左侧台账当前的筛选结果中；这里的修改仍保存到问题 {number}。"
            ).format(number=self.current.number))
        self.unlisted_hint.setVisible(unlisted and self.current is not None)

    def _check_review_steps(self, finding: Any | None) -> None:
        """Which 三审 steps the user may take (role, post on the team, three different people): the
        others stay disabled, their tooltip saying who may."""
        ctx = self.workspace.ctx
        if finding is None or ctx is None:
            return
        self.review.allow(None)
        service = FindingService(ctx)
        self.tasks.run(lambda: service.review_steps(finding.id), self.review.allow, self.message.show_error,
                       key="review-steps")

    def start_new(self, values: dict[str, Any] | None = None) -> None:
        """A blank working paper, or one drafted from a record (提出问题)."""
        values = dict(values or {})
        self.current = None
        self._new_values = values
        self._outside = {}
        self._shown = {}
        self.errors.clear()
        self.message.clear_message()
        with self.tracker.quiet():
            self._fill(None)
            self.unit.set_key(str(values["unit_id"]) if values.get("unit_id") else None)
            self.title.setText(values.get("title") or "")
            self.facts.setPlainText(values.get("facts") or "")
            self.responsible_people.setText(values.get("responsible_people") or "")
            self.found_on.setDate(QDate.currentDate())
        self._show_source(values.get("source_kind"), values.get("source_id"))
        self.review.show_state(None, [])
        self.evidence.set_owner(None, None)
        self._apply_lock()
        # A prefilled paper is work not yet in the database.
        self.tracker.set_dirty(bool(values))
        self._update_heading()
        self.tabs.setCurrentIndex(0)
        self.title.setFocus()
        self.set_unlisted(False)
        self.shown.emit(None)

    def _fill(self, f: Any | None) -> None:
        outside = getattr(self, "_outside", {})
        other_unit = translate("WorkingPaperEditor", "（不属于本次巡察的单位）")
        not_on_team = translate("WorkingPaperEditor", "（不是本次巡察组成员）")
        self.title.setText(f.title if f else "")
        self.facts.setPlainText(f.facts if f else "")
        self.characterisation.setPlainText((f.characterisation or "") if f else "")
        self.responsibility.setPlainText((f.responsibility or "") if f else "")
        self.unit.set_key(str(f.unit_id) if f and f.unit_id else None, outside.get("unit_id"), note=other_unit)
        self.category.set_key(f.category_code if f else None)
        self.discipline.set_key(f.discipline_code if f else None)
        self.severity.set_key(f.severity if f else Severity.GENERAL.value)
        self.responsible_people.setText((f.responsible_people or "") if f else "")
        self.handler.set_key(str(f.handler_id) if f and f.handler_id else None, outside.get("handler_id"),
                             note=not_on_team)
        self.assignee.set_key(str(f.assignee_id) if f and f.assignee_id else None, outside.get("assignee_id"),
                              note=not_on_team)
        self.disposition.set_key(f.disposition_code if f else None)
        self.four_form.set_key(f.four_form if f else None)
        self.status.set_key(f.status if f else FindingStatus.OPEN.value)
        write_optional(self.found_on, f.found_on if f else None)
        self._show_source(f.source_kind if f else None, f.source_id if f else None)

    def _show_source(self, kind: str | None, source_id: Any) -> None:
        self._source = (kind, source_id)
        if kind and source_id:
            self.source_label.setText(i18n.label(SourceKind, kind))
        else:
            self.source_label.setText(translate("WorkingPaperEditor", "（无来源记录）"))
        self.source_button.setEnabled(bool(kind and source_id))

    def _open_source(self) -> None:
        kind, source_id = self._source
        if kind and source_id:
            self.workspace.open_record(kind, source_id)

    def _apply_lock(self) -> None:
        locked = self.current is not None and self.current.review_state == ReviewState.APPROVED
        self.title.setReadOnly(locked)
        for edit in (self.facts, self.characterisation, self.responsibility):
            edit.setReadOnly(locked)
        self.category.setEnabled(not locked)
        self.discipline.setEnabled(not locked)
        self.locked_hint.setVisible(locked)
        self.save_button.setEnabled(self.lookups is not None)
        self.tabs.setTabEnabled(2, self.current is not None)
        self.tabs.setTabEnabled(3, self.current is not None)

    def _update_heading(self) -> None:
        if self.current is None:
            text = translate("WorkingPaperEditor", "新问题底稿") if self.lookups else translate("WorkingPaperEditor", "问题底稿")
        else:
            text = translate("WorkingPaperEditor", "问题 {number}：{title}").format(number=self.current.number, title=self.current.title)
        if self.tracker.dirty:
            text += translate("WorkingPaperEditor", "（未保存）")
        self.heading.setText(text)

    # --- saving ---------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self.tracker.dirty

    def values(self) -> dict[str, Any]:
        def uid(key: Any) -> uuid.UUID | None:
            return as_uuid(key) if key else None

        values: dict[str, Any] = {
            "title": self.title.text(),
            "facts": self.facts.toPlainText(),
            "characterisation": self.characterisation.toPlainText(),
            "responsibility": self.responsibility.toPlainText(),
            "unit_id": uid(self.unit.key()),
            "category_code": self.category.key(),
            "discipline_code": self.discipline.key(),
            "severity": self.severity.key(),
            "responsible_people": self.responsible_people.text(),
            "handler_id": uid(self.handler.key()),
            "assignee_id": uid(self.assignee.key()),
            "disposition_code": self.disposition.key(),
            "four_form": self.four_form.key(),
            "status": self.status.key(),
            "found_on": read_optional(self.found_on),
        }
        if self.current is None:
            values["inspection_id"] = self._new_values.get("inspection_id") or (
                self.lookups.inspection_id if self.lookups else None
            )
            for key in ("source_kind", "source_id"):
                if self._new_values.get(key):
                    values[key] = self._new_values[key]
        return values

    def save(self, then: Callable[[], None] | None = None, on_fail: Callable[[], None] | None = None) -> None:
        if self.lookups is None or self._saving or self.workspace.ctx is None:
            return
        service, values, current_id = FindingService(self.workspace.ctx), self.values(), self.current_id
        if current_id is not None:
            values = changed_values(values, self._shown)
            if not values:
                self.tracker.set_dirty(False)
                self.message.show_info(translate("WorkingPaperEditor", "没有需要保存的修改。"))
                if then is not None:
                    then()
                return
        revision = self.tracker.revision
        self._saving = True
        self.save_button.setEnabled(False)

        # The stored values the form was filled from, for the fields it writes: the save is refused
        # rather than overwrite a change someone else saved since (another workstation on the server).
        loaded = self.current
        expected = ({name: getattr(loaded, name) for name in values if hasattr(loaded, name)}
                    if current_id is not None and loaded is not None else None)

        def write() -> Any:
            finding = (service.create(**values) if current_id is None
                       else service.update(current_id, expected=expected, **values))
            return finding, service.review_history(finding.id)

        def done(pair: tuple[Any, list[Any]]) -> None:
            self._saving = False
            finding, history = pair
            still_typing = self.tracker.revision != revision
            if still_typing:
                self.current = finding
                self._shown = {**self._shown, **values}
                self._update_heading()
            else:
                self.show_finding(finding, history, self._outside)
            self.save_button.setEnabled(True)
            self.message.show_info(translate("WorkingPaperEditor", "底稿已保存。"))
            self.workspace.announce(FINDING)
            self.saved.emit(finding)
            if then is not None:
                then()

        def failed(message: str) -> None:
            self._saving = False
            self.save_button.setEnabled(True)
            widget = self.field_widget(getattr(message, "field", None))
            if widget is not None:
                self.tabs.setCurrentIndex(0 if widget.parent() is self.title.parent() else 1)
            self.errors.show(message, widget)
            if on_fail is not None:
                on_fail()

        self.tasks.run(write, done, failed)

    def field_widget(self, field: str | None) -> QWidget | None:
        names = {"title": self.title, "facts": self.facts, "characterisation": self.characterisation,
                 "responsibility": self.responsibility, "unit_id": self.unit, "category_code": self.category,
                 "discipline_code": self.discipline, "severity": self.severity,
                 "responsible_people": self.responsible_people, "handler_id": self.handler,
                 "assignee_id": self.assignee, "disposition_code": self.disposition, "four_form": self.four_form,
                 "status": self.status, "found_on": self.found_on}
        return names.get(field or "")

    def request_leave(self, then: Callable[[], None], on_cancel: Callable[[], None] | None = None) -> None:
        if not self.tracker.dirty:
            then()
            return
        answer = dialogs.ask_unsaved(self, self.heading.text().replace(translate("WorkingPaperEditor", "（未保存）"), ""))
        if answer is Unsaved.SAVE:
            self.save(then=then, on_fail=on_cancel)
        elif answer is Unsaved.DISCARD:
            self.tracker.set_dirty(False)
            then()
        elif on_cancel is not None:
            on_cancel()

    # --- 三审 -----------------------------------------------------------------------------------
    def _review_action(self, action: str, comment: str) -> None:
        if self.current is None:
            return
        if self.tracker.dirty:
            # The reviewer signs what is in the database: save the edits first.
            self.save(then=lambda: self._review_action(action, comment))
            return
        service, finding_id = FindingService(self.workspace.context()), self.current.id
        steps = {
            "submit": lambda: service.submit(finding_id, comment or None),
            "approve": lambda: service.approve(finding_id, comment or None),
            "send_back": lambda: service.send_back(finding_id, comment),
        }
        step = steps[action]

        def run() -> tuple[Any, list[Any]]:
            finding = step()
            return service.get(finding.id), service.review_history(finding.id)

        def done(pair: tuple[Any, list[Any]]) -> None:
            finding, history = pair
            self.show_finding(finding, history, self._outside)
            self.message.show_info(
                translate("WorkingPaperEditor", "已{action}，当前为「{state}」。").format(
                    action=self._action_text(action), state=i18n.label(ReviewState, finding.review_state)
                )
            )
            self.workspace.announce(FINDING)
            self.reviewed.emit(finding)

        self.tasks.run(run, done, self.message.show_error)

    @staticmethod
    def _action_text(action: str) -> str:
        return {"submit": translate("WorkingPaperEditor", "提交审核"), "approve": translate("WorkingPaperEditor", "审核通过"), "send_back": translate("WorkingPaperEditor", "退回")}[action]

    def focus_editor(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)


def outside_labels(ctx: Any, finding: Any, lookups: Lookups | None) -> dict[str, str]:
    """Names for the finding's stored unit and team members that this inspection's pickers lack
    (read in the worker that loads the finding)."""
    labels: dict[str, str] = {}
    units = {c.key for c in lookups.units} if lookups else set()
    if finding.unit_id is not None and str(finding.unit_id) not in units:
        # A unit missing here (not yet synced) shows its id instead.
        with contextlib.suppress(ServiceError):
            labels["unit_id"] = UnitService(ctx).get(finding.unit_id, include_deleted=True).name
    team = {str(m.id) for m in lookups.team} if lookups else set()
    for name in ("handler_id", "assignee_id"):
        value = getattr(finding, name)
        if value is None or str(value) in team:
            continue
        known = lookups.inspector_name(value) if lookups else ""
        if not known:
            with contextlib.suppress(ServiceError):
                known = InspectorService(ctx).get(value, include_deleted=True).name
        if known:
            labels[name] = known
    return labels
