"""统计分析: the figures the 巡察 reports give — by round, unit kind, category, discipline and four forms,
rectification and overdue — with the year-on-year change, and export to Excel and PDF."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from app.services.office import dashboard
from app.services.office.dashboard import Figures
from app.tempfiles import scratch

from .. import dialogs
from ..i18n import QT_TRANSLATE_NOOP, translate
from .charts import PALETTE, BarChart, StatTile
from .common import Office, OfficePage, find_data

TILES = (
    ("inspections", QT_TRANSLATE_NOOP("Office", "开展巡察（次）")),
    ("units_inspected", QT_TRANSLATE_NOOP("Office", "巡察单位（个）")),
    ("findings", QT_TRANSLATE_NOOP("Office", "发现问题（个）")),
    ("clues_handed_over", QT_TRANSLATE_NOOP("Office", "移交问题线索（条）")),
    ("cases_filed", QT_TRANSLATE_NOOP("Office", "立案（件）")),
    ("people_disciplined", QT_TRANSLATE_NOOP("Office", "党纪政务处分（人）")),
    ("rate", QT_TRANSLATE_NOOP("Office", "整改完成率")),
    ("overdue", QT_TRANSLATE_NOOP("Office", "逾期未完成（项）")),
)


class StatsPage(OfficePage):
    title = QT_TRANSLATE_NOOP("Office", "统计分析")

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(office, parent)
        self.figures: Figures | None = None
        bar = QHBoxLayout()
        bar.addWidget(QLabel(translate("Office", "年度："), self))
        self.year = QComboBox(self)
        self.year.currentIndexChanged.connect(self.year_chosen)
        bar.addWidget(self.year)
        bar.addWidget(QLabel(translate("Office", "轮次："), self))
        self.round = QComboBox(self)
        self.round.setMinimumWidth(240)
        self.round.currentIndexChanged.connect(self.load_figures)
        bar.addWidget(self.round)
        bar.addStretch(1)
        self.excel_button = QPushButton(translate("Office", "导出Excel…"), self)
        self.excel_button.clicked.connect(self.export_excel)
        self.pdf_button = QPushButton(translate("Office", "导出PDF…"), self)
        self.pdf_button.clicked.connect(self.export_pdf)
        bar.addWidget(self.excel_button)
        bar.addWidget(self.pdf_button)
        self.outer.addLayout(bar)
        self.headline = QLabel(translate("Office", "正在统计…"), self)
        self.headline.setWordWrap(True)
        self.headline.setObjectName("summary")
        self.outer.addWidget(self.headline)
        tiles = QHBoxLayout()
        self.tiles: dict[str, StatTile] = {}
        for key, caption in TILES:
            tile = StatTile(translate("Office", caption), self)
            self.tiles[key] = tile
            tiles.addWidget(tile)
        self.outer.addLayout(tiles)
        grid = QGridLayout()
        grid.setSpacing(6)
        self.by_round = BarChart(translate("Office", "各轮次发现问题（个）"), self, color=PALETTE[0])
        self.by_kind = BarChart(translate("Office", "按被巡察单位类别（问题个数）"), self, color=PALETTE[5])
        self.by_category = BarChart(translate("Office", "按问题类别（个）"), self, color=PALETTE[1])
        self.by_discipline = BarChart(translate("Office", "按违反纪律（个）"), self, color=PALETTE[4])
        self.four_forms = BarChart(translate("Office", "运用“四种形态”处置（人）"), self, color=PALETTE[3])
        self.rectification = BarChart(translate("Office", "整改情况（项）"), self)
        charts = (self.by_round, self.by_kind, self.by_category, self.by_discipline, self.four_forms, self.rectification)
        for n, chart in enumerate(charts):
            grid.addWidget(chart, n // 3, n % 3)
        self.outer.addLayout(grid, 1)
        self._choices_loaded = False

    def load(self) -> None:
        def work() -> tuple[list[int], list[Any]]:
            return dashboard.available_years(self.ctx), dashboard.rounds_of(self.ctx)

        self.run(work, self.show_choices, key="choices")

    def show_choices(self, result: tuple[list[int], list[Any]]) -> None:
        years, _rounds = result
        wanted = self.year.currentData() if self._choices_loaded else self.office.today().year
        with QSignalBlocker(self.year):
            self.year.clear()
            self.year.addItem(translate("Office", "历年累计"), None)
            for y in years:
                self.year.addItem(translate("Office", "{year}年").format(year=y), y)
            self.year.setCurrentIndex(max(0, find_data(self.year, wanted)))
        self._choices_loaded = True
        self.year_chosen()

    def year_chosen(self) -> None:
        year = self.year.currentData()
        self.run(lambda: dashboard.rounds_of(self.ctx, year), self.show_rounds, key="rounds")

    def show_rounds(self, rounds: list[tuple[Any, str]]) -> None:
        wanted = self.round.currentData()
        with QSignalBlocker(self.round):
            self.round.clear()
            self.round.addItem(translate("Office", "全部轮次"), None)
            for round_id, name in rounds:
                self.round.addItem(name, round_id)
            self.round.setCurrentIndex(max(0, find_data(self.round, wanted)) if wanted is not None else 0)
        self.load_figures()

    def choose(self, year: int | None, round_id: Any = None) -> None:
        """Select a year (and round) as a user would; figures reload."""
        self.year.setCurrentIndex(max(0, find_data(self.year, year)))
        if round_id is not None:
            self.round.setCurrentIndex(max(0, find_data(self.round, round_id)))

    def load_figures(self) -> None:
        year, round_id, on = self.year.currentData(), self.round.currentData(), self.office.today()
        self.run(lambda: dashboard.compute(self.ctx, year=year, round_id=round_id, on=on), self.show_figures,
                 key="figures")

    def show_figures(self, f: Figures) -> None:
        self.figures = f
        self.headline.setText(f.headline)
        for key, tile in self.tiles.items():
            if key == "rate":
                previous = f.previous.rectification_rate if f.previous else None
                change = ""
                if previous is not None:
                    diff = (f.rectification_rate - previous) * 100
                    change = (translate("Office", "同比提高{n}个百分点") if diff >= 0 else
                              translate("Office", "同比下降{n}个百分点")).format(n=f"{abs(diff):.1f}")
                tile.set(f"{f.rectification_rate:.1%}", change)
            else:
                tile.set(str(f.value(key)), f.change(key))
        self.by_round.set_data([(r.name.replace("十二届市委", ""), r.findings) for r in f.by_round])
        self.by_kind.set_data(list(f.findings_by_unit_kind.items()))
        self.by_category.set_data(list(f.by_category.items()))
        self.by_discipline.set_data(list(f.by_discipline.items()))
        self.four_forms.set_data(list(f.people_by_four_form.items()))
        awaiting = f.rectified - f.closed_out
        in_hand = f.rectifications - f.rectified - f.overdue
        self.rectification.set_data(
            [(translate("Office", "已销号"), f.closed_out), (translate("Office", "已完成待销号"), awaiting), (translate("Office", "整改中"), in_hand), (translate("Office", "已逾期"), f.overdue)],
            colors=["#2e8b57", "#8fbc8f", "#2f5d9b", "#c0392b"])

    def export_excel(self) -> None:
        figures = self.figures
        if figures is None:
            return
        path = dialogs.save_file_path(self, translate("Office", "导出统计表"), translate("Office", "巡察工作统计（{scope}）.xlsx").format(scope=figures.scope), translate("Office", "Excel 文件 (*.xlsx)"))
        if not path:
            return
        self.run(lambda: _in_scratch(dashboard.export_excel, figures, path), lambda _r: self.message.show_info(translate("Office", "已导出到 {path}。").format(path=path)))

    def export_pdf(self) -> None:
        figures = self.figures
        if figures is None:
            return
        path = dialogs.save_file_path(self, translate("Office", "导出统计分析"), translate("Office", "巡察工作统计分析（{scope}）.pdf").format(scope=figures.scope), translate("Office", "PDF 文件 (*.pdf)"))
        if not path:
            return
        self.run(lambda: _in_scratch(dashboard.export_pdf, figures, path),
                 lambda pages: self.message.show_info(translate("Office", "已导出到 {path}（{n}页）。").format(path=path, n=pages)))


def _in_scratch(export, *args):
    """An export's temporary files are private and removed however it ends (app/tempfiles.py)."""
    with scratch():
        return export(*args)
