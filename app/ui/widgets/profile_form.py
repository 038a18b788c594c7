"""The organization profile (机关信息) as a form: used by 设置 → 机关信息 and by the first-start wizard.

`ProfileForm` only edits values (no database): `set_profile(profile)` fills it, `profile()` reads it
back; choosing a level or typing a place proposes every name and prefix (suggested_profile) until a
field is edited by hand. `ProfileDialog` loads and saves through app.services.profile off the UI thread.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services import profile as profiles

from ..tasks import TaskRunner
from .message_bar import MessageBar

_TEXT_FIELDS = (
    ("leading_group_name", "领导小组名称："), ("office_name", "办公室名称："),
    ("leading_group_prefix", "领导小组发文代字："), ("office_prefix", "办公室发文代字："),
    ("office_letter_prefix", "办公室函件代字："), ("team_name_pattern", "巡察组名称格式："),
    ("team_prefix", "巡察组发文代字："), ("discipline_body", "同级纪委监委："), ("organisation_dept", "同级组织部："),
)


class ProfileForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = QComboBox(self)
        for code, label in profiles.LEVEL_LABELS.items():
            self.level.addItem(label, code)
        self.place = QLineEdit(self)
        self.place.setPlaceholderText("如：青山县、云川市")
        self.fields: dict[str, QLineEdit] = {name: QLineEdit(self) for name, _label in _TEXT_FIELDS}
        self.team_count = QSpinBox(self)
        self.team_count.setRange(1, 30)
        self.framework = QComboBox(self)
        for code, label in profiles.FRAMEWORKS.items():
            self.framework.addItem(label, code)
        form = QFormLayout(self)
        form.addRow("机关层级：", self.level)
        form.addRow("地名：", self.place)
        for name, label in _TEXT_FIELDS:
            form.addRow(label, self.fields[name])
        form.addRow("巡察组数量：", self.team_count)
        form.addRow("问题归类框架：", self.framework)
        self.example = QLabel(self)
        self.example.setWordWrap(True)
        form.addRow("示例：", self.example)
        self._base = profiles.Profile()
        self.level.currentIndexChanged.connect(self._propose)
        self.place.textEdited.connect(self._propose)
        for edit in self.fields.values():
            edit.textChanged.connect(self._show_example)
        self.set_profile(profiles.Profile())

    def set_profile(self, p: profiles.Profile) -> None:
        self._base = p
        with QSignalBlocker(self.level):
            self.level.setCurrentIndex(max(0, self.level.findData(p.level)))
        self.place.setText(p.place)
        for name, edit in self.fields.items():
            edit.setText(getattr(p, name))
        self.team_count.setValue(p.team_count)
        self.framework.setCurrentIndex(max(0, self.framework.findData(p.framework)))
        self._show_example()

    def profile(self) -> profiles.Profile:
        values: dict[str, Any] = {name: edit.text().strip() for name, edit in self.fields.items()}
        return dataclasses.replace(self._base, level=self.level.currentData(), place=self.place.text().strip(),
                                   team_count=self.team_count.value(), framework=self.framework.currentData(),
                                   **values)

    def _propose(self) -> None:
        suggested = profiles.suggested_profile(self.level.currentData(), self.place.text())
        for name, edit in self.fields.items():
            edit.setText(getattr(suggested, name))

    def _show_example(self) -> None:
        p = self.profile()
        try:
            team = p.team_name(2)
            code = p.team_code(team) or p.leading_group_prefix
        except (KeyError, IndexError, ValueError):
            team, code = "", ""
        self.example.setText(f"{p.leading_group_mark}　{p.leading_group_prefix}〔2026〕1号\n"
                             f"{p.office_mark}　{p.office_prefix}〔2026〕1号\n{team}　{code}〔2026〕1号")


class ProfileDialog(QDialog):
    """设置 → 机关信息: only an administrator's save is accepted (the service checks)."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("机关信息")
        self.ctx = ctx
        self.tasks = TaskRunner(self)
        self.message = MessageBar(self)
        self.form = ProfileForm(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("公文的发文机关标志、文号和署名均取自此处；各台电脑同步后一致。仅管理员可修改。", self))
        layout.addWidget(self.message)
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.loaded = False
        self.tasks.run(lambda: profiles.load_profile(ctx), self._loaded, self.message.show_error)

    def _loaded(self, p: profiles.Profile) -> None:
        self.form.set_profile(p)
        self.loaded = True

    def save(self) -> None:
        p = self.form.profile()
        self.buttons.setEnabled(False)
        self.tasks.run(lambda: profiles.save_profile(self.ctx, p), self._saved, self._failed)

    def _saved(self, _p) -> None:
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.message.show_error(message)
