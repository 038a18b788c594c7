"""Figures in the shape the 巡察 reports give them: units inspected, problems found, clues handed
over, cases filed, people disciplined, the four forms, rectified and overdue."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Select, and_, case, extract, func, select
from sqlalchemy.orm import Session

from app.models import (
    Clue,
    ClueOutcome,
    Finding,
    Inspection,
    InspectionRound,
    InspectionUnit,
    Rectification,
    ReferenceItem,
    Unit,
)
from app.models.enums import ClueOutcomeKind, ClueStatus, RectificationStatus

from . import permissions
from .context import ServiceContext
from .crud import as_uuid
from .reference import PROBLEM_CATEGORY


@dataclass
class Counts:
    """The headline counts every summary of inspections gives: `xuncha stats`, the 专题报告 and the
    office dashboard (which adds its own breakdowns in app/services/office/dashboard.py)."""

    inspections: int = 0
    units_inspected: int = 0
    findings: int = 0
    clues_handed_over: int = 0
    cases_filed: int = 0
    people_disciplined: int = 0
    rectifications: int = 0
    rectified: int = 0
    closed_out: int = 0
    overdue: int = 0

    @property
    def rectification_rate(self) -> float:
        return self.rectified / self.rectifications if self.rectifications else 0.0


@dataclass
class Statistics(Counts):
    findings_by_category: dict[str, int] = field(default_factory=dict)
    findings_by_discipline: dict[str, int] = field(default_factory=dict)
    findings_by_four_form: dict[str, int] = field(default_factory=dict)
    people_by_four_form: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "rectification_rate": round(self.rectification_rate, 4)}


def _inspection_ids(year: int | None, round_id: uuid.UUID | None, inspection_id: uuid.UUID | None) -> Select[Any]:
    stmt = select(Inspection.id).where(Inspection.deleted_at.is_(None))
    if inspection_id is not None:
        stmt = stmt.where(Inspection.id == inspection_id)
    if round_id is not None:
        stmt = stmt.where(Inspection.round_id == round_id)
    if year is not None:
        # An inspection belongs to its round's year; one outside any round, to the year it began.
        stmt = stmt.outerjoin(InspectionRound, InspectionRound.id == Inspection.round_id).where(
            func.coalesce(InspectionRound.year, extract("year", Inspection.start_date)) == year
        )
    return stmt


def scope(session: Session, ctx: ServiceContext, *, year: int | None = None, round_id: uuid.UUID | None = None,
          inspection_id: uuid.UUID | None = None) -> Any:
    """The ids of the inspections counted, as a subquery: those of the year, round or inspection
    asked for that the actor may read (a member counts only their teams')."""
    chosen = _inspection_ids(year, round_id, inspection_id)
    visible = permissions.visible_inspections(session, ctx.actor)
    if visible is not None:
        chosen = chosen.where(Inspection.id.in_(sorted(visible)))
    return chosen.scalar_subquery()


@dataclass
class Tally:
    """One reading of a scope: the statistics, and what the office dashboard adds from the same
    passes over the findings and the rectification items (so that it reads neither twice)."""

    stats: Statistics
    findings_by_unit_kind: dict[str | None, int] = field(default_factory=dict)  # unit kind (None: no unit) → findings
    due_soon: int = 0  # open items due within `due_within` days of `on`


def compute(
    ctx: ServiceContext,
    *,
    year: int | None = None,
    round_id: uuid.UUID | str | None = None,
    inspection_id: uuid.UUID | str | None = None,
    on: dt.date | None = None,
) -> Statistics:
    with ctx.db.read() as session:
        ids = scope(session, ctx, year=year, round_id=as_uuid(round_id) if round_id else None,
                    inspection_id=as_uuid(inspection_id) if inspection_id else None)
        return tally(session, ids, on or dt.date.today()).stats


def tally(session: Session, ids: Any, on: dt.date, *, due_within: int = 0) -> Tally:
    """The figures of the inspections `ids` (a `scope`) on `on`, in one read."""
    result = Tally(Statistics())
    stats = result.stats
    stats.inspections = session.scalar(select(func.count()).where(Inspection.id.in_(ids))) or 0
    stats.units_inspected = session.scalar(
        select(func.count(func.distinct(InspectionUnit.unit_id))).where(
            InspectionUnit.inspection_id.in_(ids), InspectionUnit.deleted_at.is_(None)
        )
    ) or 0
    result.findings_by_unit_kind = _count_findings(session, ids, stats)
    _count_clues(session, ids, stats)
    result.due_soon = _count_rectifications(session, ids, on, due_within, stats)
    return result


def _count_findings(session: Session, ids: Any, stats: Statistics) -> dict[str | None, int]:
    """The findings, in all and by top-level category, discipline and form; returns them by the
    kind of their unit."""
    live_findings = and_(Finding.inspection_id.in_(ids), Finding.deleted_at.is_(None))
    # One pass over ix_findings_statistics without reading a row. Grouped first in the index's own
    # order (inspection first), SQLite streams the groups without sorting 100,000 entries; the ~11,000
    # groups are then summed by category, discipline, form and unit kind (a unit looked up per group,
    # not per finding).
    groups = (
        select(Finding.category_code, Finding.discipline_code, Finding.four_form, Finding.unit_id,
               func.count().label("n"))
        .where(live_findings)
        .group_by(Finding.inspection_id, Finding.category_code, Finding.discipline_code, Finding.four_form,
                  Finding.unit_id)
        .subquery()
    )
    rows = session.execute(
        select(groups.c.category_code, groups.c.discipline_code, groups.c.four_form, Unit.kind, func.sum(groups.c.n))
        .outerjoin(Unit, Unit.id == groups.c.unit_id)
        .group_by(groups.c.category_code, groups.c.discipline_code, groups.c.four_form, Unit.kind)
    ).all()
    # Findings are filed under subcategories; reports count them by the top-level area.
    top = dict(session.execute(
        select(ReferenceItem.code, func.coalesce(ReferenceItem.parent_code, ReferenceItem.code))
        .where(ReferenceItem.kind == PROBLEM_CATEGORY)
    ).all())
    by_category: Counter[str] = Counter()
    by_discipline: Counter[str] = Counter()
    by_form: Counter[str] = Counter()
    by_unit_kind: Counter[str | None] = Counter()
    for category, discipline, form, unit_kind, summed in rows:
        count = int(summed)  # PostgreSQL's sum of counts is a numeric
        stats.findings += count
        by_unit_kind[unit_kind] += count
        if category is not None:
            by_category[top.get(category, category)] += count
        if discipline is not None:
            by_discipline[discipline] += count
        if form is not None:
            by_form[form] += count
    stats.findings_by_category = dict(by_category)
    stats.findings_by_discipline = dict(by_discipline)
    stats.findings_by_four_form = dict(by_form)
    return dict(by_unit_kind)


def _count_clues(session: Session, ids: Any, stats: Statistics) -> None:
    """Clues handed over, and what came of them: cases filed, people disciplined, the four forms."""
    live_clues = and_(Clue.inspection_id.in_(ids), Clue.deleted_at.is_(None))
    stats.clues_handed_over = session.scalar(
        select(func.count()).where(live_clues, Clue.status.in_([ClueStatus.HANDED_OVER, ClueStatus.CONCLUDED]))
    ) or 0
    outcomes = select(ClueOutcome).join(Clue, Clue.id == ClueOutcome.clue_id).where(
        live_clues, ClueOutcome.deleted_at.is_(None)
    ).subquery()
    stats.cases_filed = session.scalar(
        select(func.count()).select_from(outcomes).where(outcomes.c.kind == ClueOutcomeKind.CASE_FILED)
    ) or 0
    stats.people_disciplined = session.scalar(
        select(func.coalesce(func.sum(outcomes.c.people_count), 0)).where(outcomes.c.kind == ClueOutcomeKind.DISCIPLINED)
    ) or 0
    rows = session.execute(
        select(outcomes.c.four_form, func.sum(outcomes.c.people_count))
        .where(outcomes.c.four_form.is_not(None))
        .group_by(outcomes.c.four_form)
    ).all()
    stats.people_by_four_form = {k: int(v) for k, v in rows}


def live_rectifications(ids: Any) -> Any:
    """The rectification items of the inspections `ids`, each chain once: an item a 回头看 took
    over lives on in its copy and is counted by its newest link."""
    carried = (
        select(Rectification.carried_from_id)
        .where(Rectification.carried_from_id.is_not(None), Rectification.deleted_at.is_(None))
        .scalar_subquery()
    )
    return and_(
        Rectification.inspection_id.in_(ids), Rectification.deleted_at.is_(None), Rectification.id.not_in(carried)
    )


def _count_rectifications(session: Session, ids: Any, on: dt.date, due_within: int, stats: Statistics) -> int:
    """Items to rectify, rectified, closed out, and overdue on `on`; returns how many open items
    fall due within `due_within` days of `on`."""
    # One pass over ix_rectifications_statistics: by status, with how many are past their deadline
    # and how many fall due soon. Grouped by inspection too, in the index's order, so that SQLite
    # streams the groups instead of sorting the items; the few groups are summed here.
    due_soon = and_(Rectification.deadline >= on, Rectification.deadline <= on + dt.timedelta(days=due_within))
    items = session.execute(
        select(Rectification.status, func.count(), func.sum(case((Rectification.deadline < on, 1), else_=0)),
               func.sum(case((due_soon, 1), else_=0)))
        .where(live_rectifications(ids)).group_by(Rectification.inspection_id, Rectification.status)
    ).all()
    by_status: Counter[str] = Counter()
    overdue = soon = 0
    for status, count, late, near in items:
        by_status[status] += count
        if status in (RectificationStatus.PENDING, RectificationStatus.IN_PROGRESS):
            overdue += int(late or 0)
            soon += int(near or 0)
    stats.rectifications = sum(by_status.values())
    stats.closed_out = by_status.get(RectificationStatus.CLOSED, 0)
    stats.rectified = stats.closed_out + by_status.get(RectificationStatus.COMPLETED, 0)
    stats.overdue = overdue
    return soon
