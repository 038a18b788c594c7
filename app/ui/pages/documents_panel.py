"""The documents panel inside 公文: a leader picks the kind, edits the free-text parts, previews
the pages in the application, and issues (numbers, records) and saves the PDF.

All work — defaults, rendering, numbering — runs in app/services/issuing/ off the UI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services import issuing

from .. import dialogs
from ..i18n import translate
from ..lookups import Lookups
from ..tasks import TaskRunner
from ..widgets.fields import to_date, to_qdate
from ..widgets.message_bar import MessageBar
from ..workspace import Workspace

PREVIEW_SCALE = 0.9  # about 65 dpi: a whole A4 page fits the pane at 1366×768


def confirm_again(parent: QWidget, message: str) -> bool:
    """Asked before a second document of the same kind takes a new 文号 (module-level for tests)."""
    answer = QMessageBox.question(parent, translate("DocumentsPanel", "再次印发"),
                                  message + "\n\n" + translate("DocumentsPanel", "仍要再次印发吗？"))
    return answer == QMessageBox.StandardButton.Yes


def record_choices(ctx, inspection, kind: str) -> list[tuple[str, str]]:
    """(label, id) of the interviews or findings a record kind can print (runs in a worker)."""
    from sqlalchemy import select

    from app.models import Finding, Interview

    with ctx.db.read() as session:
        if issuing.RECORD_KINDS[kind] == "interview":
            rows = session.execute(select(Interview.id, Interview.interviewee_name, Interview.start_at).where(
                Interview.inspection_id == inspection, Interview.deleted_at.is_(None)).order_by(Interview.start_at))
            return [(f"{name}（{at.astimezone():%Y-%m-%d %H:%M}）", str(i)) for i, name, at in rows]
        rows = session.execute(select(Finding.id, Finding.number, Finding.title).where(
            Finding.inspection_id == inspection, Finding.deleted_at.is_(None)).order_by(Finding.number))
        return [(f"第{n}号 {title}", str(i)) for i, n, title in rows]


def render_pages(pdf: bytes, scale: float = PREVIEW_SCALE) -> list[bytes]:
    """PNG images of the pages (pypdfium2 renders; no Qt in the worker)."""
    import io

    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    images = []
    for page in document:
        buffer = io.BytesIO()
        page.render(scale=scale).to_pil().save(buffer, format="PNG")
        images.append(buffer.getvalue())
    return images


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class DocumentsPanel(QWidget):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.tasks = TaskRunner(self)
        self.defaults: issuing.DocumentOptions | None = None
        self.last_pdf: bytes | None = None
        self.message = MessageBar(self)

        self.kind = QComboBox(self)
        for code, label in issuing.KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.title = QLineEdit(self)
        self.addressee = QLineEdit(self)
        self.assessment = QPlainTextEdit(self)
        self.requirements = QPlainTextEdit(self)
        self.cc = QLineEdit(self)
        self.signature = QLineEdit(self)
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy年M月d日")
        self.watermark = QCheckBox(translate("DocumentsPanel", "加水印（导出人和时间）"), self)
        self.record = QComboBox(self)  # the interview or finding a 谈话笔录 / 问题底稿 prints
        self.copies = QSpinBox(self)
        self.copies.setRange(1, 999)
        self.copies.setSuffix(translate("DocumentsPanel", " 份"))
        for box in (self.assessment, self.requirements):
            box.setMaximumHeight(110)
        form = QFormLayout()
        form.addRow(translate("DocumentsPanel", "文种(&K)："), self.kind)
        form.addRow(translate("DocumentsPanel", "打印哪一份记录："), self.record)
        self.record_label = form.labelForField(self.record)
        form.addRow(translate("DocumentsPanel", "标题："), self.title)
        form.addRow(translate("DocumentsPanel", "主送机关："), self.addressee)
        form.addRow(translate("DocumentsPanel", "总体评价（每段一行）："), self.assessment)
        form.addRow(translate("DocumentsPanel", "整改意见/要求（每条一行）："), self.requirements)
        form.addRow(translate("DocumentsPanel", "抄送（顿号分隔）："), self.cc)
        form.addRow(translate("DocumentsPanel", "署名："), self.signature)
        form.addRow(translate("DocumentsPanel", "成文日期："), self.date)
        form.addRow(translate("DocumentsPanel", "印制份数（涉密文书每份编份号）："), self.copies)
        form.addRow("", self.watermark)
        self.preview_button = QPushButton(translate("DocumentsPanel", "预览(&P)"), self)
        self.issue_button = QPushButton(translate("DocumentsPanel", "编号印发并保存(&I)…"), self)
        self.word_button = QPushButton(translate("DocumentsPanel", "保存为Word(&W)…"), self)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        # The font notes run to several lines: room for them, below the buttons, not squeezed.
        self.status.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.MinimumExpanding)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.issue_button)
        buttons.addWidget(self.word_button)
        buttons.addStretch(1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(form)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.status, 1)

        self.pages = QWidget(self)
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setSizes([520, 640])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        self.kind.currentIndexChanged.connect(self.load_defaults)
        self.preview_button.clicked.connect(self.preview)
        self.issue_button.clicked.connect(self.issue)
        self.word_button.clicked.connect(lambda: self.issue(word=True))
        self.record.currentIndexChanged.connect(self._record_chosen)
        self._show_record_picker(False)

    # --- the inspection and the kind ----------------------------------------------------------
    def set_lookups(self, lookups: Lookups | None) -> None:
        self.load_defaults()

    @property
    def kind_code(self) -> str:
        return self.kind.currentData()

    def load_defaults(self) -> None:
        ctx, inspection = self.workspace.ctx, self.workspace.inspection_id
        if ctx is None or inspection is None:
            return
        kind = self.kind_code
        self.watermark.setChecked(kind in issuing.CONFIDENTIAL_KINDS)
        self.issue_button.setText(
            translate("DocumentsPanel", "保存(&I)…") if kind in issuing.UNNUMBERED_KINDS
            else translate("DocumentsPanel", "编号印发并保存(&I)…")
        )
        record = kind in issuing.RECORD_KINDS
        self._show_record_picker(record)
        # A 谈话笔录 or 问题底稿 prints the record as it is: nothing of a 公文 to edit.
        for box in (self.addressee, self.assessment, self.requirements, self.cc, self.signature):
            box.setEnabled(not record)
        if record:
            self.tasks.run(lambda: record_choices(ctx, inspection, kind), self._fill_records, self._failed,
                           key="records")
            return
        self.tasks.run(lambda: issuing.default_options(ctx, kind, inspection), self._show_defaults,
                       self._failed, key="defaults")

    def _show_record_picker(self, shown: bool) -> None:
        self.record.setVisible(shown)
        if self.record_label is not None:
            self.record_label.setVisible(shown)

    def _fill_records(self, choices: list[tuple[str, str]]) -> None:
        with QSignalBlocker(self.record):
            self.record.clear()
            for label, rid in choices:
                self.record.addItem(label, rid)
        if not choices:
            self.message.show_warning(translate("DocumentsPanel", "该巡察还没有可打印的记录。"))
            return
        self._record_chosen()

    def _record_chosen(self) -> None:
        ctx, inspection, kind, rid = (self.workspace.ctx, self.workspace.inspection_id, self.kind_code,
                                      self.record.currentData())
        if ctx is None or inspection is None or rid is None or kind not in issuing.RECORD_KINDS:
            return
        self.tasks.run(lambda: issuing.default_options(ctx, kind, inspection, record_id=rid), self._show_defaults,
                       self._failed, key="defaults")

    def _show_defaults(self, options: issuing.DocumentOptions) -> None:
        self.defaults = options
        self.title.setText(options.title or "")
        self.addressee.setText(options.addressee or "")
        self.assessment.setPlainText("\n".join(options.assessment or []))
        self.requirements.setPlainText("\n".join(options.requirements or []))
        self.cc.setText("、".join(options.cc or []))
        self.signature.setText(options.signature or "")
        if options.date is not None:
            self.date.setDate(to_qdate(options.date))
        self.message.clear_message()

    def options(self) -> issuing.DocumentOptions:
        edited = issuing.DocumentOptions(
            title=self.title.text().strip(),
            addressee=self.addressee.text().strip(),
            assessment=_lines(self.assessment.toPlainText()),
            requirements=_lines(self.requirements.toPlainText()),
            cc=[p.strip() for p in self.cc.text().replace("，", "、").split("、") if p.strip()],
            signature=self.signature.text().strip(),
            date=to_date(self.date.date()),
            record_id=self.record.currentData() if self.kind_code in issuing.RECORD_KINDS else None,
        )
        return edited.over(self.defaults) if self.defaults is not None else edited

    def _watermark(self) -> str | None:
        return None if self.watermark.isChecked() else ""

    # --- preview and issue --------------------------------------------------------------------
    def preview(self) -> None:
        ctx, inspection = self.workspace.ctx, self.workspace.inspection_id
        if ctx is None or inspection is None:
            self.message.show_warning(translate("DocumentsPanel", "请先选择巡察。"))
            return
        kind, options, watermark = self.kind_code, self.options(), self._watermark()

        def job() -> tuple[Any, list[bytes]]:
            result = issuing.issue_document(ctx, kind, inspection, options, watermark=watermark, preview=True)
            refusal = issuing.stage_refusal(kind, self.workspace.lookups.inspection.stage) if self.workspace.lookups else None
            if refusal:
                result.font_messages.insert(0, refusal)
            return result, render_pages(result.pdf_bytes)

        self.status.setText(translate("DocumentsPanel", "正在生成预览…"))
        self.tasks.run(job, self._show_preview, self._failed, key="preview")

    def _show_preview(self, outcome: tuple[Any, list[bytes]]) -> None:
        result, images = outcome
        self.last_pdf = result.pdf_bytes
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for png in images:
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            label = QLabel(self.pages)
            label.setPixmap(pixmap)
            label.setStyleSheet("border: 1px solid #bbb; background: white;")
            self.pages_layout.addWidget(label)
        notes = "；".join(result.font_messages)
        self.status.setText(
            translate("DocumentsPanel", "预览：共 {n} 页（文号在印发时编定）。").format(n=result.page_count)
            + (f"\n{notes}" if notes else "")
        )

    def issue(self, word: bool = False, again: bool = False, path: str | None = None) -> None:
        ctx, inspection = self.workspace.ctx, self.workspace.inspection_id
        if ctx is None or inspection is None:
            return
        kind, options, watermark = self.kind_code, self.options(), self._watermark()
        copies = self.copies.value() if self.copies.value() > 1 else None
        if path is None:
            suffix, pattern = (".docx", "Word (*.docx)") if word else (".pdf", "PDF (*.pdf)")
            path = dialogs.save_file_path(self, translate("DocumentsPanel", "保存公文"), f"{options.title or issuing.KIND_LABELS[kind]}{suffix}", pattern)
        if not path:
            return

        def job() -> Any:
            try:
                result = issuing.issue_document(ctx, kind, inspection, options, watermark=watermark, again=again,
                                                copies=copies, docx=word)
            except issuing.AlreadyIssuedError as exc:
                return exc
            target = Path(path)
            partial = target.with_name(target.name + ".partial")
            data = result.docx_bytes if word else result.pdf_bytes
            assert data is not None  # the Word version was asked for
            partial.write_bytes(data)
            partial.replace(target)
            return result, target

        self.issue_button.setEnabled(False)
        self.word_button.setEnabled(False)
        self.tasks.run(job, lambda outcome: self._issued(outcome, word, path), self._failed)

    def _issued(self, outcome: Any, word: bool = False, path: str | None = None) -> None:
        self.issue_button.setEnabled(True)
        self.word_button.setEnabled(True)
        if isinstance(outcome, issuing.AlreadyIssuedError):
            if confirm_again(self, outcome.message):
                self.issue(word=word, again=True, path=path)
            return
        result, path = outcome
        number = result.number_text or translate("DocumentsPanel", "（不编号）")
        self.message.show_info(
            translate("DocumentsPanel", "已印发 {number}，共 {n} 页，保存到 {path}").format(
                number=number, n=result.page_count, path=path
            ), 0
        )
        self.workspace.announce("documents")

    def _failed(self, message: str) -> None:
        self.issue_button.setEnabled(True)
        self.word_button.setEnabled(True)
        self.status.setText("")
        self.message.show_error(message)



