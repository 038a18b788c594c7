"""工作清单: the 五必查、六必问、四必谈 lists of the inspection, with progress and coverage.

Each item can be marked done or not applicable (with a note), carry attachments, and link to the
records and findings it produced. The 必谈 tab shows which categories still lack an interview and
with whom; the 必问 tab, which topics no interview has asked yet.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ChecklistKind, ChecklistStatus
from app.services import checklists
from app.services.checklists import ChecklistService, Coverage

from .. import dialogs, i18n, record_kinds
from ..dialogs import Unsaved
from ..i18n import translate
from ..lookups import Lookups
from ..page import PageHooks
from ..tasks import TaskRunner
from ..widgets.attachments import AttachmentsPanel
from ..widgets.dirty import DirtyTracker
from ..widgets.fields import text_edit
from ..widgets.guard import Guard
from ..widgets.message_bar import MessageBar
from ..workspace import CHECKLIST, INTERVIEW, Workspace

_LISTS = (ChecklistKind.MUST_CHECK, ChecklistKind.MUST_ASK, ChecklistKind.MUST_TALK)
_STATUS_COLOURS = {
    ChecklistStatus.DONE: QColor("#1e7b34"),
    ChecklistStatus.NOT_APPLICABLE: QColor("#6b6b6b"),
    ChecklistStatus.OPEN: QColor("#a05a00"),
}
_ItemRole = Qt.ItemDataRole.UserRole
# Lists whose coverage the interviews show (the third column); the others show the team's notes.
_COVERED = (ChecklistKind.MUST_ASK, ChecklistKind.MUST_TALK)


class _ListTab(QWidget):
    """One of the three lists: a progress bar, the items, and (for 必问/必谈) what is not covered."""

    def __init__(self, list_kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list_kind = list_kind
        self.progress = QProgressBar(self)
        self.progress.setFormat(translate("ChecklistsPage", "已完成 %v / %m 项"))
        self.progress.setTextVisible(True)
        extras: dict[str, str] = {
            ChecklistKind.MUST_ASK: translate("ChecklistsPage", "谈话中问到"),
            ChecklistKind.MUST_TALK: translate("ChecklistsPage", "已谈 / 尚未谈话"),
        }
        extra = extras.get(list_kind)
        headers = [translate("ChecklistsPage", "事项"), translate("ChecklistsPage", "完成情况")]
        headers += [extra] if extra else [translate("ChecklistsPage", "情况说明")]
        self.table = QTableWidget(0, len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        # Rows follow their text as the column width changes (a few rows only: cheap).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 150)
        self.coverage = QLabel(self)
        self.coverage.setWordWrap(True)
        self.coverage.setObjectName("coverage")
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.coverage)
        self.coverage.setVisible(bool(extra))

    def show_items(self, items: list[Any], cover: Coverage | None) -> None:
        entries = {}
        if cover is not None:
            source = cover.must_ask if self.list_kind == ChecklistKind.MUST_ASK else cover.must_talk
            entries = {e.code: e for e in source}
        current = self.current_item_id()
        self.table.setRowCount(len(items))
        done = 0
        for row, item in enumerate(items):
            if item.status != ChecklistStatus.OPEN:
                done += 1
            title = QTableWidgetItem(item.title)
            title.setData(_ItemRole, item.id)
            title.setToolTip(item.guidance or "")
            status = QTableWidgetItem(i18n.label(ChecklistStatus, item.status))
            status.setForeground(QBrush(_STATUS_COLOURS.get(item.status, QColor("#000"))))
            self.table.setItem(row, 0, title)
            self.table.setItem(row, 1, status)
            entry = entries.get(item.code)
            third = self._coverage_text(entry) if self.list_kind in _COVERED else (item.notes or "")
            self.table.setItem(row, 2, QTableWidgetItem(third))
            if current is not None and item.id == current:
                self.table.selectRow(row)
        self.progress.setMaximum(max(len(items), 1))
        self.progress.setValue(done)
        self._show_summary(list(entries.values()))

    def _coverage_text(self, entry: Any) -> str:
        if entry is None:
            return ""
        if self.list_kind == ChecklistKind.MUST_ASK:
            return translate("ChecklistsPage", "{n} 次谈话").format(n=entry.record_count) if entry.record_count else translate("ChecklistsPage", "尚未问到")
        text = translate("ChecklistsPage", "已谈 {n} 人次").format(n=entry.record_count)
        if entry.missing_people:
            text += translate("ChecklistsPage", "；尚未谈话：{names}").format(names="、".join(entry.missing_people))
        return text

    def _show_summary(self, entries: list[Any]) -> None:
        missing = [e for e in entries if not e.covered]
        if self.list_kind == ChecklistKind.MUST_ASK:
            text = (
                translate("ChecklistsPage", "尚无谈话问到：{items}").format(items="、".join(e.title for e in missing))
                if missing else translate("ChecklistsPage", "六必问的六个方面都已在谈话中问到。")
            )
        else:
            text = (
                translate("ChecklistsPage", "尚缺谈话的类别：{items}").format(items="、".join(e.title for e in missing))
                if missing else translate("ChecklistsPage", "四必谈的各类人员都已谈到。")
            )
        self.coverage.setText(text)
        self.coverage.setStyleSheet("color:#a05a00;" if missing else "color:#1e7b34;")

    def current_item_id(self) -> uuid.UUID | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(_ItemRole) if item is not None else None

    def select_item(self, item_id: Any) -> bool:
        for row in range(self.table.rowCount()):
            cell = self.table.item(row, 0)
            if cell is not None and cell.data(_ItemRole) == item_id:
                self.table.selectRow(row)
                return True
        return False


class LinkPicker(QDialog):
    """Choose a record or finding of the inspection to link to a checklist item."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ChecklistsPage", "关联记录"))
        self.resize(560, 420)
        self.workspace = workspace
        self.tasks = TaskRunner(self)
        self.kind = QComboBox(self)
        for kind in record_kinds.KINDS:
            self.kind.addItem(record_kinds.kind_name(kind), kind)
        self.records = QListWidget(self)
        self.records.itemDoubleClicked.connect(lambda _i: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(translate("ChecklistsPage", "记录类别："), self.kind)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.records, 1)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(lambda _i: self.load())
        self.load()

    def load(self) -> None:
        ctx, kind = self.workspace.context(), self.kind.currentData()
        inspection_id = self.workspace.inspection_id
        self.records.clear()

        def show(rows: list[tuple[Any, str]]) -> None:
            self.records.clear()
            for record_id, text in rows:
                item = QListWidgetItem(text, self.records)
                item.setData(_ItemRole, record_id)

        self.tasks.run(lambda: record_kinds.records_of(ctx, kind, inspection_id), show, key="records")

    def chosen(self) -> tuple[str, Any] | None:
        item = self.records.currentItem()
        return (self.kind.currentData(), item.data(_ItemRole)) if item is not None else None


class ChecklistsPage(QWidget, PageHooks):
    open_link_button: QPushButton  # (read by a handler connected before it is made)
    kind = CHECKLIST

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.tasks = TaskRunner(self)
        self.lookups: Lookups | None = None
        self.items: list[Any] = []
        self.coverage: Coverage | None = None
        self.current: Any = None
        self._reverting = Guard()  # our own selection changes (widgets/guard.py)
        self.tracker = DirtyTracker(self)

        self.heading = QLabel(translate("ChecklistsPage", "工作清单"), self)
        self.heading.setObjectName("pageHeading")
        self.summary = QLabel(self)
        self.message = MessageBar(self)
        self.tabs = QTabWidget(self)
        self.list_tabs: dict[str, _ListTab] = {}
        for list_kind in _LISTS:
            tab = _ListTab(list_kind, self)
            tab.table.currentCellChanged.connect(
                lambda row, _c, prev_row, _pc, tab=tab: self._item_changed(tab, row, prev_row)
            )
            self.list_tabs[list_kind] = tab
            self.tabs.addTab(tab, i18n.label(ChecklistKind, list_kind))

        # The selected item
        self.item_title = QLabel(self)
        self.item_title.setObjectName("editorTitle")
        self.item_title.setWordWrap(True)
        self.guidance = QTextBrowser(self)
        self.guidance.setAccessibleName(translate("ChecklistsPage", "这一项怎么查（依据和方法）"))
        self.guidance.setMaximumHeight(130)
        self.status_group = QButtonGroup(self)
        self.status_buttons: dict[str, QRadioButton] = {}
        status_row = QHBoxLayout()
        for code, text in (
            (ChecklistStatus.OPEN, translate("ChecklistsPage", "未完成(&O)")),
            (ChecklistStatus.DONE, translate("ChecklistsPage", "已完成(&C)")),
            (ChecklistStatus.NOT_APPLICABLE, translate("ChecklistsPage", "不适用(&A)")),
        ):
            button = QRadioButton(text, self)
            self.status_group.addButton(button)
            self.status_buttons[code] = button
            status_row.addWidget(button)
        status_row.addStretch(1)
        self.notes = text_edit(self, translate("ChecklistsPage", "完成情况或不适用的理由"), 60)
        self.save_button = QPushButton(translate("ChecklistsPage", "保存(&S)"), self)
        self.save_button.clicked.connect(lambda: self.save())
        status_row.addWidget(self.save_button)
        self.tracker.watch(self.notes, *self.status_buttons.values())

        self.links = QListWidget(self)
        self.links.setMaximumHeight(110)
        self.links.itemActivated.connect(self._open_link)
        self.links.currentItemChanged.connect(
            lambda item, _prev: self.open_link_button.setEnabled(item is not None and item.data(_ItemRole) is not None)
        )
        self.link_button = QPushButton(translate("ChecklistsPage", "关联记录(&L)…"), self)
        self.link_button.clicked.connect(self.add_link)
        self.open_link_button = QPushButton(translate("ChecklistsPage", "打开"), self)
        self.open_link_button.clicked.connect(lambda: self._open_link(self.links.currentItem()))
        self.open_link_button.setEnabled(False)
        self.attachments = AttachmentsPanel("checklist_item", self)
        self.attachments.error.connect(self.message.show_error)
        self.attachments.message.connect(lambda text: self.message.show_info(text))
        self.attachments.setMaximumHeight(140)

        self._build_layout(status_row)
        self._show_item(None)

    def _build_layout(self, status_row: QHBoxLayout) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.summary, 1)

        detail = QWidget(self)
        d = QVBoxLayout(detail)
        d.setContentsMargins(8, 0, 0, 0)
        d.addWidget(self.item_title)
        d.addWidget(self.guidance)
        d.addLayout(status_row)
        notes_label = QLabel(translate("ChecklistsPage", "情况说明(&N)："), detail)
        notes_label.setBuddy(self.notes)
        d.addWidget(notes_label)
        d.addWidget(self.notes)
        link_row = QHBoxLayout()
        link_row.addWidget(QLabel(translate("ChecklistsPage", "关联的记录和问题："), detail))
        link_row.addStretch(1)
        link_row.addWidget(self.open_link_button)
        link_row.addWidget(self.link_button)
        d.addLayout(link_row)
        d.addWidget(self.links)
        d.addWidget(QLabel(translate("ChecklistsPage", "附件："), detail))
        d.addWidget(self.attachments)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)

    def restore_layout(self, settings: QSettings) -> None:
        state = settings.value("pages/checklist/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)

    def save_layout(self, settings: QSettings) -> None:
        settings.setValue("pages/checklist/splitter", self.splitter.saveState())

    # --- loading --------------------------------------------------------------------------------
    def set_lookups(self, lookups: Lookups | None) -> None:
        self.lookups = lookups
        self.tracker.set_dirty(False)
        self._show_item(None)
        self.reload()

    def on_workspace_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {CHECKLIST, INTERVIEW} and self.lookups is not None:
            self.reload()

    def reload(self) -> None:
        if self.lookups is None or self.workspace.ctx is None:
            return
        ctx, inspection_id = self.workspace.ctx, self.lookups.inspection_id

        def load() -> tuple[list[Any], Coverage]:
            return ChecklistService(ctx).for_inspection(inspection_id), checklists.coverage(ctx, inspection_id)

        self.tasks.run(load, self._show_lists, self.message.show_error, key="lists")

    def _show_lists(self, loaded: tuple[list[Any], Coverage]) -> None:
        self.items, self.coverage = loaded
        with self._reverting:
            for list_kind, tab in self.list_tabs.items():
                tab.show_items([i for i in self.items if i.list_kind == list_kind], self.coverage)
        done = sum(1 for i in self.items if i.status != ChecklistStatus.OPEN)
        self.summary.setText(translate("ChecklistsPage", "三张清单共 {n} 项，已完成 {done} 项").format(n=len(self.items), done=done))
        for n, list_kind in enumerate(_LISTS):
            tab_items = [i for i in self.items if i.list_kind == list_kind]
            tab_done = sum(1 for i in tab_items if i.status != ChecklistStatus.OPEN)
            self.tabs.setTabText(n, f"{i18n.label(ChecklistKind, list_kind)} {tab_done}/{len(tab_items)}")
        if self.current is not None and not self.tracker.dirty:
            fresh = next((i for i in self.items if i.id == self.current.id), None)
            self._show_item(fresh)
        elif self.current is None and self.items:
            # Something to read at once: the first item of the list in view.
            shown = self.tabs.currentWidget()
            if isinstance(shown, _ListTab) and shown.table.rowCount():
                shown.table.selectRow(0)

    # --- the selected item ----------------------------------------------------------------------
    def _item_changed(self, tab: _ListTab, row: int, previous_row: int) -> None:
        if self._reverting or row < 0:
            return
        cell = tab.table.item(row, 0)
        if cell is None:
            return
        item_id = cell.data(_ItemRole)
        if self.current is not None and item_id == self.current.id:
            return
        item = next((i for i in self.items if i.id == item_id), None)

        def stay() -> None:
            with self._reverting:
                tab.table.selectRow(previous_row) if previous_row >= 0 else tab.table.clearSelection()

        self.request_leave(lambda: self._show_item(item), on_cancel=stay)

    def _show_item(self, item: Any | None) -> None:
        self.current = item
        enabled = item is not None
        with self.tracker.quiet():
            self.item_title.setText(item.title if item else translate("ChecklistsPage", "请在左侧选择一个清单事项。"))
            self.guidance.setPlainText((item.guidance or "") if item else "")
            status = item.status if item else ChecklistStatus.OPEN
            for code, button in self.status_buttons.items():
                button.setChecked(code == status)
            self.notes.setPlainText((item.notes or "") if item else "")
        self.tracker.set_dirty(False)
        for w in (self.save_button, self.notes, self.link_button, *self.status_buttons.values()):
            w.setEnabled(enabled)
        self.attachments.set_owner(self.workspace.ctx if item else None, item.id if item else None)
        self.load_links()

    def chosen_status(self) -> str:
        return next(code for code, b in self.status_buttons.items() if b.isChecked())

    def select(self, list_kind: str, code: str) -> None:
        """Show an item by its list and code (used by tests and the dashboard)."""
        self.tabs.setCurrentIndex(_LISTS.index(ChecklistKind(list_kind)))
        item = next((i for i in self.items if i.list_kind == list_kind and i.code == code), None)
        if item is not None:
            self.list_tabs[list_kind].select_item(item.id)

    @property
    def dirty(self) -> bool:
        return self.tracker.dirty

    def request_leave(self, then: Any, on_cancel: Any = None) -> None:
        if not self.tracker.dirty:
            then()
            return
        answer = dialogs.ask_unsaved(self, self.current.title if self.current else translate("ChecklistsPage", "清单事项"))
        if answer is Unsaved.SAVE:
            self.save(then=then, on_fail=on_cancel)
        elif answer is Unsaved.DISCARD:
            self.tracker.set_dirty(False)
            then()
        elif on_cancel is not None:
            on_cancel()

    def save(self, then: Any = None, on_fail: Any = None) -> None:
        if self.current is None or self.workspace.ctx is None:
            return
        service, item_id = ChecklistService(self.workspace.ctx), self.current.id
        status, notes = self.chosen_status(), self.notes.toPlainText()
        if status == self.current.status and notes == (self.current.notes or ""):
            # Marking again would re-stamp who did it and when: an unchanged item is not written.
            self.tracker.set_dirty(False)
            self.message.show_info(translate("ChecklistsPage", "没有需要保存的修改。"))
            if then is not None:
                then()
            return

        def done(item: Any) -> None:
            self.tracker.set_dirty(False)
            self.current = item
            self.message.show_info(translate("ChecklistsPage", "已保存“{title}”。").format(title=item.title))
            self.workspace.announce(CHECKLIST)
            if then is not None:
                then()

        def failed(message: str) -> None:
            self.message.show_error(message)
            if on_fail is not None:
                on_fail()

        self.tasks.run(lambda: service.mark(item_id, status, notes), done, failed)

    # --- links ----------------------------------------------------------------------------------
    def load_links(self) -> None:
        self.links.clear()
        if self.current is None or self.workspace.ctx is None:
            return
        ctx, item_id = self.workspace.ctx, self.current.id
        deleted = translate("ChecklistsPage", "（记录已删除）")

        def load() -> list[tuple[str, Any, str]]:
            links = ChecklistService(ctx).links(item_id)
            return record_kinds.describe_links(ctx, [(link.target_kind, link.target_id) for link in links], deleted)

        def show(described: list[tuple[str, Any, str]]) -> None:
            self.links.clear()
            for kind, record_id, text in described:
                item = QListWidgetItem(f"[{record_kinds.kind_name(kind)}] {text}", self.links)
                item.setData(_ItemRole, (kind, record_id))
            if not described:
                empty = QListWidgetItem(translate("ChecklistsPage", "尚未关联记录。"), self.links)
                empty.setFlags(Qt.ItemFlag.NoItemFlags)

        self.tasks.run(load, show, self.message.show_error, key="links")

    def add_link(self) -> None:
        if self.current is None:
            return
        picker = LinkPicker(self.workspace, self)
        if picker.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = picker.chosen()
        if chosen is not None:
            self.link(*chosen)

    def link(self, kind: str, record_id: Any) -> None:
        if self.current is None or self.workspace.ctx is None:
            return
        service, item_id = ChecklistService(self.workspace.ctx), self.current.id

        def done(_link: Any) -> None:
            self.message.show_info(translate("ChecklistsPage", "已关联。"))
            self.load_links()

        self.tasks.run(lambda: service.link(item_id, kind, record_id), done, self.message.show_error)

    def _open_link(self, item: QListWidgetItem | None) -> None:
        data = item.data(_ItemRole) if item is not None else None
        if data:
            self.workspace.open_record(*data)
