"""Tick the inspectors present (谈话人, 查阅人, 走访人) from the team; Space toggles the current one."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.models.enums import TeamRole

from .. import i18n
from ..lookups import TeamMember


class InspectorPicker(QListWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlow(QListWidget.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setSpacing(2)
        self.setMaximumHeight(64)
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def set_members(self, members: Iterable[TeamMember], extra: dict[str, str] | None = None) -> None:
        """The team, plus anyone already on the record who is not (or no longer) in it."""
        chosen = set(self.selected_ids())
        with QSignalBlocker(self):
            self.clear()
            for member in members:
                self._add(str(member.id), f"{member.name}（{i18n.label(TeamRole, member.role)}）", str(member.id) in chosen)
            for key, name in (extra or {}).items():
                if self._find(key) is None:
                    self._add(key, name, key in chosen)

    def _add(self, key: str, text: str, checked: bool) -> None:
        item = QListWidgetItem(text, self)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _find(self, key: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            if self.item(row).data(Qt.ItemDataRole.UserRole) == key:
                return self.item(row)
        return None

    def selected_ids(self) -> list[str]:
        return [
            self.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.count())
            if self.item(r).checkState() == Qt.CheckState.Checked
        ]

    def set_selected(self, ids: Iterable[object], names: dict[str, str] | None = None) -> None:
        wanted = [str(i) for i in ids]
        with QSignalBlocker(self):
            for key in wanted:
                if self._find(key) is None:
                    self._add(key, (names or {}).get(key, key[:8]), False)
            for r in range(self.count()):
                item = self.item(r)
                item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted else Qt.CheckState.Unchecked)
        self.changed.emit()

    def set_checked(self, key: str, checked: bool = True) -> None:
        item = self._find(str(key))
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
