"""会议与测评: the team's collective records, one tab each — 听取汇报, 分类座谈 (attendance and notes),
民主测评/问卷调查 (results per item and grade) and the 见面会/反馈会.

Each tab is a RecordPage (list on the left, editor on the right, attachments for the scanned
ballots, sign-in sheets and minutes); the page around them forwards what the main window asks of a
page (the inspection, unsaved edits, Ctrl+S/Ctrl+N, opening a record found by search).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import GroupTalkCategory, MeetingKind, SurveyKind
from app.services.fieldwork import BriefingService, GroupTalkService, MeetingService, SurveyService
from app.services.meetings import DEFAULT_SCALES, favourable_rate

from .. import i18n
from ..i18n import translate
from ..lookups import Lookups
from ..models.record_table import Column
from ..page import PageHooks
from ..widgets.choice_combo import ChoiceCombo
from ..widgets.form_fields import (
    Choice,
    Composite,
    Count,
    FormField,
    Grades,
    Line,
    Lines,
    Members,
    Notes,
    Person,
    Unit,
    When,
    lines_of,
    put_beside,
)
from ..widgets.look import apply_looks
from ..widgets.record_page import RecordPage
from ..workspace import BRIEFING, GROUP_TALK, MEETING, SURVEY, Workspace

MEETING_KINDS = (BRIEFING, GROUP_TALK, SURVEY, MEETING)


def _excerpt(text: str | None, n: int = 30) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= n else text[:n] + "…"


def _unit_of(lookups: Lookups | None, unit_id: Any) -> str:
    if lookups is None or unit_id is None:
        return ""
    return lookups.text_of(lookups.units, str(unit_id))


class _CollectiveRecordPage(RecordPage):
    raises_findings = False
    unit: ChoiceCombo  # made by each page's declare_fields


# --- 听取汇报 ------------------------------------------------------------------------------------
class BriefingsPage(_CollectiveRecordPage):
    kind = BRIEFING
    # Made by declare_fields.
    reporter: QComboBox
    post: QLineEdit

    @property
    def noun(self) -> str:  # type: ignore[override]
        return translate("MeetingsPage", "听取汇报记录")

    def service(self) -> BriefingService:
        return BriefingService(self.workspace.context())

    def list_columns(self) -> list[Column]:
        return [
            (translate("MeetingsPage", "汇报时间"), lambda r: r.held_at),
            (translate("MeetingsPage", "汇报人"), lambda r: r.reporter_name),
            (translate("MeetingsPage", "职务"), lambda r: r.reporter_post or ""),
            (translate("MeetingsPage", "汇报单位"), lambda r: _unit_of(self.lookups, r.unit_id)),
            (translate("MeetingsPage", "主要内容"), lambda r: _excerpt(r.content)),
        ]

    def declare_fields(self) -> list[FormField]:
        return [
            When("held_at", translate("MeetingsPage", "汇报时间(&T)：")),
            Line("place", translate("MeetingsPage", "地点："), placeholder=translate("MeetingsPage", "例如：机关三楼会议室")),
            Person("reporter_name", translate("MeetingsPage", "汇报人(&R)："), attr="reporter",
                   placeholder=translate("MeetingsPage", "从单位人员中选择，或直接输入姓名")),
            Line("reporter_post", translate("MeetingsPage", "汇报人职务："), attr="post"),
            Unit("unit_id", translate("MeetingsPage", "汇报单位："), attr="unit", unset=translate("MeetingsPage", "（未指明）")),
            Members("listener_ids", translate("MeetingsPage", "听取汇报的巡察干部(&P)："), attr="listeners"),
            Notes("content", translate("MeetingsPage", "汇报主要内容(&C)："), placeholder=translate(
                "MeetingsPage", "汇报的主要内容：贯彻落实决策部署、全面从严治党、班子建设、上轮巡察整改等"), height=120),
            Notes("concerns", translate("MeetingsPage", "需关注的问题："),
                  placeholder=translate("MeetingsPage", "汇报中需要核实或深入了解的情况"), height=60),
        ]

    def build_form(self, form: QFormLayout) -> None:
        super().build_form(form)
        self.reporter.activated.connect(self._reporter_chosen)

    def _reporter_chosen(self, index: int) -> None:
        # The person's post and unit come along; the name alone is kept (the list shows it with the post).
        person = next((p for p in self.lookups.people if str(p.id) == self.reporter.itemData(index)), None) \
            if self.lookups else None
        if person is not None:
            self.reporter.setEditText(person.name)
            self.post.setText(person.post)
            self.unit.set_key(str(person.unit_id))

    def describe(self, record: Any) -> str:
        return translate("MeetingsPage", "听取汇报：{name}").format(name=record.reporter_name)

    def focus_first_field(self) -> None:
        self.reporter.setFocus()


# --- 分类座谈 ------------------------------------------------------------------------------------
class GroupTalksPage(_CollectiveRecordPage):
    kind = GROUP_TALK
    # Made by declare_fields.
    category: ChoiceCombo
    invited: QSpinBox
    attendees: QPlainTextEdit

    @property
    def noun(self) -> str:  # type: ignore[override]
        return translate("MeetingsPage", "分类座谈记录")

    def service(self) -> GroupTalkService:
        return GroupTalkService(self.workspace.context())

    def list_columns(self) -> list[Column]:
        categories = i18n.labels(GroupTalkCategory)
        return [
            (translate("MeetingsPage", "座谈时间"), lambda r: r.held_at),
            (translate("MeetingsPage", "座谈对象"), lambda r: categories.get(r.category, r.category)),
            (translate("MeetingsPage", "应到/实到"),
             lambda r: f"{r.invited_count if r.invited_count is not None else '—'}/{len(r.attendees or [])}"),
            (translate("MeetingsPage", "主持"), lambda r: self.lookups.names_of(r.host_ids) if self.lookups else ""),
            (translate("MeetingsPage", "座谈记录"), lambda r: _excerpt(r.notes)),
        ]

    def declare_fields(self) -> list[FormField]:
        return [
            When("held_at", translate("MeetingsPage", "座谈时间(&T)：")),
            Line("place", translate("MeetingsPage", "座谈地点：")),
            Choice("category", translate("MeetingsPage", "座谈对象(&K)："),
                   choices=list(i18n.labels(GroupTalkCategory).items()), default=GroupTalkCategory.MIDDLE_CADRES.value),
            Unit("unit_id", translate("MeetingsPage", "单位："), attr="unit", unset=translate("MeetingsPage", "（未指明）")),
            Members("host_ids", translate("MeetingsPage", "主持座谈(&P)："), attr="hosts"),
            Count("invited_count", translate("MeetingsPage", "应到人数："), attr="invited",
                  unset=translate("MeetingsPage", "未填写")),
            Lines("attendees", translate("MeetingsPage", "到会人员(&A)："),
                  placeholder=translate("MeetingsPage", "到会人员，每行一人，如：王某某（办公室主任）"), height=90),
            Notes("notes", translate("MeetingsPage", "座谈记录(&C)："),
                  placeholder=translate("MeetingsPage", "座谈中反映的主要情况和问题"), height=130),
        ]

    def build_form(self, form: QFormLayout) -> None:
        super().build_form(form)
        # 实到 is counted from the lines of 到会人员, beside 应到.
        self.present_label = QLabel(self)
        self.present_label.setObjectName("hint")
        put_beside(form, self.invited, self.present_label)
        self.attendees.textChanged.connect(self._count_present)

    def _count_present(self) -> None:
        present = set(lines_of(self.attendees.toPlainText()))
        self.present_label.setText(translate("MeetingsPage", "实到 {n} 人").format(n=len(present)))

    def describe(self, record: Any) -> str:
        return translate("MeetingsPage", "分类座谈：{who}").format(who=i18n.label(GroupTalkCategory, record.category))

    def fill_form(self, record: Any | None) -> None:
        super().fill_form(record)
        self._count_present()

    def focus_first_field(self) -> None:
        self.category.setFocus()


# --- 民主测评 / 问卷 -----------------------------------------------------------------------------
class SurveyResults(QWidget):
    """The ballots per item and grade, with each item's share of 好 and 较好 (or 满意 and 基本满意)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, grades: Callable[[], list[str]] = list) -> None:
        super().__init__(parent)
        # The grades of the survey shown (its 评价等次 field): a record's ballots are laid out in them.
        self._grades = grades
        self.scale: list[str] = []
        self.valid = 0
        self._filling = False
        self.table = QTableWidget(0, 0, self)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(150)
        self.table.itemChanged.connect(self._item_changed)
        self.add_button = QPushButton(translate("MeetingsPage", "添加测评项目"), self)
        self.remove_button = QPushButton(translate("MeetingsPage", "删除所选项目"), self)
        self.add_button.clicked.connect(self.add_item)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def set_scale(self, scale: list[str]) -> None:
        rows = self.rows(strict=False)
        self.scale = list(scale)
        self._show(rows)

    def set_rows(self, scale: list[str], rows: list[dict[str, Any]], valid: int) -> None:
        self.scale, self.valid = list(scale), valid
        self._show(rows)

    def set_value(self, rows: list[dict[str, Any]] | None) -> None:
        """Show a record's ballots (None: a new survey's one item, no votes yet)."""
        scale = self._grades()
        if rows is None:
            rows = [{"item": translate("MeetingsPage", "领导班子总体评价"), "counts": [0] * len(scale)}]
        self.set_rows(scale, list(rows), self.valid)

    def value(self) -> list[dict[str, Any]]:
        return self.rows()

    def set_valid(self, valid: int) -> None:
        self.valid = valid
        self._rates()

    def _show(self, rows: list[dict[str, Any]]) -> None:
        self._filling = True
        headers = [translate("MeetingsPage", "测评项目"), *self.scale, translate("MeetingsPage", "好评率")]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(str(row.get("item", ""))))
            counts = list(row.get("counts") or [])
            for c in range(len(self.scale)):
                value = counts[c] if c < len(counts) else ""
                cell = QTableWidgetItem(str(value))
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c + 1, cell)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(headers)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self._filling = False
        self._rates()

    def _rates(self) -> None:
        self._filling = True
        rate_column = len(self.scale) + 1
        for r in range(self.table.rowCount()):
            counts = [self._int(r, c + 1) or 0 for c in range(len(self.scale))]
            rate = favourable_rate(counts, self.valid)
            cell = QTableWidgetItem("—" if rate is None else f"{rate:.1%}")
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, rate_column, cell)
        self._filling = False

    def _int(self, row: int, column: int) -> int | None:
        item = self.table.item(row, column)
        text = (item.text() if item else "").strip()
        try:
            return int(text) if text else None
        except ValueError:
            return None

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        if item.column() != len(self.scale) + 1:
            self._rates()
            self.changed.emit()

    def add_item(self) -> None:
        rows = self.rows(strict=False)
        rows.append({"item": translate("MeetingsPage", "新测评项目"), "counts": [0] * len(self.scale)})
        self._show(rows)
        self.table.setCurrentCell(len(rows) - 1, 0)
        added = self.table.item(len(rows) - 1, 0)
        if added is not None:
            self.table.editItem(added)
        self.changed.emit()

    def remove_selected(self) -> None:
        chosen = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not chosen:
            return
        for row in chosen:
            self.table.removeRow(row)
        self.changed.emit()

    def rows(self, *, strict: bool = True) -> list[dict[str, Any]]:
        """The table as the service takes it; with `strict`, a count that is not a number is refused."""
        rows = []
        for r in range(self.table.rowCount()):
            name_item = self.table.item(r, 0)
            name = name_item.text().strip() if name_item else ""
            counts = []
            for c in range(len(self.scale)):
                value = self._int(r, c + 1)
                if value is None:
                    item = self.table.item(r, c + 1)
                    if strict and item is not None and item.text().strip():
                        error = ValueError(translate("MeetingsPage", "“{item}”的“{grade}”票数应为整数。").format(
                            item=name, grade=self.scale[c]))
                        error.field = "results"  # type: ignore[attr-defined]
                        raise error
                    value = 0
                counts.append(value)
            if name or any(counts):
                rows.append({"item": name, "counts": counts})
        return rows


class SurveysPage(_CollectiveRecordPage):
    kind = SURVEY
    # Made by declare_fields.
    survey_kind: ChoiceCombo
    title: QLineEdit
    valid: QSpinBox
    scale: QLineEdit
    results: SurveyResults

    @property
    def noun(self) -> str:  # type: ignore[override]
        return translate("MeetingsPage", "民主测评（问卷）记录")

    def service(self) -> SurveyService:
        return SurveyService(self.workspace.context())

    def list_columns(self) -> list[Column]:
        kinds = i18n.labels(SurveyKind)
        return [
            (translate("MeetingsPage", "测评时间"), lambda r: r.held_at),
            (translate("MeetingsPage", "类型"), lambda r: kinds.get(r.kind, r.kind)),
            (translate("MeetingsPage", "名称"), lambda r: r.title),
            (translate("MeetingsPage", "发放/收回/有效"), lambda r: f"{r.distributed}/{r.returned}/{r.valid}"),
            (translate("MeetingsPage", "首项好评率"), self._first_rate),
        ]

    @staticmethod
    def _first_rate(r: Any) -> str:
        if not r.results:
            return ""
        rate = favourable_rate(r.results[0]["counts"], r.valid)
        return "" if rate is None else f"{rate:.1%}"

    def declare_fields(self) -> list[FormField]:
        unset = translate("MeetingsPage", "（未指明）")
        return [
            Choice("kind", translate("MeetingsPage", "类型(&K)："), attr="survey_kind",
                   choices=list(i18n.labels(SurveyKind).items()), default=SurveyKind.DEMOCRATIC_EVALUATION.value),
            Line("title", translate("MeetingsPage", "名称(&T)："),
                 placeholder=translate("MeetingsPage", "例如：领导班子和领导干部民主测评")),
            Line("subject", translate("MeetingsPage", "测评对象："),
                 placeholder=translate("MeetingsPage", "例如：领导班子；或某位领导干部")),
            When("held_at", translate("MeetingsPage", "测评时间：")),
            Unit("unit_id", translate("MeetingsPage", "单位："), attr="unit", unset=unset),
            Count("distributed", translate("MeetingsPage", "测评票（份）："), caption=translate("MeetingsPage", "发放")),
            Count("returned", "", caption=translate("MeetingsPage", "收回"), same_row=True),
            Count("valid", "", caption=translate("MeetingsPage", "有效"), same_row=True),
            # A new survey, or one stored without grades, shows its kind's (filled after the kind).
            Grades("scale", translate("MeetingsPage", "评价等次："),
                   tooltip=translate("MeetingsPage", "评价等次，用顿号分隔，如：好、较好、一般、差"),
                   fallback=lambda: DEFAULT_SCALES.get(self.survey_kind.key(), ())),
            # Laid out in the grades filled just before.
            Composite("results", translate("MeetingsPage", "测评结果(&R)："),
                      make=lambda parent: SurveyResults(parent, grades=self.scale_list)),
            Notes("notes", translate("MeetingsPage", "结果分析："),
                  placeholder=translate("MeetingsPage", "测评结果分析：哪些项目评价偏低，需在谈话中进一步了解"), height=60),
        ]

    def build_form(self, form: QFormLayout) -> None:
        super().build_form(form)
        self.survey_kind.key_changed.connect(self._kind_changed)
        self.valid.valueChanged.connect(lambda v: self.results.set_valid(v))
        self.scale.editingFinished.connect(lambda: self.results.set_scale(self.scale_list()))

    def scale_list(self) -> list[str]:
        return Grades.read_text(self.scale.text())

    def _kind_changed(self, kind: Any) -> None:
        # A new survey takes the grades of its kind, unless the user has results typed already.
        if self.current_id is None and not self.results.rows(strict=False) and kind in DEFAULT_SCALES:
            self.scale.setText("、".join(DEFAULT_SCALES[kind]))
            self.results.set_scale(self.scale_list())

    def describe(self, record: Any) -> str:
        return translate("MeetingsPage", "{kind}：{title}").format(kind=i18n.label(SurveyKind, record.kind),
                                                                  title=record.title)

    def focus_first_field(self) -> None:
        self.title.setFocus()


# --- 见面会 / 反馈会 -----------------------------------------------------------------------------
class InspectionMeetingsPage(_CollectiveRecordPage):
    kind = MEETING
    meeting_kind: ChoiceCombo  # made by declare_fields

    @property
    def noun(self) -> str:  # type: ignore[override]
        return translate("MeetingsPage", "见面会（反馈会）记录")

    def service(self) -> MeetingService:
        return MeetingService(self.workspace.context())

    def list_columns(self) -> list[Column]:
        kinds = i18n.labels(MeetingKind)
        return [
            (translate("MeetingsPage", "会议时间"), lambda r: r.held_at),
            (translate("MeetingsPage", "会议"), lambda r: kinds.get(r.kind, r.kind)),
            (translate("MeetingsPage", "地点"), lambda r: r.place or ""),
            (translate("MeetingsPage", "参会人数"), lambda r: r.attendee_count or ""),
            (translate("MeetingsPage", "主要内容"), lambda r: _excerpt(r.content)),
        ]

    def declare_fields(self) -> list[FormField]:
        return [
            Choice("kind", translate("MeetingsPage", "会议(&K)："), attr="meeting_kind",
                   choices=list(i18n.labels(MeetingKind).items()), default=MeetingKind.ARRIVAL.value),
            When("held_at", translate("MeetingsPage", "会议时间(&T)：")),
            Line("place", translate("MeetingsPage", "会议地点：")),
            Line("host", translate("MeetingsPage", "主持人："),
                 placeholder=translate("MeetingsPage", "一般由被巡察党组织主要负责人主持")),
            Unit("unit_id", translate("MeetingsPage", "单位："), attr="unit", unset=translate("MeetingsPage", "（未指明）")),
            Count("attendee_count", translate("MeetingsPage", "参会人数："), unset=translate("MeetingsPage", "未填写")),
            Notes("attendees", translate("MeetingsPage", "参会人员："),
                  placeholder=translate("MeetingsPage", "参会范围，如：领导班子成员、中层以上干部及干部职工代表"), height=50),
            Notes("content", translate("MeetingsPage", "会议主要内容(&C)："),
                  placeholder=translate("MeetingsPage", "会议议程、组长讲话要点、表态发言等"), height=130),
        ]

    def describe(self, record: Any) -> str:
        return translate("MeetingsPage", "{kind}：{place}").format(kind=i18n.label(MeetingKind, record.kind),
                                                                  place=record.place or "")

    def focus_first_field(self) -> None:
        self.meeting_kind.setFocus()


# --- the page around them ------------------------------------------------------------------------
class MeetingsPage(QWidget, PageHooks):
    """会议与测评 in the main window: a tab per kind of collective record.

    The four tabs are four record pages, whose building took the UI thread ~70 ms in one go (a
    visible stall when the page was prepared in the background or first opened). The tab shown is
    built with the page; each other one when it is first shown or asked for, or earlier by
    `build_step` while the window is idle."""

    kind = "meetings"
    _KINDS: dict[str, type[_CollectiveRecordPage]] = {
        BRIEFING: BriefingsPage, GROUP_TALK: GroupTalksPage, SURVEY: SurveysPage, MEETING: InspectionMeetingsPage,
    }

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.lookups: Lookups | None = None
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self._built: dict[str, RecordPage] = {}
        self._titles = {BRIEFING: translate("MeetingsPage", "听取汇报"), GROUP_TALK: translate("MeetingsPage", "分类座谈"),
                        SURVEY: translate("MeetingsPage", "民主测评/问卷"), MEETING: translate("MeetingsPage", "见面会/反馈会")}
        for kind in self._KINDS:
            self.tabs.addTab(QWidget(self.tabs), self._titles[kind])
        self._tab = 0
        self.tabs.currentChanged.connect(self._tab_changing)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.tab(BRIEFING)

    def tab(self, kind: str) -> RecordPage:
        """The tab's page, built now if it was not yet."""
        page = self._built.get(kind)
        if page is not None:
            return page
        page = self._KINDS[kind](self.workspace, self)
        page.heading.setText(self._titles[kind])
        apply_looks(page)
        index = list(self._KINDS).index(kind)
        with QSignalBlocker(self.tabs):
            current = self.tabs.currentIndex()
            placeholder = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, page, self._titles[kind])
            self.tabs.setCurrentIndex(current)
        assert placeholder is not None  # every tab has its placeholder until built
        placeholder.deleteLater()
        self._built[kind] = page
        page.restore_layout(QSettings())
        if self.lookups is not None:
            page.set_lookups(self.lookups)
        return page

    def build_step(self) -> bool:
        missing = [kind for kind in self._KINDS if kind not in self._built]
        if missing:
            self.tab(missing[0])
        return len(missing) > 1

    @property
    def by_kind(self) -> dict[str, RecordPage]:
        """Every tab's page by kind, building those not built yet."""
        return {kind: self.tab(kind) for kind in self._KINDS}

    @property
    def briefings(self) -> BriefingsPage:
        return self.tab(BRIEFING)  # type: ignore[return-value]

    @property
    def group_talks(self) -> GroupTalksPage:
        return self.tab(GROUP_TALK)  # type: ignore[return-value]

    @property
    def surveys(self) -> SurveysPage:
        return self.tab(SURVEY)  # type: ignore[return-value]

    @property
    def meetings(self) -> InspectionMeetingsPage:
        return self.tab(MEETING)  # type: ignore[return-value]

    @property
    def pages(self) -> list[RecordPage]:
        return list(self.by_kind.values())

    def built_pages(self) -> list[RecordPage]:
        return list(self._built.values())

    def current(self) -> RecordPage:
        return self.tab(list(self._KINDS)[max(self.tabs.currentIndex(), 0)])

    def _tab_changing(self, index: int) -> None:
        # Leaving a tab with unsaved edits asks first, as leaving a page does.
        previous: Any = self.tabs.widget(self._tab)
        if previous is None or not getattr(previous, "dirty", False) or index == self._tab:
            self._tab = index
            if index >= 0:
                self.tab(list(self._KINDS)[index])
            return
        with QSignalBlocker(self.tabs):
            self.tabs.setCurrentIndex(self._tab)

        def go() -> None:
            self._tab = index
            self.tab(list(self._KINDS)[index])
            with QSignalBlocker(self.tabs):
                self.tabs.setCurrentIndex(index)

        previous.request_leave(go)

    def show_kind(self, kind: str) -> RecordPage:
        page = self.tab(kind)
        self.tabs.setCurrentWidget(page)
        return page

    # --- what the main window asks of a page ------------------------------------------------------
    def set_lookups(self, lookups: Lookups | None) -> None:
        self.lookups = lookups
        for page in self.built_pages():
            page.set_lookups(lookups)

    def on_workspace_changed(self, kinds: frozenset[str]) -> None:
        for page in self.built_pages():
            page.on_workspace_changed(kinds)

    def open_kind_record(self, kind: str, record_id: Any) -> None:
        if kind in self._KINDS:
            page = self.show_kind(kind)
            if record_id is not None:
                page.open_record(record_id)

    @property
    def dirty(self) -> bool:
        return any(page.dirty for page in self.built_pages())

    def request_leave(self, then: Callable[[], None], on_cancel: Callable[[], None] | None = None) -> None:
        dirty = [page for page in self.built_pages() if page.dirty]
        if not dirty:
            then()
            return
        self.tabs.setCurrentWidget(dirty[0])
        dirty[0].request_leave(lambda: self.request_leave(then, on_cancel), on_cancel)

    def save(self) -> None:
        self.current().save()

    def new_item(self) -> None:
        self.new_record()

    def new_record(self) -> None:
        self.current().new_record()

    def restore_layout(self, settings: QSettings) -> None:
        for page in self.built_pages():
            page.restore_layout(settings)
        tab = settings.value("pages/meetings/tab")
        if tab is not None:
            with contextlib.suppress(TypeError, ValueError):
                self.tabs.setCurrentIndex(int(tab))

    def save_layout(self, settings: QSettings) -> None:
        # A tab never built this time keeps the layout saved before.
        for page in self.built_pages():
            page.save_layout(settings)
        settings.setValue("pages/meetings/tab", self.tabs.currentIndex())
