"""问题线索台账: clues handed over, to whom and when, and the outcomes reported back."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QWidget,
)

from app.models.enums import ClueOutcomeKind, ClueStatus
from app.services import reference
from app.services.inspections import InspectionService
from app.services.office import clue_ledger
from app.services.office.clue_ledger import Ledger
from app.services.reference import FOUR_FORM

from .. import i18n
from ..i18n import QT_TRANSLATE_NOOP, translate
from .common import (
    GREEN,
    YELLOW,
    Office,
    OfficePage,
    date_edit,
    date_text,
    find_data,
    to_date,
)
from .tables import Column, Tone, current_id, fill, make_view

# Stored as typed: the receiving bodies are data, in Chinese whatever the interface language.
_RECEIVERS = ("市纪委监委", "市委组织部", "市纪委监委派驻纪检监察组")


def _choices(ctx: Any) -> tuple[list[Any], list[Any]]:
    return InspectionService(ctx).list(), reference.items(ctx, FOUR_FORM)


def _clue_tone(row: Any) -> Tone | None:
    if row.reply_late:
        return Tone(YELLOW, tip=translate("Office", "移交超过3个月未反馈办理结果"))
    return Tone(GREEN) if row.status == ClueStatus.CONCLUDED else None


class CluesPage(OfficePage):
    title = QT_TRANSLATE_NOOP("Office", "问题线索台账")

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(office, parent)
        self.ledger: Ledger | None = None
        bar = QHBoxLayout()
        bar.addWidget(QLabel(translate("Office", "巡察："), self))
        self.inspection = QComboBox(self)
        self.inspection.setMinimumWidth(480)
        self.inspection.currentIndexChanged.connect(self.load_ledger)
        bar.addWidget(self.inspection, 1)
        bar.addWidget(QLabel(translate("Office", "状态："), self))
        self.status = QComboBox(self)
        self.status.addItem(translate("Office", "全部"), None)
        for s in ClueStatus:
            self.status.addItem(i18n.label(type(s), s.value), s.value)
        self.status.currentIndexChanged.connect(self.load_ledger)
        bar.addWidget(self.status)
        self.outer.addLayout(bar)
        self.summary = QLabel("", self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.outer.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.table = self._clue_list(split)
        lower = QWidget(split)
        row = QHBoxLayout(lower)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self._hand_over_box(lower, office), 2)
        row.addWidget(self._outcome_box(lower, office), 3)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([470, 160])
        self.outer.addWidget(split, 1)
        self._want: Any = None

    def _clue_list(self, parent: QWidget) -> Any:
        return make_view([
            Column(translate("Office", "巡察"), lambda r: r.inspection_name, 230),
            Column(translate("Office", "被反映人"), lambda r: r.subject_name, 70),
            Column(translate("Office", "职务"), lambda r: r.subject_post, 150),
            Column(translate("Office", "线索摘要"), lambda r: r.summary, stretch=True),
            Column(translate("Office", "移交对象"), lambda r: r.handed_to, 110),
            Column(translate("Office", "移交日期"), lambda r: date_text(r.handed_over_on), 90),
            # Late in words as well as in yellow.
            Column(translate("Office", "状态"), lambda r: r.status_label + (
                translate("Office", "（超3个月未反馈）") if r.reply_late else ""), 70),
            Column(translate("Office", "办理结果"), lambda r: r.outcome_text(self.ledger.four_forms if self.ledger else {}),
                   260),
        ], parent, name=translate("Office", "问题线索列表"), tone=_clue_tone,
            empty=translate("Office", "没有符合条件的问题线索。"))

    def _hand_over_box(self, parent: QWidget, office: Office) -> QGroupBox:
        hand = QGroupBox(translate("Office", "移交"), parent)
        form = QFormLayout(hand)
        self.receiver = QComboBox(hand)
        self.receiver.setEditable(True)
        self.receiver.addItems(list(_RECEIVERS))
        self.handed_on = date_edit(office.today(), hand)
        self.hand_button = QPushButton(translate("Office", "登记移交"), hand)
        self.hand_button.clicked.connect(self.hand_over)
        form.addRow(translate("Office", "移交对象"), self.receiver)
        form.addRow(translate("Office", "移交日期"), self.handed_on)
        form.addRow(self.hand_button)
        return hand

    def _outcome_box(self, parent: QWidget, office: Office) -> QGroupBox:
        outcome = QGroupBox(translate("Office", "办理结果（受理机关反馈）"), parent)
        form = QFormLayout(outcome)
        self.kind = QComboBox(outcome)
        for k in ClueOutcomeKind:
            self.kind.addItem(i18n.label(type(k), k.value), k.value)
        self.four_form = QComboBox(outcome)
        self.four_form.addItem(translate("Office", "（不涉及）"), None)
        self.people = QSpinBox(outcome)
        self.people.setRange(0, 999)
        self.people.setValue(1)
        self.decided_on = date_edit(office.today(), outcome)
        self.notes = QLineEdit(outcome)
        self.conclude = QCheckBox(translate("Office", "同时办结该线索"), outcome)
        self.outcome_button = QPushButton(translate("Office", "登记办理结果"), outcome)
        self.outcome_button.clicked.connect(self.record_outcome)
        line = QHBoxLayout()
        line.addWidget(self.kind)
        line.addWidget(QLabel(translate("Office", "四种形态"), outcome))
        line.addWidget(self.four_form)
        line.addWidget(QLabel(translate("Office", "人数"), outcome))
        line.addWidget(self.people)
        form.addRow(translate("Office", "结果"), line)
        form.addRow(translate("Office", "决定日期"), self.decided_on)
        form.addRow(translate("Office", "说明"), self.notes)
        buttons = QHBoxLayout()
        buttons.addWidget(self.conclude)
        buttons.addStretch(1)
        buttons.addWidget(self.outcome_button)
        form.addRow(buttons)
        return outcome

    def load(self) -> None:
        self.run(lambda: _choices(self.ctx), self.show_choices, key="choices")

    def show_choices(self, result: tuple[list[Any], list[Any]]) -> None:
        inspections, four_forms = result
        wanted = self._want if self._want is not None else self.inspection.currentData()
        with QSignalBlocker(self.inspection):
            self.inspection.clear()
            self.inspection.addItem(translate("Office", "全部巡察"), None)
            for i in inspections:
                self.inspection.addItem(i.name, i.id)
            self.inspection.setCurrentIndex(max(0, find_data(self.inspection, wanted)) if wanted is not None else 0)
        if self.four_form.count() == 1:
            for f in four_forms:
                self.four_form.addItem(f.name, f.code)
        self._want = None
        self.load_ledger()

    def choose_inspection(self, inspection_id: Any) -> None:
        index = find_data(self.inspection, inspection_id)
        if index >= 0:
            self.inspection.setCurrentIndex(index)
        else:
            self._want = inspection_id

    def load_ledger(self) -> None:
        inspection_id, status, on = self.inspection.currentData(), self.status.currentData(), self.office.today()
        self.run(lambda: clue_ledger.ledger(self.ctx, inspection_id=inspection_id, status=status, on=on),
                 self.show_ledger, key="ledger")

    def show_ledger(self, ledger: Ledger) -> None:
        self.ledger = ledger
        fill(self.table, ledger.rows)
        t = ledger.totals
        forms = translate("Office", "、").join(translate("Office", "{form}{n}人").format(form=ledger.four_forms.get(k, k), n=v)
                                               for k, v in sorted(ledger.people_by_four_form().items()))
        self.summary.setText(
            translate("Office", "共{n}条线索：待移交{pending}条，已移交{handed}条，已办结{done}条。反馈结果：初步核实{checked}件，"
                                "立案审查{filed}件，党纪政务处分{people}人").format(
                n=t.get("clues", 0), pending=t.get(ClueStatus.PENDING, 0), handed=t.get(ClueStatus.HANDED_OVER, 0),
                done=t.get(ClueStatus.CONCLUDED, 0), checked=t.get(ClueOutcomeKind.INITIAL_CHECK, 0),
                filed=t.get(ClueOutcomeKind.CASE_FILED, 0), people=t.get("people_disciplined", 0))
            + (translate("Office", "（四种形态：{forms}）").format(forms=forms) if forms else "")
            + (translate("Office", "；{n}条超过3个月未反馈（黄色）").format(n=t["reply_late"]) if t.get("reply_late") else "")
            + translate("Office", "。"))

    def _need_clue(self) -> Any:
        clue_id = current_id(self.table)
        if clue_id is None:
            self.message.show_error(translate("Office", "请先选择一条线索。"))
        return clue_id

    def hand_over(self) -> None:
        clue_id = self._need_clue()
        if clue_id is None:
            return
        to, on = self.receiver.currentText(), to_date(self.handed_on.date())
        self.write(lambda: clue_ledger.hand_over(self.ctx, clue_id, handed_to=to, on=on), what="clue",
                   done_message=translate("Office", "已登记移交{to}。").format(to=to))

    def record_outcome(self) -> None:
        clue_id = self._need_clue()
        if clue_id is None:
            return
        values = dict(kind=self.kind.currentData(), four_form=self.four_form.currentData(),
                      people_count=self.people.value(), decided_on=to_date(self.decided_on.date()),
                      notes=self.notes.text(), conclude=self.conclude.isChecked())
        self.write(lambda: clue_ledger.record_outcome(self.ctx, clue_id, **values), what="clue",
                   done_message=translate("Office", "已登记办理结果。"))
