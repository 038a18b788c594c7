"""单位名录: the directory of units with kinds and hierarchy; Excel import (all or nothing) and export."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.collation import pinyin_key
from app.models.enums import UnitKind
from app.services.office import unit_excel
from app.services.units import UnitService
from app.tempfiles import scratch

from .. import dialogs, i18n
from ..i18n import QT_TRANSLATE_NOOP, translate
from .common import Office, OfficePage, find_data
from .tables import Column, current_id, fill, make_view, select_id


class UnitsPage(OfficePage):
    title = QT_TRANSLATE_NOOP("Office", "单位名录")

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(office, parent)
        self.units: list[Any] = []
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(translate("Office", "按名称筛选"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.show_rows)
        bar.addWidget(self.search, 1)
        self.kind_filter = QComboBox(self)
        self.kind_filter.addItem(translate("Office", "全部类别"), None)
        for kind in UnitKind:
            self.kind_filter.addItem(i18n.label(type(kind), kind.value), kind.value)
        self.kind_filter.currentIndexChanged.connect(self.show_rows)
        bar.addWidget(self.kind_filter)
        self.import_button = QPushButton(translate("Office", "从Excel导入…"), self)
        self.import_button.clicked.connect(self.import_excel)
        self.export_button = QPushButton(translate("Office", "导出到Excel…"), self)
        self.export_button.clicked.connect(self.export_excel)
        self.new_button = QPushButton(translate("Office", "新建单位"), self)
        self.new_button.clicked.connect(self.new_unit)
        for b in (self.import_button, self.export_button, self.new_button):
            bar.addWidget(b)
        self.outer.addLayout(bar)

        split = QSplitter(self)
        self._names: dict[Any, str] = {}
        self.table = make_view([
            Column(translate("Office", "单位名称"), lambda u: u.name, 230),
            Column(translate("Office", "简称"), lambda u: u.short_name, 90),
            Column(translate("Office", "单位类别"), lambda u: i18n.label(UnitKind, u.kind), 110),
            Column(translate("Office", "上级单位"), lambda u: self._names.get(u.parent_id, ""), 170),
            Column(translate("Office", "单位代码"), lambda u: u.code, 180),
            Column(translate("Office", "地址"), lambda u: u.address, 200),
        ], split, name=translate("Office", "单位列表"), empty=translate("Office", "没有符合条件的单位。"))
        self.table.selection_changed.connect(self.show_selected)
        form_box = QGroupBox(translate("Office", "单位信息"), split)
        box_layout = QVBoxLayout(form_box)
        form = QFormLayout()
        # Keep the fields together at the top rather than spread down the whole height.
        box_layout.addLayout(form)
        box_layout.addStretch(1)
        self.name = QLineEdit(form_box)
        self.short_name = QLineEdit(form_box)
        self.kind = QComboBox(form_box)
        for kind in UnitKind:
            self.kind.addItem(i18n.label(type(kind), kind.value), kind.value)
        self.parent_unit = QComboBox(form_box)
        self.code = QLineEdit(form_box)
        self.address = QLineEdit(form_box)
        self.notes = QPlainTextEdit(form_box)
        self.notes.setMaximumHeight(80)
        for label, widget in ((translate("Office", "单位名称"), self.name), (translate("Office", "简称"), self.short_name), (translate("Office", "单位类别"), self.kind),
                              (translate("Office", "上级单位"), self.parent_unit), (translate("Office", "单位代码"), self.code), (translate("Office", "地址"), self.address),
                              (translate("Office", "备注"), self.notes)):
            form.addRow(label, widget)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(translate("Office", "保存"), form_box)
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton(translate("Office", "删除"), form_box)
        self.delete_button.clicked.connect(self.delete)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        split.addWidget(self.table)
        split.addWidget(form_box)
        split.setSizes([900, 420])
        self.outer.addWidget(split, 1)
        self.editing: uuid.UUID | None = None

    def load(self) -> None:
        self.run(lambda: UnitService(self.ctx).list(), self.show_units, key="units")

    def show_units(self, units: list[Any]) -> None:
        self.units = units
        names = {u.id: u.name for u in units}
        self.parent_unit.clear()
        self.parent_unit.addItem(translate("Office", "（无）"), None)
        for u in units:
            self.parent_unit.addItem(u.name, u.id)
        self._names = names
        self.show_rows()

    def show_rows(self) -> None:
        needle = self.search.text().strip()
        kind = self.kind_filter.currentData()
        names = self._names
        order = {k.value: n for n, k in enumerate(UnitKind)}
        rows = sorted((u for u in self.units if (not needle or needle in u.name) and (kind is None or u.kind == kind)),
                      key=lambda u: (order.get(u.kind, 99), pinyin_key(names.get(u.parent_id)), pinyin_key(u.name)))
        fill(self.table, rows)

    def show_selected(self) -> None:
        unit_id = current_id(self.table)
        unit = next((u for u in self.units if u.id == unit_id), None)
        if unit is None:
            return
        self.editing = unit.id
        self.name.setText(unit.name)
        self.short_name.setText(unit.short_name or "")
        self.kind.setCurrentIndex(max(0, find_data(self.kind, unit.kind)))
        self.parent_unit.setCurrentIndex(max(0, find_data(self.parent_unit, unit.parent_id)))
        self.code.setText(unit.code or "")
        self.address.setText(unit.address or "")
        self.notes.setPlainText(unit.notes or "")

    def new_unit(self) -> None:
        self.editing = None
        self.table.clearSelection()
        for w in (self.name, self.short_name, self.code, self.address):
            w.clear()
        self.notes.clear()
        self.parent_unit.setCurrentIndex(0)
        self.name.setFocus()

    def values(self) -> dict[str, Any]:
        return {"name": self.name.text(), "short_name": self.short_name.text(), "kind": self.kind.currentData(),
                "parent_id": self.parent_unit.currentData(), "code": self.code.text(), "address": self.address.text(),
                "notes": self.notes.toPlainText()}

    def save(self) -> None:
        values, editing = self.values(), self.editing
        service = UnitService(self.ctx)

        def work() -> Any:
            return service.update(editing, **values) if editing else service.create(**values)

        def done(unit: Any) -> None:
            self.editing = unit.id

        self.write(work, done, what="unit", done_message=lambda u: translate("Office", "已保存「{name}」。").format(name=u.name))

    def delete(self) -> None:
        editing = self.editing
        if editing is None:
            self.message.show_error(translate("Office", "请先选择要删除的单位。"))
            return
        self.write(lambda: UnitService(self.ctx).delete(editing), lambda _r: self.new_unit(), what="unit",
                   done_message=translate("Office", "单位已删除（可恢复）。"))

    def import_excel(self) -> None:
        path = dialogs.open_file_path(self, translate("Office", "导入单位名录"), translate("Office", "Excel 文件 (*.xlsx)"))
        if not path:
            return
        self.write(lambda: unit_excel.import_units(self.ctx, path), what="unit",
                   done_message=lambda report: report.summary)

    def export_excel(self) -> None:
        path = dialogs.save_file_path(self, translate("Office", "导出单位名录"), translate("Office", "单位名录.xlsx"), translate("Office", "Excel 文件 (*.xlsx)"))
        if not path:
            return
        self.run(lambda: _export_units(self.ctx, path),
                 lambda n: self.message.show_info(translate("Office", "已导出{n}个单位到 {path}。").format(n=n, path=path)))

    def select(self, unit_id: uuid.UUID) -> bool:
        return select_id(self.table, unit_id)


def _export_units(ctx, path):
    """The workbook's temporary files are private and removed however the export ends."""
    with scratch():
        return unit_excel.export_units(ctx, path)
