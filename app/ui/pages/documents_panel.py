"""The documents panel inside 公文: a leader picks the kind, edits the free-text parts, previews
the pages in the application, and issues (numbers, records) and saves the PDF.

All work — defaults, rendering, numbering — runs in app/services/issuing.py off the UI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services import issuing

from ..i18n import translate
from ..lookups import Lookups
from ..tasks import TaskRunner
from ..widgets.message_bar import MessageBar
from ..workspace import Workspace

PREVIEW_SCALE = 0.9  # about 65 dpi: a whole A4 page fits the pane at 1366×768


def save_path(parent: QWidget, suggested: str) -> str:
    """Asked where to save (module-level so tests can answer it)."""
    return QFileDialog.getSaveFileName(parent, translate("DocumentsPanel", "保存公文"), suggested, "PDF (*.pdf)")[0]


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
        for box in (self.assessment, self.requirements):
            box.setMaximumHeight(110)
        form = QFormLayout()
        form.addRow(translate("DocumentsPanel", "文种(&K)："), self.kind)
        form.addRow(translate("DocumentsPanel", "标题："), self.title)
        form.addRow(translate("DocumentsPanel", "主送机关："), self.addressee)
        form.addRow(translate("DocumentsPanel", "总体评价（每段一行）："), self.assessment)
        form.addRow(translate("DocumentsPanel", "整改意见/要求（每条一行）："), self.requirements)
        form.addRow(translate("DocumentsPanel", "抄送（顿号分隔）："), self.cc)
        form.addRow(translate("DocumentsPanel", "署名："), self.signature)
        form.addRow(translate("DocumentsPanel", "成文日期："), self.date)
        form.addRow("", self.watermark)
        self.preview_button = QPushButton(translate("DocumentsPanel", "预览(&P)"), self)
        self.issue_button = QPushButton(translate("DocumentsPanel", "编号印发并保存(&I)…"), self)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.issue_button)
        buttons.addStretch(1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(form)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.status)
        left_layout.addStretch(1)

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
        self.tasks.run(lambda: issuing.default_options(ctx, kind, inspection), self._show_defaults,
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
            self.date.setDate(QDate(options.date.year, options.date.month, options.date.day))
        self.message.clear_message()

    def options(self) -> issuing.DocumentOptions:
        chosen = self.date.date()
        import datetime as dt

        edited = issuing.DocumentOptions(
            title=self.title.text().strip(),
            addressee=self.addressee.text().strip(),
            assessment=_lines(self.assessment.toPlainText()),
            requirements=_lines(self.requirements.toPlainText()),
            cc=[p.strip() for p in self.cc.text().replace("，", "、").split("、") if p.strip()],
            signature=self.signature.text().strip(),
            date=dt.date(chosen.year(), chosen.month(), chosen.day()),
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
            return result, render_pages(result.pdf_bytes)

        self.status.setText(translate("DocumentsPanel", "正在生成预览…"))
        self.tasks.run(job, self._show_preview, self._failed, key="preview")

    def _show_preview(self, outcome: tuple[Any, list[bytes]]) -> None:
        result, images = outcome
        self.last_pdf = result.pdf_bytes
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
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

    def issue(self) -> None:
        ctx, inspection = self.workspace.ctx, self.workspace.inspection_id
        if ctx is None or inspection is None:
            return
        kind, options, watermark = self.kind_code, self.options(), self._watermark()
        path = save_path(self, f"{options.title or issuing.KIND_LABELS[kind]}.pdf")
        if not path:
            return

        def job() -> Any:
            result = issuing.issue_document(ctx, kind, inspection, options, watermark=watermark)
            target = Path(path)
            partial = target.with_name(target.name + ".partial")
            partial.write_bytes(result.pdf_bytes)
            partial.replace(target)
            return result, target

        self.issue_button.setEnabled(False)
        self.tasks.run(job, self._issued, self._failed)

    def _issued(self, outcome: tuple[Any, Path]) -> None:
        result, path = outcome
        self.issue_button.setEnabled(True)
        number = result.number_text or translate("DocumentsPanel", "（不编号）")
        self.message.show_info(
            translate("DocumentsPanel", "已印发 {number}，共 {n} 页，保存到 {path}").format(
                number=number, n=result.page_count, path=path
            ), 0
        )
        self.workspace.announce("documents")

    def _failed(self, message: str) -> None:
        self.issue_button.setEnabled(True)
        self.status.setText("")
        self.message.show_error(message)



