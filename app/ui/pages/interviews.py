"""谈话记录: fast entry of a 谈话笔录, with 六必问/四必谈 coverage in view.

The transcript is typed for hours at a stretch on a laptop that may lose power, so every edit is
written to a local draft journal within a second or so (off the UI thread, one writer, in order),
and an interview already in the database is saved to it again a few seconds after typing pauses.
A draft left behind by a crash is offered back the next time the inspection is opened.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import InterviewKind
from app.services import checklists
from app.services.fieldwork import InterviewService

from .. import i18n
from ..draft_journal import DraftJournal
from ..i18n import translate
from ..lookups import Lookups
from ..models.record_table import Column, format_local
from ..tasks import TaskRunner
from ..widgets.choice_combo import ChoiceCombo
from ..widgets.form_fields import (
    Check,
    CheckGroup,
    Checks,
    Choice,
    FormField,
    Line,
    Member,
    Members,
    Notes,
    Person,
    When,
    buddy_label,
)
from ..widgets.record_page import RecordPage
from ..workspace import CHECKLIST, INTERVIEW

# The journal is written this long after an edit, at the latest (and never more often).
JOURNAL_DELAY_MS = 800
# An interview already in the database is saved again after typing pauses this long.
AUTOSAVE_DELAY_MS = 8000
DRAFT_PREFIX = "interview-"
# A draft's older names for some fields (drafts written before the fields were declared once).
_DRAFT_NAMES = {"person_id": "interviewee_person_id", "post": "interviewee_post", "interviewers": "interviewer_ids",
                "recorder": "recorder_id", "signed": "signed_by_interviewee", "topics": "topics_asked"}


def _as_json(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


class InterviewsPage(RecordPage):
    kind = INTERVIEW
    # Made by declare_fields.
    interviewee: QComboBox
    post: QLineEdit
    talk_category: ChoiceCombo
    signed: QCheckBox
    topics_box: CheckGroup
    summary: QPlainTextEdit
    transcript: QPlainTextEdit

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.journal: DraftJournal | None = None
        self._draft_key = ""
        self._drafts: list[tuple[str, float, dict[str, Any]]] = []
        super().__init__(*args, **kwargs)
        self.heading.setText(translate("MainWindow", "谈话记录"))
        # One writer thread: journal writes land on disk in the order they were made.
        self._journal_pool = QThreadPool(self)
        self._journal_pool.setMaxThreadCount(1)
        self.journal_tasks = TaskRunner(self, pool=self._journal_pool)
        self._journal_timer = QTimer(self)
        self._journal_timer.setSingleShot(True)
        self._journal_timer.setInterval(JOURNAL_DELAY_MS)
        self._journal_timer.timeout.connect(self.write_journal)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self._autosave_timer.timeout.connect(self._autosave)
        self.tracker.edited.connect(self._edited)

    @property
    def noun(self) -> str:  # type: ignore[override]
        return translate("InterviewsPage", "谈话记录")

    def service(self) -> InterviewService:
        return InterviewService(self.workspace.context())

    def list_columns(self) -> list[Column]:
        kinds = i18n.labels(InterviewKind)
        return [
            (translate("InterviewsPage", "谈话时间"), lambda r: r.start_at),
            (translate("InterviewsPage", "谈话对象"), lambda r: r.interviewee_name),
            (translate("InterviewsPage", "职务"), lambda r: r.interviewee_post or ""),
            (translate("InterviewsPage", "类型"), lambda r: kinds.get(r.kind, r.kind)),
            (translate("InterviewsPage", "必问"), lambda r: len(r.topics_asked or [])),
            (translate("InterviewsPage", "已签字"), lambda r: r.signed_by_interviewee),
        ]

    # --- the form -------------------------------------------------------------------------------
    def declare_fields(self) -> list[FormField]:
        # 分类座谈 has a record of its own now (会议与测评); old interviews of that kind still show it.
        kinds = [(k, v) for k, v in i18n.labels(InterviewKind).items() if k != InterviewKind.GROUP]
        return [
            Person("interviewee_name", translate("InterviewsPage", "谈话对象(&W)："), attr="interviewee",
                   id_field="interviewee_person_id",
                   placeholder=translate("InterviewsPage", "从单位人员中选择，或直接输入姓名")),
            Line("interviewee_post", translate("InterviewsPage", "职务："), attr="post"),
            Choice("kind", translate("InterviewsPage", "谈话类型(&Y)："), attr="kind_combo", choices=kinds,
                   default=InterviewKind.INDIVIDUAL.value, outside_text=lambda kind: i18n.label(InterviewKind, kind),
                   outside_note=translate("InterviewsPage", "（旧记录的类型；新的座谈请在“会议与测评”中登记）")),
            Choice("talk_category", translate("InterviewsPage", "四必谈类别："),
                   unset=translate("InterviewsPage", "（不属于四必谈）"), from_lookups=lambda lookups: lookups.must_talk),
            Members("interviewer_ids", translate("InterviewsPage", "谈话人(&P)："), attr="interviewers"),
            Member("recorder_id", translate("InterviewsPage", "记录人："), attr="recorder",
                   unset=translate("InterviewsPage", "（未指定）")),
            When("start_at", translate("InterviewsPage", "开始时间(&T)：")),
            When("end_at", translate("InterviewsPage", "结束时间："), or_else="start_at"),
            Line("place", translate("InterviewsPage", "谈话地点(&L)："),
                 placeholder=translate("InterviewsPage", "例如：巡察组谈话室")),
            Check("signed_by_interviewee", translate("InterviewsPage", "谈话对象已签字确认笔录"), attr="signed"),
            # Beside the form (editor_body): the 六必问 covered, the summary and the transcript.
            Checks("topics_asked", translate("InterviewsPage", "六必问：本次问到的事项"), attr="topics_box",
                   in_form=False, from_lookups=lambda lookups: lookups.must_ask),
            Notes("summary", translate("InterviewsPage", "谈话摘要(&M)："), in_form=False,
                  placeholder=translate("InterviewsPage", "谈话要点，一两句话"), height=44, max_height=64),
            Notes("transcript", translate("InterviewsPage", "谈话笔录(&B)："), in_form=False, height=160,
                  tab_moves_on=False, placeholder=translate(
                      "InterviewsPage", "问：……\n答：……\n\n（随打随存：每次修改都会先写入本机草稿，断电也不会丢失。）")),
        ]

    def build_form(self, form: QFormLayout) -> None:
        super().build_form(form)
        self.interviewee.activated.connect(self._person_chosen)

    @property
    def topic_boxes(self) -> dict[str, QCheckBox]:
        return self.topics_box.boxes

    def editor_body(self) -> QWidget:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(self.form)
        left_layout.addWidget(self.attachments_box)
        left_layout.addStretch(1)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.topics_box)
        declared = {f.name: f for f in self.form_fields}
        right_layout.addWidget(buddy_label(declared["summary"], self.summary, right))
        right_layout.addWidget(self.summary)
        transcript_row = QHBoxLayout()
        transcript_row.addWidget(buddy_label(declared["transcript"], self.transcript, right))
        self.autosave_label = QLabel(self)
        self.autosave_label.setObjectName("hint")
        transcript_row.addStretch(1)
        transcript_row.addWidget(self.autosave_label)
        right_layout.addLayout(transcript_row)
        right_layout.addWidget(self.transcript, 1)
        self.editor_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.editor_splitter.addWidget(left)
        self.editor_splitter.addWidget(right)
        self.editor_splitter.setStretchFactor(0, 2)
        self.editor_splitter.setStretchFactor(1, 3)
        self.editor_splitter.setChildrenCollapsible(False)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.draft_bar = QWidget(body)
        bar = QHBoxLayout(self.draft_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.draft_label = QLabel(self.draft_bar)
        self.draft_label.setWordWrap(True)
        self.draft_label.setStyleSheet("color:#7a4a00;")
        self.restore_button = QPushButton(translate("InterviewsPage", "恢复草稿(&R)"), self.draft_bar)
        self.drop_draft_button = QPushButton(translate("InterviewsPage", "丢弃草稿"), self.draft_bar)
        self.restore_button.clicked.connect(self.restore_draft)
        self.drop_draft_button.clicked.connect(self.drop_draft)
        bar.addWidget(self.draft_label, 1)
        bar.addWidget(self.restore_button)
        bar.addWidget(self.drop_draft_button)
        self.draft_bar.setVisible(False)
        self.coverage_label = QLabel(body)
        self.coverage_label.setWordWrap(True)
        self.coverage_label.setObjectName("coverage")
        layout.addWidget(self.draft_bar)
        layout.addWidget(self.coverage_label)
        layout.addWidget(self.editor_splitter, 1)
        return body

    def on_lookups(self, lookups: Lookups) -> None:
        super().on_lookups(lookups)
        # The topic boxes are made after the rest of the form: put them back in reading order.
        chain = [self.signed, *self.topic_boxes.values(), self.summary, self.transcript, self.raise_button,
                 self.delete_button, self.save_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        if self.workspace.ctx is not None:
            self.journal = DraftJournal.for_database(self.workspace.ctx.db)
        self.refresh_coverage()
        QTimer.singleShot(0, self, self.offer_drafts)

    def _person_chosen(self, index: int) -> None:
        # A person chosen brings their post, and their 四必谈 category unless one is chosen already.
        key = self.interviewee.itemData(index)
        person = next((p for p in self.lookups.people if str(p.id) == key), None) if self.lookups else None
        if person is None:
            return
        self.post.setText(person.post)
        if person.talk_category and self.talk_category.key() is None:
            self.talk_category.set_key(person.talk_category)

    def describe(self, record: Any) -> str:
        return translate("InterviewsPage", "谈话记录：{name}（{time}）").format(name=record.interviewee_name, time=format_local(record.start_at))

    def focus_first_field(self) -> None:
        self.interviewee.setFocus()

    # --- form state (also what the journal keeps) -----------------------------------------------
    def form_state(self) -> dict[str, Any]:
        """The form as the journal keeps it: its values by service field, as JSON."""
        state = {name: _as_json(value) for name, value in self.form_values().items()}
        state["record_id"] = str(self.current_id) if self.current_id else None
        state["inspection_id"] = str(self.lookups.inspection_id) if self.lookups else None
        return state

    def apply_state(self, state: dict[str, Any]) -> None:
        """Show a draft from the journal (one written before 2026-12 names some fields otherwise)."""
        source = {_DRAFT_NAMES.get(name, name): value for name, value in state.items()}
        for f in self.form_fields:
            f.fill(getattr(self, f.attr), source, self.lookups)

    def fill_form(self, record: Any | None) -> None:
        super().fill_form(record)
        self._draft_key = f"{DRAFT_PREFIX}{record.id}" if record is not None else f"{DRAFT_PREFIX}new-{uuid.uuid4().hex}"
        self.autosave_label.setText("")

    # --- the journal and autosave ---------------------------------------------------------------
    def _edited(self) -> None:
        if not self._journal_timer.isActive():
            self._journal_timer.start()
        if self.current_id is not None:
            self._autosave_timer.start()

    def write_journal(self) -> None:
        """Put the form on disk now (normally driven by a timer after each edit)."""
        self._journal_timer.stop()
        if self.journal is None or not self.tracker.dirty or self.lookups is None:
            return
        journal, key, state = self.journal, self._draft_key, self.form_state()
        state["label"] = self._draft_label(state)
        self.journal_tasks.run(lambda: journal.save(key, state), lambda _r: None, self.message.show_error)

    def _draft_label(self, state: dict[str, Any]) -> str:
        who = state.get("interviewee_name") or translate("InterviewsPage", "（未填谈话对象）")
        return translate("InterviewsPage", "与{who}的谈话").format(who=who)

    def _autosave(self) -> None:
        if self.current_id is not None and self.tracker.dirty and not self._saving:
            self.save(quiet=True)

    def after_save(self, record: Any, revision: int) -> None:
        self._autosave_timer.stop()
        old_key, self._draft_key = self._draft_key, f"{DRAFT_PREFIX}{record.id}"
        journal = self.journal
        if journal is None:
            return
        if self.tracker.revision == revision:
            self._journal_timer.stop()
            new_key = self._draft_key
            def discard() -> None:
                journal.discard(old_key)
                journal.discard(new_key)

            self.journal_tasks.run(discard, lambda _r: None)
        else:
            # Typing went on during the save: the draft moves to the record's key and stays.
            self.journal_tasks.run(lambda: journal.discard(old_key), lambda _r: self.write_journal())
        self.autosave_label.setText(translate("InterviewsPage", "已保存 {time}").format(time=dt.datetime.now().strftime("%H:%M:%S")))
        self.workspace.announce(CHECKLIST)

    def discard_edits(self) -> None:
        super().discard_edits()
        self._journal_timer.stop()
        self._autosave_timer.stop()
        if self.journal is not None:
            journal, key = self.journal, self._draft_key
            self.journal_tasks.run(lambda: journal.discard(key), lambda _r: None)

    # --- drafts left behind ---------------------------------------------------------------------
    def offer_drafts(self) -> None:
        if self.journal is None or self.lookups is None:
            return
        journal, inspection = self.journal, str(self.lookups.inspection_id)

        def show(entries: list[tuple[str, float, dict[str, Any]]]) -> None:
            self._drafts = [e for e in entries if e[2].get("inspection_id") == inspection]
            self._show_draft_bar()

        self.journal_tasks.run(lambda: journal.entries(DRAFT_PREFIX), show, self.message.show_error)

    def _show_draft_bar(self) -> None:
        if not self._drafts:
            self.draft_bar.setVisible(False)
            return
        key, saved_at, data = self._drafts[0]
        when = dt.datetime.fromtimestamp(saved_at).strftime("%Y-%m-%d %H:%M")
        text = translate("InterviewsPage", "发现上次未保存的草稿：{label}（{when}）。").format(label=data.get("label", ""), when=when)
        if len(self._drafts) > 1:
            text += translate("InterviewsPage", "另有 {n} 份草稿。").format(n=len(self._drafts) - 1)
        self.draft_label.setText(text)
        self.draft_bar.setVisible(True)

    def restore_draft(self) -> None:
        if not self._drafts:
            return

        def go() -> None:
            key, _saved_at, data = self._drafts.pop(0)
            self._show_draft_bar()
            record_id = data.get("record_id")
            if record_id:
                service = self.service()
                self.tasks.run(lambda: service.get(record_id), lambda record: self._apply_draft(record, key, data),
                               self.message.show_error)
            else:
                self._apply_draft(None, key, data)

        self.request_leave(go)

    def _apply_draft(self, record: Any | None, key: str, data: dict[str, Any]) -> None:
        self._show_editor(record)
        self._draft_key = key
        with self.tracker.quiet():
            self.apply_state(data)
        self.tracker.revision += 1
        self.tracker.set_dirty(True)
        self.message.show_warning(translate("InterviewsPage", "已恢复草稿，请核对后保存。"))

    def drop_draft(self) -> None:
        if not self._drafts or self.journal is None:
            return
        key, _saved_at, _data = self._drafts.pop(0)
        journal = self.journal
        self.journal_tasks.run(lambda: journal.discard(key), lambda _r: None)
        self._show_draft_bar()

    # --- coverage -------------------------------------------------------------------------------
    def on_workspace_changed(self, kinds: frozenset[str]) -> None:
        super().on_workspace_changed(kinds)
        if kinds & {INTERVIEW, CHECKLIST}:
            self.refresh_coverage()

    def refresh_coverage(self) -> None:
        if self.lookups is None or self.workspace.ctx is None:
            return
        ctx, inspection_id = self.workspace.ctx, self.lookups.inspection_id
        self.tasks.run(lambda: checklists.coverage(ctx, inspection_id), self._show_coverage,
                       self.message.show_error, key="coverage")

    def _show_coverage(self, cover: checklists.Coverage) -> None:
        self.coverage = cover
        ask = [e.title for e in cover.must_ask if not e.covered]
        talk = []
        for e in cover.must_talk:
            if not e.covered:
                who = "、".join(e.missing_people[:3]) + (translate("InterviewsPage", "等") if len(e.missing_people) > 3 else "")
                talk.append(f"{e.title}（{who}）" if who else e.title)
        parts = [
            translate("InterviewsPage", "六必问未问到：{items}").format(items="、".join(ask)) if ask else translate("InterviewsPage", "六必问已全部问到"),
            translate("InterviewsPage", "四必谈尚缺：{items}").format(items="；".join(talk)) if talk else translate("InterviewsPage", "四必谈已全部谈到"),
        ]
        self.coverage_label.setText("　｜　".join(parts))
