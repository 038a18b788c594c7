"""Files attached to a record (evidence for a working paper, material for a checklist item)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from app.services.attachments import AttachmentService
from app.services.context import ServiceContext

from .. import dialogs
from ..i18n import translate
from ..models.record_table import format_local
from ..tasks import TaskRunner


def human_size(size: float) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} MB"


class AttachmentsPanel(QWidget):
    # Text for a status line or a message bar.
    message = Signal(str)
    error = Signal(str)
    changed = Signal()

    def __init__(self, owner_kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.owner_kind = owner_kind
        self.owner_id: uuid.UUID | None = None
        self.ctx: ServiceContext | None = None
        self.tasks = TaskRunner(self)
        self.list = QListWidget(self)
        self.list.setAlternatingRowColors(True)
        self.add_button = QPushButton(translate("AttachmentsPanel", "添加文件(&A)…"), self)
        self.save_button = QPushButton(translate("AttachmentsPanel", "另存为…"), self)
        self.remove_button = QPushButton(translate("AttachmentsPanel", "移除"), self)
        self.add_button.clicked.connect(self.add_files)
        self.save_button.clicked.connect(self.save_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.set_owner(None, None)

    def set_owner(self, ctx: ServiceContext | None, owner_id: uuid.UUID | None) -> None:
        self.ctx, self.owner_id = ctx, owner_id
        self.list.clear()
        if owner_id is None:
            item = QListWidgetItem(translate("AttachmentsPanel", "保存记录后可添加附件。"), self.list)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        self._update_buttons()
        self.reload()

    def _update_buttons(self) -> None:
        has_owner = self.owner_id is not None and self.ctx is not None
        chosen = self.list.currentItem() is not None and self.list.currentItem().data(Qt.ItemDataRole.UserRole) is not None
        self.add_button.setEnabled(has_owner)
        self.save_button.setEnabled(has_owner and chosen)
        self.remove_button.setEnabled(has_owner and chosen)

    def reload(self) -> None:
        if self.ctx is None or self.owner_id is None:
            return
        service, owner = AttachmentService(self.ctx), self.owner_id
        self.tasks.run(lambda: service.for_owner(owner), self._show, self.error.emit, key="list")

    def _show(self, attachments: list[Any]) -> None:
        self.list.clear()
        for a in attachments:
            text = f"{a.filename}　{human_size(a.size)}　{format_local(a.created_at)}"
            if a.description:
                text += f"　{a.description}"
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, a.filename)
        if not attachments:
            item = QListWidgetItem(translate("AttachmentsPanel", "暂无附件。"), self.list)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        self._update_buttons()

    def attached_names(self) -> list[str]:
        names = []
        for row in range(self.list.count()):
            name = self.list.item(row).data(Qt.ItemDataRole.UserRole + 1)
            if name:
                names.append(name)
        return names

    def add_files(self) -> None:
        paths = dialogs.open_file_paths(self, translate("AttachmentsPanel", "选择要添加的文件"))
        if paths:
            self.attach_paths(paths)

    def attach_paths(self, paths: list[str]) -> None:
        if self.ctx is None or self.owner_id is None:
            return
        service, kind, owner = AttachmentService(self.ctx), self.owner_kind, self.owner_id

        def attach() -> int:
            for path in paths:
                service.attach_file(kind, owner, Path(path))
            return len(paths)

        def done(n: int) -> None:
            self.message.emit(translate("AttachmentsPanel", "已添加 {n} 个附件。").format(n=n))
            self.changed.emit()
            self.reload()

        self.tasks.run(attach, done, self.error.emit)

    def _selected(self) -> tuple[Any, str] | None:
        item = self.list.currentItem()
        if item is None or item.data(Qt.ItemDataRole.UserRole) is None:
            return None
        return item.data(Qt.ItemDataRole.UserRole), item.data(Qt.ItemDataRole.UserRole + 1)

    def save_selected(self) -> None:
        chosen = self._selected()
        if chosen is None or self.ctx is None:
            return
        attachment_id, filename = chosen
        target = dialogs.save_file_path(self, translate("AttachmentsPanel", "附件另存为"), filename, "")
        if not target:
            return
        service = AttachmentService(self.ctx)

        def write() -> str:
            Path(target).write_bytes(service.read_bytes(attachment_id))
            return target

        self.tasks.run(write, lambda p: self.message.emit(translate("AttachmentsPanel", "已保存到 {path}").format(path=p)),
                       self.error.emit)

    def remove_selected(self) -> None:
        chosen = self._selected()
        if chosen is None or self.ctx is None:
            return
        attachment_id, filename = chosen
        if not dialogs.confirm(self, translate("AttachmentsPanel", "移除附件"),
                               translate("AttachmentsPanel", "确定移除附件「{name}」吗？").format(name=filename)):
            return
        service = AttachmentService(self.ctx)

        def removed(_result: Any) -> None:
            self.changed.emit()
            self.reload()

        self.tasks.run(lambda: service.delete(attachment_id), removed, self.error.emit)
