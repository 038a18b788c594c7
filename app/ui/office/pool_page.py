"""巡察人才库/组长库: people with expertise and home unit, the ties recorded for 回避, and the inspections
each took part in."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QListWidget,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Stage
from app.services import reference
from app.services.inspectors import RELATION_KINDS, InspectorRelationService, InspectorService
from app.services.office import team_forming
from app.services.office.team_forming import InspectorFile, PoolEntry
from app.services.reference import EXPERTISE
from app.services.units import UnitService

from .. import i18n
from ..i18n import QT_TRANSLATE_NOOP, translate
from .common import (
    GREY_TEXT,
    IdRole,
    Office,
    OfficePage,
    add_checkable,
    date_text,
    find_data,
)
from .tables import Column, Tone, current_id, fill, make_view


def _pool_columns() -> list[Column]:
    return [
        # Out of the pool in words as well as in grey.
        Column(translate("Office", "姓名"), lambda e: e.inspector.name + (
            "" if e.inspector.active else translate("Office", "（不在库）")), 66),
        Column(translate("Office", "组长库"), lambda e: translate("Office", "是") if e.inspector.in_leader_pool else "", 52),
        Column(translate("Office", "所在单位"), lambda e: e.home_unit, 170),
        Column(translate("Office", "专业特长"), lambda e: translate("Office", "、").join(e.expertise_labels), stretch=True),
        Column(translate("Office", "参加巡察"), lambda e: e.inspections, 64),
        Column(translate("Office", "最近一次"), lambda e: date_text(e.last_date), 86),
        Column(translate("Office", "回避关系"), lambda e: e.relations or "", 64),
    ]


def _choices(ctx: Any) -> tuple[list[Any], list[Any]]:
    return UnitService(ctx).list(), reference.items(ctx, EXPERTISE)


class PoolPage(OfficePage):
    title = QT_TRANSLATE_NOOP("Office", "巡察人才库")

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(office, parent)
        self.entries: list[PoolEntry] = []
        self.file: InspectorFile | None = None
        self.editing: uuid.UUID | None = None
        self._build_bar()
        self._build_split()

    def _build_bar(self) -> None:
        """The filter, 只看组长库 and 新增人员."""
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(translate("Office", "按姓名、单位或专业特长筛选"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.show_rows)
        self.leaders_only = QCheckBox(translate("Office", "只看组长库"), self)
        self.leaders_only.toggled.connect(self.show_rows)
        self.new_button = QPushButton(translate("Office", "新增人员"), self)
        self.new_button.clicked.connect(self.new_person)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.leaders_only)
        bar.addWidget(self.new_button)
        self.outer.addLayout(bar)

    def _build_split(self) -> None:
        """The pool on the left, the chosen person on the right."""
        split = QSplitter(self)
        self.table = make_view(_pool_columns(), split, name=translate("Office", "巡察人才库人员列表"),
                               row_id=lambda e: e.inspector.id,
                               tone=lambda e: None if e.inspector.active else Tone(foreground=GREY_TEXT),
                               empty=translate("Office", "没有符合条件的人员。"))
        self.table.selection_changed.connect(self.person_chosen)
        right = QWidget(split)
        col = QVBoxLayout(right)
        col.setContentsMargins(6, 0, 0, 0)
        col.addLayout(self._build_form(right))
        col.addWidget(self._build_tabs(right), 1)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([800, 520])
        self.outer.addWidget(split, 1)

    def _build_form(self, right: QWidget) -> QFormLayout:
        """The person's name, unit, post, rank, pools and expertise, and 保存."""
        form = QFormLayout()
        self.name = QLineEdit(right)
        self.home_unit = QComboBox(right)
        self.home_unit_name = QLineEdit(right)
        self.home_unit_name.setPlaceholderText(translate("Office", "名录外的单位名称"))
        home = QHBoxLayout()
        home.addWidget(self.home_unit, 3)
        home.addWidget(self.home_unit_name, 2)
        self.post = QLineEdit(right)
        self.rank = QLineEdit(right)
        flags = QHBoxLayout()
        self.in_leader_pool = QCheckBox(translate("Office", "列入组长库"), right)
        self.active = QCheckBox(translate("Office", "在库（可选派）"), right)
        self.active.setChecked(True)
        flags.addWidget(self.in_leader_pool)
        flags.addWidget(self.active)
        flags.addStretch(1)
        self.expertise = QListWidget(right)
        self.expertise.setFlow(QListView.Flow.LeftToRight)
        self.expertise.setWrapping(True)
        self.expertise.setResizeMode(QListView.ResizeMode.Adjust)
        self.expertise.setFixedHeight(96)
        form.addRow(translate("Office", "姓名"), self.name)
        form.addRow(translate("Office", "所在单位"), home)
        form.addRow(translate("Office", "职务"), self.post)
        form.addRow(translate("Office", "职级"), self.rank)
        form.addRow("", flags)
        form.addRow(translate("Office", "专业特长"), self.expertise)
        self.save_button = QPushButton(translate("Office", "保存"), right)
        self.save_button.clicked.connect(self.save)
        form.addRow(self.save_button)
        return form

    def _build_tabs(self, right: QWidget) -> QTabWidget:
        """The person's 回避关系 (with the row to add one) and the inspections they served on."""
        tabs = QTabWidget(right)
        relations = QWidget(tabs)
        rl = QVBoxLayout(relations)
        self.relations = make_view([
            Column(translate("Office", "类别"), lambda ru: RELATION_KINDS.get(ru[0].relation_kind, ru[0].relation_kind), 110),
            Column(translate("Office", "相关单位"), lambda ru: ru[1], stretch=True),
            Column(translate("Office", "亲属姓名"), lambda ru: ru[0].person_name or "", 80),
            Column(translate("Office", "关系"), lambda ru: ru[0].relationship or "", 80),
        ], relations, name=translate("Office", "回避关系列表"), row_id=lambda ru: ru[0].id,
            empty=translate("Office", "未记录回避关系。"))
        rl.addWidget(self.relations)
        add = QHBoxLayout()
        self.relation_kind = QComboBox(relations)
        for code, label in RELATION_KINDS.items():
            self.relation_kind.addItem(label, code)
        self.relation_unit = QComboBox(relations)
        self.relation_unit.setMinimumWidth(140)
        self.relative_name = QLineEdit(relations)
        self.relative_name.setPlaceholderText(translate("Office", "亲属姓名"))
        self.relationship = QLineEdit(relations)
        self.relationship.setPlaceholderText(translate("Office", "关系"))
        self.add_relation_button = QPushButton(translate("Office", "添加"), relations)
        self.add_relation_button.clicked.connect(self.add_relation)
        self.remove_relation_button = QPushButton(translate("Office", "删除"), relations)
        self.remove_relation_button.clicked.connect(self.remove_relation)
        add.addWidget(self.relation_kind)
        add.addWidget(self.relation_unit, 1)
        rl.addLayout(add)
        add = QHBoxLayout()
        for w in (self.relative_name, self.relationship, self.add_relation_button, self.remove_relation_button):
            add.addWidget(w)
        rl.addLayout(add)
        tabs.addTab(relations, translate("Office", "回避关系"))
        self.history = make_view([
            Column(translate("Office", "巡察"), lambda h: h.name, stretch=True),
            Column(translate("Office", "组内职务"), lambda h: h.role_label, 60),
            Column(translate("Office", "进驻日期"), lambda h: date_text(h.start_date), 86),
            Column(translate("Office", "阶段"), lambda h: i18n.label(Stage, h.stage), 70),
            Column(translate("Office", "授权书"), lambda h: h.authorisation_number or "", 130),
        ], tabs, name=translate("Office", "参加巡察列表"), row_id=lambda h: h.inspection_id,
            empty=translate("Office", "尚未参加巡察。"))
        tabs.addTab(self.history, translate("Office", "参加巡察"))
        return tabs

    # --- loading -------------------------------------------------------------------------------
    def load(self) -> None:
        on = self.office.today()

        def work() -> tuple[list[PoolEntry], tuple[list[Any], list[Any]]]:
            return team_forming.pool(self.ctx, include_inactive=True, on=on), _choices(self.ctx)

        self.run(work, self.show_pool, key="pool")

    def show_pool(self, result: tuple[list[PoolEntry], tuple[list[Any], list[Any]]]) -> None:
        self.entries, (units, expertise) = result
        for combo in (self.home_unit, self.relation_unit):
            wanted = combo.currentData()
            with QSignalBlocker(combo):
                combo.clear()
                if combo is self.home_unit:
                    combo.addItem(translate("Office", "（不在单位名录中）"), None)
                for u in units:
                    combo.addItem(u.name, u.id)
                combo.setCurrentIndex(max(0, find_data(combo, wanted)))
        if self.expertise.count() == 0:
            add_checkable(self.expertise, expertise)
        self.show_rows()

    def show_rows(self) -> None:
        needle = self.search.text().strip()
        rows = [e for e in self.entries
                if (not self.leaders_only.isChecked() or e.inspector.in_leader_pool)
                and (not needle or needle in e.inspector.name or needle in e.home_unit
                     or any(needle in x for x in e.expertise_labels))]
        fill(self.table, rows)

    def person_chosen(self) -> None:
        inspector_id = current_id(self.table)
        if inspector_id is None:
            return
        self.run(lambda: team_forming.inspector_file(self.ctx, inspector_id), self.show_file, key="file")

    def show_file(self, file: InspectorFile) -> None:
        self.file = file
        p = file.inspector
        self.editing = p.id
        self.name.setText(p.name)
        self.home_unit.setCurrentIndex(max(0, find_data(self.home_unit, p.home_unit_id)))
        self.home_unit_name.setText("" if p.home_unit_id else (p.home_unit_name or ""))
        self.post.setText(p.post or "")
        self.rank.setText(p.rank or "")
        self.in_leader_pool.setChecked(p.in_leader_pool)
        self.active.setChecked(p.active)
        codes = set(p.expertise or [])
        for n in range(self.expertise.count()):
            item = self.expertise.item(n)
            item.setCheckState(Qt.CheckState.Checked if item.data(IdRole) in codes else Qt.CheckState.Unchecked)
        fill(self.relations, file.relations)
        fill(self.history, file.history)

    # --- actions -------------------------------------------------------------------------------
    def new_person(self) -> None:
        self.editing = None
        self.table.clearSelection()
        for w in (self.name, self.post, self.rank, self.home_unit_name):
            w.clear()
        self.home_unit.setCurrentIndex(0)
        self.in_leader_pool.setChecked(False)
        self.active.setChecked(True)
        for n in range(self.expertise.count()):
            self.expertise.item(n).setCheckState(Qt.CheckState.Unchecked)
        fill(self.relations, [])
        fill(self.history, [])
        self.name.setFocus()

    def values(self) -> dict[str, Any]:
        codes = [self.expertise.item(n).data(IdRole) for n in range(self.expertise.count())
                 if self.expertise.item(n).checkState() == Qt.CheckState.Checked]
        unit_id = self.home_unit.currentData()
        # A unit of the directory names itself; the free text is for units outside it (市委巡察办 …).
        unit_name = self.home_unit.currentText() if unit_id else self.home_unit_name.text()
        return {"name": self.name.text(), "home_unit_id": unit_id, "home_unit_name": unit_name, "post": self.post.text(),
                "rank": self.rank.text(), "in_leader_pool": self.in_leader_pool.isChecked(),
                "active": self.active.isChecked(), "expertise": codes}

    def save(self) -> None:
        values, editing = self.values(), self.editing
        service = InspectorService(self.ctx)

        def work() -> Any:
            return service.update(editing, **values) if editing else service.create(**values)

        def done(person: Any) -> None:
            self.editing = person.id

        self.write(work, done, what="pool", done_message=lambda p: translate("Office", "已保存{name}。").format(name=p.name))

    def add_relation(self) -> None:
        if self.editing is None:
            self.message.show_error(translate("Office", "请先选择或保存一名人员。"))
            return
        values = {"inspector_id": self.editing, "relation_kind": self.relation_kind.currentData(),
                  "unit_id": self.relation_unit.currentData(), "person_name": self.relative_name.text(),
                  "relationship": self.relationship.text()}
        inspector_id = self.editing

        def done(_r: Any) -> None:
            self.relative_name.clear()
            self.relationship.clear()
            self.run(lambda: team_forming.inspector_file(self.ctx, inspector_id), self.show_file, key="file")

        self.write(lambda: InspectorRelationService(self.ctx).create(**values), done, what="pool",
                   done_message=translate("Office", "已记录回避关系。"))

    def remove_relation(self) -> None:
        relation_id = current_id(self.relations)
        if relation_id is None:
            self.message.show_error(translate("Office", "请先选择一条回避关系。"))
            return
        inspector_id = self.editing
        assert inspector_id is not None  # relations are listed for the inspector being edited
        self.write(lambda: InspectorRelationService(self.ctx).delete(relation_id),
                   lambda _r: self.run(lambda: team_forming.inspector_file(self.ctx, inspector_id), self.show_file,
                                       key="file"),
                   what="pool", done_message=translate("Office", "已删除回避关系。"))

