"""OfficeWindow: the 巡察办's pages in one window (navigation list beside a stack, Ctrl+1 … Ctrl+7)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QMainWindow, QStackedWidget, QWidget

from app.services.context import ServiceContext

from ..changes import ChangeBus
from ..i18n import QT_TRANSLATE_NOOP, translate
from ..widgets.look import scale_css
from .clues_page import CluesPage
from .common import STYLE, Office, OfficePage
from .coverage_page import CoveragePage
from .followup_page import FollowupPage
from .pool_page import PoolPage
from .rounds_page import RoundsPage
from .stats_page import StatsPage
from .team_page import TeamPage
from .units_page import UnitsPage

PAGES: tuple[tuple[str, str, type[OfficePage]], ...] = (
    ("coverage", QT_TRANSLATE_NOOP("Office", "全覆盖"), CoveragePage),
    ("rounds", QT_TRANSLATE_NOOP("Office", "轮次与进度"), RoundsPage),
    ("team", QT_TRANSLATE_NOOP("Office", "组建巡察组"), TeamPage),
    ("pool", QT_TRANSLATE_NOOP("Office", "人才库"), PoolPage),
    ("followup", QT_TRANSLATE_NOOP("Office", "整改督办"), FollowupPage),
    ("clues", QT_TRANSLATE_NOOP("Office", "线索台账"), CluesPage),
    ("stats", QT_TRANSLATE_NOOP("Office", "统计分析"), StatsPage),
    ("units", QT_TRANSLATE_NOOP("Office", "单位名录"), UnitsPage),
)


class OfficeWindow(QMainWindow):
    def __init__(self, ctx: ServiceContext, *, today: dt.date | None = None, parent: QWidget | None = None,
                 changes: ChangeBus | None = None) -> None:
        super().__init__(parent)
        self.office = Office(ctx, today, self, changes)
        self.setWindowTitle(translate("Office", "巡察工作台 — 巡察办"))
        self.setStyleSheet(scale_css(STYLE))
        self.resize(1366, 768)
        self.navigation = QListWidget(self)
        self.navigation.setObjectName("officeNavigation")
        self.stack = QStackedWidget(self)
        self.pages: dict[str, OfficePage] = {}
        for n, (key, title, cls) in enumerate(PAGES):
            page = cls(self.office, self.stack)
            self.pages[key] = page
            self.stack.addWidget(page)
            self.navigation.addItem(translate("Office", title))
            self.navigation.item(n).setToolTip(f"Ctrl+{n + 1}")
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{n + 1}"))
            action.triggered.connect(lambda _c=False, key=key: self.show_page(key))
            self.addAction(action)
        self.navigation.setFixedWidth(self.navigation.sizeHintForColumn(0) + 40)
        self.navigation.currentRowChanged.connect(self.stack.setCurrentIndex)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.navigation.setCurrentRow(0)
        self.statusBar().showMessage(translate("Office", "当前用户：{name}　　数据截至：{day}").format(
            name=ctx.actor.name, day=self.office.today().isoformat()))

    def show_page(self, key: str) -> OfficePage:
        index = [k for k, _, _ in PAGES].index(key)
        self.navigation.setCurrentRow(index)
        return self.pages[key]

    def page(self, key: str) -> OfficePage:
        return self.pages[key]

    @property
    def busy(self) -> bool:
        return any(p.tasks.busy for p in self.pages.values())
