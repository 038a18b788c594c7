"""The main window: choose an inspection, then move between its pages.

The tool bar holds the inspection chooser and the global search box; the pages sit in a stack
beside a navigation list (Ctrl+1 … Ctrl+8). Window geometry, splitters, column widths, the last
page and the last inspection are remembered in QSettings.
"""

from __future__ import annotations

import contextlib
import importlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app.models.enums import UserRole
from app.services.launch_summary import LaunchSummary, choose_inspection

from . import dialogs, errors, i18n
from .changes import INSPECTION_SETUP, ChangeSet
from .global_search import GlobalSearchBox
from .i18n import translate
from .inspection_list import InspectionTableModel
from .page import Page, PageHooks
from .pages.dashboard import DashboardData, DashboardPage, load_dashboard
from .tasks import TaskRunner
from .widgets import accessibility
from .widgets.guard import Guard
from .widgets.look import apply_looks, scale_css
from .workspace import (
    BRIEFING,
    CHECKLIST,
    DOCUMENT_REVIEW,
    FINDING,
    GROUP_TALK,
    INTERVIEW,
    MEETING,
    PETITION,
    SURVEY,
    VISIT,
    Workspace,
)

if TYPE_CHECKING:
    # SQLAlchemy and the services load in a worker after the first paint (app/ui/application.py):
    # this module names them only in annotations and imports them where they are used.
    from app.services.context import ServiceContext
    from app.services.search import SearchHit

    from .lookups import Lookups

NAVIGATION_STYLE = """
QListWidget { font-size: 14px; }
QListWidget::item { padding: 7px 10px; }
QListWidget::item:selected { background: #2f5d9b; color: white; }
"""


class MainWindow(QMainWindow):
    # The overview shows the chosen inspection's figures and takes input: the launch is over (the
    # launch figures wait on it). The other pages' pickers are still being read.
    usable = Signal()
    # The chosen inspection is fully loaded: the overview shows it and every page has its pickers.
    ready = Signal()

    def __init__(self, ctx: ServiceContext | None = None) -> None:
        super().__init__()
        self.workspace = Workspace(self)
        self.tasks = TaskRunner(self)
        self.setWindowTitle(translate("MainWindow", "巡察工作台"))
        self.resize(1366, 768)
        self._pending_inspection: uuid.UUID | None = None
        self._loading_inspection: uuid.UUID | None = None
        self._reverting = Guard()  # our own selection changes (widgets/guard.py)
        self._closing = False
        self._preparing = False
        # Pickers are handed to built pages one per turn of the event loop (the page shown at once):
        # the pages still waiting for the inspection's lookups, and whether `ready` is still owed.
        self._stale: set[Page] = set()
        self._ready_owed = False
        self._stepping = False
        self._modules_imported = False
        self._waited = 0  # turns the next background part has waited for the workers
        self._index_read = False  # the keyword index read through once (`_read_index_ahead`)
        self._unfinished: list[Any] = []  # built pages that may have parts left to build (build_step)
        self._usable = False
        self._demo_note = ""
        self._build_toolbar()
        self._build_pages()
        self._build_status_bar()
        self._build_menus()
        self._connect_workspace()
        self._restore_layout()
        errors.add_rescuer(self.keep_unsaved_work)
        self.destroyed.connect(lambda *_a, fn=self.keep_unsaved_work: errors.remove_rescuer(fn))
        if ctx is not None:
            self.set_context(ctx)

    def _build_toolbar(self) -> None:
        """The inspection chooser and the global search box."""
        self.model = InspectionTableModel(self)
        self.inspection_combo = QComboBox(self)
        self.inspection_combo.setModel(self.model)
        self.inspection_combo.setMinimumContentsLength(30)
        self.inspection_combo.setMinimumWidth(460)
        self.inspection_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.inspection_combo.currentIndexChanged.connect(self._inspection_chosen)
        inspection_label = QLabel(translate("MainWindow", "巡察(&I)："), self)
        inspection_label.setBuddy(self.inspection_combo)
        self.search_box = GlobalSearchBox(self.workspace, self)
        self.search_box.hit_chosen.connect(self.open_hit)
        toolbar = QToolBar(translate("MainWindow", "工具栏"), self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(inspection_label)
        toolbar.addWidget(self.inspection_combo)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.search_box)
        self.addToolBar(toolbar)

    def _build_pages(self) -> None:
        """The navigation list and the page stack. Only the overview is built now; the others when
        first shown (or asked for), so the window opens sooner and an unvisited page costs nothing."""
        self.page_specs: list[tuple[str, Callable[[], QWidget]]] = [
            (translate("MainWindow", "概览"), lambda: DashboardPage(self.workspace, self)),
            (translate("MainWindow", "工作清单"), lambda: _page("checklists", "ChecklistsPage")(self.workspace, self)),
            (translate("MainWindow", "谈话记录"), lambda: _page("interviews", "InterviewsPage")(self.workspace, self)),
            (translate("MainWindow", "信访举报"), lambda: _page("petitions", "PetitionsPage")(self.workspace, self)),
            (translate("MainWindow", "查阅资料"),
             lambda: _page("document_reviews", "DocumentReviewsPage")(self.workspace, self)),
            (translate("MainWindow", "走访"), lambda: _page("visits", "VisitsPage")(self.workspace, self)),
            (translate("MainWindow", "问题台账"), lambda: _page("findings", "FindingsPage")(self.workspace, self)),
            (translate("MainWindow", "公文"), lambda: _page("documents", "DocumentsPage")(self.workspace, self)),
            (translate("MainWindow", "会议与测评"), lambda: _page("meetings", "MeetingsPage")(self.workspace, self)),
        ]
        assert len(self.page_specs) == len(Page)  # one entry per Page, in its order
        # A built page is a QWidget and a PageHooks (app/ui/page.py); typing cannot say both.
        self._built: dict[Page, Any] = {}
        self.page_for_kind: dict[str, Page] = {
            CHECKLIST: Page.CHECKLISTS, INTERVIEW: Page.INTERVIEWS, PETITION: Page.PETITIONS,
            DOCUMENT_REVIEW: Page.DOCUMENT_REVIEWS, VISIT: Page.VISITS, FINDING: Page.FINDINGS,
            BRIEFING: Page.MEETINGS, GROUP_TALK: Page.MEETINGS, SURVEY: Page.MEETINGS, MEETING: Page.MEETINGS,
        }
        self.stack = QStackedWidget(self)
        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setStyleSheet(scale_css(NAVIGATION_STYLE))
        for n, (title, _factory) in enumerate(self.page_specs):
            self.stack.addWidget(QWidget(self.stack))
            self.navigation.addItem(title)
            self.navigation.item(n).setToolTip(f"Ctrl+{n + 1}")
        self.navigation.setFixedWidth(self.navigation.sizeHintForColumn(0) + 36)
        self.navigation.currentRowChanged.connect(self._navigate)
        self.dashboard: DashboardPage = self.page(Page.OVERVIEW)
        self.navigation.setCurrentRow(Page.OVERVIEW)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        self.status_label = QLabel(translate("MainWindow", "正在打开数据库…"), self)
        self.user_label = QLabel(self)
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)

    def _connect_workspace(self) -> None:
        self.workspace.changes.changed.connect(self._changed)
        self.workspace.open_requested.connect(self.open_record)
        self.workspace.raise_finding_requested.connect(self._raise_finding)
        self.workspace.message.connect(lambda text: self.statusBar().showMessage(text, 5000))

    # --- menus and shortcuts --------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(translate("MainWindow", "文件(&F)"))
        self.new_action = self._action(translate("MainWindow", "新建(&N)"), QKeySequence.StandardKey.New, self.new_on_page)
        self.save_action = self._action(translate("MainWindow", "保存(&S)"), QKeySequence.StandardKey.Save, self.save_on_page)
        self.export_action = self._action(translate("MainWindow", "导出问题台账(&E)…"), "Ctrl+E", self._export_register)
        self.refresh_action = self._action(translate("MainWindow", "刷新(&R)"), QKeySequence.StandardKey.Refresh, self.refresh)
        quit_action = self._action(translate("MainWindow", "退出(&X)"), QKeySequence.StandardKey.Quit, self.close)
        for action in (self.new_action, self.save_action, self.export_action, self.refresh_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu(translate("MainWindow", "视图(&V)"))
        self.search_action = self._action(translate("MainWindow", "搜索(&F)"), QKeySequence.StandardKey.Find, self.focus_search)
        view_menu.addAction(self.search_action)
        view_menu.addSeparator()
        for n, (title, _factory) in enumerate(self.page_specs):
            action = self._action(title, f"Ctrl+{n + 1}", lambda _c=False, n=n: self.show_page(n))
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.office_action = self._action(translate("MainWindow", "巡察办工作台(&O)…"), "Ctrl+Shift+O", self.open_office)
        view_menu.addAction(self.office_action)
        self.sync_action = self._action(translate("MainWindow", "数据同步(&Y)…"), "Ctrl+Shift+Y", self.open_sync)
        view_menu.addAction(self.sync_action)

        settings_menu = self.menuBar().addMenu(translate("MainWindow", "设置(&T)"))
        language_menu = settings_menu.addMenu(translate("MainWindow", "界面语言(&L)"))
        group = QActionGroup(self)
        current = i18n.chosen_language()
        for code, name in i18n.LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _c=False, code=code: self._choose_language(code))
            group.addAction(action)
            language_menu.addAction(action)
        self.profile_action = self._action(translate("MainWindow", "机关信息(&O)…"), None, self.open_profile)
        settings_menu.addAction(self.profile_action)

        help_menu = self.menuBar().addMenu(translate("MainWindow", "帮助(&H)"))
        help_menu.addAction(self._action(translate("MainWindow", "快捷键(&K)"), None, self._show_shortcuts))

    def _action(self, text: str, shortcut: Any, slot: Callable[..., Any]) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # --- pages, built on first use ----------------------------------------------------------
    def page(self, index: int) -> Any:
        """The page (a Page, or its place in the list), built now if it was not yet, with the
        chosen inspection's pickers."""
        index = Page(index)
        page = self._built.get(index) or self._build(index)
        if index in self._stale:
            self._hand_lookups(index)
        return page

    def _build(self, index: Page) -> Any:
        page = self.page_specs[index][1]()
        assert isinstance(page, PageHooks), f"{type(page).__name__} is not a page (app/ui/page.py)"
        placeholder = self.stack.widget(index)
        assert placeholder is not None  # every page has its placeholder until it is built
        current = self.stack.currentIndex()
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        apply_looks(page)
        self.stack.insertWidget(index, page)
        self.stack.setCurrentIndex(current)
        self._built[index] = page
        page.restore_layout(QSettings())
        if isinstance(page, DashboardPage):
            page.data_shown.connect(self._dashboard_shown)
        self._unfinished.append(page)
        if self.workspace.lookups is not None:
            self._stale.add(index)  # `page()` hands them now; the background preparation a turn later
        return page

    def _hand_lookups(self, index: Page) -> None:
        self._stale.discard(index)
        self._built[index].set_lookups(self.workspace.lookups)

    @property
    def pages(self) -> list[tuple[str, QWidget]]:
        """Every page, building those not built yet."""
        return [(title, self.page(Page(n))) for n, (title, _factory) in enumerate(self.page_specs)]

    def built_pages(self) -> list[Any]:
        return [self._built[n] for n in sorted(self._built)]

    @property
    def checklists(self) -> Any:
        return self.page(Page.CHECKLISTS)

    @property
    def interviews(self) -> Any:
        return self.page(Page.INTERVIEWS)

    @property
    def petitions(self) -> Any:
        return self.page(Page.PETITIONS)

    @property
    def document_reviews(self) -> Any:
        return self.page(Page.DOCUMENT_REVIEWS)

    @property
    def visits(self) -> Any:
        return self.page(Page.VISITS)

    @property
    def findings(self) -> Any:
        return self.page(Page.FINDINGS)

    @property
    def documents(self) -> Any:
        return self.page(Page.DOCUMENTS)

    def _navigate(self, index: int) -> None:
        if index >= 0:
            self.page(index)
            self.stack.setCurrentIndex(index)

    def current_page(self) -> Any:
        return self.stack.currentWidget()

    def show_page(self, index: int) -> None:
        self.navigation.setCurrentRow(index)

    def show_page_widget(self, page: QWidget) -> None:
        index = self.stack.indexOf(page)
        self.navigation.setCurrentRow(index)
        self.stack.setCurrentIndex(index)

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def new_on_page(self) -> None:
        self.current_page().new_item()

    def save_on_page(self) -> None:
        self.current_page().save()

    def _export_register(self) -> None:
        self.show_page_widget(self.findings)
        self.findings.export()

    def open_sync(self) -> None:
        """Exchange packages by USB stick and settle conflicts (app/ui/sync)."""
        if self.workspace.ctx is None:
            return
        from .sync.conflicts_page import SyncWindow

        window = getattr(self, "_sync_window", None)
        if window is None or not window.isVisible():
            window = SyncWindow(self.workspace.ctx)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._sync_window = window
        window.show()
        window.raise_()

    def open_office(self) -> None:
        """The 巡察办's window (app/ui/office): coverage, rounds, team forming, follow-up, clues, statistics."""
        if self.workspace.ctx is None:
            return
        from .office.window import OfficeWindow  # built on first use: the main window opens no later for it

        window = getattr(self, "_office_window", None)
        if window is None or not window.isVisible():
            # One change bus for both windows: an inspection created there is in the chooser here at
            # once, a finding edited here is fresh in its follow-up there.
            window = OfficeWindow(self.workspace.ctx, parent=None, changes=self.workspace.changes)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._office_window = window
        window.show()
        window.raise_()
        window.activateWindow()

    def open_profile(self) -> None:
        """设置 → 机关信息: the organization profile every document's masthead and number come from."""
        if self.workspace.ctx is None:
            return
        from .widgets.profile_form import ProfileDialog

        ProfileDialog(self.workspace.ctx, self).open()

    def _choose_language(self, code: str) -> None:
        i18n.save_language(code)
        dialogs.inform(self, translate("MainWindow", "界面语言"), translate("MainWindow", "界面语言将在下次启动时切换。"))

    def _show_shortcuts(self) -> None:
        dialogs.inform(
            self,
            translate("MainWindow", "快捷键"),
            translate(
                "MainWindow",
                "Ctrl+F  搜索全部记录\nCtrl+S  保存\nCtrl+N  新建\nCtrl+E  导出问题台账\n"
                "Ctrl+1 … Ctrl+9  切换页面\nF5  刷新\nAlt+带下划线的字母  跳到对应的输入框或按钮",
            ),
        )

    # --- data -----------------------------------------------------------------------------------
    def set_context(self, ctx: ServiceContext, opening: Opening | None = None) -> None:
        """Work on this database; `opening` is what `load_opening` already read for it, if anything."""
        self.workspace.ctx = ctx
        if getattr(ctx.db, "read_only", False):
            note = QLabel(translate("MainWindow", "只读：数据库文件（或其文件夹）不可写，修改无法保存"), self)
            note.setObjectName("readOnly")
            note.setStyleSheet("color: #b00020; font-weight: bold;")
            self.statusBar().addPermanentWidget(note)
        self.user_label.setText(
            translate("MainWindow", "当前身份：{name}（{role}）").format(
                name=ctx.actor.name, role=i18n.label(UserRole, ctx.actor.role)
            )
        )
        pending = self._pending_inspection
        if opening is not None and (pending is None or opening.inspections[opening.chosen].id == pending):
            self._opened(opening)
        else:
            self.refresh()  # another inspection was chosen in the first paint: read that one

    def show_summary(self, summary: LaunchSummary) -> None:
        """The first paint, before SQLAlchemy and the services are loaded (app/services/launch_summary.py):
        the chooser, the title and the overview's facts and counts. The window is usable from here;
        `set_context` brings the rest and replaces it all."""
        if self.workspace.ctx is not None:
            return  # the services were quicker: what they read is on screen
        with self._reverting:
            self.model.set_rows(summary.inspections)
        if summary.inspection is None:
            self._show_no_inspection()
        else:
            self._show_chosen(summary.inspections, summary.chosen)
            self.dashboard.show_summary(summary)
        self.user_label.setText(translate("MainWindow", "正在打开数据库…"))
        self._became_usable()

    def mark_demo(self, path: str) -> None:
        """This window shows the demo city, not real data: say so in the title and the status bar."""
        self._demo_note = translate("MainWindow", "（演示数据）")
        self.setWindowTitle(self.windowTitle() + self._demo_note)
        self.statusBar().showMessage(
            translate("MainWindow", "演示数据：{path}。正式使用时，删除或移走它不影响正式数据。").format(path=path), 15000)

    @property
    def ctx(self) -> ServiceContext | None:
        return self.workspace.ctx

    def saved_inspection_id(self) -> uuid.UUID | None:
        return (self.workspace.inspection_id or self._pending_inspection
                or _saved_uuid(QSettings().value("workspace/inspection")))

    def refresh(self) -> None:
        """Read the inspections again, and everything the chosen one's first page shows, in one job."""
        if self.workspace.ctx is None:
            return
        ctx, wanted = self.workspace.ctx, self.saved_inspection_id()
        self.status_label.setText(translate("MainWindow", "正在读取巡察列表…"))
        self.tasks.run(lambda: load_opening(ctx, wanted), self._opened, self.show_error, key="inspections")

    def refresh_inspections(self) -> None:
        """Read the list of inspections again (one was created elsewhere) without reloading the
        pages, whose unsaved edits stay as they are; with none chosen yet, open the new one."""
        if self.workspace.ctx is None:
            return
        if self.workspace.lookups is None:
            self.refresh()
            return
        ctx = self.workspace.ctx
        self.tasks.run(lambda: list_inspections(ctx), self._inspections_listed, self.show_error, key="inspection-list")

    def _inspections_listed(self, rows: list[Any]) -> None:
        current = self.workspace.inspection_id
        row = next((n for n, r in enumerate(rows) if r.id == current), -1)
        if row < 0:
            self.refresh()  # the inspection in hand is gone: choose again
            return
        with self._reverting:
            self.model.set_rows(rows)
            self.inspection_combo.setCurrentIndex(row)
        self.status_label.setText(
            translate("MainWindow", "{name}　共 {n} 次巡察").format(name=rows[row].name, n=len(rows))
        )

    def _show_no_inspection(self) -> None:
        self.status_label.setText(translate(
            "MainWindow", "暂无巡察：巡察办请在“视图 → 巡察办工作台（Ctrl+Shift+O）→ 轮次与进度”中新建巡察；"
                          "巡察组请在“视图 → 数据同步”中导入工作包。"))

    def _show_chosen(self, rows: list[Any], row: int) -> None:
        chosen = rows[row]
        self.status_label.setText(translate("MainWindow", "{name}　共 {n} 次巡察").format(name=chosen.name, n=len(rows)))
        self.setWindowTitle(translate("MainWindow", "巡察工作台 — {name}").format(name=chosen.name) + self._demo_note)
        with self._reverting:
            self.inspection_combo.setCurrentIndex(row)

    def _opened(self, opening: Opening) -> None:
        rows = opening.inspections
        self._pending_inspection = None
        with self._reverting:
            self.model.set_rows(rows)
        if not rows or opening.dashboard is None:
            self._show_no_inspection()
            self.workspace.set_lookups(None)
            self._became_usable()
            self.ready.emit()
            return
        chosen = rows[opening.chosen]
        self._show_chosen(rows, opening.chosen)
        # The overview is painted from what the opening read; the pickers the other pages need (the
        # team, units and people sorted by pinyin, whose dictionaries take a while to load) are read
        # after that paint, so the launch does not wait for them.
        inspection_id, dashboard = chosen.id, opening.dashboard
        self._loading_inspection = inspection_id
        self.dashboard.show_data(dashboard)
        QTimer.singleShot(0, self, lambda: self.load_inspection(inspection_id, dashboard))

    def _inspection_chosen(self, row: int) -> None:
        if self._reverting or row < 0:
            return
        inspection_id = self.model.row_object(row).id
        if self.workspace.ctx is None:
            # Chosen in the first paint, before the database is open: opened once it is.
            self._pending_inspection = inspection_id
            return
        if inspection_id == self.workspace.inspection_id:
            return

        def stay() -> None:
            current = self.workspace.inspection_id
            with self._reverting:
                for n in range(self.model.rowCount()):
                    if self.model.row_object(n).id == current:
                        self.inspection_combo.setCurrentIndex(n)

        self.leave_all(lambda: self.load_inspection(inspection_id), on_cancel=stay)

    def select_inspection(self, inspection_id: uuid.UUID) -> None:
        for n in range(self.model.rowCount()):
            if self.model.row_object(n).id == inspection_id:
                self.inspection_combo.setCurrentIndex(n)
                return

    def load_inspection(self, inspection_id: uuid.UUID, dashboard: DashboardData | None = None) -> None:
        """Read the inspection's pickers, and show it on every page (`dashboard`: its overview, already read)."""
        if self.workspace.ctx is None or self._closing:
            return
        ctx = self.workspace.ctx
        self._loading_inspection = inspection_id
        self.statusBar().showMessage(translate("MainWindow", "正在打开巡察…"))
        self.tasks.run(lambda: _load_lookups(ctx, inspection_id), lambda lookups: self._lookups_loaded(lookups, dashboard),
                       self.show_error, key="lookups")

    def _lookups_loaded(self, lookups: Lookups, dashboard: DashboardData | None = None) -> None:
        self._loading_inspection = None
        QSettings().setValue("workspace/inspection", str(lookups.inspection_id))
        self.workspace.set_lookups(lookups)
        # The page in view gets its pickers now, the overview its figures; every other built page
        # one per turn of the event loop (filling them all at once stalled the window), or at once
        # when it is shown or asked for (`page()`).
        current = Page(self.stack.currentIndex())
        self._stale = set(self._built) - {Page.OVERVIEW, current}
        if current != Page.OVERVIEW:
            self._built[current].set_lookups(lookups)
        self.dashboard.set_lookups(lookups, data=dashboard)
        self._settle()
        self._offer_drafts(lookups)
        self.status_label.setText(
            translate("MainWindow", "{name}　共 {n} 次巡察").format(name=lookups.inspection.name, n=self.model.rowCount())
        )
        self.setWindowTitle(translate("MainWindow", "巡察工作台 — {name}").format(name=lookups.inspection.name)
                            + self._demo_note)
        self.statusBar().clearMessage()

    def _dashboard_shown(self) -> None:
        # The window is usable once its first page shows the chosen inspection's data, and ready
        # once that inspection's pickers are loaded too.
        if self.dashboard.data is None:
            return
        shown = self.dashboard.data.inspection.id
        if shown in (self._loading_inspection, self.workspace.inspection_id):
            self._became_usable()
        if shown == self.workspace.inspection_id:
            self._ready_owed = True
            self._settle()

    def _settle(self) -> None:
        """`ready` once every built page has the chosen inspection's pickers; until then, hand
        them on in the background."""
        if self._stale:
            self._schedule_step()
        elif self._ready_owed:
            self._ready_owed = False
            self.ready.emit()
            self._prepare_pages()

    def _became_usable(self) -> None:
        if not self._usable:
            self._usable = True
            self.usable.emit()

    def _prepare_pages(self) -> None:
        """Build the other pages while the user reads the overview, so that none stalls the window
        when first opened: their modules are imported in a worker (the UI thread keeps turning),
        then each page, and each part a page left for later, is built in its own short turn of the
        event loop, and given its pickers in the next."""
        if self._preparing or (len(self._built) == len(self.page_specs) and not self._unfinished):
            return
        self._preparing = True
        modules = [f"{__package__}.pages.{name}" for name in _PAGE_MODULES]

        def imported(_result: Any) -> None:
            self._modules_imported = True
            self._schedule_step()

        self._modules_imported = False
        self.tasks.run(lambda: [importlib.import_module(m) for m in modules], imported, imported)

    def _schedule_step(self) -> None:
        if not self._stepping:
            self._stepping = True
            QTimer.singleShot(PREPARE_PAUSE_MS, self, self._step)

    def _step(self) -> None:
        """One piece of background work per turn: pickers for a page waiting for them, else a
        deferred part of a built page, else the next page not built yet."""
        self._stepping = False
        if self._closing:
            self._preparing = False
            return
        if self._stale:
            self._hand_lookups(min(self._stale))
            if not self._stale:
                self._settle()
        elif self._ready_owed:  # the last pages waiting got their pickers when shown (`page()`)
            self._settle()
        elif not (self._preparing and self._modules_imported):
            return
        elif self._workers_busy():
            pass  # try again next turn
        elif not self._build_a_part():
            self._preparing = False
            self._read_index_ahead()
            return
        self._schedule_step()

    def _read_index_ahead(self) -> None:
        """Once every page is built, the keyword index is read through in a worker (once a session):
        the first search after a start then finds it in the system's cache, not on the disk."""
        ctx = self.workspace.ctx
        if self._index_read or ctx is None:
            return
        self._index_read = True
        from app.services.search import read_index_once

        self.tasks.run(lambda: read_index_once(ctx), lambda _bytes: None, key="read-index")

    def _workers_busy(self) -> bool:
        """Whether a background page part should wait for the workers. While a worker runs Python
        (a page's list, its figures), the UI thread building a page takes turns with it for the
        interpreter lock (and on a busy machine waits while the scheduler has put the worker aside
        holding it), and the build's stall grows by half or more; so the build waits for them,
        though not for more than PREPARE_WAIT_TURNS turns in a row (a long job does not stop it)."""
        if self.tasks.pool.activeThreadCount() == 0 or self._waited >= PREPARE_WAIT_TURNS:
            self._waited = 0
            return False
        self._waited += 1
        return True

    def _build_a_part(self) -> bool:
        while self._unfinished:
            page = self._unfinished[0]
            if page.build_step():
                return True
            self._unfinished.pop(0)
            if page is not self.stack.currentWidget() and accessibility.name_ahead(page):
                return True
        missing = [p for p in Page if p not in self._built]
        if missing:
            self._build(missing[0])
        return bool(missing)

    def _offer_drafts(self, lookups: Lookups) -> None:
        """A transcript draft left by a crash is offered at once, not when its page is next opened."""
        ctx = self.workspace.ctx
        if ctx is None or Page.INTERVIEWS in self._built:
            return
        from .draft_journal import DraftJournal

        journal, inspection = DraftJournal.for_database(ctx.db), str(lookups.inspection_id)

        def found(entries: list[Any]) -> None:
            if any(data.get("inspection_id") == inspection for _key, _when, data in entries):
                self.page(Page.INTERVIEWS)
                self.statusBar().showMessage(translate("MainWindow", "发现未保存的谈话笔录草稿，请到“谈话记录”页恢复。"))

        self.tasks.run(lambda: journal.entries("interview-"), found, key="drafts")

    def _changed(self, change: ChangeSet) -> None:
        if change.touches(*INSPECTION_SETUP):
            self.refresh_inspections()
        kinds = change.all_kinds()
        for index, page in sorted(self._built.items()):
            if index not in self._stale:  # a page still to get its pickers reads afresh then
                page.on_workspace_changed(kinds)

    def show_error(self, message: str) -> None:
        self.status_label.setText(message)
        self.status_label.setStyleSheet("color: #b00020;")

    # --- navigation between records -------------------------------------------------------------
    def open_record(self, kind: str, record_id: Any) -> None:
        which = self.page_for_kind.get(kind)
        if which is None:
            return
        page = self.page(which)
        self.show_page_widget(page)
        page.open_kind_record(kind, record_id)

    def open_hit(self, hit: SearchHit) -> None:
        if hit.inspection_id is not None and hit.inspection_id != self.workspace.inspection_id:
            def switched(_lookups: Any) -> None:
                self.workspace.inspection_changed.disconnect(switched)
                self.open_record(hit.entity, hit.entity_id)

            self.workspace.inspection_changed.connect(switched)
            self.select_inspection(hit.inspection_id)
            return
        self.open_record(hit.entity, hit.entity_id)

    def _raise_finding(self, values: dict[str, Any]) -> None:
        self.show_page_widget(self.findings)
        self.findings.raise_from(values)

    # --- unsaved work ---------------------------------------------------------------------------
    def keep_unsaved_work(self) -> None:
        """After an unexpected error: put the transcript being typed into its draft journal now
        (the other forms keep their edits on screen, marked unsaved)."""
        interviews = self._built.get(Page.INTERVIEWS)
        if interviews is not None and interviews.dirty:
            interviews.write_journal()

    def dirty_pages(self) -> list[Any]:
        return [page for page in self.built_pages() if page.dirty]

    def leave_all(self, then: Callable[[], None], on_cancel: Callable[[], None] | None = None) -> None:
        """Ask each page with unsaved edits in turn; `then` runs once none is left."""
        dirty = self.dirty_pages()
        if not dirty:
            then()
            return
        page = dirty[0]
        self.show_page_widget(page)
        page.request_leave(lambda: self.leave_all(then, on_cancel) if not page.dirty else None, on_cancel)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.dirty_pages() and not self._closing:
            event.ignore()

            def close_now() -> None:
                self._closing = True
                self.close()

            self.leave_all(close_now)
            return
        self._save_layout()
        if Page.INTERVIEWS in self._built:
            self._built[Page.INTERVIEWS].write_journal()
        self.tasks.wait(5000)
        super().closeEvent(event)

    # --- layout memory --------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("main_window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        page = settings.value("main_window/page")
        if page is not None:
            with contextlib.suppress(TypeError, ValueError):
                self.show_page(int(page))

    def _save_layout(self) -> None:
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        settings.setValue("main_window/page", self.stack.currentIndex())
        for page in self.built_pages():
            page.save_layout(settings)


@dataclass
class Opening:
    """What the window shows first: the inspections, the chosen one and its overview."""

    inspections: list[Any]
    chosen: int = 0
    dashboard: DashboardData | None = None


def list_inspections(ctx: ServiceContext) -> list[Any]:
    from app.services.inspections import InspectionService

    return InspectionService(ctx).list()


def load_opening(ctx: ServiceContext, wanted: uuid.UUID | None) -> Opening:
    """One background job instead of two in a row: the list and the chosen inspection's overview
    (its pickers are read once the overview is painted)."""
    rows = list_inspections(ctx)
    chosen = choose_inspection(rows, wanted)
    if chosen is None:
        return Opening(inspections=rows)
    return Opening(rows, chosen, load_dashboard(ctx, rows[chosen].id))


_PAGE_MODULES = ("checklists", "interviews", "petitions", "document_reviews", "visits", "findings", "documents",
                 "meetings")
# Between building two pages in the background: room for the user's own events.
PREPARE_PAUSE_MS = 40
# How many of those pauses a part waits at most for the workers to finish (MainWindow._workers_busy).
PREPARE_WAIT_TURNS = 10


def _load_lookups(ctx: ServiceContext, inspection_id: uuid.UUID) -> Lookups:
    from .lookups import load_lookups

    return load_lookups(ctx, inspection_id)


def _page(module: str, name: str) -> Any:
    """A page class, imported when the page is first built."""
    return getattr(importlib.import_module(f"{__package__}.pages.{module}"), name)


def _saved_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
