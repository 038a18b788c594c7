"""组建巡察组: choose the expertise needed, get a proposal from the 人才库/组长库 (by expertise and
workload, never anyone who must recuse), put people on the team, and issue the leader's 授权书."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import InspectionKind, Stage, TeamRole
from app.services import reference
from app.services.inspections import InspectionService
from app.services.office import team_forming
from app.services.office.team_forming import TeamProposal
from app.services.reference import EXPERTISE

from .. import i18n
from ..i18n import QT_TRANSLATE_NOOP, translate
from .common import (
    GREEN,
    RED,
    RED_TEXT,
    YELLOW,
    IdRole,
    Office,
    OfficePage,
    add_checkable,
    find_data,
)
from .tables import Column, Tone, current_id, fill, make_view


def _load_choices(ctx: Any) -> tuple[list[Any], list[Any]]:
    inspections = [i for i in InspectionService(ctx).list() if i.stage != Stage.CLOSED]
    return inspections, reference.items(ctx, EXPERTISE)


def _flags(c: Any) -> list[str]:
    return c.conflicts + [translate("Office", "正在{name}").format(name=name) for name in c.busy]


def _candidate_tone(c: Any) -> Tone | None:
    background = RED if c.conflicts else YELLOW if c.busy else GREEN if c.proposed_role else None
    if background is None:
        return None
    return Tone(background, RED_TEXT if c.conflicts else None, bool(c.proposed_role), "\n".join(_flags(c)))


class TeamPage(OfficePage):
    title = QT_TRANSLATE_NOOP("Office", "组建巡察组")

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(office, parent)
        self.proposal: TeamProposal | None = None
        self._want: uuid.UUID | None = None
        bar = QHBoxLayout()
        bar.addWidget(QLabel(translate("Office", "巡察："), self))
        self.inspection = QComboBox(self)
        self.inspection.setMinimumWidth(520)
        self.inspection.currentIndexChanged.connect(self.propose)
        bar.addWidget(self.inspection, 1)
        bar.addWidget(QLabel(translate("Office", "组内人数："), self))
        # (not `size`: that would hide QWidget.size())
        self.team_size = QSpinBox(self)
        self.team_size.setRange(1, 30)
        self.team_size.setValue(6)
        bar.addWidget(self.team_size)
        self.propose_button = QPushButton(translate("Office", "提出人选建议"), self)
        self.propose_button.clicked.connect(self.propose)
        bar.addWidget(self.propose_button)
        self.outer.addLayout(bar)
        self.outer.addWidget(self._expertise_box())
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self._candidates_box(split))
        split.addWidget(self._team_box(split))
        split.setSizes([420, 150])
        self.outer.addWidget(split, 1)

    def _expertise_box(self) -> QGroupBox:
        expertise_box = QGroupBox(translate("Office", "本次巡察需要的专业特长"), self)
        box_layout = QVBoxLayout(expertise_box)
        box_layout.setContentsMargins(6, 2, 6, 4)
        self.expertise = QListWidget(expertise_box)
        self.expertise.setFlow(QListView.Flow.LeftToRight)
        self.expertise.setWrapping(True)
        self.expertise.setResizeMode(QListView.ResizeMode.Adjust)
        self.expertise.setSpacing(2)
        self.expertise.setFixedHeight(50)
        self.expertise.itemChanged.connect(lambda _item: self.propose())
        box_layout.addWidget(self.expertise)
        return expertise_box

    def _candidates_box(self, split: QSplitter) -> QGroupBox:
        candidates_box = QGroupBox(translate("Office", "人才库人选（建议人选在前；红色：应当回避；黄色：正在其他巡察组）"), split)
        cl = QVBoxLayout(candidates_box)
        cl.setContentsMargins(6, 2, 6, 4)
        self.candidates = make_view(self._candidate_columns(), candidates_box, name=translate("Office", "人才库人选列表"),
                                    row_id=lambda c: c.inspector_id, tone=_candidate_tone,
                                    empty=translate("Office", "人才库中没有可选派的人员。"))
        cl.addWidget(self.candidates)
        row = QHBoxLayout()
        self.accept_button = QPushButton(translate("Office", "采纳建议（全部加入）"), candidates_box)
        self.accept_button.clicked.connect(self.accept_proposal)
        self.leader_button = QPushButton(translate("Office", "设为组长"), candidates_box)
        self.leader_button.clicked.connect(lambda: self.add_selected(TeamRole.LEADER))
        self.deputy_button = QPushButton(translate("Office", "设为副组长"), candidates_box)
        self.deputy_button.clicked.connect(lambda: self.add_selected(TeamRole.DEPUTY))
        self.member_button = QPushButton(translate("Office", "设为组员"), candidates_box)
        self.member_button.clicked.connect(lambda: self.add_selected(TeamRole.MEMBER))
        for b in (self.accept_button, self.leader_button, self.deputy_button, self.member_button):
            row.addWidget(b)
        row.addStretch(1)
        self.notes = QLabel("", candidates_box)
        self.notes.setStyleSheet("color:#8a5a00;")
        row.addWidget(self.notes)
        cl.addLayout(row)
        return candidates_box

    def _team_box(self, split: QSplitter) -> QGroupBox:
        team_box = QGroupBox(translate("Office", "现有巡察组"), split)
        tl = QVBoxLayout(team_box)
        tl.setContentsMargins(6, 2, 6, 4)
        self.team = make_view([
            Column(translate("Office", "职务"), lambda m: m.role_label, 70),
            Column(translate("Office", "姓名"), lambda m: m.name, 80),
            Column(translate("Office", "专业特长"), lambda m: translate("Office", "、").join(m.expertise_labels), 320),
            Column(translate("Office", "组长授权书"), lambda m: m.authorisation_number or (
                translate("Office", "未出具") if m.role == TeamRole.LEADER else ""), 180),
            # The conflict in words as well as in red.
            Column(translate("Office", "回避"), lambda m: translate("Office", "；").join(m.conflicts), stretch=True),
        ], team_box, name=translate("Office", "现有巡察组成员列表"), row_id=lambda m: m.assignment_id,
            tone=lambda m: Tone(RED) if m.conflicts else None, empty=translate("Office", "尚未确定巡察组成员。"))
        tl.addWidget(self.team)
        row = QHBoxLayout()
        self.remove_button = QPushButton(translate("Office", "移出巡察组"), team_box)
        self.remove_button.clicked.connect(self.remove_selected)
        self.authorise_button = QPushButton(translate("Office", "出具组长授权书（一次一授权）"), team_box)
        self.authorise_button.clicked.connect(self.authorise)
        row.addWidget(self.remove_button)
        row.addWidget(self.authorise_button)
        row.addStretch(1)
        tl.addLayout(row)
        return team_box

    def _candidate_columns(self) -> list[Column]:
        role_text: dict[str | None, str] = {TeamRole.LEADER: translate("Office", "★ 组长"),
                                            TeamRole.MEMBER: translate("Office", "✓ 组员")}

        def needs(c: Any) -> str:
            names = self.proposal.expertise_names if self.proposal is not None else {}
            return translate("Office", "、").join(names.get(m, m) for m in c.matched)

        return [
            Column(translate("Office", "建议"), lambda c: role_text.get(c.proposed_role, ""), 64),
            Column(translate("Office", "姓名"), lambda c: c.name + (translate("Office", "（组长库）") if c.in_leader_pool else ""), 118),
            Column(translate("Office", "所在单位及职务"), lambda c: translate("Office", "　").join(x for x in (c.home_unit, c.post) if x), 250),
            Column(translate("Office", "专业特长"), lambda c: translate("Office", "、").join(c.expertise_labels), 200),
            Column(translate("Office", "匹配需要"), needs, 120),
            Column(translate("Office", "近两年参加巡察"), lambda c: c.recent_count, 100),
            Column(translate("Office", "最近一次"), lambda c: c.last_date.isoformat() if c.last_date else "", 90),
            # Why a row is red or yellow, in words.
            Column(translate("Office", "回避及提示"), lambda c: translate("Office", "；").join(_flags(c)), stretch=True),
        ]

    # --- loading -------------------------------------------------------------------------------
    def load(self) -> None:
        self.run(lambda: _load_choices(self.ctx), self.show_choices, key="choices")

    def show_choices(self, result: tuple[list[Any], list[Any]]) -> None:
        inspections, expertise = result
        wanted = self._want or self.inspection.currentData()
        with QSignalBlocker(self.inspection):
            self.inspection.clear()
            for i in sorted(inspections, key=lambda x: (x.stage != Stage.PLAN, x.name)):
                self.inspection.addItem(translate("Office", "{name}（{kind}，{stage}）").format(
                    name=i.name, kind=i18n.label(InspectionKind, i.kind), stage=i18n.label(Stage, i.stage)), i.id)
            index = find_data(self.inspection, wanted) if wanted is not None else 0
            self.inspection.setCurrentIndex(max(0, index))
        self._want = None
        if self.expertise.count() == 0:
            with QSignalBlocker(self.expertise):
                add_checkable(self.expertise, expertise)
        self.propose()

    def choose_inspection(self, inspection_id: uuid.UUID) -> None:
        index = find_data(self.inspection, inspection_id)
        if index >= 0:
            self.inspection.setCurrentIndex(index)
        else:
            self._want = inspection_id

    def set_expertise(self, codes: list[str]) -> None:
        with QSignalBlocker(self.expertise):
            for n in range(self.expertise.count()):
                item = self.expertise.item(n)
                item.setCheckState(Qt.CheckState.Checked if item.data(IdRole) in codes else Qt.CheckState.Unchecked)
        self.propose()

    def needed(self) -> list[str]:
        return [self.expertise.item(n).data(IdRole) for n in range(self.expertise.count())
                if self.expertise.item(n).checkState() == Qt.CheckState.Checked]

    def propose(self) -> None:
        inspection_id = self.inspection.currentData()
        if inspection_id is None:
            return
        needed, size, on = self.needed(), self.team_size.value(), self.office.today()
        self.run(lambda: team_forming.propose_team(self.ctx, inspection_id, expertise=needed, size=size, on=on),
                 self.show_proposal, key="proposal")

    def show_proposal(self, proposal: TeamProposal) -> None:
        if proposal.inspection_id != self.inspection.currentData():
            return
        self.proposal = proposal
        fill(self.candidates, proposal.candidates)
        self.notes.setText(translate("Office", "　").join(proposal.notes))
        self.accept_button.setEnabled(bool(proposal.proposed))
        self.show_team(proposal.team)

    def show_team(self, team: list[team_forming.TeamMember]) -> None:
        fill(self.team, team)

    # --- actions -------------------------------------------------------------------------------
    def accept_proposal(self) -> None:
        if self.proposal is None:
            return
        picks = [(c.inspector_id, str(c.proposed_role)) for c in self.proposal.proposed]
        self.add(picks)

    def add_selected(self, role: str) -> None:
        inspector_id = current_id(self.candidates)
        if inspector_id is None:
            self.message.show_error(translate("Office", "请先在人才库人选中选择一人。"))
            return
        self.add([(inspector_id, role)])

    def add(self, picks: list[tuple[Any, str]]) -> None:
        inspection_id = self.inspection.currentData()
        self._want = inspection_id
        self.write(lambda: team_forming.add_members(self.ctx, inspection_id, picks), what="team",
                   done_message=lambda ids: translate("Office", "已将{n}人加入巡察组。").format(n=len(ids)))

    def remove_selected(self) -> None:
        assignment_id = current_id(self.team)
        if assignment_id is None:
            self.message.show_error(translate("Office", "请先在现有巡察组中选择一人。"))
            return
        self._want = self.inspection.currentData()
        self.write(lambda: team_forming.remove_member(self.ctx, assignment_id), what="team", done_message=translate("Office", "已移出巡察组。"))

    def authorise(self) -> None:
        inspection_id, on = self.inspection.currentData(), self.office.today()
        if inspection_id is None:
            return
        self._want = inspection_id
        self.write(lambda: team_forming.authorise_leader(self.ctx, inspection_id, on=on), what="team",
                   done_message=lambda a: translate("Office", "已出具{name}同志的组长授权书，文号{number}。").format(
                       name=a.leader, number=a.number_text))
