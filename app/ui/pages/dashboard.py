"""概览: where the inspection stands — stage, days left, checklist progress, findings by status,
working papers waiting for my review, and overdue rectification."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ChecklistKind, ChecklistStatus, FindingStatus, InspectionKind, ReviewState, Stage

from .. import i18n
from ..i18n import translate
from ..page import PageHooks
from ..tasks import TaskRunner
from ..widgets.message_bar import MessageBar
from ..workspace import FINDING, Workspace

if TYPE_CHECKING:  # the services load after the first paint (app/services/launch_summary.py)
    from app.services import register
    from app.services.checklists import Coverage
    from app.services.context import ServiceContext
    from app.services.launch_summary import LaunchSummary

    from ..lookups import Lookups

_IdRole = Qt.ItemDataRole.UserRole


@dataclass
class DashboardData:
    inspection: Any
    checklist: list[Any]
    coverage: Coverage
    overview: register.Overview
    counts: dict[str, int]


# The records the overview counts (record_kinds names their services).
# The checklist bars: items done of all items.
BAR_FORMAT = "%v / %m"
FIELDWORK_KINDS = ("interview", "petition", "document_review", "visit", "briefing", "group_talk", "survey", "meeting")


def load_dashboard(ctx: ServiceContext, inspection_id: uuid.UUID) -> DashboardData:
    """Everything the page shows, gathered through the services in one background job."""
    from app.services import checklists, register
    from app.services.checklists import ChecklistService
    from app.services.inspections import InspectionService

    from ..record_kinds import service_for

    counts = {kind: service_for(ctx, kind).count(inspection_id=inspection_id) for kind in FIELDWORK_KINDS}
    return DashboardData(
        inspection=InspectionService(ctx).get(inspection_id),
        checklist=ChecklistService(ctx).for_inspection(inspection_id),
        coverage=checklists.coverage(ctx, inspection_id),
        overview=register.overview(ctx, inspection_id),
        counts=counts,
    )


def checklist_done(checklist: list[Any], coverage: Coverage) -> dict[str, set[str]]:
    """The codes of each list's items that are done: marked (done or not applicable) by the team,
    or — for 六必问 and 四必谈 — covered by the inspection's interviews."""
    done: dict[str, set[str]] = {kind: set() for kind in ChecklistKind}
    for item in checklist:
        if item.status != ChecklistStatus.OPEN:
            done[item.list_kind].add(item.code)
    done[ChecklistKind.MUST_ASK] |= {e.code for e in coverage.must_ask if e.covered}
    done[ChecklistKind.MUST_TALK] |= {e.code for e in coverage.must_talk if e.covered}
    return done


def days_left_text(start: dt.date | None, end: dt.date | None, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    if start and today < start:
        return translate("DashboardPage", "{n} 天后进驻").format(n=(start - today).days)
    if end is None:
        return translate("DashboardPage", "未定结束日期")
    if today > end:
        return translate("DashboardPage", "已于 {date} 结束").format(date=end.isoformat())
    return translate("DashboardPage", "距结束还有 {n} 天").format(n=(end - today).days)


def _table(parent: QWidget, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    for n in range(len(headers)):
        header.setSectionResizeMode(n, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    return table


class DashboardPage(QWidget, PageHooks):
    kind = "dashboard"
    # Data for the current inspection is on screen.
    data_shown = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.tasks = TaskRunner(self)
        self.lookups: Lookups | None = None
        self.data: DashboardData | None = None

        self.heading = QLabel(translate("DashboardPage", "概览"), self)
        self.heading.setObjectName("pageHeading")
        self.message = MessageBar(self)

        summary_box = self._build_summary()
        progress_box = self._build_progress()
        findings_box = self._build_findings()
        review_box = self._build_reviews()
        overdue_box = self._build_overdue()
        self._lay_out(summary_box, progress_box, findings_box, review_box, overdue_box)

    def _build_summary(self) -> QGroupBox:
        """巡察概况: name, stage, days left and what has been done."""
        self.name_label = QLabel(self)
        self.name_label.setObjectName("inspectionName")
        self.name_label.setWordWrap(True)
        self.stage_label = QLabel(self)
        self.stage_label.setObjectName("stage")
        self.days_label = QLabel(self)
        self.days_label.setObjectName("daysLeft")
        self.facts_label = QLabel(self)
        self.facts_label.setWordWrap(True)
        self.work_label = QLabel(self)
        self.work_label.setWordWrap(True)
        summary_box = QGroupBox(translate("DashboardPage", "巡察概况"), self)
        s = QVBoxLayout(summary_box)
        for w in (self.name_label, self.stage_label, self.days_label, self.facts_label, self.work_label):
            s.addWidget(w)
        s.addStretch(1)
        return summary_box

    def _build_progress(self) -> QGroupBox:
        """清单进度: the three must-lists."""
        progress_box = QGroupBox(translate("DashboardPage", "工作清单进度"), self)
        p = QGridLayout(progress_box)
        self.progress: dict[str, QProgressBar] = {}
        for row, list_kind in enumerate((ChecklistKind.MUST_CHECK, ChecklistKind.MUST_ASK, ChecklistKind.MUST_TALK)):
            bar = QProgressBar(progress_box)
            bar.setFormat(BAR_FORMAT)
            self.progress[list_kind] = bar
            p.addWidget(QLabel(i18n.label(ChecklistKind, list_kind), progress_box), row, 0)
            p.addWidget(bar, row, 1)
        self.coverage_label = QLabel(progress_box)
        self.coverage_label.setWordWrap(True)
        self.coverage_label.setObjectName("coverage")
        p.addWidget(self.coverage_label, 3, 0, 1, 2)
        self.checklist_button = QPushButton(translate("DashboardPage", "打开工作清单"), progress_box)
        self.checklist_button.clicked.connect(lambda: self.workspace.open_record("checklist", None))
        p.addWidget(self.checklist_button, 4, 1, Qt.AlignmentFlag.AlignRight)
        p.setRowStretch(5, 1)
        return progress_box

    def _build_findings(self) -> QGroupBox:
        """问题办理情况: findings by status and by review state."""
        findings_box = QGroupBox(translate("DashboardPage", "问题办理情况"), self)
        f = QVBoxLayout(findings_box)
        self.findings_total = QLabel(findings_box)
        self.findings_total.setObjectName("bigNumber")
        self.by_status = _table(
            findings_box, [translate("DashboardPage", "办理状态"), translate("DashboardPage", "问题数")]
        )
        self.by_status.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.by_status.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.by_review = QLabel(findings_box)
        self.by_review.setWordWrap(True)
        f.addWidget(self.findings_total)
        f.addWidget(self.by_status, 1)
        f.addWidget(self.by_review)
        return findings_box

    def _build_reviews(self) -> QGroupBox:
        """待我审核: the working papers waiting for my review."""
        review_box = QGroupBox(translate("DashboardPage", "等待我审核的问题底稿"), self)
        r = QVBoxLayout(review_box)
        self.review_count = QLabel(review_box)
        self.review_table = _table(review_box, [translate("DashboardPage", "编号"), translate("DashboardPage", "问题标题"), translate("DashboardPage", "审核状态")])
        self.review_table.itemActivated.connect(self._open_finding)
        r.addWidget(self.review_count)
        r.addWidget(self.review_table, 1)
        return review_box

    def _build_overdue(self) -> QGroupBox:
        """逾期整改: rectification past its deadline."""
        overdue_box = QGroupBox(translate("DashboardPage", "逾期未完成的整改"), self)
        o = QVBoxLayout(overdue_box)
        self.overdue_count = QLabel(overdue_box)
        self.overdue_table = _table(
            overdue_box, [translate("DashboardPage", "编号"), translate("DashboardPage", "问题标题"), translate("DashboardPage", "整改时限"), translate("DashboardPage", "逾期天数")]
        )
        self.overdue_table.itemActivated.connect(self._open_finding)
        o.addWidget(self.overdue_count)
        o.addWidget(self.overdue_table, 1)
        return overdue_box

    def _lay_out(self, summary_box: QGroupBox, progress_box: QGroupBox, findings_box: QGroupBox,
                review_box: QGroupBox, overdue_box: QGroupBox) -> None:
        grid = QGridLayout()
        grid.addWidget(summary_box, 0, 0)
        grid.addWidget(progress_box, 0, 1, 1, 2)
        grid.addWidget(findings_box, 1, 0)
        grid.addWidget(review_box, 1, 1)
        grid.addWidget(overdue_box, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 4)
        grid.setColumnStretch(2, 4)
        grid.setRowStretch(0, 2)
        grid.setRowStretch(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        layout.addLayout(grid, 1)

    def set_lookups(self, lookups: Lookups | None, data: DashboardData | None = None) -> None:
        self.lookups = lookups
        if data is not None and lookups is not None and data.inspection.id == lookups.inspection_id:
            if data is self.data:
                # Already on screen (the launch paints the overview before the pickers arrive):
                # drawn again it cost the UI thread 10-30 ms and dropped a row the user had chosen.
                self.data_shown.emit()
            else:
                self.show_data(data)
        else:
            self.reload()

    def on_workspace_changed(self, kinds: frozenset[str]) -> None:
        if self.lookups is not None:
            self.reload()

    def reload(self) -> None:
        if self.lookups is None or self.workspace.ctx is None:
            return
        ctx, inspection_id = self.workspace.ctx, self.lookups.inspection_id
        self.tasks.run(lambda: load_dashboard(ctx, inspection_id), self.show_data, self.message.show_error, key="load")

    def show_summary(self, summary: LaunchSummary) -> None:
        """The first paint, from what app.services.launch_summary read before the services were
        loaded: the inspection's facts, its fieldwork and its findings by status; the lists that
        need the services say they are being read until `show_data` replaces it all."""
        if summary.inspection is None:
            return
        self._show_facts(summary.inspection, summary.counts)
        self._show_findings(summary.findings_total, summary.by_status, summary.by_review_state)
        reading = translate("DashboardPage", "正在读取…")
        for label in (self.coverage_label, self.review_count, self.overdue_count):
            label.setText(reading)
        # What counts as done needs the interviews' coverage, which only the services read: an
        # empty bar here would read as nothing done yet.
        for bar in self.progress.values():
            bar.setRange(0, 1)
            bar.setValue(0)
            bar.setFormat(reading)

    def show_data(self, data: DashboardData) -> None:
        self.data = data
        self._show_facts(data.inspection, data.counts)
        # One count for the bars and the line below: an item is done when the team marked it done or
        # not applicable, or (六必问, 四必谈) when an interview covered it.
        done = checklist_done(data.checklist, data.coverage)
        for list_kind, bar in self.progress.items():
            items = [x for x in data.checklist if x.list_kind == list_kind]
            bar.setFormat(BAR_FORMAT)
            bar.setMaximum(max(len(items), 1))
            bar.setValue(sum(1 for x in items if x.code in done[list_kind]))
        ask = [x.title for x in data.checklist if x.list_kind == ChecklistKind.MUST_ASK and x.code not in done[ChecklistKind.MUST_ASK]]
        talk = [x.title for x in data.checklist if x.list_kind == ChecklistKind.MUST_TALK and x.code not in done[ChecklistKind.MUST_TALK]]
        n_ask = sum(1 for x in data.checklist if x.list_kind == ChecklistKind.MUST_ASK)
        n_talk = sum(1 for x in data.checklist if x.list_kind == ChecklistKind.MUST_TALK)
        lines = [
            translate("DashboardPage", "六必问已问到 {a}/{an} 项，四必谈已谈到 {t}/{tn} 类（谈话记录所涉及的，或已标记完成、不适用的）。").format(
                a=n_ask - len(ask), an=n_ask, t=n_talk - len(talk), tn=n_talk,
            )
        ]
        if ask:
            lines.append(translate("DashboardPage", "六必问尚未问到：{items}").format(items="、".join(ask)))
        if talk:
            lines.append(translate("DashboardPage", "四必谈尚缺：{items}").format(items="、".join(talk)))
        self.coverage_label.setText("\n".join(lines))
        self.coverage_label.setStyleSheet("color:#a05a00;" if ask or talk else "color:#1e7b34;")

        ov = data.overview
        self._show_findings(ov.total, ov.by_status, ov.by_review_state)
        reviews = i18n.labels(ReviewState)
        self.review_count.setText(
            translate("DashboardPage", "共 {n} 份，双击打开").format(n=ov.awaiting_review_total) if ov.awaiting_review_total
            else translate("DashboardPage", "目前没有等待您审核的底稿。")
        )
        self.review_table.setRowCount(len(ov.awaiting_review))
        for row, f in enumerate(ov.awaiting_review):
            self._set_row(self.review_table, row, f.id, (str(f.number), f.title, reviews.get(f.review_state, "")))
        self.overdue_count.setText(
            translate("DashboardPage", "共 {n} 项，双击打开对应问题").format(n=ov.overdue_total) if ov.overdue_total
            else translate("DashboardPage", "没有逾期的整改事项。")
        )
        self.overdue_table.setRowCount(len(ov.overdue))
        for row, item in enumerate(ov.overdue):
            self._set_row(
                self.overdue_table, row, item.finding_id,
                (str(item.finding_number), item.finding_title, item.deadline.isoformat(), str(item.days_overdue)),
            )
        self.data_shown.emit()

    def _show_facts(self, i: Any, c: dict[str, int]) -> None:
        """巡察概况: `i` an inspection (or its summary row), `c` the fieldwork counts."""
        self.name_label.setText(i.name)
        self.stage_label.setText(translate("DashboardPage", "当前阶段：{stage}").format(stage=i18n.label(Stage, i.stage)))
        self.days_label.setText(days_left_text(i.start_date, i.end_date))
        facts = [i18n.label(InspectionKind, i.kind)]
        if i.team_name:
            facts.append(i.team_name)
        if i.start_date or i.end_date:
            facts.append(f"{i.start_date or '?'} — {i.end_date or '?'}")
        self.facts_label.setText("　".join(facts))
        self.work_label.setText(
            translate("DashboardPage", "谈话 {i} 人次　信访 {p} 件　查阅资料 {d} 份　走访 {v} 次").format(
                i=c["interview"], p=c["petition"], d=c["document_review"], v=c["visit"]
            )
            + "\n"
            + translate("DashboardPage", "听取汇报 {b} 次　分类座谈 {g} 场").format(b=c["briefing"], g=c["group_talk"])
            + "\n"
            + translate("DashboardPage", "民主测评 {s} 次　见面会、反馈会 {m} 次").format(s=c["survey"], m=c["meeting"])
        )

    def _show_findings(self, total: int, by_status: dict[str, int], by_review: dict[str, int]) -> None:
        self.findings_total.setText(translate("DashboardPage", "共 {n} 个问题").format(n=total))
        statuses = i18n.labels(FindingStatus)
        self.by_status.setRowCount(len(statuses))
        for row, (code, text) in enumerate(statuses.items()):
            self.by_status.setItem(row, 0, QTableWidgetItem(text))
            count = QTableWidgetItem(str(by_status.get(code, 0)))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.by_status.setItem(row, 1, count)
        reviews = i18n.labels(ReviewState)
        self.by_review.setText(
            translate("DashboardPage", "审核：") + "　".join(f"{reviews.get(k, k)} {n}" for k, n in by_review.items() if n)
        )

    @staticmethod
    def _set_row(table: QTableWidget, row: int, finding_id: Any, values: tuple[str, ...]) -> None:
        for column, value in enumerate(values):
            cell = QTableWidgetItem(value)
            cell.setData(_IdRole, finding_id)
            table.setItem(row, column, cell)

    def _open_finding(self, item: QTableWidgetItem) -> None:
        finding_id = item.data(_IdRole)
        if finding_id is not None:
            self.workspace.open_record(FINDING, finding_id)
