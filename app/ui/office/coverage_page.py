"""全覆盖: every unit of the directory with whether it was inspected in the term, is planned, or never was."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from app.services.office import coverage as coverage_service
from app.services.office import workdays
from app.services.office.coverage import INSPECTED, NEVER, PLANNED, CoverageReport

from ..i18n import QT_TRANSLATE_NOOP, translate
from ..widgets.look import scaled_pixels
from .charts import StackedBarChart
from .common import AMBER, GREEN, IdRole, Office, OfficePage, date_edit, date_text, to_date, to_qdate

_STATUS_COLOURS = {INSPECTED: GREEN, PLANNED: AMBER, NEVER: QColor("#f4d4d2")}


class CoveragePage(OfficePage):
    title = QT_TRANSLATE_NOOP("Office", "巡察全覆盖")

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(office, parent)
        self.report: CoverageReport | None = None
        bar = QHBoxLayout()
        bar.addWidget(QLabel(translate("Office", "全覆盖周期：自"), self))
        self.term_start = date_edit(dt.date(office.today().year - 2, 1, 1), self)
        self.term_start.setAccessibleName(translate("Office", "全覆盖周期起始日期"))
        bar.addWidget(self.term_start)
        bar.addWidget(QLabel(translate("Office", "起"), self))
        self.term_years = QSpinBox(self)
        self.term_years.setRange(1, 10)
        self.term_years.setValue(workdays.DEFAULT_TERM_YEARS)
        self.term_years.setSuffix(translate("Office", " 年"))
        self.term_years.setAccessibleName(translate("Office", "全覆盖周期年数"))
        bar.addWidget(self.term_years)
        self.apply_term = QPushButton(translate("Office", "设为本办全覆盖周期"), self)
        self.apply_term.clicked.connect(self.save_term)
        bar.addWidget(self.apply_term)
        bar.addSpacing(24)
        bar.addWidget(QLabel(translate("Office", "显示："), self))
        self.filter = QComboBox(self)
        self.filter.addItem(translate("Office", "全部单位"), None)
        for status in (NEVER, PLANNED, INSPECTED):
            self.filter.addItem(coverage_service.STATUS_LABELS[status], status)
        self.filter.currentIndexChanged.connect(self.show_rows)
        bar.addWidget(self.filter)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(translate("Office", "按单位名称筛选"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.show_rows)
        bar.addWidget(self.search, 1)
        self.outer.addLayout(bar)

        self.summary = QLabel(translate("Office", "正在统计…"), self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.outer.addWidget(self.summary)

        split = QSplitter(self)
        self.tree = QTreeWidget(split)
        self.tree.setHeaderLabels([translate("Office", "单位"), translate("Office", "单位类别"), translate("Office", "覆盖情况"), translate("Office", "本周期巡察"), translate("Office", "最近一次巡察"), translate("Office", "巡察时间"), translate("Office", "计划中的巡察")])
        self.tree.setAlternatingRowColors(False)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((240, 104, 80, 70, 210, 86, 200)):
            self.tree.setColumnWidth(column, scaled_pixels(width))
        self.chart = StackedBarChart(translate("Office", "各类单位覆盖情况"), [(translate("Office", "已巡察"), "#2e8b57"), (translate("Office", "已列入计划"), "#e0a030"),
                                                    (translate("Office", "未巡察"), "#c9cdd3")], split)
        split.addWidget(self.tree)
        split.addWidget(self.chart)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([860, 440])
        self.outer.addWidget(split, 1)

    def load(self) -> None:
        on = self.office.today()
        self.run(lambda: coverage_service.coverage(self.ctx, on=on), self.show_report, key="coverage")

    def show_report(self, report: CoverageReport) -> None:
        self.report = report
        self.term_start.setDate(to_qdate(report.term.start))
        self.term_years.setValue(max(1, round(((report.term.end - report.term.start).days + 1) / 365.25)))
        self.summary.setText(report.summary)
        self.chart.set_data([
            (k.label, [k.inspected, k.planned, k.never], f"{k.rate:.0%}") for k in report.by_kind
        ])
        self.show_rows()

    def show_rows(self) -> None:
        if self.report is None:
            return
        wanted = self.filter.currentData()
        needle = self.search.text().strip()
        rows = self.report.rows
        shown = {r.unit_id for r in rows if (wanted is None or r.status == wanted) and (not needle or needle in r.name)}
        by_id = {r.unit_id: r for r in rows}
        # Keep a shown unit's ancestors, so villages stay under their township.
        keep = set(shown)
        for unit_id in shown:
            parent = by_id[unit_id].parent_id
            while parent is not None and parent in by_id and parent not in keep:
                keep.add(parent)
                parent = by_id[parent].parent_id
        self.tree.clear()
        items: dict[Any, QTreeWidgetItem] = {}
        pending = [r for r in rows if r.unit_id in keep]
        # Parents first, whatever order the report has them in.
        while pending:
            progressed = False
            for row in list(pending):
                if row.parent_id is not None and row.parent_id in keep and row.parent_id not in items:
                    continue
                parent_item = items.get(row.parent_id)
                item = QTreeWidgetItem([
                    row.name, row.kind_label, row.status_label, str(row.times_in_term) if row.times_in_term else "",
                    row.last_text, date_text(row.last_date), row.planned_name,
                ])
                item.setData(0, IdRole, row.unit_id)
                item.setBackground(2, QBrush(_STATUS_COLOURS[row.status]))
                if row.unit_id not in shown:
                    for c in range(7):
                        item.setForeground(c, QBrush(QColor("#9a9a9a")))
                if row.last_name:
                    item.setToolTip(4, f"{row.last_name}（{row.last_stage}）")
                if row.planned_name:
                    item.setToolTip(6, row.planned_name)
                if parent_item is not None:
                    parent_item.addChild(item)
                else:
                    self.tree.addTopLevelItem(item)
                items[row.unit_id] = item
                pending.remove(row)
                progressed = True
            if not progressed:  # a loop in the hierarchy: show the rest flat rather than hang
                break
        if needle or wanted is not None:
            self.tree.expandAll()

    def save_term(self) -> None:
        start, years = to_date(self.term_start.date()), self.term_years.value()
        self.write(lambda: workdays.save_term(self.ctx, start, years), what="term",
                   done_message=lambda term: translate("Office", "全覆盖周期已设为{term}。").format(term=term.label))
