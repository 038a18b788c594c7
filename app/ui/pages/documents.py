"""公文: the official documents of the inspection (feedback report, rectification notice,
supervision letter, clue transfer …) as GB/T 9704 PDFs.

The page hosts documents_panel.DocumentsPanel (pick the kind, edit, preview, issue). Another panel
can be plugged in with `register_document_panel(factory)`: a callable that takes the Workspace and
returns the QWidget to show; the page hands it the inspection through `set_lookups`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ..i18n import translate
from ..lookups import Lookups
from ..page import PageHooks
from ..workspace import Workspace

# Imported with this module (which the main window imports off the UI thread): the panel pulls in
# the PDF engine, too heavy to import while building the page.
from .document_register import DocumentRegister
from .documents_panel import DocumentsPanel

PanelFactory = Callable[[Workspace], QWidget]
_factory: PanelFactory | None = None


def register_document_panel(factory: PanelFactory | None) -> None:
    """The documents feature registers the widget that lists and produces documents."""
    global _factory
    _factory = factory


class DocumentsPage(QWidget, PageHooks):
    kind = "documents"

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.heading = QLabel(translate("DocumentsPage", "公文"), self)
        self.heading.setObjectName("pageHeading")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        if _factory is None:
            self.panel: Any = DocumentsPanel(workspace, self)
        else:
            self.panel = _factory(workspace)
        if self.panel is not None:
            # 编制印发 (make and issue) beside the 登记簿 (register of what was issued).
            self.register = DocumentRegister(workspace, self)
            self.tabs = QTabWidget(self)
            self.tabs.addTab(self.panel, translate("DocumentsPage", "编制印发"))
            self.tabs.addTab(self.register, translate("DocumentsPage", "登记簿"))
            layout.addWidget(self.tabs, 1)
            return
        self.placeholder = QLabel(
            translate(
                "DocumentsPage",
                "公文生成（PDF）将随公文功能一起提供：\n"
                "巡察反馈意见、整改通知书、整改督办函、问题线索移交函、巡察公告等，\n"
                "按《党政机关公文格式》（GB/T 9704-2012）排版并自动编制文号。\n\n"
                "在此之前，可在“问题台账”中把问题导出为 Excel。",
            ),
            self,
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setObjectName("placeholder")
        layout.addWidget(self.placeholder, 1)

    def set_lookups(self, lookups: Lookups | None) -> None:
        if self.panel is not None and hasattr(self.panel, "set_lookups"):
            self.panel.set_lookups(lookups)
        if getattr(self, "register", None) is not None:
            self.register.set_lookups(lookups)
