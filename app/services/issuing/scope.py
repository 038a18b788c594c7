"""Who and what an inspection is, and what every kind of one inspection counts alike."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    Finding,
    Inspection,
    InspectionUnit,
    Inspector,
    Rectification,
    ReferenceItem,
    TeamAssignment,
    Unit,
)
from app.models.enums import (
    InspectionKind,
    ReviewState,
    TeamRole,
    UnitKind,
)
from app.reports.kinds.common import period
from app.reports.wording import clause, flatten_numbering, normalize

from ..crud import as_uuid
from ..errors import NotFoundError, ValidationError
from ..profile import Profile, load_profile_in
from ..reference import DISPOSITION, PROBLEM_CATEGORY
from .options import FEEDBACK_EXCLUDED_DISPOSITIONS, ISSUER_OF, OTHER_CATEGORY


# --- who and what an inspection is ---------------------------------------------------------------
def party_organisation(unit: Unit) -> str:
    """The party organisation a 巡察 addresses for a unit: 市财政局 → 市财政局党组, 安集镇人民政府 → 安集镇党委."""
    name = unit.name.strip()
    kind = unit.kind
    if kind == UnitKind.PARTY_DEPT:
        return name  # a 党委工作部门 is itself a party organ
    if kind == UnitKind.TOWNSHIP:
        place = _strip_suffix(name, ("人民政府", "办事处")) or unit.short_name or name
        return place + ("党工委" if place.endswith("街道") else "党委")
    if kind == UnitKind.VILLAGE:
        place = _strip_suffix(name, ("村民委员会", "居民委员会")) or unit.short_name or name
        return place + ("党委" if place.endswith("社区") else "党支部")
    if kind in (UnitKind.SOE, UnitKind.PUBLIC_INSTITUTION):
        return name + "党委"
    if kind == UnitKind.OTHER:
        return name.replace("管理委员会", "党工委") if "管理委员会" in name else name + "党委"
    return name + "党组"  # 政府部门, 人民团体


def _strip_suffix(name: str, suffixes: Iterable[str]) -> str | None:
    for s in suffixes:
        if name.endswith(s) and len(name) > len(s):
            return name[: -len(s)]
    return None


def _short(unit: Unit | None) -> str:
    if unit is None:
        return ""
    return unit.short_name or unit.name


# How the feedback and the 专题报告 group problems, by the framework the profile names: the top-level
# problem category (reference data) -> the heading of its part.
FOUR_IMPLEMENTATIONS = {
    "leadership": (1, "落实党的路线方针政策和党中央决策部署方面"),
    "strict_governance": (2, "落实全面从严治党战略部署方面"),
    "party_building": (3, "落实新时代党的组织路线方面"),
    "cadre_selection": (3, "落实新时代党的组织路线方面"),
    "rectification": (4, "落实巡视巡察、审计等监督发现问题整改方面"),
}


@dataclass
class Scope:
    """An inspection with the names every document derives from it."""

    inspection: Inspection
    units: list[Unit]
    orgs: list[str]  # party organisations addressed, in the order the units were added
    team: str  # 市委第一巡察组
    profile: Profile
    leader: str | None
    categories: dict[str, ReferenceItem]
    dispositions: dict[str, str]
    today: dt.date

    @property
    def authority(self) -> str:
        """市委 / 县委: who deployed the inspection (from the organization profile)."""
        return self.profile.committee

    @property
    def target(self) -> str:
        """How the text names the inspected organisations; villages under an inspected township are implied."""
        heads = [o for u, o in zip(self.units, self.orgs, strict=True) if u.kind != UnitKind.VILLAGE] or self.orgs
        if not heads:
            return "被巡察党组织"
        names = "、".join(heads[:3])
        return names if len(heads) <= 3 else f"{names}等{len(heads)}个党组织"

    @property
    def addressee(self) -> str:
        return "、".join(self.orgs) or "被巡察党组织"

    @property
    def kind_label(self) -> str:
        kind = self.inspection.kind
        return "巡察整改“回头看”" if kind == InspectionKind.FOLLOW_UP else InspectionKind.label_of(kind) or "巡察"

    @property
    def leading_group(self) -> str:
        return self.profile.leading_group_short

    @property
    def office_full(self) -> str:
        return self.profile.office_name

    @property
    def office(self) -> str:
        return self.profile.office_short

    @property
    def discipline_body(self) -> str:
        return self.profile.discipline_body

    @property
    def organisation_dept(self) -> str:
        return self.profile.organisation_dept

    @property
    def team_signature(self) -> str:
        return self.profile.team_full_name(self.team)

    @property
    def keep(self) -> list[str]:
        """Names the title and the 主送机关 never break inside."""
        names = [self.team, self.team_signature, *self.orgs, *(u.name for u in self.units),
                 *(u.short_name for u in self.units if u.short_name)]
        if self.leader:
            names.append(self.leader)
        return [n for n in dict.fromkeys(names) if n]

    def issuer(self, kind: str) -> tuple[str, str]:
        """(文号 prefix, 发文机关标志) of a numbered kind, both from the profile: one level throughout."""
        who = ISSUER_OF[kind]
        p = self.profile
        if who == "team":
            code = p.team_code(self.team)
            if code:
                return code, f"{self.team_signature}文件"
            who = "leading_group"  # a team without a number issues under the leading group's name
        if who == "leading_group":
            return p.leading_group_prefix, p.leading_group_mark
        if who == "office":
            return p.office_prefix, p.office_mark
        return p.office_letter_prefix, p.office_name

    def period(self) -> str | None:
        i = self.inspection
        if i.start_date and i.end_date:
            return period(i.start_date, i.end_date)
        return None

    def category_of(self, code: str | None) -> tuple[int, str, str]:
        """(sort key, top-level name, own name) of a problem category code."""
        item = self.categories.get(code or "")
        if item is None:
            return (1_000_000, OTHER_CATEGORY, code or "")
        top = self.categories.get(item.parent_code or "") or item
        return (top.sort_order, top.name, item.name)

    def aspect_of(self, code: str | None) -> tuple[int, str]:
        """(order, heading) of the part a finding goes under, in the profile's framework."""
        item = self.categories.get(code or "")
        top = (self.categories.get(item.parent_code or "") or item) if item is not None else None
        if self.profile.framework == "four_implementations" and top is not None and top.code in FOUR_IMPLEMENTATIONS:
            return FOUR_IMPLEMENTATIONS[top.code]
        order, name, _own = self.category_of(code)
        return order, _aspect(name)


def _load_scope(session: Session, inspection_id: uuid.UUID | str, today: dt.date) -> Scope:
    try:
        key = as_uuid(inspection_id)
    except NotFoundError:
        key = None
    inspection = session.get(Inspection, key) if key is not None else None
    if inspection is None or inspection.deleted_at is not None:
        raise ValidationError(f"找不到编号为 {inspection_id} 的巡察，可能已被删除。", "inspection_id")
    units = list(session.scalars(
        select(Unit).join(InspectionUnit, InspectionUnit.unit_id == Unit.id)
        .where(InspectionUnit.inspection_id == inspection.id, InspectionUnit.deleted_at.is_(None))
        .order_by(InspectionUnit.created_at, InspectionUnit.id)
    ))
    leader = session.scalar(
        select(Inspector.name).join(TeamAssignment, TeamAssignment.inspector_id == Inspector.id)
        .where(TeamAssignment.inspection_id == inspection.id, TeamAssignment.role == TeamRole.LEADER,
               TeamAssignment.deleted_at.is_(None)).limit(1)
    )
    refs = list(session.scalars(select(ReferenceItem).where(ReferenceItem.kind.in_([PROBLEM_CATEGORY, DISPOSITION]))))
    # Deleted categories still name the old findings filed under them.
    categories = {r.code: r for r in refs if r.kind == PROBLEM_CATEGORY}
    dispositions = {r.code: r.name for r in refs if r.kind == DISPOSITION}
    return Scope(
        inspection=inspection, units=units, orgs=list(dict.fromkeys(party_organisation(u) for u in units)),
        team=(inspection.team_name or "").strip() or "巡察组", profile=load_profile_in(session),
        leader=leader, categories=categories, dispositions=dispositions, today=today,
    )


def _findings(session: Session, scope: Scope, *, approved: bool, ids: Sequence[uuid.UUID | str] | None) -> list[Finding]:
    stmt = select(Finding).where(Finding.inspection_id == scope.inspection.id, Finding.deleted_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Finding.id.in_([as_uuid(i) for i in ids]))
    rows = session.scalars(stmt.order_by(Finding.number, Finding.id))
    # The review state is checked here, not in SQL: with it in the WHERE clause SQLite picks the
    # review-state index (most findings are approved) over the inspection's and reads the whole table.
    return [f for f in rows if not approved or f.review_state == ReviewState.APPROVED]


def _rectifications(
    session: Session, scope: Scope, findings: Sequence[Finding] | None = None
) -> dict[uuid.UUID, list[Rectification]]:
    """Live rectification items by finding: of the whole inspection, or only of the findings given."""
    out: dict[uuid.UUID, list[Rectification]] = defaultdict(list)
    stmt = select(Rectification).where(
        Rectification.inspection_id == scope.inspection.id, Rectification.deleted_at.is_(None)
    ).order_by(Rectification.deadline, Rectification.id)
    if findings is not None:
        stmt = stmt.where(Rectification.finding_id.in_([f.id for f in findings]))
    for r in session.scalars(stmt):
        out[r.finding_id].append(r)
    return out


def _units_by_id(scope: Scope, session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, Unit]:
    known = {u.id: u for u in scope.units}
    missing = {i for i in ids if i is not None and i not in known}
    if missing:
        known.update({u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(missing)))})
    return known


def _by_category(scope: Scope, findings: list[Finding]) -> list[Finding]:
    """Findings in the order of the framework's parts, then of the reference list's categories, then by number."""
    return sorted(findings, key=lambda f: (scope.aspect_of(f.category_code)[0], scope.category_of(f.category_code)[0],
                                           f.number))


def _aspect(top_name: str) -> str:
    """党的领导弱化 → 党的领导弱化方面; 选人用人问题 → 选人用人方面 (how feedback headings read)."""
    if top_name.endswith("方面"):
        return top_name
    return top_name.removesuffix("问题") + "方面"


def _sentence(text: str | None) -> str:
    return clause(text)


def _responsible(unit: Unit | None, person: str | None) -> str:
    """文广旅局（高俊林）: the columns are headed 责任单位, so the unit comes first and the person in brackets."""
    person = (person or "").strip()
    name = _short(unit)
    if name and person:
        return f"{name}（{person}）"
    return name or person


def _measures(rects: Iterable[Rectification]) -> str:
    """The measures of a finding's rectification items as one clause, inner numbering one level down."""
    parts = [normalize(r.measures).rstrip("。；") for r in rects if r.measures]
    return flatten_numbering("；".join(p for p in parts if p))


# --- what every kind of one inspection counts alike ------------------------------------------------
@dataclass
class Problems:
    """The approved findings of an inspection, split the way every document counts them.

    problems: what is fed back to the unit (the feedback lists them, the 专题报告 and the notice count
    them); as_clues: findings about individuals, handed over as clues instead; held: kept for later or
    found untrue (neither reported nor counted).
    """

    problems: list[Finding]
    as_clues: list[Finding]
    held: list[Finding]
    pending: int  # findings not through the 三审 chain yet

    @property
    def total(self) -> int:
        return len(self.problems)


def _problem_set(session: Session, scope: Scope) -> Problems:
    rows = list(session.scalars(select(Finding).where(
        Finding.inspection_id == scope.inspection.id, Finding.deleted_at.is_(None)).order_by(Finding.number, Finding.id)))
    approved = [f for f in rows if f.review_state == ReviewState.APPROVED]
    clue_codes = {"clue_transfer", "transfer_organization"}
    return Problems(
        problems=_by_category(scope, [f for f in approved if f.disposition_code not in FEEDBACK_EXCLUDED_DISPOSITIONS]),
        as_clues=[f for f in approved if f.disposition_code in clue_codes],
        held=[f for f in approved if f.disposition_code in {"hold", "settle"}],
        pending=len(rows) - len(approved),
    )


def _problem_total(session: Session, scope: Scope) -> int:
    """How many problems the inspection fed back (the count _problem_set gives), without loading them."""
    excluded = list(FEEDBACK_EXCLUDED_DISPOSITIONS)
    return int(session.scalar(select(func.count()).select_from(Finding).where(
        Finding.inspection_id == scope.inspection.id, Finding.deleted_at.is_(None),
        Finding.review_state == ReviewState.APPROVED,
        Finding.disposition_code.is_(None) | Finding.disposition_code.not_in(excluded))) or 0)
