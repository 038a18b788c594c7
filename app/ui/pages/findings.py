"""问题台账: the findings register with filters, keyword search, batch actions and Excel export,
beside the working paper of the finding in hand."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, QSettings, QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import FindingStatus, ReviewState
from app.services import register
from app.services.findings import FindingService
from app.services.register import RegisterFilter
from app.tempfiles import scratch

from .. import dialogs, i18n
from ..changes import CLUE, RECTIFICATION
from ..i18n import translate
from ..lookups import Lookups
from ..models.register_model import FindingRegisterModel
from ..page import PageHooks
from ..tasks import TaskHandle, TaskRunner
from ..widgets.choice_combo import ChoiceCombo
from ..widgets.guard import Guard
from ..widgets.message_bar import MessageBar
from ..workspace import FINDING, Workspace
from .working_paper import WorkingPaperEditor

# Typing pauses this long before the register asks the database.
KEYWORD_DELAY_MS = 250
SCOPE_INSPECTION, SCOPE_ALL = "inspection", "all"


class FindingsPage(QWidget, PageHooks):
    kind = FINDING

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.tasks = TaskRunner(self)
        self.lookups: Lookups | None = None
        self._pending_open: uuid.UUID | None = None
        self._export: TaskHandle | None = None
        self._reverting = Guard()  # our own selection changes (widgets/guard.py)
        # Rows to select again once a reload after a batch action has listed its keys.
        self._reselect_ids: list[uuid.UUID] = []
        # Until the user sorts by a column, each scope has its natural order.
        self._sort_chosen = False

        self.heading = QLabel(translate("FindingsPage", "问题台账"), self)
        self.heading.setObjectName("pageHeading")
        self.count_label = QLabel(self)
        self.message = MessageBar(self)

        keyword_label = self._build_filters()
        self._build_actions()
        self._build_batch_actions()
        self._build_register()
        self._build_editor()

        self._build_layout(keyword_label)
        self._selection_changed()

    def _build_filters(self) -> QLabel:
        """The keyword and the filter combos; returns the keyword's label for the layout."""
        self.keyword = QLineEdit(self)
        self.keyword.setPlaceholderText(translate("FindingsPage", "标题、现象、定性、责任人中的文字"))
        self.keyword.setClearButtonEnabled(True)
        self.keyword.setMinimumWidth(220)
        keyword_label = QLabel(translate("FindingsPage", "关键词(&K)："), self)
        keyword_label.setBuddy(self.keyword)
        self._keyword_timer = QTimer(self)
        self._keyword_timer.setSingleShot(True)
        self._keyword_timer.setInterval(KEYWORD_DELAY_MS)
        self._keyword_timer.timeout.connect(self.apply_filters)
        self.keyword.textChanged.connect(lambda _t: self._keyword_timer.start())
        self.keyword.returnPressed.connect(self.apply_filters)

        self.scope = ChoiceCombo(self)
        self.scope.set_choices([(SCOPE_INSPECTION, translate("FindingsPage", "本次巡察")), (SCOPE_ALL, translate("FindingsPage", "全部巡察"))])
        all_text = translate("FindingsPage", "全部")
        self.category = ChoiceCombo(self, blank=all_text)
        self.discipline = ChoiceCombo(self, blank=all_text)
        self.status = ChoiceCombo(self, blank=all_text)
        self.unit = ChoiceCombo(self, blank=all_text)
        self.review_state = ChoiceCombo(self, blank=all_text)
        self.four_form = ChoiceCombo(self, blank=all_text)
        self.status.set_choices(list(i18n.labels(FindingStatus).items()))
        self.review_state.set_choices(list(i18n.labels(ReviewState).items()))
        self.clear_button = QPushButton(translate("FindingsPage", "清除筛选(&L)"), self)
        self.clear_button.clicked.connect(self.clear_filters)
        for combo in (self.scope, self.category, self.discipline, self.status, self.unit, self.review_state, self.four_form):
            combo.key_changed.connect(lambda _k: self.apply_filters())
        self.scope.key_changed.connect(lambda _k: self._load_units())
        return keyword_label

    def _build_actions(self) -> None:
        """Export (with its progress and cancel) and 新建问题."""
        self.export_button = QPushButton(translate("FindingsPage", "导出Excel(&E)…"), self)
        self.export_button.setToolTip(translate("FindingsPage", "把当前筛选出的全部问题按当前顺序导出为 .xlsx"))
        self.export_button.clicked.connect(self.export)
        self.cancel_export_button = QPushButton(translate("FindingsPage", "取消导出"), self)
        self.cancel_export_button.clicked.connect(self.cancel_export)
        self.cancel_export_button.setVisible(False)
        self.export_progress = QProgressBar(self)
        self.export_progress.setMaximumWidth(160)
        self.export_progress.setVisible(False)
        self.new_button = QPushButton(translate("FindingsPage", "新建问题(&N)"), self)
        self.new_button.clicked.connect(self.new_finding)

    def _build_batch_actions(self) -> None:
        self.selection_label = QLabel(self)
        self.batch_assignee = ChoiceCombo(self, blank=translate("FindingsPage", "（不指派）"))
        self.assign_button = QPushButton(translate("FindingsPage", "指派(&A)"), self)
        self.assign_button.clicked.connect(self.assign_selected)
        self.batch_assignee.setAccessibleName(translate("FindingsPage", "把选中的问题指派给"))
        self.batch_status = ChoiceCombo(self)
        self.batch_status.setAccessibleName(translate("FindingsPage", "把选中的问题改为状态"))
        self.batch_status.set_choices(list(i18n.labels(FindingStatus).items()))
        self.status_button = QPushButton(translate("FindingsPage", "更改状态(&U)"), self)
        self.status_button.clicked.connect(self.change_status_of_selected)

    def _build_register(self) -> None:
        """The register's model and table."""
        self.model = FindingRegisterModel(self)
        self.model.loaded.connect(self._register_loaded)
        self.model.keys_loaded.connect(self._keys_loaded)
        self.model.failed.connect(self.message.show_error)
        self.table = QTableView(self)
        self.table.setAccessibleName(translate("FindingsPage", "问题台账"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        # Fixed heights: the view never measures 100,000 rows.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.sectionClicked.connect(lambda _section: setattr(self, "_sort_chosen", True))
        for n, column in enumerate(self.model.columns):
            self.table.setColumnWidth(n, column.width)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

    def _build_editor(self) -> None:
        """The working paper of the finding in hand."""
        self.editor = WorkingPaperEditor(self.workspace, self)
        self.editor.saved.connect(self._paper_saved)
        self.editor.shown.connect(lambda _f: self._mark_unlisted())
        self.editor.reviewed.connect(lambda _f: self.model.invalidate_rows())

    def _build_layout(self, keyword_label: QLabel) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        top.addStretch(1)
        top.addWidget(self.export_progress)
        top.addWidget(self.cancel_export_button)
        top.addWidget(self.export_button)
        top.addWidget(self.new_button)

        filters = QGridLayout()
        filters.setHorizontalSpacing(6)
        filters.addWidget(keyword_label, 0, 0)
        filters.addWidget(self.keyword, 0, 1, 1, 3)
        filters.addWidget(self._label(translate("FindingsPage", "范围："), self.scope), 0, 4)
        filters.addWidget(self.scope, 0, 5)
        filters.addWidget(self._label(translate("FindingsPage", "单位："), self.unit), 0, 6)
        filters.addWidget(self.unit, 0, 7)
        filters.addWidget(self.clear_button, 0, 8)
        pairs = (
            (translate("FindingsPage", "类别："), self.category), (translate("FindingsPage", "纪律："), self.discipline),
            (translate("FindingsPage", "办理："), self.status), (translate("FindingsPage", "审核："), self.review_state),
        )
        for n, (text, combo) in enumerate(pairs):
            filters.addWidget(self._label(text, combo), 1, n * 2)
            filters.addWidget(combo, 1, n * 2 + 1)
        filters.addWidget(self._label(translate("FindingsPage", "形态："), self.four_form), 1, 8)
        filters.addWidget(self.four_form, 1, 9)
        filters.setColumnStretch(1, 2)
        filters.setColumnStretch(3, 1)
        filters.setColumnStretch(5, 1)
        filters.setColumnStretch(7, 2)

        batch = QHBoxLayout()
        batch.addWidget(self.selection_label)
        batch.addStretch(1)
        batch.addWidget(self.batch_assignee)
        batch.addWidget(self.assign_button)
        batch.addSpacing(12)
        batch.addWidget(self.batch_status)
        batch.addWidget(self.status_button)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(batch)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def restore_layout(self, settings: QSettings) -> None:
        state = settings.value("pages/finding/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        header = settings.value("pages/finding/header")
        if isinstance(header, QByteArray):
            self.table.horizontalHeader().restoreState(header)
            self._sort_chosen = bool(settings.value("pages/finding/sort_chosen", False, type=bool))

    def save_layout(self, settings: QSettings) -> None:
        settings.setValue("pages/finding/splitter", self.splitter.saveState())
        settings.setValue("pages/finding/header", self.table.horizontalHeader().saveState())
        settings.setValue("pages/finding/sort_chosen", self._sort_chosen)

    # --- the inspection -------------------------------------------------------------------------
    def set_lookups(self, lookups: Lookups | None) -> None:
        self.lookups = lookups
        self.model.set_context(self.workspace.ctx)
        with contextlib.ExitStack() as quiet:
            for combo in (self.category, self.discipline, self.four_form, self.batch_assignee, self.unit):
                quiet.enter_context(QSignalBlocker(combo))
            if lookups is not None:
                self.category.set_choices(lookups.categories)
                self.discipline.set_choices(lookups.disciplines)
                self.four_form.set_choices(lookups.four_forms)
                self.batch_assignee.set_choices([(str(m.id), m.name) for m in lookups.team])
        self.editor.set_lookups(lookups)
        self._load_units()
        self.apply_filters()

    def _load_units(self) -> None:
        ctx = self.workspace.ctx
        if ctx is None or self.lookups is None:
            return
        inspection_id = self.lookups.inspection_id if self.scope.key() == SCOPE_INSPECTION else None

        def show(units: list[tuple[uuid.UUID, str]]) -> None:
            with QSignalBlocker(self.unit):
                self.unit.set_choices([(str(u), name) for u, name in units])

        self.tasks.run(lambda: register.units_with_findings(ctx, inspection_id), show, self.message.show_error, key="units")

    def on_workspace_changed(self, kinds: frozenset[str]) -> None:
        # The office's follow-up and clue hand-over change what the register shows too.
        if kinds & {FINDING, RECTIFICATION, CLUE} and self.lookups is not None:
            self.model.reload()

    # --- filters --------------------------------------------------------------------------------
    def current_filter(self) -> RegisterFilter:
        unit = self.unit.key()
        return RegisterFilter(
            inspection_id=self.lookups.inspection_id if self.lookups and self.scope.key() == SCOPE_INSPECTION else None,
            keyword=self.keyword.text().strip(),
            category_code=self.category.key(),
            discipline_code=self.discipline.key(),
            status=self.status.key(),
            unit_id=uuid.UUID(unit) if unit else None,
            review_state=self.review_state.key(),
            four_form=self.four_form.key(),
        )

    def apply_filters(self) -> None:
        self._keyword_timer.stop()
        if self.lookups is None:
            return
        self.count_label.setText(translate("FindingsPage", "正在查询…"))
        filt = self.current_filter()
        if self._sort_chosen:
            self.model.set_query(filt)
        else:
            self.model.set_query(filt, *register.opening_order(filt))

    def clear_filters(self) -> None:
        widgets = (self.category, self.discipline, self.status, self.unit, self.review_state, self.four_form)
        for combo in widgets:
            with QSignalBlocker(combo):
                combo.set_key(None)
        with QSignalBlocker(self.keyword):
            self.keyword.clear()
        self.apply_filters()

    def _register_loaded(self, total: int) -> None:
        # A word in most findings: the first answer counts only the rows read for the page ("1,000+"),
        # rounded down; the exact number follows with every key.
        shown = f"{total:,}" if self.model.total_exact else f"{(total // 100 * 100 or total):,}+"
        self.count_label.setText(translate("FindingsPage", "共 {n} 个问题").format(n=shown))
        column = self.model.column_of_sort_key(self.model.sort_key)
        header = self.table.horizontalHeader()
        with QSignalBlocker(header):
            header.setSortIndicatorShown(column >= 0)
            if column >= 0:
                header.setSortIndicator(
                    column, Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder
                )
        self._selection_changed()
        self._reselect_current()

    def _keys_loaded(self, _total: int) -> None:
        if self._pending_open is not None:
            self._select_finding(self._pending_open)
        else:
            self._reselect_current()
        self._mark_unlisted()
        if self._reselect_ids:
            ids, self._reselect_ids = self._reselect_ids, []
            selection = self.table.selectionModel()
            flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            with self._reverting:
                for finding_id in ids:
                    row = self.model.row_of_id(finding_id)
                    if row >= 0:
                        selection.select(self.model.index(row, 0), flags)
            self._selection_changed()

    def _reselect_current(self) -> None:
        current = self.editor.current_id
        if current is not None:
            row = self.model.row_of_id(current)
            if row >= 0:
                with self._reverting:
                    self.table.selectionModel().setCurrentIndex(
                        self.model.index(row, 0),
                        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                    )

    def _mark_unlisted(self) -> None:
        """Mark the paper when the rows beside it leave its finding out (a filter, a deletion
        received, a finding opened from the search): the paper itself stays as the user left it —
        clearing it on a reload would race the paper's own loading, saving and review steps."""
        if self.model.keys_complete and not self.model.loading:
            current = self.editor.current_id
            self.editor.set_unlisted(current is not None and self.model.row_of_id(current) < 0)

    # --- selection and the working paper -------------------------------------------------------
    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedRows()})

    def selected_ids(self) -> list[uuid.UUID]:
        return self.model.ids_of_rows(self.selected_rows())

    def _selection_changed(self) -> None:
        n = len(self.selected_rows())
        self.selection_label.setText(translate("FindingsPage", "已选 {n} 个问题").format(n=n) if n else translate("FindingsPage", "未选择问题"))
        for w in (self.assign_button, self.status_button, self.batch_assignee, self.batch_status):
            w.setEnabled(n > 0)

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._reverting or not current.isValid():
            return
        finding_id = self.model.row_id(current.row())
        if finding_id is None or finding_id == self.editor.current_id:
            return

        def stay() -> None:
            with self._reverting:
                if previous.isValid():
                    self.table.selectionModel().setCurrentIndex(
                        previous, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                    )

        self.editor.request_leave(lambda: self._open_row(finding_id), on_cancel=stay)

    def _open_row(self, finding_id: uuid.UUID) -> None:
        # The user chose a row: a finding opened from elsewhere is no longer waited for (a later
        # filter listing it would select it beside this paper).
        self._pending_open = None
        self.editor.load(finding_id)

    def open_record(self, finding_id: Any) -> None:
        """Show a finding chosen elsewhere (search, dashboard, a checklist link)."""

        def go() -> None:
            self.editor.load(finding_id)
            if not self._select_finding(finding_id):
                self._pending_open = finding_id

        self.editor.request_leave(go)

    def _select_finding(self, finding_id: Any) -> bool:
        row = self.model.row_of_id(finding_id)
        if row < 0:
            return False
        self._pending_open = None
        index = self.model.index(row, 0)
        with self._reverting:
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def new_item(self) -> None:
        self.new_finding()

    def new_finding(self) -> None:
        self.editor.request_leave(lambda: self._start_new({}))

    def raise_from(self, values: dict[str, Any]) -> None:
        """提出问题 from a record: a new working paper drafted from it."""
        self.editor.request_leave(lambda: self._start_new(values))

    def _start_new(self, values: dict[str, Any]) -> None:
        self._pending_open = None
        self.editor.start_new(values)

    def save(self) -> None:
        self.editor.save()

    def request_leave(self, then: Any, on_cancel: Any = None) -> None:
        self.editor.request_leave(then, on_cancel)

    @property
    def dirty(self) -> bool:
        return self.editor.dirty

    def _paper_saved(self, finding: Any) -> None:
        self._pending_open = finding.id
        # The rows held are from before the save (a new finding is not among them yet): the reload
        # the save started says whether it is listed.
        self.editor.set_unlisted(False)

    # --- batch actions --------------------------------------------------------------------------
    def assign_selected(self) -> None:
        assignee = self.batch_assignee.key()
        self._batch({"assignee_id": uuid.UUID(assignee) if assignee else None},
                    translate("FindingsPage", "已对 {n} 个问题指派。"))

    def change_status_of_selected(self) -> None:
        self._batch({"status": self.batch_status.key()}, translate("FindingsPage", "已对 {n} 个问题更改状态。"))

    def _batch(self, values: dict[str, Any], done_text: str) -> None:
        ids = self.selected_ids()
        if not ids or self.workspace.ctx is None:
            return
        service = FindingService(self.workspace.ctx)

        def done(n: int) -> None:
            self.message.show_info(done_text.format(n=n))
            self._reselect_ids = ids
            self.workspace.announce(FINDING)
            if self.editor.current_id in ids and not self.editor.dirty:
                self.editor.load(self.editor.current_id)

        self.tasks.run(lambda: service.batch_update(ids, **values), done, self.message.show_error)

    # --- export ---------------------------------------------------------------------------------
    def export(self) -> None:
        if self.workspace.ctx is None or self.lookups is None:
            return
        suggested = translate("FindingsPage", "问题台账_{date}.xlsx").format(date=dt.date.today().strftime("%Y%m%d"))
        path = dialogs.save_file_path(self, translate("FindingsPage", "导出问题台账"), suggested, translate("FindingsPage", "Excel 工作簿 (*.xlsx)"))
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        self.export_to(path)

    def export_to(self, path: str) -> None:
        ctx, filt = self.workspace.context(), self.model.filter
        sort_key, descending = self.model.sort_key, self.model.descending
        keys = self.model.all_keys()
        # Labels are translated here, on the UI thread; the worker only calls plain functions.
        columns = [(c.header, c.value) for c in self.model.columns]
        sheet_title = translate("FindingsPage", "问题台账")

        def run(progress: Any) -> int:
            ids = keys if keys is not None else register.matching_ids(ctx, filt, sort_key, descending)
            # The workbook's sheet data passes through temporary files: private, and removed even
            # when the export is cancelled or fails.
            with scratch():
                return register.export_xlsx(
                    ctx, ids, path, columns=columns, sheet_title=sheet_title,
                    progress=progress.report, cancelled=progress.cancelled,
                )

        def progressed(done: int, total: int) -> None:
            self.export_progress.setMaximum(max(total, 1))
            self.export_progress.setValue(done)

        def finished(n: int) -> None:
            self._export_finished()
            self.message.show_info(translate("FindingsPage", "已导出 {n} 个问题到 {path}").format(n=n, path=path), 8000)

        def failed(message: str) -> None:
            self._export_finished()
            self.message.show_error(message)

        self.export_button.setEnabled(False)
        self.export_progress.setValue(0)
        self.export_progress.setVisible(True)
        self.cancel_export_button.setVisible(True)
        self._export = self.tasks.run_with_progress(run, finished, failed, progressed)

    @property
    def exporting(self) -> bool:
        return self._export is not None

    def cancel_export(self) -> None:
        if self._export is not None:
            self._export.cancel()

    def _export_finished(self) -> None:
        self._export = None
        self.export_button.setEnabled(True)
        self.export_progress.setVisible(False)
        self.cancel_export_button.setVisible(False)
