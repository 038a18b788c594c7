"""What every page of one inspection needs to offer in its pickers: the team, the inspected units
and their people, the reference lists and the 六必问/四必谈 items.

Loaded once per inspection, off the UI thread, through the services; pages read it without
touching the database again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from app.models import Inspection
from app.models.enums import ChecklistKind, TeamRole
from app.services import reference
from app.services.checklists import ChecklistService
from app.services.context import ServiceContext
from app.services.inspections import InspectionService, InspectionUnitService, TeamService
from app.services.inspectors import InspectorService
from app.services.units import UnitPersonService, UnitService


@dataclass(frozen=True)
class Choice:
    """A code or id with the text a picker shows; `parent` nests subcategories under their area."""

    key: str
    text: str
    parent: str | None = None


@dataclass(frozen=True)
class PersonChoice:
    id: uuid.UUID
    name: str
    post: str
    unit_id: uuid.UUID
    unit_name: str
    # The 四必谈 category the directory puts this person in, if any.
    talk_category: str | None = None

    @property
    def text(self) -> str:
        return f"{self.name}（{self.post}）" if self.post else self.name


@dataclass(frozen=True)
class TeamMember:
    id: uuid.UUID
    name: str
    role: str


@dataclass
class Lookups:
    inspection: Inspection
    team: list[TeamMember] = field(default_factory=list)
    units: list[Choice] = field(default_factory=list)
    people: list[PersonChoice] = field(default_factory=list)
    categories: list[Choice] = field(default_factory=list)
    disciplines: list[Choice] = field(default_factory=list)
    four_forms: list[Choice] = field(default_factory=list)
    dispositions: list[Choice] = field(default_factory=list)
    must_ask: list[Choice] = field(default_factory=list)
    must_talk: list[Choice] = field(default_factory=list)
    # Everyone a record may name (team first, then the rest of the pool), id → name.
    inspector_names: dict[str, str] = field(default_factory=dict)

    @property
    def inspection_id(self) -> uuid.UUID:
        return self.inspection.id

    def inspector_name(self, inspector_id: object) -> str:
        return self.inspector_names.get(str(inspector_id), "") if inspector_id else ""

    def names_of(self, ids: list[str] | None) -> str:
        return "、".join(self.inspector_name(i) for i in ids or [] if self.inspector_name(i))

    def text_of(self, choices: list[Choice], key: str | None) -> str:
        for choice in choices:
            if choice.key == key:
                return choice.text
        return key or ""


def _choices(ctx: ServiceContext, kind: str) -> list[Choice]:
    return [Choice(i.code, i.name, i.parent_code) for i in reference.items(ctx, kind)]


def load_lookups(ctx: ServiceContext, inspection_id: uuid.UUID) -> Lookups:
    inspection = InspectionService(ctx).get(inspection_id)
    lookups = Lookups(inspection=inspection)

    assignments = TeamService(ctx).list(inspection_id=inspection_id)
    inspectors = InspectorService(ctx)
    by_id = {i.id: i for i in inspectors.list(id=[a.inspector_id for a in assignments])} if assignments else {}
    role_order: dict[str, int] = {role: n for n, role in enumerate(TeamRole)}
    for a in sorted(assignments, key=lambda a: (role_order.get(a.role, 9), by_id[a.inspector_id].name if a.inspector_id in by_id else "")):
        if a.inspector_id in by_id:
            lookups.team.append(TeamMember(a.inspector_id, by_id[a.inspector_id].name, a.role))
    lookups.inspector_names = {str(m.id): m.name for m in lookups.team}
    for inspector in inspectors.list(active=True):
        lookups.inspector_names.setdefault(str(inspector.id), inspector.name)

    unit_ids = [u.unit_id for u in InspectionUnitService(ctx).list(inspection_id=inspection_id)]
    units = UnitService(ctx).list(id=unit_ids) if unit_ids else []
    lookups.units = [Choice(str(u.id), u.name) for u in units]
    unit_names = {u.id: u.name for u in units}
    if unit_ids:
        for p in UnitPersonService(ctx).list(unit_id=unit_ids, order_by=("unit_id", "name")):
            category = (
                "main_leader" if p.is_principal
                else "leadership_member" if p.is_leadership_member
                else "key_post_head" if p.is_key_post
                else None
            )
            lookups.people.append(
                PersonChoice(p.id, p.name, p.post or "", p.unit_id, unit_names.get(p.unit_id, ""), category)
            )

    lookups.categories = _choices(ctx, reference.PROBLEM_CATEGORY)
    lookups.disciplines = _choices(ctx, reference.DISCIPLINE)
    lookups.four_forms = _choices(ctx, reference.FOUR_FORM)
    lookups.dispositions = _choices(ctx, reference.DISPOSITION)
    items = ChecklistService(ctx).for_inspection(inspection_id)
    lookups.must_ask = [Choice(i.code, i.title) for i in items if i.list_kind == ChecklistKind.MUST_ASK]
    lookups.must_talk = [Choice(i.code, i.title) for i in items if i.list_kind == ChecklistKind.MUST_TALK]
    return lookups
