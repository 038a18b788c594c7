"""The shape shared by the fieldwork pages (谈话, 信访, 查阅资料, 走访): the inspection's records on
the left, the selected one in an editor on the right, and 提出问题 to turn it into a finding.

A subclass says which service it uses, which columns the list has, and which fields its form has
(`declare_fields`, app/ui/widgets/form_fields.py). Everything else — loading off the UI thread, saving, deleting, guarding unsaved
edits, keeping the selection across reloads, the record's attachments — lives here once.

A save of an existing record sends only the fields whose shown value the user changed: what the
form could not show exactly (a time's seconds, a value outside today's choices) is never written
back, and a save with no change writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.crud import EntityService
from app.services.findings import FindingService

from .. import dialogs
from ..dialogs import Unsaved
from ..i18n import translate
from ..lookups import Lookups
from ..models.record_table import Column, IdRole, RecordTableModel, SortRole
from ..page import PageHooks
from ..tasks import TaskRunner
from ..workspace import Workspace
from .attachments import AttachmentsPanel
from .dirty import DirtyTracker
from .field_errors import FieldErrors
from .form_fields import FormField, RecordValues, lay_out
from .guard import Guard
from .message_bar import MessageBar


class RecordPage(QWidget, PageHooks):
    kind: ClassVar[str]
    # Shown in headings and questions ("谈话记录"), already translated by the subclass.
    noun: str = ""
    # Can 提出问题 start a finding from this kind of record?
    raises_findings: ClassVar[bool] = True

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.tasks = TaskRunner(self)
        self.lookups: Lookups | None = None
        self.current_id: uuid.UUID | None = None
        self._current_record: Any = None
        self._reverting = Guard()  # our own selection changes (widgets/guard.py)
        self._saving = False
        # Columns fit their contents once; after that the user's widths are kept.
        self._columns_sized = False
        self.tracker = DirtyTracker(self)
        self.tracker.dirty_changed.connect(self._update_heading)

        self.model = RecordTableModel(self.list_columns(), self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)

        self.heading = QLabel(self)
        self.heading.setObjectName("pageHeading")
        self.count_label = QLabel(self)
        self.new_button = QPushButton(translate("RecordPage", "新建(&N)"), self)
        self.new_button.setToolTip(translate("RecordPage", "新建一条记录（Ctrl+N）"))
        self.new_button.clicked.connect(self.new_record)

        self.table = QTableView(self)
        self.table.setAccessibleName(translate("RecordPage", "{noun}列表").format(noun=self.noun))
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

        self.editor_title = QLabel(self)
        self.editor_title.setObjectName("editorTitle")
        self.message = MessageBar(self)
        self.errors = FieldErrors(self.message, self.tracker, self)
        # The form's values as last shown: a save sends what differs from them.
        self._shown_values: dict[str, Any] = {}
        self.attachments = AttachmentsPanel(self.kind, self)
        self.attachments.error.connect(self.message.show_error)
        self.attachments.message.connect(lambda text: self.message.show_info(text))
        self.attachments_box = QGroupBox(translate("RecordPage", "附件（扫描件、照片、信函等）"), self)
        box_layout = QVBoxLayout(self.attachments_box)
        box_layout.setContentsMargins(6, 4, 6, 6)
        box_layout.addWidget(self.attachments)
        self.attachments.list.setMaximumHeight(96)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.save_button = QPushButton(translate("RecordPage", "保存(&S)"), self)
        self.save_button.setToolTip(translate("RecordPage", "保存（Ctrl+S）"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self.save())
        self.delete_button = QPushButton(translate("RecordPage", "删除(&D)"), self)
        self.delete_button.clicked.connect(self.delete_record)
        self.raise_button = QPushButton(translate("RecordPage", "提出问题(&F)"), self)
        self.raise_button.setToolTip(translate("RecordPage", "以本记录为来源起草问题底稿"))
        self.raise_button.clicked.connect(self.raise_finding)
        self.raise_button.setVisible(self.raises_findings)

        self.form_fields = self.declare_fields()
        self.build_form(self.form)
        self._build_layout()
        self.watch_form()
        self._show_editor(None)

    # --- what a subclass provides ---------------------------------------------------------------
    def service(self) -> EntityService[Any]:
        raise NotImplementedError

    def list_columns(self) -> list[Column]:
        raise NotImplementedError

    def declare_fields(self) -> list[FormField]:
        """The form's fields in order (app/ui/widgets/form_fields.py): RecordPage builds, lays out,
        watches, fills and reads them, and outlines the one a refused value names. A page adds only
        what is particular to it, overriding build_form or fill_form and calling them first."""
        return []

    def build_form(self, form: QFormLayout) -> None:
        for f in self.form_fields:
            setattr(self, f.attr, f.create(self))
        lay_out(form, self.form_fields, lambda f: getattr(self, f.attr))

    def watch_form(self) -> None:
        """Register the form's input widgets with `self.tracker`."""
        self.tracker.watch(*(getattr(self, f.attr) for f in self.form_fields))

    def fill_form(self, record: Any | None) -> None:
        """Show a record (None: a blank new one)."""
        source = RecordValues(record) if record is not None else None
        for f in self.form_fields:
            f.fill(getattr(self, f.attr), source, self.lookups)

    def form_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for f in self.form_fields:
            values.update(f.values(getattr(self, f.attr)))
        if self.current_id is None:
            assert self.lookups is not None  # a new record is made for the chosen inspection
            values["inspection_id"] = self.lookups.inspection_id
        return values

    def describe(self, record: Any) -> str:
        return self.noun

    def editor_body(self) -> QWidget:
        """The editor's content; a subclass may wrap the form with more (a transcript beside it)."""
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addWidget(self.attachments_box)
        layout.addStretch(1)
        return body

    def on_lookups(self, lookups: Lookups) -> None:
        """Refill pickers for a new inspection."""
        for f in self.form_fields:
            f.refill(getattr(self, f.attr), lookups)

    # --- layout ---------------------------------------------------------------------------------
    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        top.addStretch(1)
        top.addWidget(self.new_button)

        editor = QWidget(self)
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(8, 0, 0, 0)
        editor_layout.addWidget(self.editor_title)
        editor_layout.addWidget(self.message)
        scroll = QScrollArea(editor)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.editor_body())
        editor_layout.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.raise_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        editor_layout.addLayout(buttons)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(editor)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    def restore_layout(self, settings: QSettings) -> None:
        state = settings.value(f"pages/{self.kind}/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        header = settings.value(f"pages/{self.kind}/header")
        if isinstance(header, QByteArray):
            self.table.horizontalHeader().restoreState(header)
            self._columns_sized = True

    def save_layout(self, settings: QSettings) -> None:
        settings.setValue(f"pages/{self.kind}/splitter", self.splitter.saveState())
        settings.setValue(f"pages/{self.kind}/header", self.table.horizontalHeader().saveState())

    # --- the inspection and the list ------------------------------------------------------------
    def set_lookups(self, lookups: Lookups | None) -> None:
        self.lookups = lookups
        self.tracker.set_dirty(False)
        self.model.set_rows([])
        if lookups is None:
            self._show_editor(None)
            return
        with self.tracker.quiet():
            self.on_lookups(lookups)
        self._show_editor(None)
        self.reload()

    def on_workspace_changed(self, kinds: frozenset[str]) -> None:
        if self.kind in kinds and self.lookups is not None:
            self.reload(select_id=self.current_id)

    def reload(self, select_id: uuid.UUID | None = None) -> None:
        if self.lookups is None or self.workspace.ctx is None:
            return
        service, inspection_id = self.service(), self.lookups.inspection_id
        self.tasks.run(
            lambda: service.list(inspection_id=inspection_id),
            lambda rows: self._show_rows(rows, select_id),
            self.message.show_error,
            key="list",
        )

    def _show_rows(self, rows: list[Any], select_id: uuid.UUID | None) -> None:
        with self._reverting:
            self.model.set_rows(rows)
            if select_id is not None:
                self._select_row_of(select_id)
        self.count_label.setText(translate("RecordPage", "共 {n} 条").format(n=len(rows)))
        if rows and not self._columns_sized:
            self._columns_sized = True
            self.table.setUpdatesEnabled(False)  # painted once every column has its width
            self._size_column(0)

    def _size_column(self, column: int) -> None:
        """Fit one column to its contents per turn of the event loop (the last one stretches).
        Sizing a column asks the model for every cell of it, up to 1,000 rows, each cell a dozen
        Python calls: all the columns of 80 interviews in one turn stalled the window 40-65 ms."""
        if column >= self.model.columnCount() - 1:
            self.table.setUpdatesEnabled(True)
            return
        self.table.resizeColumnToContents(column)
        self.table.setColumnWidth(column, min(self.table.columnWidth(column), 220))
        QTimer.singleShot(0, self, lambda: self._size_column(column + 1))

    def _select_row_of(self, record_id: Any) -> bool:
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
        return True

    def open_record(self, record_id: Any) -> None:
        """Show a record chosen elsewhere (search, a checklist link), asking about unsaved edits."""

        def go() -> None:
            if not self._select_row_of(record_id):
                self._load_record(record_id)

        self.request_leave(go)

    # --- the editor -----------------------------------------------------------------------------
    def _on_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._reverting or not current.isValid():
            return
        record_id = current.data(IdRole)
        if record_id == self.current_id and not self.tracker.dirty:
            return

        def go() -> None:
            self._load_record(record_id)

        def stay() -> None:
            with self._reverting:
                if previous.isValid():
                    self.table.selectionModel().setCurrentIndex(
                        previous,
                        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                    )
                else:
                    self.table.clearSelection()

        self.request_leave(go, on_cancel=stay)

    def _load_record(self, record_id: Any) -> None:
        service = self.service()
        self.tasks.run(lambda: service.get(record_id), self._show_editor, self.message.show_error, key="record")

    def _show_editor(self, record: Any | None) -> None:
        self._current_record = record
        self.current_id = record.id if record is not None else None
        with self.tracker.quiet():
            self.fill_form(record)
        self._shown_values = self._read_form() if record is not None else {}
        self.tracker.set_dirty(False)
        self.errors.clear()
        self.message.clear_message()
        self.attachments.set_owner(self.workspace.ctx if record is not None else None,
                                   record.id if record is not None else None)
        enabled = self.lookups is not None
        for w in (self.save_button, self.new_button):
            w.setEnabled(enabled)
        self.delete_button.setEnabled(record is not None)
        self.raise_button.setEnabled(enabled)
        self._update_heading()

    def _update_heading(self, *_args: object) -> None:
        if self.current_id is None:
            title = translate("RecordPage", "新建{noun}").format(noun=self.noun)
        else:
            title = self.describe(self._current_record)
        if self.tracker.dirty:
            title += translate("RecordPage", "（未保存）")
        self.editor_title.setText(title)

    def new_record(self) -> None:
        def go() -> None:
            with self._reverting:
                self.table.clearSelection()
                self.table.selectionModel().clearCurrentIndex()
            self._show_editor(None)
            self.focus_first_field()

        self.request_leave(go)

    def new_item(self) -> None:
        self.new_record()

    def focus_first_field(self) -> None:
        self.focusNextChild()

    # --- unsaved edits --------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self.tracker.dirty

    def request_leave(self, then: Callable[[], None], on_cancel: Callable[[], None] | None = None) -> None:
        """Run `then` once unsaved edits are saved or knowingly discarded; never silently drop them."""
        if not self.tracker.dirty:
            then()
            return
        answer = dialogs.ask_unsaved(self, self.editor_title.text().replace(translate("RecordPage", "（未保存）"), ""))
        if answer is Unsaved.SAVE:
            self.save(then=then, on_fail=on_cancel)
        elif answer is Unsaved.DISCARD:
            self.discard_edits()
            then()
        elif on_cancel is not None:
            on_cancel()

    def discard_edits(self) -> None:
        self.tracker.set_dirty(False)

    # --- saving ---------------------------------------------------------------------------------
    def save(self, then: Callable[[], None] | None = None, on_fail: Callable[[], None] | None = None,
             *, quiet: bool = False) -> None:
        if self.lookups is None or self._saving:
            return
        try:
            values = self.form_values()
        except ValueError as exc:
            self.errors.show(str(exc), self.field_widget(getattr(exc, "field", None)))
            if on_fail:
                on_fail()
            return
        service, record_id = self.service(), self.current_id
        if record_id is not None:
            values = changed_values(values, self._shown_values)
            if not values:
                # Nothing the user changed: nothing is written (no change event, no new updated_at).
                # The form equals the record, as after a save (a draft of it can go).
                self.tracker.set_dirty(False)
                self.after_save(self._current_record, self.tracker.revision)
                self._update_heading()
                if not quiet:
                    self.message.show_info(translate("RecordPage", "没有需要保存的修改。"))
                if then is not None:
                    then()
                return
        revision = self.tracker.revision
        self._saving = True
        self.save_button.setEnabled(False)

        # The stored values the form was filled from, for the fields it writes: the save is refused
        # rather than overwrite a change someone else saved since (another workstation on the server).
        expected = _loaded_values(self._current_record, values) if record_id is not None else None

        def write() -> Any:
            if record_id is None:
                return service.create(**values)
            return service.update(record_id, expected=expected, **values)

        def done(record: Any) -> None:
            self._saving = False
            self.save_button.setEnabled(True)
            self._shown_values = {**self._shown_values, **values}
            if self.current_id is None:
                self.attachments.set_owner(self.workspace.ctx, record.id)
            self._current_record = record
            self.current_id = record.id
            # Typing that went on while the save ran is still unsaved.
            if self.tracker.revision == revision:
                self.tracker.set_dirty(False)
            self.after_save(record, revision)
            self.delete_button.setEnabled(True)
            self._update_heading()
            if not quiet:
                self.message.show_info(translate("RecordPage", "已保存。"))
            self.workspace.announce(self.kind)
            self.reload(select_id=record.id)
            if then is not None:
                then()

        def failed(message: str) -> None:
            self._saving = False
            self.save_button.setEnabled(True)
            self.errors.show(message, self.field_widget(getattr(message, "field", None)))
            if on_fail is not None:
                on_fail()

        self.tasks.run(write, done, failed)

    def field_widget(self, field: str | None) -> QWidget | None:
        name = next((f.attr for f in self.form_fields if field in f.names), None)
        widget = getattr(self, name, None) if name else None
        return widget if isinstance(widget, QWidget) else None

    def _read_form(self) -> dict[str, Any]:
        try:
            return self.form_values()
        except ValueError:
            return {}

    def after_save(self, record: Any, revision: int) -> None:
        """Hook: the record is in the database as of edit `revision`."""

    def delete_record(self) -> None:
        if self.current_id is None:
            return
        question = translate("RecordPage", "确定删除这条{noun}吗？删除后可由管理员恢复。").format(noun=self.noun)
        if not dialogs.confirm(self, translate("RecordPage", "删除"), question):
            return
        service, record_id = self.service(), self.current_id

        def done(_result: Any) -> None:
            self.workspace.announce(self.kind)
            self._show_editor(None)
            self.message.show_info(translate("RecordPage", "已删除。"))
            self.reload()

        self.tasks.run(lambda: service.delete(record_id), done, self.message.show_error)

    # --- 提出问题 -------------------------------------------------------------------------------
    def raise_finding(self) -> None:
        """Start a working paper from this record; unsaved edits are saved first."""
        if self.current_id is None or self.tracker.dirty:
            self.save(then=self.raise_finding)
            return
        ctx, kind, record_id = self.workspace.context(), self.kind, self.current_id

        self.tasks.run(
            lambda: FindingService(ctx).prefill_from_source(kind, record_id),
            self.workspace.raise_finding,
            self.message.show_error,
        )


def changed_values(values: dict[str, Any], shown: dict[str, Any]) -> dict[str, Any]:
    """The fields whose value differs from what the form showed when the record was opened."""
    return {name: value for name, value in values.items() if name not in shown or shown[name] != value}


def _loaded_values(record: Any, values: dict[str, Any]) -> dict[str, Any] | None:
    if record is None:
        return None
    return {name: getattr(record, name) for name in values if hasattr(record, name)}
